"""Meetings of the collaboration's forums: agenda, minutes, decisions, action items and
attendance; and the hand-ticked checkpoints of an agreement's compliance page."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import (
    ActionItemStatus,
    AgendaSource,
    ComplianceKey,
    ComplianceStatus,
    DecisionEffect,
    MeetingKind,
    MeetingStatus,
)


class Meeting(ScopedModel):
    """One meeting of a forum (e.g. KUG Tryggt och socialt hållbart Eskilstuna)."""

    forum = models.ForeignKey("agreements.Forum", on_delete=models.CASCADE,
                              related_name="meetings", verbose_name=_("forum"))
    title = models.CharField(_("title"), max_length=200, blank=True,
                             help_text=_("Optional, e.g. 'Delår 2-uppföljning'. The forum's "
                                         "name is used when empty."))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED)
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.ORDINARY, blank=True,
                            help_text=_("A staff dialogue: a party's own staff talk through "
                                        "the problems before the joint work (Brå step 2)."))

    scope_parent = "forum"

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["forum", "date"], name="meeting_forum_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True) | models.Q(end_time__isnull=True)
                | models.Q(end_time__gte=models.F("start_time")),
                name="meeting_times_ordered"),
        ]

    def __str__(self):
        name = self.title or (self.forum.abbreviation if self.forum_id and
                              self.forum.abbreviation else str(self.forum))
        return f"{name} {self.date:%Y-%m-%d}" if self.date else name

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    def clean(self):
        if self.start_time and self.end_time and self.end_time < self.start_time:
            raise ValidationError({"end_time": _("The meeting must end after it starts.")})

    @property
    def agreement(self):
        return self.forum.agreement


class MeetingChild(ScopedModel):
    """Base of the records inside a meeting: they share its municipality."""

    scope_parent = "meeting"

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    def clean_agenda_item(self):
        item = getattr(self, "agenda_item", None)
        if item is not None and item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("The agenda item belongs to another "
                                                    "meeting.")})


class Attendance(MeetingChild):
    """Who was expected and who took part: a forum member, or a co-opted guest."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("meeting"))
    member = models.ForeignKey("agreements.ForumMember", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="attendances",
                               verbose_name=_("forum member"))
    guest_name = models.CharField(
        _("guest"), max_length=200, blank=True,
        help_text=_("A co-opted guest's name or function (not a forum member)."))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"],
                                    condition=models.Q(member__isnull=False),
                                    name="attendance_member_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if self.member_id:
            return str(self.member)
        return self.guest_name

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    def clean(self):
        if not self.member_id and not self.guest_name.strip():
            raise ValidationError({"guest_name": _("Choose a forum member or give a guest's "
                                                   "name.")})
        if self.member_id and self.meeting_id and self.member.forum_id != self.meeting.forum_id:
            raise ValidationError({"member": _("The person is not a member of this forum.")})


class AgendaItem(MeetingChild):
    """One point on a meeting's agenda, with its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("item"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    minutes = models.TextField(
        _("minutes"), blank=True,
        help_text=_("What was said. Avoid names of private persons and personal identity "
                    "numbers."))
    source = models.CharField(_("source"), max_length=16, choices=AgendaSource.choices,
                              default=AgendaSource.MANUAL, editable=False)
    focus_area = models.ForeignKey("agreements.FocusArea", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="agenda_items",
                                   verbose_name=_("focus area"))
    activity = models.ForeignKey("plans.Activity", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="agenda_items",
                                 verbose_name=_("activity"))
    deviation = models.ForeignKey("followup.Deviation", on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="agenda_items",
                                  verbose_name=_("deviation"))
    followup_round = models.ForeignKey("followup.FollowUpRound", on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="agenda_items",
                                       verbose_name=_("follow-up round"))
    carried_action_item = models.ForeignKey(
        "ActionItem", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="carried_to", verbose_name=_("action item from an earlier meeting"))

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"

    def clean(self):
        agreement_id = self.meeting.forum.agreement_id if self.meeting_id else None
        errors = {}
        if self.focus_area_id and self.focus_area.agreement_id != agreement_id:
            errors["focus_area"] = _("The focus area belongs to another agreement.")
        if self.activity_id and self.activity.agreement_id != agreement_id:
            errors["activity"] = _("The activity belongs to another agreement.")
        if self.deviation_id and self.deviation.activity.agreement_id != agreement_id:
            errors["deviation"] = _("The deviation belongs to another agreement.")
        if self.followup_round_id and self.followup_round.agreement_id != agreement_id:
            errors["followup_round"] = _("The follow-up round belongs to another agreement.")
        if self.carried_action_item_id and (
                self.carried_action_item.meeting.forum_id != self.meeting.forum_id):
            errors["carried_action_item"] = _("The action item belongs to another forum.")
        if errors:
            raise ValidationError(errors)


class Decision(MeetingChild):
    """A decision taken at a meeting. It can create or change an activity of the plan in the
    same step; the activity then lists the decisions that created or changed it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions",
                                verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="decisions",
                                    verbose_name=_("agenda item"))
    text = models.TextField(_("decision"))
    activity = models.ForeignKey("plans.Activity", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="decisions",
                                 verbose_name=_("activity"))
    effect = models.CharField(_("effect on the plan"), max_length=10,
                              choices=DecisionEffect.choices, blank=True,
                              default=DecisionEffect.NONE)
    activity_changes = models.JSONField(
        _("changes to the activity"), default=dict, blank=True,
        help_text=_("The activity's fields as the decision set them."))

    class Meta:
        ordering = ["meeting", "agenda_item__order", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text if len(self.text) < 80 else self.text[:77] + "…"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#decision-{self.pk}"

    def clean(self):
        self.clean_agenda_item()
        if self.effect and not self.activity_id:
            raise ValidationError({"activity": _("Name the activity the decision created or "
                                                 "changed.")})
        if self.activity_id and self.meeting_id and (
                self.activity.agreement_id != self.meeting.forum.agreement_id):
            raise ValidationError({"activity": _("The activity belongs to another agreement.")})


class ActionItem(MeetingChild):
    """Who does what by when, agreed at a meeting. Open items come back on the forum's next
    meeting's agenda until they are done or cancelled."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items",
                                verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="action_items",
                                    verbose_name=_("agenda item"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("responsible organisation"))
    person = models.CharField(_("responsible person"), max_length=200, blank=True,
                              help_text=_("A function or a name, e.g. 'Kommunpolis'."))
    what = models.TextField(_("what"))
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionItemStatus.choices,
                              default=ActionItemStatus.OPEN)

    class Meta:
        ordering = ["meeting", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.what if len(self.what) < 80 else self.what[:77] + "…"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"

    def clean(self):
        self.clean_agenda_item()
        if not self.organization_id and not self.person.strip():
            raise ValidationError({"person": _("Say who is responsible: an organisation or a "
                                               "person.")})

    @property
    def who(self) -> str:
        parts = [self.person, str(self.organization) if self.organization_id else ""]
        return ", ".join(p for p in parts if p)

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        """A contributor may report progress on an action item given to their organisation."""
        return self.organization_id in organization_ids


class ComplianceCheck(ScopedModel):
    """A checkpoint of the compliance page ticked by hand (what the data cannot show)."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE,
                                  related_name="compliance_checks", verbose_name=_("agreement"))
    key = models.CharField(_("checkpoint"), max_length=40, choices=ComplianceKey.choices)
    checked = models.BooleanField(_("done"), default=False)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+", editable=False,
                                   verbose_name=_("ticked by"))
    checked_at = models.DateTimeField(_("ticked"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True,
                            help_text=_("How and where it was done, e.g. a link or a date."))

    scope_parent = "agreement"

    class Meta:
        ordering = ["agreement", "key"]
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        constraints = [models.UniqueConstraint(fields=["agreement", "key"],
                                               name="compliancecheck_unique")]

    def __str__(self):
        return f"{self.get_key_display()}: {'✓' if self.checked else '–'}"

    def get_absolute_url(self):
        return reverse("meetings:compliance", args=[self.agreement_id])


class ComplianceChange(ScopedModel):
    """History of the compliance page: when a checkpoint turned done or undone, and why.

    Written by `services.record_compliance_history`, which judges the checkpoints on the
    records everyone in the collaboration may read (never on restricted ones), so the history
    can be shown to every reader of the agreement without revealing a restricted record."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE,
                                  related_name="compliance_changes",
                                  verbose_name=_("agreement"))
    key = models.CharField(_("checkpoint"), max_length=40, choices=ComplianceKey.choices)
    status = models.CharField(_("status"), max_length=16, choices=ComplianceStatus.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("changed by"),
                                   help_text=_("Who ticked it, for a tick by hand; empty when "
                                               "the data changed."))

    scope_parent = "agreement"

    class Meta:
        ordering = ["agreement", "-changed_at", "-pk"]
        verbose_name = _("compliance change")
        verbose_name_plural = _("compliance changes")
        indexes = [models.Index(fields=["agreement", "key", "-changed_at"],
                                name="compliancechange_latest")]

    def __str__(self):
        return f"{self.get_key_display()}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("meetings:compliance", args=[self.agreement_id]) + "#history"
