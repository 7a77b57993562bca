"""The cooperation agreement (samverkansöverenskommelse) and what it holds."""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import (
    AgreementStatus,
    FollowUpKind,
    ForumKind,
    ForumMemberRole,
    PartyRole,
    Strategy,
    Track,
)


def validate_priority_criteria(value):
    """A list of Brå's criteria (`PriorityCriterion`), each at most once."""
    from django.core.exceptions import ValidationError

    from .choices import PriorityCriterion

    if not isinstance(value, list) or any(v not in PriorityCriterion.values for v in value):
        raise ValidationError(_("Choose among Brå's criteria: %(choices)s.") % {
            "choices": ", ".join(PriorityCriterion.values)})


class Agreement(ScopedModel):
    """A cooperation agreement between a municipality and its local police area, usually
    for 2-4 years and decided by the municipal council."""

    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("valid from"))
    end_date = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    council_decision_date = models.DateField(_("council decision"), null=True, blank=True,
                                             help_text=_("Date of the municipal council's "
                                                         "decision (kommunfullmäktige)."))
    signed_date = models.DateField(_("signed"), null=True, blank=True)
    executive_board_decision_date = models.DateField(
        _("executive board decision"), null=True, blank=True,
        help_text=_("Date the municipal executive board (kommunstyrelsen) decided to start or "
                    "renew the collaboration."))
    police_decision_date = models.DateField(
        _("police leadership decision"), null=True, blank=True,
        help_text=_("Date the police leadership (the local police area) decided the same."))
    communications_lead = models.CharField(
        _("communications lead"), max_length=200, blank=True,
        help_text=_("Function responsible for communication about the work, e.g. "
                    "'Kommunikationsdirektör'. Write a function rather than a name."))
    situation_picture_interval_months = models.PositiveSmallIntegerField(
        _("months between situation pictures"), default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How often a new yearly situation picture is to be made; the compliance "
                    "page counts a picture as current within this many months."))
    situation_picture_interval_source = models.CharField(
        _("source of the interval"), max_length=300, blank=True,
        help_text=_("Where the interval comes from, e.g. the council's decision or the "
                    "agreement."))
    background = models.TextField(_("background"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    overall_goal = models.TextField(_("overall goal"), blank=True)
    communication_strategy = models.TextField(_("communication strategy"), blank=True)
    commitments_intro = models.TextField(
        _("introduction to the joint commitments"), blank=True,
        help_text=_("The text before the parties' joint commitments, as the agreement words "
                    "it."))
    followup_text = models.TextField(_("follow-up"), blank=True,
                                     help_text=_("How, when and where the work is followed up."))
    evaluation_year = models.PositiveSmallIntegerField(_("evaluation year"), null=True,
                                                       blank=True)

    class Meta:
        ordering = ["municipality", "-start_date", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")),
                                   name="agreement_period_ordered"),
        ]

    def __str__(self):
        period = f"{self.start_date:%Y}–{self.end_date:%Y}"
        # The agreements' own titles often end with their period already.
        return self.title if period in self.title else f"{self.title} {period}"

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The period must end after it starts.")})


class AgreementChild(ScopedModel):
    """Base of records inside an agreement: they share its municipality."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("agreement"))

    scope_parent = "agreement"

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()


class Party(AgreementChild):
    """An organisation bound by the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties",
                                  verbose_name=_("agreement"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)

    class Meta:
        ordering = ["agreement", "role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [models.UniqueConstraint(fields=["agreement", "organization"],
                                               name="party_unique")]

    def __str__(self):
        return str(self.organization)


class Signatory(AgreementChild):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="signatories", verbose_name=_("agreement"))
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


class PriorityArea(AgreementChild):
    """A geographic area the agreement gives priority to (e.g. Skiftinge, Årby)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="priority_areas", verbose_name=_("agreement"))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        constraints = [models.UniqueConstraint(fields=["agreement", "name"],
                                               name="priorityarea_unique")]

    def __str__(self):
        return self.name


class DataSource(AgreementChild):
    """A source the situation picture rests on (underlag): used or deliberately left out."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="data_sources", verbose_name=_("agreement"))
    name = models.CharField(_("name"), max_length=300)
    used = models.BooleanField(_("used"), default=True)
    note = models.TextField(_("note"), blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("brought by"),
        help_text=_("The party whose own overview picture this source belongs to; empty for "
                    "a joint source."))

    class Meta:
        ordering = ["agreement", "-used", "name"]
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")

    def __str__(self):
        return self.name


class Forum(AgreementChild):
    """A group of the collaboration's organisation: strategic council, local Brå, steering
    group, working group, area group, ..."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="forums",
                                  verbose_name=_("agreement"))
    name = models.CharField(_("name"), max_length=300)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ForumKind.choices)
    cadence_text = models.CharField(_("meets"), max_length=200, blank=True,
                                    help_text=_("As the agreement says, e.g. '3 ggr/år'."))
    meetings_per_year = models.PositiveSmallIntegerField(_("meetings per year"), null=True,
                                                         blank=True)
    mandate = models.TextField(_("mandate"), blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self):
        return reverse("agreements:forum_detail", args=[self.pk])


class ForumMember(ScopedModel):
    """A person or a function in a forum, with their organisation."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members",
                              verbose_name=_("forum"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=300, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=10, choices=ForumMemberRole.choices,
                            default=ForumMemberRole.MEMBER)

    class Meta:
        ordering = ["forum", "role", "pk"]
        verbose_name = _("forum member")
        verbose_name_plural = _("forum members")

    def __str__(self):
        return self.name or self.function

    scope_parent = "forum"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.name and not self.function:
            raise ValidationError(_("Give a name or a function."))

    def get_absolute_url(self):
        return self.forum.get_absolute_url()


class FollowUpEntry(AgreementChild):
    """One line of the agreement's follow-up plan, e.g. 'Avvikelser följs upp månadsvis'."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="followup_entries", verbose_name=_("agreement"))
    text = models.TextField(_("wording"))
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    times_per_year = models.PositiveSmallIntegerField(_("times per year"), null=True,
                                                      blank=True)
    forum = models.ForeignKey(Forum, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="followup_entries", verbose_name=_("forum"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("forum",)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("follow-up plan entry")
        verbose_name_plural = _("follow-up plan entries")

    def __str__(self):
        return self.text


class FocusArea(AgreementChild):
    """A theme of the agreement (fokusområde, samverkansområde, inriktning)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="focus_areas", verbose_name=_("agreement"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    strategy = models.CharField(_("strategy"), max_length=12, choices=Strategy.choices,
                                blank=True)
    problem_description = models.TextField(_("problem description"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    priority_criteria = models.JSONField(
        _("reasons for the priority"), default=list, blank=True,
        validators=[validate_priority_criteria],
        help_text=_("Brå's criteria that made this problem a priority."))
    cause_analysis = models.TextField(
        _("cause analysis"), blank=True,
        help_text=_("Why the problem arises: causes and circumstances the activities are to "
                    "address."))

    class Meta:
        ordering = ["agreement", "number", "pk"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("agreements:focusarea_detail", args=[self.pk])


class SubGoal(ScopedModel):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE,
                                   related_name="sub_goals", verbose_name=_("focus area"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("sub-goal"))

    class Meta:
        ordering = ["focus_area", "number", "pk"]
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")

    def __str__(self):
        return self.text if len(self.text) < 80 else self.text[:77] + "…"

    scope_parent = "focus_area"

    def get_absolute_url(self):
        return self.focus_area.get_absolute_url()


class Commitment(AgreementChild):
    """A joint commitment of the parties (gemensamt åtagande), e.g. "Vi åtar oss att utveckla
    gemensam kommunikation.", with the agreement's explanation of it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="commitments", verbose_name=_("agreement"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("commitment"),
                            help_text=_("As the agreement words it, e.g. 'Vi åtar oss att "
                                        "utveckla gemensam kommunikation.'"))
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["agreement", "number", "pk"]
        verbose_name = _("joint commitment")
        verbose_name_plural = _("joint commitments")

    def __str__(self):
        return self.text if len(self.text) < 80 else self.text[:77] + "…"


class SourcedText(AgreementChild):
    """Base of the texts an agreement holds beside its clauses, each with where it comes from
    and, where it belongs to one, the focus area (a `focus_area` field in each subclass)."""

    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("Where the text comes from, e.g. the agreement or "
                                          "the municipality's web page."))

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.focus_area_id and self.focus_area.agreement_id != self.agreement_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another "
                                                   "agreement.")})


class Definition(SourcedText):
    """A term and what it means in the agreement's work (e.g. välfärdsbrottslighet)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="definitions", verbose_name=_("agreement"))
    focus_area = models.ForeignKey("FocusArea", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="definitions",
                                   verbose_name=_("focus area"))
    term = models.CharField(_("term"), max_length=200)
    text = models.TextField(_("definition"))

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("focus_area",)

    class Meta:
        ordering = ["agreement", "number", "term", "pk"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.term


class Practice(SourcedText):
    """A working method or routine the parties follow in the work, described in their own
    words: camera surveillance and its rules, graffiti removal, EST, Krogar mot knark, ..."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE,
                                  related_name="practices", verbose_name=_("agreement"))
    focus_area = models.ForeignKey("FocusArea", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="practices",
                                   verbose_name=_("focus area"))
    title = models.CharField(_("name"), max_length=300)
    responsible_text = models.CharField(
        _("who (as written)"), max_length=500, blank=True,
        help_text=_("Who carries it out, as the source says, e.g. 'ett antal "
                    "fastighetsägare'."))
    text = models.TextField(_("description"))

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("focus_area",)

    class Meta:
        ordering = ["agreement", "number", "title", "pk"]
        verbose_name = _("working method or routine")
        verbose_name_plural = _("working methods and routines")

    def __str__(self):
        return self.title
