"""The action plan (åtgärdsplan): activities, each party's contribution, indicators."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import ActivityKind, ActivityStatus, ContributionParty, Direction, GoalKind


class Activity(ScopedModel):
    """One thing to be done: who, what, when, how, with each party's contribution."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE,
                                  related_name="activities", verbose_name=_("agreement"))
    focus_area = models.ForeignKey("agreements.FocusArea", on_delete=models.CASCADE,
                                   related_name="activities", verbose_name=_("focus area"))
    sub_goal = models.ForeignKey("agreements.SubGoal", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="activities",
                                 verbose_name=_("sub-goal"))
    title = models.CharField(_("activity"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    cause = models.TextField(_("cause addressed"), blank=True,
                             help_text=_("The cause or risk factor the activity addresses."))
    goal = models.TextField(_("goal of the activity"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices,
                              default=ActivityStatus.PLANNED)
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices, blank=True)
    responsible_text = models.TextField(
        _("responsible (as written)"), blank=True,
        help_text=_("E.g. 'Kommunen i samverkan med polis, räddningstjänst och socialtjänst'."))
    responsible_organizations = models.ManyToManyField(
        "organizations.Organization", blank=True, related_name="responsible_for",
        verbose_name=_("responsible organisations"))
    timing_text = models.CharField(_("when"), max_length=500, blank=True,
                                   help_text=_("As written, e.g. 'Under höstterminen 2012'."))
    start_date = models.DateField(_("starts"), null=True, blank=True)
    end_date = models.DateField(_("ends"), null=True, blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    communication = models.TextField(_("communication"), blank=True)
    priority_areas = models.ManyToManyField("agreements.PriorityArea", blank=True,
                                            related_name="activities",
                                            verbose_name=_("geographic areas"))
    areas_text = models.CharField(_("areas (as written)"), max_length=500, blank=True)
    row_key = models.CharField(
        _("import key"), max_length=64, blank=True, db_index=True,
        help_text=_("Identifies the activity across re-imports of the same plan file."))

    scope_parent = "focus_area"

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("sub_goal",)

    class Meta:
        ordering = ["focus_area__number", "focus_area_id", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:activity_detail", args=[self.pk])

    def inherit_scope(self):
        if self.focus_area_id and not self.agreement_id:
            self.agreement_id = self.focus_area.agreement_id
        super().inherit_scope()

    def clean(self):
        if self.focus_area_id and self.focus_area.agreement_id != self.agreement_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another "
                                                   "agreement.")})
        if self.sub_goal_id and self.sub_goal.focus_area_id != self.focus_area_id:
            raise ValidationError({"sub_goal": _("The sub-goal belongs to another focus area.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The activity must end after it starts.")})

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.responsible_organizations.filter(pk__in=organization_ids).exists()


class Contribution(ScopedModel):
    """What one party commits to within an activity (Åtgärd kommun, Åtgärd polis, ...)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE,
                                 related_name="contributions", verbose_name=_("activity"))
    party = models.CharField(_("party"), max_length=12, choices=ContributionParty.choices)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    text = models.TextField(_("contribution"))
    committees = models.ManyToManyField("organizations.Organization", blank=True,
                                        related_name="committee_contributions",
                                        verbose_name=_("responsible committees"))

    class Meta:
        ordering = ["activity", "party", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self):
        return f"{self.get_party_display()}: {self.text[:60]}"

    scope_parent = "activity"
    # Contributors may add a contribution to an activity their organisation is responsible
    # for; the view and API check the activity (`services.may_add_contribution`).
    contributors_may_create = True

    def get_absolute_url(self):
        return self.activity.get_absolute_url()

    def version_label(self) -> str:
        """How a stale activity form names this contribution (core.versioning)."""
        return f"{capfirst(self._meta.verbose_name)} ({self.get_party_display()})"

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.activity.contributor_may_change(user, organization_ids)


class Indicator(ScopedModel):
    """A measured quantity with baseline and target, on a focus area, sub-goal or activity."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE,
                                  related_name="indicators", verbose_name=_("agreement"))
    focus_area = models.ForeignKey("agreements.FocusArea", on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="indicators",
                                   verbose_name=_("focus area"))
    sub_goal = models.ForeignKey("agreements.SubGoal", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="indicators",
                                 verbose_name=_("sub-goal"))
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="indicators", verbose_name=_("activity"))
    name = models.CharField(_("indicator"), max_length=500)
    goal_kind = models.CharField(_("kind of goal"), max_length=12, choices=GoalKind.choices,
                                 blank=True)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    scale_min = models.DecimalField(_("scale from"), max_digits=14, decimal_places=4,
                                    null=True, blank=True)
    scale_max = models.DecimalField(_("scale to"), max_digits=14, decimal_places=4, null=True,
                                    blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4,
                                         null=True, blank=True)
    baseline_text = models.CharField(_("baseline (as written)"), max_length=200, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=4, null=True,
                                       blank=True)
    target_text = models.CharField(_("target (as written)"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices,
                                 default=Direction.HIGHER)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    row_key = models.CharField(_("import key"), max_length=64, blank=True, db_index=True)

    example_parents = ("activity",)

    class Meta:
        ordering = ["agreement", "focus_area__number", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focus_area__isnull=False) | models.Q(sub_goal__isnull=False)
                | models.Q(activity__isnull=False),
                name="indicator_has_subject",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:indicator_detail", args=[self.pk])

    def inherit_scope(self):
        if not self.agreement_id:
            if self.activity_id:
                self.agreement_id = self.activity.agreement_id
            elif self.sub_goal_id:
                self.agreement_id = self.sub_goal.focus_area.agreement_id
            elif self.focus_area_id:
                self.agreement_id = self.focus_area.agreement_id
        if self.agreement_id and not self.municipality_id:
            self.municipality_id = self.agreement.municipality_id

    def clean(self):
        if not (self.focus_area_id or self.sub_goal_id or self.activity_id):
            raise ValidationError(_("An indicator belongs to a focus area, a sub-goal or an "
                                    "activity."))
        if (self.baseline_value is not None and self.target_value is not None
                and self.baseline_value == self.target_value):
            raise ValidationError({"target_value": _("The target must differ from the "
                                                     "baseline.")})

    @property
    def subject(self):
        return self.activity or self.sub_goal or self.focus_area

    def latest_measurement(self):
        return self.measurements.order_by("-measured_on", "-pk").first()

    def progress(self, value: Decimal | None = None) -> float | None:
        """Share of the way from baseline to target (0 = baseline, 1 = target reached), not
        clipped so that going backwards shows as negative."""
        if value is None:
            latest = self.latest_measurement()
            value = latest.value if latest else None
        if value is None or self.baseline_value is None or self.target_value is None:
            return None
        span = self.target_value - self.baseline_value
        if span == 0:
            return None
        return float((Decimal(value) - self.baseline_value) / span)


class Measurement(ScopedModel):
    """A value of an indicator at a date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="measurements", verbose_name=_("indicator"))
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"

    scope_parent = "indicator"
    # Contributors may measure the indicators of activities their organisation is responsible
    # for; the view and API check the indicator (`services.may_add_measurement`).
    contributors_may_create = True

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        activity = self.indicator.activity
        return activity is not None and activity.contributor_may_change(user, organization_ids)
