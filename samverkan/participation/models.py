"""Residents' participation: safety walks (trygghetsvandringar) with their observations and
measures, citizen dialogues with the concerns raised, and citizen pledges (medborgarlöften)
with their follow-up."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import (
    ConcernCategory,
    Light,
    MeasureStatus,
    ObservationCategory,
    PledgeProgress,
    WalkStatus,
)

#: A walk's invited participants: more than this and the group is too large to talk.
MAX_PARTICIPANTS = 20
LAT = [MinValueValidator(-90), MaxValueValidator(90)]
LON = [MinValueValidator(-180), MaxValueValidator(180)]


def six_months_after(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


class SafetyWalk(ScopedModel):
    """A walk through an area with residents and actors to find places that feel unsafe."""

    title = models.CharField(_("title"), max_length=300)
    area = models.CharField(_("area"), max_length=200)
    route = models.JSONField(
        _("route"), default=list, blank=True,
        help_text=_("The route as points [[lat, lon], ...] in walking order."))
    starts_at = models.DateTimeField(_("date and time"))
    light = models.CharField(_("light"), max_length=10, choices=Light.choices,
                             default=Light.DARK)
    organisers = models.CharField(_("organisers"), max_length=300, blank=True)
    invited = models.TextField(
        _("invited participants"), blank=True,
        help_text=_("Residents, the local crime prevention council, the police, the planning "
                    "department, landlords, housing associations: one per line, about 20 at "
                    "most."))
    participant_count = models.PositiveSmallIntegerField(_("number taking part"), null=True,
                                                         blank=True)
    pre_meeting = models.TextField(_("pre-meeting"), blank=True,
                                   help_text=_("When and where the participants meet before "
                                               "the walk, and what is said there."))
    activity = models.ForeignKey("plans.Activity", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="safety_walks",
                                 verbose_name=_("activity of the plan it carries out"))
    status = models.CharField(_("status"), max_length=10, choices=WalkStatus.choices,
                              default=WalkStatus.PLANNED)
    summary = models.TextField(_("summary"), blank=True)
    published_on = models.DateField(_("protocol published"), null=True, blank=True)

    example_parents = ("activity",)

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("safety walk")
        verbose_name_plural = _("safety walks")

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})" if self.starts_at else self.title

    def get_absolute_url(self):
        return reverse("participation:walk_detail", args=[self.pk])

    def clean(self):
        if self.participant_count is not None and self.participant_count > 40:
            raise ValidationError({"participant_count": _(
                "A safety walk works with about 20 participants; split larger groups.")})
        if not isinstance(self.route, list) or any(
                not isinstance(p, list | tuple) or len(p) != 2
                or not all(isinstance(v, int | float) for v in p)
                or not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180) for p in self.route):
            raise ValidationError({"route": _("The route is a list of [lat, lon] points.")})

    @property
    def invited_list(self) -> list[str]:
        return [line.strip() for line in self.invited.splitlines() if line.strip()]

    @property
    def too_many_invited(self) -> bool:
        return len(self.invited_list) > MAX_PARTICIPANTS


def photo_path(instance, filename):
    return f"walks/{instance.walk_id}/{instance.client_key or 'photo'}.jpg"


class Observation(ScopedModel):
    """A place noticed on a walk: category, text, point, photo; then the measure, who is
    responsible, the deadline and the status."""

    walk = models.ForeignKey(SafetyWalk, on_delete=models.CASCADE,
                             related_name="observations", verbose_name=_("safety walk"))
    category = models.CharField(_("category"), max_length=12,
                                choices=ObservationCategory.choices)
    text = models.TextField(_("what was seen"))
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT)
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON)
    place = models.CharField(_("place"), max_length=200, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, editable=False)
    measure = models.TextField(_("measure"), blank=True)
    responsible_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("responsible organisation"))
    responsible_text = models.CharField(
        _("responsible (as written)"), max_length=200, blank=True,
        help_text=_("A unit or property owner that is not an organisation in the system."))
    deadline = models.DateField(_("deadline"), null=True, blank=True,
                                help_text=_("Empty: six months after the walk."))
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices,
                              default=MeasureStatus.PROPOSED)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    client_key = models.CharField(
        _("key from the phone"), max_length=64, blank=True, editable=False,
        help_text=_("Makes a walk recorded on a weak connection idempotent."))

    scope_parent = "walk"

    class Meta:
        ordering = ["walk", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [models.UniqueConstraint(
            fields=["walk", "client_key"], condition=~models.Q(client_key=""),
            name="participation_observation_client_key_unique")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("participation:observation_update", args=[self.pk])

    def clean(self):
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})
        if self.status == MeasureStatus.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": _("Say why the measure was rejected.")})
        if self.deadline is None and self.walk_id and self.walk.starts_at and self.measure:
            self.deadline = six_months_after(self.walk.starts_at.date())

    @property
    def responsible(self) -> str:
        return str(self.responsible_organization or self.responsible_text or "")

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and self.deadline < dt.date.today()
                    and self.status in (MeasureStatus.PROPOSED, MeasureStatus.ACCEPTED))


class Dialogue(ScopedModel):
    """A citizen dialogue: a meeting with residents, and the concerns they raised."""

    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    area = models.CharField(_("area"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("number taking part"), null=True, blank=True)
    organiser = models.CharField(_("organised by"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("citizen dialogue")
        verbose_name_plural = _("citizen dialogues")

    def __str__(self):
        return f"{self.title} ({self.held_on})"

    def get_absolute_url(self):
        return reverse("participation:dialogue_detail", args=[self.pk])


class Concern(ScopedModel):
    """A concern raised in a dialogue, with a category and a place when it has one."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="concerns",
                                 verbose_name=_("citizen dialogue"))
    category = models.CharField(_("category"), max_length=12, choices=ConcernCategory.choices)
    text = models.TextField(_("concern"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT)
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON)
    activity = models.ForeignKey("plans.Activity", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="concerns",
                                 verbose_name=_("activity of the plan"))

    scope_parent = "dialogue"

    class Meta:
        ordering = ["dialogue", "pk"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")

    def __str__(self):
        return f"{self.get_category_display()}: {self.text[:60]}"

    def get_absolute_url(self):
        return self.dialogue.get_absolute_url()

    def clean(self):
        if (self.lat is None) != (self.lon is None):
            raise ValidationError({"lon": _("Give both latitude and longitude, or neither.")})


class Pledge(ScopedModel):
    """A citizen pledge: police and municipality promise in public to work on a local
    problem for a period, and report back to the residents."""

    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    problem = models.TextField(_("the local problem"))
    police_promise = models.TextField(_("the police promise"), blank=True)
    municipality_promise = models.TextField(_("the municipality promises"), blank=True)
    focus_areas = models.ManyToManyField("agreements.FocusArea", blank=True,
                                         related_name="pledges",
                                         verbose_name=_("focus areas"))
    activities = models.ManyToManyField("plans.Activity", blank=True, related_name="pledges",
                                        verbose_name=_("activities"))
    signatories = models.TextField(_("signed by"), blank=True,
                                   help_text=_("Name and title, one per line."))
    signed_on = models.DateField(_("date signed"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("citizen pledge")
        verbose_name_plural = _("citizen pledges")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("participation:pledge_detail", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                raise ValidationError({"period_end": _("The period ends before it starts.")})
            if (self.period_end - self.period_start).days > 3 * 366:
                raise ValidationError({"period_end": _(
                    "A pledge is for one or two years; make a new pledge for the next period.")})


class PledgeFollowUp(ScopedModel):
    """The follow-up of a pledge for a period (a tertial), written for the residents."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="followups",
                               verbose_name=_("citizen pledge"))
    period = models.CharField(_("period"), max_length=50, help_text=_("E.g. T1 2026."))
    round = models.ForeignKey("followup.FollowUpRound", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="pledge_followups",
                              verbose_name=_("follow-up round"))
    reported_on = models.DateField(_("date"))
    progress = models.CharField(_("progress"), max_length=12, choices=PledgeProgress.choices,
                                default=PledgeProgress.ON_TRACK)
    text = models.TextField(_("what was done"))
    reported_to_residents = models.BooleanField(
        _("reported back to residents"), default=False,
        help_text=_("Published to the residents (on the public page, the web, a meeting)."))

    scope_parent = "pledge"
    example_parents = ("round",)

    class Meta:
        ordering = ["pledge", "reported_on", "pk"]
        verbose_name = _("pledge follow-up")
        verbose_name_plural = _("pledge follow-ups")

    def __str__(self):
        return f"{self.pledge}: {self.period}"

    def get_absolute_url(self):
        return self.pledge.get_absolute_url()
