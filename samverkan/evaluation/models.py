"""What the situation data say about the action plan: an indicator defined by the incidents it
counts (with its values computed for every period), and the evaluation of an activity in its
area against a comparison area."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel
from samverkan.situation.choices import IncidentSource

from .choices import Measure, PeriodKind


def source_choices() -> list[tuple[str, str]]:
    """The incident sources an indicator or evaluation can count. An open list: every source
    the situation app knows (EST reports, the Police's events, fault reports, safety walks,
    imports, and any added later); stored as codes, so a new source needs no migration."""
    return list(IncidentSource.choices)


def _check_sources(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("The sources are a list of source codes."))
    known = {code for code, _label in source_choices()}
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(_("Unknown source: %(sources)s.") % {"sources": ", ".join(unknown)})


class IndicatorDefinition(ScopedModel):
    """An action-plan indicator computed from the incidents: which categories and sources,
    where (an area or the whole municipality), per what period, as a count or a rate."""

    indicator = models.OneToOneField("plans.Indicator", on_delete=models.CASCADE,
                                     related_name="definition", verbose_name=_("indicator"))
    categories = models.ManyToManyField(
        "situation.Category", blank=True, related_name="+", verbose_name=_("categories"),
        help_text=_("None chosen: every category."))
    sources = models.JSONField(
        _("sources"), default=list, blank=True, validators=[_check_sources],
        help_text=_("None chosen: every source."))
    area = models.ForeignKey("situation.Area", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("area"),
                             help_text=_("Empty: the whole municipality."))
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices,
                              default=PeriodKind.TERTIAL)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices,
                               default=Measure.COUNT)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)

    scope_parent = "indicator"
    audit_exclude = ("created_at", "updated_at", "computed_at")

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("area",)

    class Meta:
        ordering = ["indicator"]
        verbose_name = _("indicator definition")
        verbose_name_plural = _("indicator definitions")

    def __str__(self):
        return str(self.indicator)

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def clean(self):
        if self.measure == Measure.RATE:
            population = self.area.population if self.area_id else (
                self.municipality.population if self.municipality_id else None)
            if not population:
                raise ValidationError({"measure": _(
                    "A rate per 1,000 inhabitants needs the population of the area (or the "
                    "municipality); it is not known.")})


class IndicatorValue(models.Model):
    """A computed value of an indicator for one period (derived data: rewritten whenever the
    incidents change, not audited). Read through a visible definition."""

    definition = models.ForeignKey(IndicatorDefinition, on_delete=models.CASCADE,
                                   related_name="values", verbose_name=_("definition"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (exclusive)"))
    count = models.PositiveIntegerField(_("incidents"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    value = models.FloatField(_("value"))
    ci_low = models.FloatField(_("95 % interval, low"))
    ci_high = models.FloatField(_("95 % interval, high"))
    complete = models.BooleanField(_("complete period"), default=True)

    class Meta:
        ordering = ["definition", "period_start"]
        verbose_name = _("computed indicator value")
        verbose_name_plural = _("computed indicator values")
        constraints = [models.UniqueConstraint(fields=["definition", "period_start"],
                                               name="evaluation_value_period_unique")]

    def __str__(self):
        return f"{self.definition_id} {self.period_start}: {self.value}"


class ActivityEvaluation(ScopedModel):
    """Did the activity work? Its area before and after the start, against a comparison area
    the coordinator picks, and the buffer zone around the area (displacement)."""

    activity = models.OneToOneField("plans.Activity", on_delete=models.CASCADE,
                                    related_name="evaluation", verbose_name=_("activity"))
    area = models.ForeignKey("situation.Area", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("area of the activity"))
    comparison_area = models.ForeignKey(
        "situation.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("comparison area"),
        help_text=_("A similar area without the activity, not next to the activity's area."))
    start_date = models.DateField(
        _("start"), null=True, blank=True,
        help_text=_("Empty: the activity's start date."))
    end_date = models.DateField(
        _("end of the period after"), null=True, blank=True,
        help_text=_("Empty: today, or the activity's end if that is earlier. The period "
                    "before is as long, just before the start."))
    buffer_m = models.PositiveIntegerField(
        _("buffer zone (metres)"), default=250,
        help_text=_("The zone around the area where incidents could move to."))
    categories = models.ManyToManyField(
        "situation.Category", blank=True, related_name="+", verbose_name=_("categories"),
        help_text=_("None chosen: every category."))
    sources = models.JSONField(_("sources"), default=list, blank=True,
                               validators=[_check_sources],
                               help_text=_("None chosen: every source."))

    scope_parent = "activity"

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("area", "comparison_area")

    class Meta:
        ordering = ["activity"]
        verbose_name = _("activity evaluation")
        verbose_name_plural = _("activity evaluations")

    def __str__(self):
        return str(self.activity)

    def get_absolute_url(self):
        return self.activity.get_absolute_url()

    def clean(self):
        errors = {}
        if self.area_id and self.area_id == self.comparison_area_id:
            errors["comparison_area"] = _("Choose another area than the activity's own.")
        if self.buffer_m is not None and not 25 <= self.buffer_m <= 5000:
            errors["buffer_m"] = _("Choose 25 to 5,000 metres.")
        start = self.effective_start
        if start is None:
            errors["start_date"] = _("Give the start (the activity has no start date).")
        elif self.end_date and self.end_date <= start:
            errors["end_date"] = _("The end must be after the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def effective_start(self) -> datetime.date | None:
        if self.start_date:
            return self.start_date
        return self.activity.start_date if self.activity_id else None

    def windows(self, today: datetime.date | None = None
                ) -> tuple[datetime.date, datetime.date, datetime.date] | None:
        """``(before_start, start, after_end)``: the period after is ``[start, after_end)``,
        the period before equally long, ``[before_start, start)``. None before the start."""
        start = self.effective_start
        if start is None:
            return None
        today = today or timezone.localdate()
        end = self.end_date or min(today, self.activity.end_date or today)
        if end <= start:
            return None
        return start - (end - start), start, end
