"""The follow-up cycle: rounds laid out from the agreement's follow-up plan, the activity
reports each responsible organisation writes in a round, deviations and reminders."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import AgreementChild
from samverkan.core.models import ScopedModel

from .choices import (
    KINDS_WITHOUT_REPORTS,
    DeviationKind,
    ReminderKind,
    ReportStatus,
    RoundKind,
    RoundStatus,
)


class FollowUpRound(AgreementChild):
    """One follow-up occasion of an agreement (T1 2025, Delår 2 2025, Helår 2025,
    Avvikelsekontroll mars 2025, Utvärdering 2027): the period it covers and when the reports
    are due. Laid out from the follow-up plan (`rounds.py`) or added by the coordinator."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE,
                                  related_name="followup_rounds", verbose_name=_("agreement"))
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    label = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("reports due"))
    forum = models.ForeignKey("agreements.Forum", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="followup_rounds",
                              verbose_name=_("reported to forum"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices,
                              default=RoundStatus.PLANNED)
    source_entry = models.ForeignKey("agreements.FollowUpEntry", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="rounds",
                                     verbose_name=_("from follow-up plan entry"))
    plan_key = models.CharField(
        _("plan key"), max_length=80, blank=True, editable=False,
        help_text=_("Identifies a round laid out from the follow-up plan, so that laying out "
                    "again adds only missing rounds."))
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+", editable=False,
                                  verbose_name=_("closed by"))

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("forum", "source_entry")

    class Meta:
        ordering = ["agreement", "due_date", "period_start", "pk"]
        verbose_name = _("follow-up round")
        verbose_name_plural = _("follow-up rounds")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="followupround_period_ordered"),
            models.UniqueConstraint(fields=["agreement", "plan_key"],
                                    condition=~models.Q(plan_key=""),
                                    name="followupround_plan_key_unique"),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("followup:round_detail", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        if self.period_end and self.due_date and self.due_date < self.period_start:
            raise ValidationError({"due_date": _("The due date cannot be before the period "
                                                 "starts.")})
        if self.forum_id and self.agreement_id and self.forum.agreement_id != self.agreement_id:
            raise ValidationError({"forum": _("The forum belongs to another agreement.")})

    @property
    def asks_reports(self) -> bool:
        return self.kind not in KINDS_WITHOUT_REPORTS

    @property
    def is_active(self) -> bool:
        return self.status in (RoundStatus.PLANNED, RoundStatus.OPEN)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.due_date < today


class ActivityReport(ScopedModel):
    """What one responsible organisation reports about one activity in one round."""

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="reports",
                              verbose_name=_("follow-up round"))
    activity = models.ForeignKey("plans.Activity", on_delete=models.CASCADE,
                                 related_name="reports", verbose_name=_("activity"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("reporting organisation"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices)
    what_was_done = models.TextField(_("what was done"), blank=True)
    collaborated_with = models.TextField(_("collaborated with"), blank=True)
    effects_seen = models.TextField(_("observed effects"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=9, decimal_places=1, null=True,
                                blank=True)
    cost = models.DecimalField(_("cost (SEK)"), max_digits=12, decimal_places=0, null=True,
                               blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+", editable=False,
                                     verbose_name=_("submitted by"))

    scope_parent = "round"
    example_parents = ("activity",)
    contributors_may_create = True

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("activity",)

    class Meta:
        ordering = ["round", "activity", "organization"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "activity", "organization"],
                                    name="activityreport_unique"),
        ]

    def __str__(self):
        return f"{self.activity} – {self.organization} ({self.round})"

    def get_absolute_url(self):
        return reverse("followup:report_detail", args=[self.pk])

    def clean(self):
        if self.round_id and self.activity_id and (
                self.activity.agreement_id != self.round.agreement_id):
            raise ValidationError({"activity": _("The activity belongs to another agreement.")})

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.organization_id in organization_ids


class Deviation(ScopedModel):
    """An activity that is late, blocked or off target. Open until resolved."""

    activity = models.ForeignKey("plans.Activity", on_delete=models.CASCADE,
                                 related_name="deviations", verbose_name=_("activity"))
    report = models.ForeignKey(ActivityReport, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="deviations",
                               verbose_name=_("raised in report"))
    kind = models.CharField(_("kind"), max_length=12, choices=DeviationKind.choices)
    reason = models.TextField(_("reason"))
    proposed_action = models.TextField(_("proposed action"), blank=True)
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    resolved_on = models.DateField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    scope_parent = "activity"
    contributors_may_create = True

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("report",)

    class Meta:
        ordering = ["resolved_on", "opened_on", "pk"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_on__isnull=True)
                | models.Q(resolved_on__gte=models.F("opened_on")),
                name="deviation_resolved_after_opened"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.activity}"

    def get_absolute_url(self):
        return reverse("followup:deviation_detail", args=[self.pk])

    def clean(self):
        if self.report_id and self.activity_id and self.report.activity_id != self.activity_id:
            raise ValidationError({"report": _("The report is about another activity.")})
        if self.resolved_on and self.opened_on and self.resolved_on < self.opened_on:
            raise ValidationError({"resolved_on": _("A deviation cannot be resolved before it "
                                                    "was opened.")})

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    def age_days(self, today: datetime.date | None = None) -> int:
        end = self.resolved_on or today or timezone.localdate()
        return (end - self.opened_on).days

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        if self.report_id and self.report.organization_id in organization_ids:
            return True
        return self.activity.responsible_organizations.filter(pk__in=organization_ids).exists()


class Reminder(ScopedModel):
    """A reminder e-mail that was sent: one row per report to write (round, activity,
    organisation), kind and recipient, so the same reminder is never sent twice."""

    round = models.ForeignKey(FollowUpRound, on_delete=models.CASCADE, related_name="reminders",
                              verbose_name=_("follow-up round"))
    activity = models.ForeignKey("plans.Activity", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="+", verbose_name=_("activity"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("recipient"))
    key = models.CharField(_("key"), max_length=120, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    scope_parent = "round"

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.round})"

    def get_absolute_url(self):
        return self.round.get_absolute_url()

    @staticmethod
    def make_key(round_id, activity_id, organization_id, kind, recipient_id) -> str:
        return f"{round_id}:{activity_id or '-'}:{organization_id or '-'}:{kind}:{recipient_id}"

    def inherit_scope(self) -> None:
        super().inherit_scope()
        if not self.key and self.round_id and self.recipient_id:
            self.key = self.make_key(self.round_id, self.activity_id, self.organization_id,
                                     self.kind, self.recipient_id)
