"""Writes (and the few reads that carry rules) for the follow-up cycle.

Every write takes the acting user as `actor`, validates, writes in a transaction and leaves
one audit entry per record written (`samverkan.core.services`)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import Agreement, FollowUpEntry
from samverkan.core import access
from samverkan.core import services as core
from samverkan.core.choices import Confidentiality, Role
from samverkan.evaluation.computed import computed_indicator, computed_measurements
from samverkan.organizations.models import Organization
from samverkan.plans.choices import ActivityStatus
from samverkan.plans.models import Activity, Indicator

from . import rounds as layout
from .choices import (
    ACTIVE_ROUND_STATUSES,
    KINDS_WITHOUT_REPORTS,
    STATUSES_NEEDING_DEVIATION,
    ReportStatus,
    RoundKind,
    RoundStatus,
)
from .models import ActivityReport, Deviation, FollowUpRound

# ---------------------------------------------------------------------------- rounds


def _inherit_scope(parent, fields: dict) -> dict:
    """A record inside a restricted parent is restricted to the same organisations unless
    the caller says otherwise."""
    # Internal is the default; a restricted parent (any visibility parent) is applied by
    # core.services.create, which also refuses a wider level under a restricted record.
    if "confidentiality" in fields or parent.confidentiality == Confidentiality.INTERNAL:
        return fields
    fields = {**fields, "confidentiality": parent.confidentiality}
    if parent.confidentiality == Confidentiality.RESTRICTED and "restricted_to" not in fields:
        fields["restricted_to"] = list(parent.restricted_to.all())
    return fields


def _plan_entries(agreement: Agreement) -> list[layout.PlanEntry]:
    return [layout.PlanEntry(kind=e.kind, times_per_year=e.times_per_year, year=e.year,
                             forum_id=e.forum_id, entry_id=e.pk,
                             forum_meetings_per_year=e.forum.meetings_per_year if e.forum_id
                             else None)
            for e in agreement.followup_entries.select_related("forum")]


def planned_rounds(agreement: Agreement) -> list[layout.RoundSpec]:
    """The rounds the follow-up plan asks for (not written)."""
    return layout.lay_out(agreement.start_date, agreement.end_date, _plan_entries(agreement),
                          agreement.evaluation_year)


@transaction.atomic
def lay_out_rounds(agreement: Agreement, *, actor) -> list[FollowUpRound]:
    """Write the rounds of the follow-up plan that are missing. Idempotent: a round laid out
    before (even if moved or cancelled since) is never added again, nor one the coordinator
    already added by hand for the same kind and period."""
    rows = FollowUpRound.objects.filter(agreement=agreement).values_list(
        "plan_key", "kind", "period_start", "period_end")
    existing = {key for key, _k, _s, _e in rows if key}
    periods = {(kind, start, end) for _key, kind, start, end in rows}
    forums = {f.pk: f for f in agreement.forums.all()}
    created = []
    for spec in planned_rounds(agreement):
        if spec.plan_key in existing or (spec.kind, spec.period_start,
                                          spec.period_end) in periods:
            continue
        forum = forums.get(spec.forum_ids[0]) if spec.forum_ids else None
        note = ""
        if len(spec.forum_ids) > 1:
            note = _("Followed up in: %(forums)s") % {
                "forums": ", ".join(str(forums[f]) for f in spec.forum_ids if f in forums)}
        created.append(core.create(FollowUpRound, actor=actor, data=_inherit_scope(agreement, {
            "agreement": agreement, "kind": spec.kind, "label": spec.label,
            "period_start": spec.period_start, "period_end": spec.period_end,
            "due_date": spec.due_date, "forum": forum, "plan_key": spec.plan_key,
            "source_entry_id": spec.entry_id, "note": note,
        }), municipality=agreement.municipality))
    return created


@transaction.atomic
def propose_entries_from_text(agreement: Agreement, *, actor) -> list[FollowUpEntry]:
    """Create follow-up plan entries read from the agreement's follow-up text, for the kinds
    the plan does not have yet."""
    from samverkan.agreements import services as agreements

    forums = list(agreement.forums.all())
    names = {}
    for forum in forums:
        names[forum.name] = forum
        if forum.abbreviation:
            names.setdefault(forum.abbreviation, forum)
    have = set(agreement.followup_entries.values_list("kind", "times_per_year", "year"))
    have_kinds = {k for k, _t, _y in have}
    created = []
    for proposal in layout.parse_followup_text(agreement.followup_text, list(names)):
        if proposal.kind in have_kinds and proposal.kind != "times_per_year":
            continue
        if (proposal.kind, proposal.times_per_year, proposal.year) in have:
            continue
        created.append(agreements.add_followup_entry(
            actor=actor, agreement=agreement, text=proposal.text, kind=proposal.kind,
            times_per_year=proposal.times_per_year, year=proposal.year,
            forum=names.get(proposal.forum_name)))
        have.add((proposal.kind, proposal.times_per_year, proposal.year))
        have_kinds.add(proposal.kind)
    return created


def _check_forum(agreement: Agreement, forum) -> None:
    if forum is not None and forum.agreement_id != agreement.pk:
        raise ValidationError({"forum": _("The forum belongs to another agreement.")})


def add_round(*, actor, agreement: Agreement, label: str, period_start: dt.date,
              period_end: dt.date, due_date: dt.date | None = None,
              kind: str = RoundKind.CUSTOM, **fields) -> FollowUpRound:
    """A round the coordinator adds by hand (e.g. an extra check before a council meeting).
    Without a due date it is due 15 days after the period."""
    _check_forum(agreement, fields.get("forum"))
    return core.create(FollowUpRound, actor=actor, data=_inherit_scope(agreement, {
        "agreement": agreement, "kind": kind, "label": label, "period_start": period_start,
        "period_end": period_end,
        "due_date": due_date or layout.due_date_for(kind, period_end), **fields,
    }), municipality=agreement.municipality)


def update_round(round: FollowUpRound, *, actor, **fields) -> FollowUpRound:
    """Change a round: move its dates, rename it, change its forum."""
    if "agreement" in fields and fields["agreement"] != round.agreement:
        raise ValidationError({"agreement": _("A round cannot move to another agreement.")})
    if "forum" in fields:
        _check_forum(round.agreement, fields["forum"])
    if "status" in fields and fields["status"] != round.status:
        raise ValidationError({"status": _("Open, close or cancel the round instead.")})
    return core.update(round, actor=actor, data=fields)


def open_round(round: FollowUpRound, *, actor) -> FollowUpRound:
    if round.status not in (RoundStatus.PLANNED, RoundStatus.CANCELLED):
        raise ValidationError(_("Only a planned or cancelled round can be opened."))
    return core.update(round, actor=actor, data={"status": RoundStatus.OPEN})


def close_round(round: FollowUpRound, *, actor) -> FollowUpRound:
    """The coordinator closes the round: no more reports are written in it."""
    if round.status not in ACTIVE_ROUND_STATUSES:
        raise ValidationError(_("Only a planned or open round can be closed."))
    return core.update(round, actor=actor, data={
        "status": RoundStatus.CLOSED, "closed_at": timezone.now(),
        "closed_by": actor if getattr(actor, "pk", None) else None})


def cancel_round(round: FollowUpRound, *, actor) -> FollowUpRound:
    if round.status == RoundStatus.CLOSED:
        raise ValidationError(_("A closed round cannot be cancelled."))
    return core.update(round, actor=actor, data={"status": RoundStatus.CANCELLED})


def delete_round(round: FollowUpRound, *, actor) -> None:
    if round.reports.exists():
        raise ValidationError(_("The round has reports; cancel it instead."))
    core.delete(round, actor=actor)


def current_round(agreement: Agreement, today: dt.date | None = None,
                  queryset=None) -> FollowUpRound | None:
    """The round reports are being written for now: among the agreement's active rounds
    that ask for reports and have started, the one due next; else the last one due."""
    today = today or timezone.localdate()
    qs = (queryset if queryset is not None else FollowUpRound.objects).filter(
        agreement=agreement, status__in=ACTIVE_ROUND_STATUSES, period_start__lte=today,
    ).exclude(kind__in=KINDS_WITHOUT_REPORTS)
    upcoming = qs.filter(due_date__gte=today).order_by("due_date", "period_start").first()
    return upcoming or qs.order_by("-due_date", "-period_start").first()


# ---------------------------------------------------------------------------- expected reports


@dataclass
class ExpectedReport:
    round: FollowUpRound
    activity: Activity
    organization: Organization | None
    report: ActivityReport | None

    @property
    def is_submitted(self) -> bool:
        return self.report is not None and self.report.submitted_at is not None


def reporting_activities(round: FollowUpRound, *, reader=None):
    """The activities a round asks about: every activity of the agreement that is not done
    or cancelled and whose known dates overlap the round's period (those `reader` may read;
    every one for the system, reader None)."""
    from django.db.models import Q

    activities = Activity.objects.all() if reader is None else Activity.objects.visible_to(reader)
    return (activities.filter(agreement_id=round.agreement_id)
            .exclude(status__in=[ActivityStatus.DONE, ActivityStatus.CANCELLED])
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=round.period_end))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=round.period_start))
            .select_related("focus_area").prefetch_related("responsible_organizations"))


def expected_reports(round: FollowUpRound, organization_ids: Iterable[int] | None = None, *,
                     reader=None) -> list[ExpectedReport]:
    """One row per activity and responsible organisation (organisation None when the
    activity has no responsible organisation yet), with the report when written. Reports
    written for activities that are no longer asked about are included too. Only what
    `reader` may read (pages, documents and e-mails pass their reader; None: the system)."""
    if not round.asks_reports:
        return []
    wanted = set(organization_ids) if organization_ids is not None else None
    reports_qs = (ActivityReport.objects.all() if reader is None
                  else ActivityReport.objects.visible_to(reader))
    reports = {(r.activity_id, r.organization_id): r for r in
               reports_qs.filter(round=round).select_related("organization",
                                                             "activity__focus_area")}
    rows: list[ExpectedReport] = []
    seen = set()
    for activity in reporting_activities(round, reader=reader):
        orgs = list(activity.responsible_organizations.all()) or [None]
        for org in orgs:
            org_id = org.pk if org else None
            if wanted is not None and org_id not in wanted:
                continue
            seen.add((activity.pk, org_id))
            rows.append(ExpectedReport(round, activity, org, reports.get((activity.pk, org_id))))
    for key, report in reports.items():
        if key not in seen and (wanted is None or report.organization_id in wanted):
            rows.append(ExpectedReport(round, report.activity, report.organization, report))
    return rows


def missing_reports(round: FollowUpRound, *, reader=None) -> list[ExpectedReport]:
    return [row for row in expected_reports(round, reader=reader) if not row.is_submitted]


def reporting_organization_ids(user, municipality_id) -> set[int]:
    """The organisations the user writes reports for: every organisation where they are a
    contributor or more."""
    from samverkan.core.choices import ROLE_RANK
    from samverkan.organizations.models import Membership

    if user is None or not user.is_authenticated:
        return set()
    rows = Membership.objects.filter(user=user, active=True,
                                     organization__municipality_id=municipality_id)
    return {m.organization_id for m in rows if ROLE_RANK[m.role] >= ROLE_RANK[Role.CONTRIBUTOR]}


# A planned round shows in "my reports" this long before it is due; an open round always does.
MY_REPORTS_HORIZON = dt.timedelta(days=60)


def my_reports(user, today: dt.date | None = None) -> list[ExpectedReport]:
    """The reports the user's organisations are asked to write: in open rounds, and in started
    rounds due within the horizon (not, say, the final evaluation two years ahead)."""
    today = today or timezone.localdate()
    rows = []
    rounds = (FollowUpRound.objects.visible_to(user)
              .filter(status__in=ACTIVE_ROUND_STATUSES, period_start__lte=today)
              .filter(Q(status=RoundStatus.OPEN) | Q(due_date__lte=today + MY_REPORTS_HORIZON))
              .exclude(kind__in=KINDS_WITHOUT_REPORTS).select_related("agreement")
              .order_by("due_date"))
    for round in rounds:
        orgs = reporting_organization_ids(user, round.municipality_id)
        if orgs:
            rows += expected_reports(round, orgs, reader=user)
    return rows


# ---------------------------------------------------------------------------- reports


def may_write_report(user, activity: Activity, organization: Organization | None) -> bool:
    """Coordinators write any report of their municipality; contributors only their own
    organisation's, and only for activities that organisation is responsible for."""
    if organization is None or organization.municipality_id != activity.municipality_id:
        return False
    if access.has_role(user, activity.municipality_id, Role.COORDINATOR):
        return True
    if not access.has_role(user, activity.municipality_id, Role.CONTRIBUTOR):
        return False
    if organization.pk not in reporting_organization_ids(user, activity.municipality_id):
        return False
    return activity.responsible_organizations.filter(pk=organization.pk).exists()


REPORT_FIELDS = ("status", "what_was_done", "collaborated_with", "effects_seen", "hours", "cost")


@transaction.atomic
def submit_report(*, actor, round: FollowUpRound, activity: Activity,
                  organization: Organization, deviation: Mapping | None = None,
                  measurements: Iterable[Mapping] = (), **fields) -> ActivityReport:
    """Write (or rewrite) `organization`'s report on `activity` in `round`.

    `fields`: status, what_was_done, collaborated_with, effects_seen, hours, cost.
    `deviation` {kind, reason, proposed_action} is required when the status is yellow or
    red; it opens a deviation (or updates the open one raised by this report).
    `measurements`: [{indicator, measured_on, value, note}] for the activity's indicators.
    Raises PermissionDenied when the actor may not write this organisation's report."""
    if not may_write_report(actor, activity, organization):
        raise PermissionDenied
    if activity.agreement_id != round.agreement_id:
        raise ValidationError({"activity": _("The activity belongs to another agreement.")})
    if not round.is_active:
        raise ValidationError(_("The round is closed; no more reports can be written in it."))
    if not round.asks_reports:
        raise ValidationError(_("A monthly deviation check does not ask for activity "
                                "reports."))
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    status = fields.get("status")
    deviation = {k: v for k, v in (deviation or {}).items() if v not in (None, "")}
    if status in STATUSES_NEEDING_DEVIATION and not (deviation.get("kind")
                                                      and deviation.get("reason")):
        raise ValidationError({"deviation": _("A yellow or red status needs a deviation: "
                                              "its kind and reason.")})
    data = {**fields, "submitted_at": timezone.now(),
            "submitted_by": actor if getattr(actor, "pk", None) else None}
    report = ActivityReport.objects.filter(round=round, activity=activity,
                                           organization=organization).first()
    if report is None:
        report = core.create(ActivityReport, actor=actor, data=_inherit_scope(round, {
            "round": round, "activity": activity, "organization": organization, **data}),
            municipality=round.municipality)
    else:
        report = core.update(report, actor=actor, data=data)
    if deviation:
        open_one = report.deviations.filter(resolved_on__isnull=True).first()
        values = {"kind": deviation.get("kind"), "reason": deviation.get("reason", ""),
                  "proposed_action": deviation.get("proposed_action", "")}
        if open_one is None:
            raise_deviation(actor=actor, activity=activity, report=report, **values)
        else:
            update_deviation(open_one, actor=actor, **values)
    for row in measurements:
        _add_report_measurement(actor, activity, row)
    return report


def _add_report_measurement(actor, activity: Activity, row: Mapping) -> None:
    from samverkan.plans import services as plans

    indicator: Indicator = row["indicator"]
    if indicator.activity_id != activity.pk:
        raise ValidationError({"measurements": _("The indicator belongs to another "
                                                 "activity.")})
    if row.get("value") in (None, ""):
        return
    plans.add_measurement(actor=actor, indicator=indicator,
                          measured_on=row.get("measured_on") or timezone.localdate(),
                          value=Decimal(str(row["value"])), note=row.get("note", ""))


def update_report(report: ActivityReport, *, actor, **fields) -> ActivityReport:
    """Change a written report (API PATCH); same rules as `submit_report`."""
    values = {name: fields.get(name, getattr(report, name)) for name in REPORT_FIELDS}
    return submit_report(actor=actor, round=report.round, activity=report.activity,
                         organization=report.organization,
                         deviation=fields.get("deviation"), **values)


def delete_report(report: ActivityReport, *, actor) -> None:
    if not may_write_report(actor, report.activity, report.organization):
        raise PermissionDenied
    core.delete(report, actor=actor)


# ---------------------------------------------------------------------------- deviations


def raise_deviation(*, actor, activity: Activity, kind: str, reason: str,
                    proposed_action: str = "", report: ActivityReport | None = None,
                    opened_on: dt.date | None = None, **fields) -> Deviation:
    return core.create(Deviation, actor=actor, data=_inherit_scope(activity, {
        "activity": activity, "report": report, "kind": kind, "reason": reason,
        "proposed_action": proposed_action, "opened_on": opened_on or timezone.localdate(),
        **fields}), municipality=activity.municipality)


def update_deviation(deviation: Deviation, *, actor, **fields) -> Deviation:
    if "activity" in fields and fields["activity"] != deviation.activity:
        raise ValidationError({"activity": _("A deviation cannot move to another activity.")})
    return core.update(deviation, actor=actor, data=fields)


def resolve_deviation(deviation: Deviation, *, actor, resolution: str,
                      resolved_on: dt.date | None = None) -> Deviation:
    """Close the deviation with what was done about it."""
    if not deviation.is_open:
        raise ValidationError(_("The deviation is already resolved."))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the deviation was resolved.")})
    return core.update(deviation, actor=actor, data={
        "resolution": resolution, "resolved_on": resolved_on or timezone.localdate()})


def reopen_deviation(deviation: Deviation, *, actor) -> Deviation:
    return core.update(deviation, actor=actor, data={"resolved_on": None})


def delete_deviation(deviation: Deviation, *, actor) -> None:
    core.delete(deviation, actor=actor)


def open_deviations(agreement: Agreement, user):
    return (Deviation.objects.visible_to(user)
            .filter(activity__agreement=agreement, resolved_on__isnull=True)
            .select_related("activity__focus_area", "report__organization")
            .order_by("opened_on", "pk"))


# ---------------------------------------------------------------------------- dashboard


def dashboard_data(agreement: Agreement, user, today: dt.date | None = None) -> dict:
    """What the dashboard and the follow-up report show about an agreement."""
    today = today or timezone.localdate()
    from collections import Counter

    activities = list(Activity.objects.visible_to(user).filter(agreement=agreement)
                      .select_related("focus_area"))
    status_labels = dict(ActivityStatus.choices)
    by_status = Counter(a.status for a in activities)
    focus_areas = list(agreement.focus_areas.visible_to(user))
    by_area = []
    for area in focus_areas:
        counts = Counter(a.status for a in activities if a.focus_area_id == area.pk)
        by_area.append({"area": area, "counts": [counts.get(s, 0) for s in status_labels],
                        "total": sum(counts.values())})
    indicators = []
    for indicator in (Indicator.objects.visible_to(user).filter(agreement=agreement)
                      .prefetch_related("measurements")):
        measurements = sorted(indicator.measurements.all(),
                              key=lambda m: (m.measured_on, m.pk))
        computed = computed_indicator(indicator, user)
        if computed is not None:  # values computed from the situation data, per period
            measurements = computed_measurements(computed)
        latest = measurements[-1] if measurements else None
        progress = indicator.progress(latest.value) if latest else None
        indicators.append({"indicator": indicator, "latest": latest, "progress": progress,
                           "computed": computed,
                           "percent": None if progress is None else round(progress * 100),
                           "bar": None if progress is None else max(0, min(100,
                                                                        round(progress * 100))),
                           "measurements": measurements})
    current = current_round(agreement, today,
                                     FollowUpRound.objects.visible_to(user))
    missing = missing_reports(current, reader=user) if current else []
    reported = Counter()
    if current:
        reported = Counter(current.reports.filter(submitted_at__isnull=False)
                           .values_list("status", flat=True))
    return {
        "agreement": agreement, "activities_total": len(activities),
        "status_labels": status_labels,
        "by_status": [(key, label, by_status.get(key, 0)) for key, label in
                      status_labels.items()],
        "by_area": by_area, "indicators": indicators, "current_round": current,
        "missing": missing, "reported_by_status": [
            (key, label, reported.get(key, 0)) for key, label in ReportStatus.choices],
        "open_deviations": list(open_deviations(agreement, user)),
        "today": today,
    }


# ---------------------------------------------------------------------------- reminders

REMIND_DAYS_BEFORE = 7


@dataclass
class ReminderRun:
    """What `send_reminders` did (or would do, in a dry run)."""

    emails: list = None  # [(recipient, subject, body)]
    reminders: int = 0

    def __post_init__(self):
        self.emails = self.emails or []


def _users_with_role(organization_ids, roles):
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(
        memberships__organization_id__in=organization_ids, memberships__active=True,
        memberships__role__in=roles, is_active=True).exclude(email="").distinct()
        .order_by("pk"))


def _site_url(path: str) -> str:
    from django.conf import settings

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}"


def send_reminders(*, today: dt.date | None = None, dry_run: bool = False,
                   actor=None) -> ReminderRun:
    """Queue an e-mail to each contributor whose organisation has reports due within 7 days or
    overdue, and to the coordinators of the municipality one summary per round: one background
    job per recipient (samverkan.jobs.email), queued when this transaction commits. Every
    reminder is recorded (round, activity, organisation, kind, recipient) once the mail server
    has accepted the e-mail, and never sent twice: reminders already recorded or waiting in
    the queue are left out."""
    from samverkan.jobs.email import queue_email
    from samverkan.jobs.models import Job
    from samverkan.organizations.models import Organization as Org

    from .choices import ReminderKind
    from .models import Reminder

    today = today or timezone.localdate()
    run = ReminderRun()
    sent_keys = set(Reminder.objects.values_list("key", flat=True))
    for params in Job.objects.filter(kind="email.send", status__in=["queued", "running"],
                                     params__after="followup.record_reminders"
                                     ).values_list("params", flat=True):
        sent_keys.update(item[-1] for item in params["args"]["items"])
    rounds = (FollowUpRound.objects.filter(status__in=ACTIVE_ROUND_STATUSES,
                                           period_start__lte=today,
                                           due_date__lte=today
                                           + dt.timedelta(days=REMIND_DAYS_BEFORE))
              .exclude(kind__in=KINDS_WITHOUT_REPORTS)
              .select_related("agreement", "municipality").order_by("due_date", "pk"))
    per_user: dict[int, dict] = {}
    summaries = []
    readable: dict = {}
    for round in rounds:
        kind = ReminderKind.OVERDUE if round.due_date < today else ReminderKind.DUE_SOON
        missing = [row for row in missing_reports(round) if row.organization is not None]
        if not missing:
            continue
        contributors = {}
        for row in missing:
            org_id = row.organization.pk
            if org_id not in contributors:
                contributors[org_id] = list(_users_with_role([org_id], [Role.CONTRIBUTOR]))
            for user in contributors[org_id]:
                key = Reminder.make_key(round.pk, row.activity.pk, org_id, kind, user.pk)
                if key in sent_keys or not _may_read_report_row(user, row, readable):
                    continue
                entry = per_user.setdefault(user.pk, {"user": user, "items": []})
                entry["items"].append([round.pk, row.activity.pk, org_id, kind, key])
        org_ids = Org.objects.filter(municipality=round.municipality).values_list("pk",
                                                                                   flat=True)
        for user in _users_with_role(list(org_ids), [Role.COORDINATOR, Role.ADMINISTRATOR]):
            if not FollowUpRound.objects.visible_to(user).filter(pk=round.pk).exists():
                continue
            key = Reminder.make_key(round.pk, None, None, ReminderKind.COORDINATOR_SUMMARY,
                                    user.pk)
            if key not in sent_keys:
                summaries.append((user, round, key))

    for entry in per_user.values():
        user, items = entry["user"], entry["items"]
        args = {"user": user.pk, "today": today.isoformat(), "items": items}
        run.emails.append((user, *_reminder_text(**args)))
        if not dry_run:
            first_round = FollowUpRound.objects.get(pk=items[0][0])
            queue_email(key="reminder:" + ",".join(sorted(item[-1] for item in items)),
                        recipient=user.email, builder="followup.reminder", args=args,
                        after="followup.record_reminders", actor=actor,
                        municipality=first_round.municipality,
                        label=_("Reminder to %(name)s") % {"name": user.email})
            run.reminders += len(items)
    for user, round, key in summaries:
        args = {"user": user.pk, "today": today.isoformat(),
                "items": [[round.pk, None, None, ReminderKind.COORDINATOR_SUMMARY, key]]}
        run.emails.append((user, *_summary_text(**args)))
        if not dry_run:
            queue_email(key=f"reminder:{key}", recipient=user.email,
                        builder="followup.coordinator_summary", args=args,
                        after="followup.record_reminders", actor=actor,
                        municipality=round.municipality,
                        label=_("Follow-up summary to %(name)s") % {"name": user.email})
            run.reminders += 1
    return run


def _may_read_report_row(user, row, cache: dict) -> bool:
    """Whether a reminder about `row` may go to `user`: the round and the activity are
    visible to them (an e-mail is built for its reader, like a page)."""
    key = (user.pk, row.round.pk)
    if key not in cache:
        round_visible = FollowUpRound.objects.visible_to(user).filter(pk=row.round.pk).exists()
        cache[key] = set(Activity.objects.visible_to(user).filter(
            agreement_id=row.round.agreement_id).values_list("pk", flat=True)) \
            if round_visible else set()
    return row.activity.pk in cache[key]


def _reminder_text(*, user: int, today: str, items: list) -> tuple[str, str]:
    """Subject and body of a contributor's reminder (in the installation's language)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from samverkan.organizations.models import Organization as Org
    from samverkan.plans.models import Activity

    from .choices import ReminderKind

    person = get_user_model().objects.get(pk=user)
    # Built for its reader: rounds and activities they may not read are left out.
    rounds = FollowUpRound.objects.visible_to(person).in_bulk([i[0] for i in items])
    activities = Activity.objects.visible_to(person).in_bulk([i[1] for i in items])
    orgs = Org.objects.visible_to(person).in_bulk([i[2] for i in items])
    with translation.override(settings.LANGUAGE_CODE):
        rows = []
        for round_id, activity_id, org_id, kind, _key in items:
            if round_id not in rounds or activity_id not in activities:
                continue
            row = ExpectedReport(round=rounds[round_id], activity=activities[activity_id],
                                 organization=orgs.get(org_id), report=None)
            rows.append({"row": row, "overdue": kind == ReminderKind.OVERDUE,
                         "url": _site_url(reverse("followup:report_edit", args=[
                             round_id, activity_id, org_id]))})
        subject = _("Follow-up reports to write") + f" ({len(rows)})"
        body = render_to_string("followup/email/reminder.txt", {
            "user": person, "today": dt.date.fromisoformat(today), "items": rows})
    return subject, body


def _summary_text(*, user: int, today: str, items: list) -> tuple[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.utils import translation

    person = get_user_model().objects.get(pk=user)
    round = FollowUpRound.objects.visible_to(person).select_related("municipality").get(
        pk=items[0][0])
    missing = [row for row in missing_reports(round, reader=person)
               if row.organization is not None]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Follow-up %(round)s: %(count)s reports missing") % {
            "round": round.label, "count": len(missing)}
        body = render_to_string("followup/email/coordinator_summary.txt", {
            "user": person, "round": round, "missing": missing,
            "today": dt.date.fromisoformat(today),
            "url": _site_url(round.get_absolute_url())})
    return subject, body


def record_sent_reminders(*, user: int, items: list) -> int:
    """Record the reminders of an e-mail the mail server has accepted (one per item)."""
    from django.contrib.auth import get_user_model

    from .models import Reminder

    person = get_user_model().objects.get(pk=user)
    rounds = FollowUpRound.objects.select_related("municipality").in_bulk(
        [i[0] for i in items])
    done = set(Reminder.objects.filter(key__in=[i[-1] for i in items])
               .values_list("key", flat=True))
    count = 0
    for round_id, activity_id, org_id, kind, key in items:
        if key in done:
            continue
        _record_reminder(None, rounds[round_id], _get_or_none("plans.Activity", activity_id),
                         _get_or_none("organizations.Organization", org_id), kind, person, key)
        count += 1
    return count


def _get_or_none(model: str, pk):
    from django.apps import apps

    return None if pk is None else apps.get_model(model).objects.get(pk=pk)


def _record_reminder(actor, round, activity, organization, kind, user, key):
    from .models import Reminder

    return core.create(Reminder, actor=actor, data=_inherit_scope(round, {
        "round": round, "activity": activity, "organization": organization, "kind": kind,
        "recipient": user, "key": key}), municipality=round.municipality)
