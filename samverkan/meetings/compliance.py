"""Are we doing what the law and Brå ask?

The duties of Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete (a situation
picture, an action plan decided from it, its follow-up, the coordination function) and the
"done when" checkpoints that end each of the five steps of Brå's model (initiate, own
preparations, joint preparations, implementation, follow-up). Every checkpoint is judged by a
rule that reads the records, with links to the records it rests on.

Access: the rules read only what the reader may read (`Context.visible`), so a verdict never
rests on, or reveals, a record the reader cannot open. The history is judged on what everyone
in the collaboration may read (`user=None`), so it can be shown to every reader of the
agreement.

Checkpoints whose records live in apps above this one (citizen dialogues and pledges) have no
rule here; those apps supply one through `samverkan.core.checkpoints`. Until one is registered
such a checkpoint is "not measurable yet" and may be ticked by hand, with note and name.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.core import checkpoints, law
from samverkan.core.checkpoints import Context, Evidence, Finding

from .choices import (
    ComplianceKey,
    ComplianceSection,
    ComplianceStatus,
    DecisionEffect,
    MeetingKind,
    MeetingStatus,
)

MAX_EVIDENCE = 12


def _leading_kinds():
    from samverkan.agreements.choices import ForumKind

    return (ForumKind.STRATEGIC_COUNCIL, ForumKind.LOCAL_BRA, ForumKind.STEERING_GROUP,
            ForumKind.POLITICAL_STEERING_GROUP, ForumKind.MANAGEMENT_GROUP)


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1)
            - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def _ev(obj, label=None, date=None) -> Evidence:
    return Evidence(label=str(label if label is not None else obj),
                    url=obj.get_absolute_url(), date=date,
                    is_example=bool(getattr(obj, "is_example", False)))


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _names(items, limit=4) -> str:
    items = [str(i) for i in items]
    text = ", ".join(items[:limit])
    if len(items) > limit:
        text += " " + _("and %(n)d more") % {"n": len(items) - limit}
    return text


# -- the records the rules share ---------------------------------------------------------------

def _forums(ctx):
    from samverkan.agreements.models import Forum

    return ctx.visible(Forum.objects.filter(agreement=ctx.agreement))


def _held_meetings(ctx, *, kinds=None, since=None):
    from .models import Meeting

    forums = _forums(ctx)
    if kinds is not None:
        forums = forums.filter(kind__in=kinds)
    qs = ctx.visible(Meeting.objects.filter(forum__in=forums, status=MeetingStatus.HELD,
                                            date__lte=ctx.today))
    if since is not None:
        qs = qs.filter(date__gte=since)
    return qs.select_related("forum")


def _parties(ctx, role):
    from samverkan.agreements.models import Party

    return [p.organization for p in ctx.visible(Party.objects.filter(
        agreement=ctx.agreement, role=role)).select_related("organization",
                                                            "organization__parent")]


def _is_within(org, party_org) -> bool:
    """`org` is the party's organisation or one of its parents or parts."""
    if org is None:
        return False
    seen = set()
    node = org
    while node is not None and node.pk not in seen:
        if node.pk == party_org.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    node = party_org.parent
    while node is not None and node.pk not in seen:
        if node.pk == org.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def _roles_covered(ctx, organizations) -> list[str]:
    """The main parties (municipality, police) that none of `organizations` belongs to."""
    from samverkan.agreements.choices import PartyRole

    missing = []
    for role in (PartyRole.MUNICIPALITY, PartyRole.POLICE):
        parties = _parties(ctx, role)
        if not parties or not any(_is_within(o, p) for o in organizations for p in parties):
            missing.append(str(PartyRole(role).label).lower())
    return missing


def _latest_picture(ctx):
    from samverkan.situation.models import YearlyPicture

    return ctx.visible(YearlyPicture.objects.filter(
        municipality=ctx.agreement.municipality, year__gte=ctx.period_start.year,
        year__lte=ctx.today.year)).order_by("-year").first()


def _activities(ctx):
    from samverkan.plans.models import Activity

    return ctx.visible(Activity.objects.filter(agreement=ctx.agreement))


def _indicators(ctx):
    from samverkan.plans.models import Indicator

    return ctx.visible(Indicator.objects.filter(
        Q(activity__isnull=True) | Q(activity__in=_activities(ctx)), agreement=ctx.agreement))


def _latest_closed_round(ctx):
    from samverkan.followup.choices import RoundKind, RoundStatus
    from samverkan.followup.models import FollowUpRound

    return (ctx.visible(FollowUpRound.objects.filter(agreement=ctx.agreement,
                                                     status=RoundStatus.CLOSED))
            .exclude(kind=RoundKind.MONTHLY).order_by("-due_date").first())


def _interval(ctx) -> str:
    a = ctx.agreement
    text = ngettext("%(n)d month", "%(n)d months", a.situation_picture_interval_months) % {
        "n": a.situation_picture_interval_months}
    source = a.situation_picture_interval_source or _("not stated")
    return _("Interval between situation pictures: %(interval)s (source: %(source)s).") % {
        "interval": text, "source": source}


# -- the law ---------------------------------------------------------------------------------

def law_situation_picture(ctx) -> Finding:
    picture = _latest_picture(ctx)
    if picture is None:
        return Finding(False, _("No yearly situation picture since %(date)s.") % {
            "date": _d(ctx.period_start)} + " " + _interval(ctx),
            [Evidence(_("Yearly situation picture"), reverse("situation:yearly"))])
    missing = [label for label, text in (
        (_("1. consequences and who is affected"), picture.who_is_affected),
        (_("2. other information of importance"), picture.other_information),
        (_("3. analysis"), picture.analysis)) if not text.strip()]
    date = timezone.localtime(picture.updated_at).date()
    if missing:
        summary = _("The situation picture %(year)s lacks: %(parts)s.") % {
            "year": picture.year, "parts": "; ".join(missing)}
    else:
        summary = _("The situation picture %(year)s has all three parts, last changed "
                    "%(date)s.") % {"year": picture.year, "date": _d(date)}
    return Finding(not missing, summary + " " + _interval(ctx),
                   [_ev(picture, _("Yearly situation picture %(year)s") % {
                       "year": picture.year}, date)], date=date)


def law_action_plan(ctx) -> Finding:
    from samverkan.agreements.choices import AgreementStatus
    from samverkan.situation.models import YearlyPicture

    a = ctx.agreement
    activities = _activities(ctx).count()
    decided = a.status in (AgreementStatus.DECIDED, AgreementStatus.ACTIVE,
                           AgreementStatus.EVALUATED)
    picture = ctx.visible(YearlyPicture.objects.filter(
        municipality=a.municipality, year__lte=ctx.today.year)).order_by("-year").first()
    parts = [ngettext("%(n)d activity in the plan", "%(n)d activities in the plan",
                      activities) % {"n": activities},
             _("agreement status: %(status)s") % {"status": a.get_status_display()}]
    if a.council_decision_date:
        parts.append(_("decided by the council %(date)s") % {
            "date": _d(a.council_decision_date)})
    parts.append(_("situation picture it rests on: %(year)s") % {"year": picture.year}
                 if picture else _("no yearly situation picture to rest on"))
    evidence = [Evidence(_("Action plan"), reverse("plans:activity_list")
                         + f"?agreement={a.pk}", a.council_decision_date)]
    if picture:
        evidence.append(_ev(picture, _("Yearly situation picture %(year)s") % {
            "year": picture.year}))
    return Finding(bool(activities) and decided and picture is not None,
                   "; ".join(parts) + ".", evidence, date=a.council_decision_date)


def law_followup(ctx) -> Finding:
    latest = _latest_closed_round(ctx)
    if latest is None:
        return Finding(False, _("No follow-up round has been closed yet."),
                       [Evidence(_("Year wheel"), reverse("followup:yearwheel")
                                 + f"?agreement={ctx.agreement.pk}")])
    date = timezone.localtime(latest.closed_at).date() if latest.closed_at else latest.due_date
    return Finding(True, _("Latest closed round: %(round)s (due %(date)s).") % {
        "round": latest.label, "date": _d(latest.due_date)}, [_ev(latest, latest.label, date)],
        date=date)


def law_coordination(ctx) -> Finding:
    from samverkan.core.choices import Role
    from samverkan.organizations.models import Membership

    rows = list(Membership.objects.filter(
        organization__municipality=ctx.agreement.municipality, role=Role.COORDINATOR,
        active=True).order_by("created_at").values_list("title", "organization__name",
                                                        "created_at"))
    titles = [(t, o) for t, o, _created in rows]
    since = timezone.localtime(rows[0][2]).date() if rows else None
    if titles:
        named = "; ".join(f"{t}, {o}" if t else o for t, o in titles[:4])
        summary = ngettext("%(n)d coordinator: %(named)s", "%(n)d coordinators: %(named)s",
                           len(titles)) % {"n": len(titles), "named": named}
    else:
        summary = _("No one has the coordinator role in the municipality's organisations.")
    return Finding(bool(titles), summary,
                   [Evidence(_("Organisations and roles"),
                             reverse("organizations:organization_list"), since)], date=since)


# -- 1. initiate -------------------------------------------------------------------------------

def joint_decision(ctx) -> Finding:
    a = ctx.agreement
    missing = [label for label, day in (
        (_("the executive board's decision"), a.executive_board_decision_date),
        (_("the police leadership's decision"), a.police_decision_date)) if not day]
    if missing:
        summary = _("Not recorded on the agreement: %(what)s.") % {"what": "; ".join(missing)}
    else:
        summary = _("Executive board %(ks)s, police leadership %(police)s.") % {
            "ks": _d(a.executive_board_decision_date), "police": _d(a.police_decision_date)}
    dates = [d for d in (a.executive_board_decision_date, a.police_decision_date) if d]
    return Finding(not missing, summary, [_ev(a, _("Agreement: decisions"))],
                   date=max(dates) if dates and not missing else None)


def forum_mandates(ctx) -> Finding:
    forums = list(_forums(ctx))
    if not forums:
        return Finding(False, _("The agreement names no forums."),
                       [_ev(ctx.agreement, _("Agreement"))])
    lacking = [f for f in forums if not f.mandate.strip()]
    summary = (_("Without a written mandate: %(forums)s.") % {"forums": _names(lacking)}
               if lacking else ngettext("The %(n)d forum has its mandate written down.",
                                        "All %(n)d forums have their mandate written down.",
                                        len(forums)) % {"n": len(forums)})
    return Finding(not lacking, summary, [_ev(f) for f in (lacking or forums)])


def forum_owners(ctx) -> Finding:
    from samverkan.agreements.choices import ForumMemberRole
    from samverkan.agreements.models import ForumMember

    forums = list(_forums(ctx))
    if not forums:
        return Finding(False, _("The agreement names no forums."),
                       [_ev(ctx.agreement, _("Agreement"))])
    owners = {}
    for member in ctx.visible(ForumMember.objects.filter(
            forum__in=forums, role__in=(ForumMemberRole.CHAIR, ForumMemberRole.CONVENER))
            .exclude(name="", function="")).order_by("role", "pk"):
        owners.setdefault(member.forum_id, member)
    lacking = [f for f in forums if f.pk not in owners]
    if lacking:
        summary = _("No chair or convener named for: %(forums)s.") % {"forums": _names(lacking)}
    else:
        summary = "; ".join(f"{f}: {owners[f.pk].name or owners[f.pk].function}"
                            for f in forums[:6])
    return Finding(not lacking, summary, [_ev(f) for f in (lacking or forums)])


def communications(ctx) -> Finding:
    a = ctx.agreement
    missing = [label for label, text in (
        (_("a communications lead"), a.communications_lead),
        (_("a communication plan (the agreement's communication strategy)"),
         a.communication_strategy)) if not text.strip()]
    summary = (_("Not recorded on the agreement: %(what)s.") % {"what": "; ".join(missing)}
               if missing else _("Communications lead: %(lead)s; communication plan written.")
               % {"lead": a.communications_lead})
    return Finding(not missing, summary, [_ev(a, _("Agreement: communication"))])


# -- 2. own preparations -----------------------------------------------------------------------

def own_preparations(ctx) -> Finding:
    from samverkan.agreements.models import DataSource

    sources = list(ctx.visible(DataSource.objects.filter(
        agreement=ctx.agreement, organization__isnull=False)).select_related(
        "organization", "organization__parent"))
    missing = _roles_covered(ctx, [s.organization for s in sources])
    if missing:
        summary = _("No source list of its own recorded for: %(parties)s.") % {
            "parties": ", ".join(missing)}
    else:
        summary = ngettext("%(n)d source brought by the parties.",
                           "%(n)d sources brought by the parties.", len(sources)) % {
            "n": len(sources)}
    evidence = [Evidence(f"{s.name} ({s.organization})", ctx.agreement.get_absolute_url()
                         + "#data-sources", is_example=s.is_example) for s in sources]
    return Finding(not missing, summary,
                   evidence or [_ev(ctx.agreement, _("Agreement: data sources"))])


def staff_dialogues(ctx) -> Finding:
    from .models import Meeting

    forums = _forums(ctx)
    meetings = list(ctx.visible(Meeting.objects.filter(
        forum__in=forums, kind=MeetingKind.STAFF_DIALOGUE, status=MeetingStatus.HELD,
        date__gte=ctx.period_start, date__lte=ctx.today)).order_by("-date"))
    if not meetings:
        return Finding(False, _("No staff dialogue held since %(date)s.") % {
            "date": _d(ctx.period_start)},
            [Evidence(_("Meetings"), reverse("meetings:meeting_list"))])
    return Finding(True, ngettext("%(n)d staff dialogue held, the latest %(date)s.",
                                  "%(n)d staff dialogues held, the latest %(date)s.",
                                  len(meetings)) % {"n": len(meetings),
                                                    "date": _d(meetings[0].date)},
                   [_ev(m, date=m.date) for m in meetings], date=meetings[0].date)


def leadership_informed(ctx) -> Finding:
    from .models import Attendance, Decision

    meetings = _held_meetings(ctx, kinds=_leading_kinds(), since=ctx.period_start)
    decisions = list(ctx.visible(Decision.objects.filter(meeting__in=meetings))
                     .select_related("meeting", "meeting__forum").order_by("-meeting__date"))
    if not decisions:
        return Finding(False, _("No decision recorded at a held meeting of a leading forum "
                                "since %(date)s.") % {"date": _d(ctx.period_start)},
                       [Evidence(_("Meetings"), reverse("meetings:meeting_list"))])
    present = ctx.visible(Attendance.objects.filter(
        meeting__in={d.meeting_id for d in decisions}, present=True,
        organization__isnull=False)).select_related("organization", "organization__parent")
    missing = _roles_covered(ctx, [a.organization for a in present])
    if missing:
        summary = _("Decisions recorded, but no one present from: %(parties)s.") % {
            "parties": ", ".join(missing)}
    else:
        summary = _("Decision at %(meeting)s with both parties present.") % {
            "meeting": decisions[0].meeting}
    return Finding(not missing, summary,
                   [_ev(d.meeting, f"{d.meeting}: {d.text[:80]}", d.meeting.date)
                    for d in decisions], date=decisions[0].meeting.date)


# -- 3. joint preparations ---------------------------------------------------------------------

def joint_situation_picture(ctx) -> Finding:
    from samverkan.agreements.models import DataSource

    picture = _latest_picture(ctx)
    sources = list(ctx.visible(DataSource.objects.filter(agreement=ctx.agreement)))
    used = [s for s in sources if s.used]
    left_out = [s for s in sources if not s.used]
    parts = []
    if picture is None:
        parts.append(_("No yearly situation picture since %(date)s.") % {
            "date": _d(ctx.period_start)})
    elif not picture.analysis.strip():
        parts.append(_("The situation picture %(year)s has no analysis yet.") % {
            "year": picture.year})
    else:
        parts.append(_("Yearly situation picture %(year)s.") % {"year": picture.year})
    parts.append(_("Sources used: %(used)d; left out: %(left)d.") % {
        "used": len(used), "left": len(left_out)})
    if not used:
        parts.append(_("The agreement lists no source used."))
    evidence = [Evidence(_("Yearly situation picture"), reverse("situation:yearly"))]
    if picture is not None:
        evidence = [_ev(picture, _("Yearly situation picture %(year)s") % {
            "year": picture.year})]
    evidence += [Evidence((s.name if s.used else _("Left out: %(name)s") % {"name": s.name}),
                          ctx.agreement.get_absolute_url() + "#data-sources",
                          is_example=s.is_example) for s in sources]
    met = picture is not None and bool(picture.analysis.strip()) and bool(used)
    return Finding(met, " ".join(parts), evidence,
                   date=timezone.localtime(picture.updated_at).date() if picture else None)


def _focus_areas(ctx):
    from samverkan.agreements.models import FocusArea

    return list(ctx.visible(FocusArea.objects.filter(agreement=ctx.agreement)))


def priorities_reasoned(ctx) -> Finding:
    from samverkan.agreements.choices import PriorityCriterion

    areas = _focus_areas(ctx)
    if not areas:
        return Finding(False, _("The agreement has no prioritised problems (focus areas)."),
                       [_ev(ctx.agreement, _("Agreement"))])
    lacking = [a for a in areas if not a.priority_criteria]
    labels = dict(PriorityCriterion.choices)
    evidence = [_ev(a, f"{a}: " + (", ".join(str(labels.get(c, c)) for c in a.priority_criteria)
                                   or _("no reason given"))) for a in areas]
    summary = (_("No reason for the priority given for: %(areas)s.") % {
        "areas": _names(lacking)} if lacking else ngettext(
        "The %(n)d prioritised problem has its reasons.",
        "All %(n)d prioritised problems have their reasons.", len(areas)) % {"n": len(areas)})
    return Finding(not lacking, summary, evidence)


def cause_analysis(ctx) -> Finding:
    areas = _focus_areas(ctx)
    if not areas:
        return Finding(False, _("The agreement has no prioritised problems (focus areas)."),
                       [_ev(ctx.agreement, _("Agreement"))])
    with_causes = set(_activities(ctx).exclude(cause="").values_list("focus_area_id",
                                                                      flat=True))
    lacking = [a for a in areas if not a.cause_analysis.strip() and a.pk not in with_causes]
    summary = (_("No cause analysis for: %(areas)s.") % {"areas": _names(lacking)}
               if lacking else ngettext(
                   "The %(n)d prioritised problem has a cause analysis.",
                   "All %(n)d prioritised problems have a cause analysis.", len(areas))
               % {"n": len(areas)})
    return Finding(not lacking, summary, [_ev(a) for a in (lacking or areas)])


def agreement_signed(ctx) -> Finding:
    from samverkan.agreements.models import Signatory

    signatories = list(ctx.visible(Signatory.objects.filter(agreement=ctx.agreement))
                       .select_related("organization", "organization__parent"))
    missing = _roles_covered(ctx, [s.organization for s in signatories])
    if not missing:
        summary = _("Signed by %(names)s.") % {"names": "; ".join(str(s) for s in signatories)}
    else:
        summary = _("No signatory recorded for: %(parties)s.") % {"parties": ", ".join(missing)}
        if ctx.agreement.signed_date:
            summary += " " + _("The agreement says it was signed on %(date)s.") % {
                "date": _d(ctx.agreement.signed_date)}
    dates = [s.signed_on for s in signatories if s.signed_on]
    return Finding(not missing, summary, [_ev(ctx.agreement, _("Agreement and signatories"))],
                   date=max(dates) if dates and not missing else None)


# -- 4. implementation -------------------------------------------------------------------------

def goals_measurable(ctx) -> Finding:
    from samverkan.plans.choices import GoalKind

    indicators = list(_indicators(ctx))
    if not indicators:
        return Finding(False, _("The plan has no goals with indicators."),
                       [Evidence(_("Action plan"), reverse("plans:activity_list")
                                 + f"?agreement={ctx.agreement.pk}")])
    no_kind = [i for i in indicators if not i.goal_kind]
    effect = [i for i in indicators if i.goal_kind == GoalKind.EFFECT]
    unmeasurable = [i for i in effect if i.baseline_value is None or i.target_value is None]
    counts = {k: sum(1 for i in indicators if i.goal_kind == k) for k in GoalKind.values}
    parts = [_("Effect %(effect)d, process %(process)d, production %(production)d.") % counts]
    if no_kind:
        parts.append(_("Kind of goal not set: %(names)s.") % {"names": _names(no_kind)})
    if not effect:
        parts.append(_("No effect goal."))
    if unmeasurable:
        parts.append(_("Effect goals without baseline or target: %(names)s.") % {
            "names": _names(unmeasurable)})
    return Finding(not no_kind and bool(effect) and not unmeasurable, " ".join(parts),
                   [_ev(i) for i in (no_kind + unmeasurable or indicators)])


PLAN_WORDS = re.compile(r"(åtgärds|handlings|aktivitets|åtagande)plan|action plan",
                        re.IGNORECASE)


def plan_adopted_by_steering(ctx) -> Finding:
    from .models import Decision

    since = ctx.agreement.start_date - datetime.timedelta(days=365)
    meetings = _held_meetings(ctx, kinds=_leading_kinds(), since=since)
    decisions = [d for d in ctx.visible(Decision.objects.filter(meeting__in=meetings))
                 .select_related("meeting", "meeting__forum").order_by("-meeting__date")
                 if d.effect != DecisionEffect.NONE or d.activity_id
                 or PLAN_WORDS.search(d.text)]
    if not decisions:
        return Finding(False, _("No decision on the action plan recorded at a meeting of the "
                                "strategic council or a steering group."),
                       [Evidence(_("Meetings"), reverse("meetings:meeting_list"))])
    latest = decisions[0]
    return Finding(True, _("Latest decision on the plan: %(meeting)s.") % {
        "meeting": latest.meeting}, [_ev(d.meeting, f"{d.meeting}: {d.text[:80]}",
                                         d.meeting.date) for d in decisions],
        date=latest.meeting.date)


def followup_planned(ctx) -> Finding:
    from samverkan.followup.choices import RoundStatus
    from samverkan.followup.models import FollowUpRound

    rounds = list(ctx.visible(FollowUpRound.objects.filter(
        agreement=ctx.agreement, due_date__year=ctx.today.year))
        .exclude(status=RoundStatus.CANCELLED).order_by("due_date"))
    wheel = Evidence(_("Year wheel"), reverse("followup:yearwheel")
                     + f"?agreement={ctx.agreement.pk}")
    if not rounds:
        return Finding(False, _("No follow-up round on the year wheel for %(year)d.") % {
            "year": ctx.today.year}, [wheel])
    return Finding(True, ngettext("%(n)d follow-up round on the year wheel for %(year)d.",
                                  "%(n)d follow-up rounds on the year wheel for %(year)d.",
                                  len(rounds)) % {"n": len(rounds), "year": ctx.today.year},
                   [wheel] + [_ev(r, r.label, r.due_date) for r in rounds])


def measures_documented(ctx) -> Finding:
    from samverkan.followup.models import ActivityReport, FollowUpRound

    rounds = ctx.visible(FollowUpRound.objects.filter(agreement=ctx.agreement,
                                                      period_end__gte=ctx.period_start))
    reports = list(ctx.visible(ActivityReport.objects.filter(
        round__in=rounds, activity__in=_activities(ctx), submitted_at__isnull=False))
        .exclude(what_was_done="").select_related("activity", "round")
        .order_by("-submitted_at"))
    if not reports:
        return Finding(False, _("No submitted activity report on what was done since "
                                "%(date)s.") % {"date": _d(ctx.period_start)},
                       [Evidence(_("Follow-up"), reverse("followup:round_list"))])
    activities = {r.activity_id for r in reports}
    date = timezone.localtime(reports[0].submitted_at).date()
    return Finding(True, ngettext(
        "%(reports)d activity report on what was done (%(n)d activity) since %(date)s.",
        "%(reports)d activity reports on what was done (%(n)d activities) since %(date)s.",
        len(activities)) % {"reports": len(reports), "n": len(activities),
                            "date": _d(ctx.period_start)},
        [_ev(r, f"{r.activity.title[:70]} ({r.round.label})") for r in reports], date=date)


def _council_meetings(ctx):
    from samverkan.agreements.choices import ForumKind

    return _held_meetings(ctx, kinds=[ForumKind.STRATEGIC_COUNCIL], since=ctx.period_start)


def strategic_council_met(ctx) -> Finding:
    from samverkan.agreements.choices import ForumKind

    councils = list(_forums(ctx).filter(kind=ForumKind.STRATEGIC_COUNCIL))
    meetings = list(_council_meetings(ctx).order_by("-date"))
    if not councils:
        return Finding(False, _("The agreement names no strategic council among its forums."),
                       [_ev(ctx.agreement, _("Agreement"))])
    if not meetings:
        return Finding(False, _("%(council)s has no held meeting since %(date)s.") % {
            "council": councils[0], "date": _d(ctx.period_start)}, [_ev(councils[0])])
    return Finding(True, ngettext("%(n)d held meeting since %(since)s, the latest %(date)s.",
                                  "%(n)d held meetings since %(since)s, the latest %(date)s.",
                                  len(meetings)) % {"n": len(meetings),
                                                    "since": _d(ctx.period_start),
                                                    "date": _d(meetings[0].date)},
                   [_ev(m, date=m.date) for m in meetings], date=meetings[0].date)


def minutes_kept(ctx) -> Finding:
    from .models import AgendaItem

    rows = list(_council_meetings(ctx).order_by("date"))
    if not rows:
        return Finding(False, _("No held council meeting since %(date)s.") % {
            "date": _d(ctx.period_start)},
            [Evidence(_("Meetings"), reverse("meetings:meeting_list"))])
    items = ctx.visible(AgendaItem.objects.filter(meeting__in=rows)).values("meeting_id")
    counts = {r["meeting_id"]: r for r in items.annotate(
        n=Count("id"), minuted=Count("id", filter=~Q(minutes="")))}
    lacking = [m for m in rows if not counts.get(m.pk, {}).get("minuted")]
    summary = (_("Without agenda or minutes: %(meetings)s.") % {"meetings": _names(lacking)}
               if lacking else ngettext("The %(n)d held meeting has agenda and minutes.",
                                        "All %(n)d held meetings have agenda and minutes.",
                                        len(rows)) % {"n": len(rows)})
    return Finding(not lacking, summary, [_ev(m, date=m.date) for m in (lacking or rows)])


# -- 5. follow-up ------------------------------------------------------------------------------

def effect_examined(ctx) -> Finding:
    from samverkan.evaluation.models import IndicatorValue
    from samverkan.plans.choices import GoalKind
    from samverkan.plans.models import Measurement

    effect = list(_indicators(ctx).filter(goal_kind=GoalKind.EFFECT))
    if not effect:
        return Finding(False, _("The plan has no effect goals to examine."),
                       [Evidence(_("Action plan"), reverse("plans:activity_list")
                                 + f"?agreement={ctx.agreement.pk}")])
    measured = set(ctx.visible(Measurement.objects.filter(indicator__in=effect))
                   .values_list("indicator_id", flat=True))
    computed = set(IndicatorValue.objects.filter(
        definition__in=ctx.visible(_definitions(effect))).values_list(
        "definition__indicator_id", flat=True))
    lacking = [i for i in effect if i.pk not in measured | computed]
    summary = (_("Effect goals with no measurement: %(names)s.") % {"names": _names(lacking)}
               if lacking else ngettext(
                   "The %(n)d effect goal has measurements (%(computed)d computed).",
                   "All %(n)d effect goals have measurements (%(computed)d computed).",
                   len(effect)) % {"n": len(effect), "computed": len(computed)})
    return Finding(not lacking, summary, [_ev(i) for i in (lacking or effect)])


def _definitions(indicators):
    from samverkan.evaluation.models import IndicatorDefinition

    return IndicatorDefinition.objects.filter(indicator__in=indicators)


def commitments_assessed(ctx) -> Finding:
    from samverkan.followup.models import ActivityReport
    from samverkan.plans.choices import ActivityStatus

    latest = _latest_closed_round(ctx)
    if latest is None:
        return Finding(False, _("No follow-up round has been closed yet."),
                       [Evidence(_("Follow-up"), reverse("followup:round_list"))])
    activities = list(_activities(ctx).filter(status__in=(
        ActivityStatus.PLANNED, ActivityStatus.ONGOING, ActivityStatus.DONE)))
    reported = set(ctx.visible(ActivityReport.objects.filter(
        round=latest, submitted_at__isnull=False)).values_list("activity_id", flat=True))
    lacking = [a for a in activities if a.pk not in reported]
    summary = (_("In %(round)s, no report for: %(names)s.") % {
        "round": latest.label, "names": _names(lacking)} if lacking else ngettext(
        "In %(round)s the %(n)d activity is reported.",
        "In %(round)s all %(n)d activities are reported.", len(activities)) % {
        "round": latest.label, "n": len(activities)})
    return Finding(bool(activities) and not lacking, summary,
                   [_ev(latest, latest.label, latest.due_date)] + [_ev(a) for a in lacking])


def process_reviewed(ctx) -> Finding:
    from samverkan.followup.models import ActivityReport

    latest = _latest_closed_round(ctx)
    if latest is None:
        return Finding(False, _("No follow-up round has been closed yet."),
                       [Evidence(_("Follow-up"), reverse("followup:round_list"))])
    reports = ctx.visible(ActivityReport.objects.filter(round=latest,
                                                        submitted_at__isnull=False))
    totals = reports.aggregate(total_hours=Sum("hours"), total_cost=Sum("cost"),
                               n=Count("id", filter=Q(hours__isnull=False)
                                       | Q(cost__isnull=False)))
    if not totals["n"]:
        return Finding(False, _("No hours or costs entered in %(round)s.") % {
            "round": latest.label}, [_ev(latest, latest.label)])
    return Finding(True, _("%(round)s: %(hours)s hours and %(cost)s SEK entered in %(n)d "
                           "reports.") % {"round": latest.label,
                                          "hours": totals["total_hours"] or 0,
                                          "cost": totals["total_cost"] or 0,
                                          "n": totals["n"]},
                   [_ev(latest, latest.label, latest.due_date)])


def results_to_steering(ctx) -> Finding:
    from .models import AgendaItem

    meetings = _held_meetings(ctx, kinds=_leading_kinds(), since=ctx.period_start)
    items = list(ctx.visible(AgendaItem.objects.filter(meeting__in=meetings,
                                                       followup_round__isnull=False))
                 .select_related("meeting", "meeting__forum", "followup_round")
                 .order_by("-meeting__date"))
    if not items:
        return Finding(False, _("No held meeting of the strategic council or a steering group "
                                "has had a follow-up round on its agenda since %(date)s.") % {
            "date": _d(ctx.period_start)},
            [Evidence(_("Meetings"), reverse("meetings:meeting_list"))])
    return Finding(True, _("%(round)s on the agenda of %(meeting)s.") % {
        "round": items[0].followup_round.label, "meeting": items[0].meeting},
        [_ev(i.meeting, f"{i.meeting}: {i.title}", i.meeting.date) for i in items],
        date=items[0].meeting.date)


# -- the checkpoints ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    key: str
    section: str
    explanation: object  # lazy text
    rule: object = None  # function(Context) -> Finding, or None: supplied through the registry
    law: bool = False
    supplier: object = ""  # lazy text: which part of the system will supply the data
    quote: bool = False  # shows the verified words of 4 §


S = ComplianceSection
K = ComplianceKey
RESIDENTS = gettext_lazy("the residents' modules (citizen dialogues, safety walks, surveys and "
                         "pledges; issue 11)")

CHECKPOINTS = [
    Checkpoint(K.SITUATION_PICTURE, S.LAW, gettext_lazy(
        "The municipality makes a situation picture of crime in its area. The picture holds a "
        "mapping of crime, other relevant information and an analysis; here: a yearly "
        "situation picture within the interval the municipality has set, with all three "
        "parts written."), law_situation_picture, law=True, quote=True),
    Checkpoint(K.ACTION_PLAN_ADOPTED, S.LAW, gettext_lazy(
        "From the situation picture the municipality decides which measures to take: an "
        "action plan with activities, decided, resting on a situation picture."),
        law_action_plan, law=True),
    Checkpoint(K.FOLLOWUP_REPORTED, S.LAW, gettext_lazy(
        "The measures are followed up: a closed follow-up round."), law_followup, law=True),
    Checkpoint(K.COORDINATOR_NAMED, S.LAW, gettext_lazy(
        "The municipality has a coordination function (samordningsfunktion) for the crime "
        "prevention work; here: someone with the coordinator role."), law_coordination,
        law=True),
    Checkpoint(K.JOINT_DECISION, S.INITIATE, gettext_lazy(
        "The police leadership and the municipal executive board have both decided to work "
        "together: the dates of both decisions on the agreement."), joint_decision),
    Checkpoint(K.FORUM_MANDATES, S.INITIATE, gettext_lazy(
        "The roles and mandates of the forums are written down: every forum of the agreement "
        "has a mandate."), forum_mandates),
    Checkpoint(K.FORUM_OWNERS, S.INITIATE, gettext_lazy(
        "Every forum has a named owner: a participant with the role chair or convener."),
        forum_owners),
    Checkpoint(K.COMMUNICATIONS, S.INITIATE, gettext_lazy(
        "Someone leads the communication and there is a communication plan: the "
        "communications lead and the communication strategy on the agreement."),
        communications),
    Checkpoint(K.OWN_PREPARATIONS, S.OWN_PREPARATIONS, gettext_lazy(
        "Each party has made its own overview picture before the joint work: data sources "
        "recorded as brought by the municipality and by the police."), own_preparations),
    Checkpoint(K.STAFF_DIALOGUES, S.OWN_PREPARATIONS, gettext_lazy(
        "The parties have talked the problems through with their staff: held meetings of the "
        "kind staff dialogue within the interval."), staff_dialogues),
    Checkpoint(K.LEADERSHIP_INFORMED, S.OWN_PREPARATIONS, gettext_lazy(
        "Each party's leadership has seen the material: a decision at a held meeting of a "
        "leading forum, with people from both the municipality and the police present."),
        leadership_informed),
    Checkpoint(K.JOINT_SITUATION_PICTURE, S.JOINT_PREPARATIONS, gettext_lazy(
        "The joint situation picture: a yearly picture within the interval, with its analysis, "
        "and the agreement's list of sources used and left out."), joint_situation_picture),
    Checkpoint(K.PRIORITIES_REASONED, S.JOINT_PREPARATIONS, gettext_lazy(
        "Every prioritised problem (focus area) gives Brå's reasons for the priority: most "
        "common, rising, deviating from comparable areas, most exposed places or people, "
        "signal crimes, harm."), priorities_reasoned),
    Checkpoint(K.CITIZEN_DIALOGUES, S.JOINT_PREPARATIONS, gettext_lazy(
        "Residents have been heard in citizen dialogues before the priorities are set."),
        supplier=RESIDENTS),
    Checkpoint(K.CAUSE_ANALYSIS, S.JOINT_PREPARATIONS, gettext_lazy(
        "Every prioritised problem has a cause analysis: on the focus area, or as the cause "
        "addressed by one of its activities."), cause_analysis),
    Checkpoint(K.AGREEMENT_SIGNED, S.JOINT_PREPARATIONS, gettext_lazy(
        "The agreement is signed by the municipality (the chair of the executive board) and "
        "the police (the head of the local police area)."), agreement_signed),
    Checkpoint(K.GOALS_MEASURABLE, S.IMPLEMENTATION, gettext_lazy(
        "The goals are set as effect, process or production goals, and every effect goal is "
        "measurable: it has a baseline and a target."), goals_measurable),
    Checkpoint(K.PLAN_ADOPTED_BY_STEERING, S.IMPLEMENTATION, gettext_lazy(
        "The action plan is adopted by the steering group: a decision on the plan at a held "
        "meeting of the strategic council or a steering group."), plan_adopted_by_steering),
    Checkpoint(K.PLEDGES_PUBLISHED, S.IMPLEMENTATION, gettext_lazy(
        "Where the police and the municipality give citizen pledges, they are signed and "
        "published."), supplier=RESIDENTS),
    Checkpoint(K.FOLLOWUP_PLANNED, S.IMPLEMENTATION, gettext_lazy(
        "The follow-up is planned: rounds on this year's year wheel."), followup_planned),
    Checkpoint(K.MEASURES_DOCUMENTED, S.IMPLEMENTATION, gettext_lazy(
        "The measures are carried out and documented: submitted activity reports on what was "
        "done within the interval."), measures_documented),
    Checkpoint(K.STRATEGIC_COUNCIL_MET, S.IMPLEMENTATION, gettext_lazy(
        "The strategic council for crime prevention has met within the interval."),
        strategic_council_met),
    Checkpoint(K.MINUTES_KEPT, S.IMPLEMENTATION, gettext_lazy(
        "Every held council meeting within the interval has an agenda and minutes."),
        minutes_kept),
    Checkpoint(K.EFFECT_EXAMINED, S.FOLLOWUP, gettext_lazy(
        "The effect on the problems is examined: every effect goal has measurements, entered "
        "or computed from the incidents."), effect_examined),
    Checkpoint(K.COMMITMENTS_ASSESSED, S.FOLLOWUP, gettext_lazy(
        "Each party's commitments are assessed: every activity of the plan is reported in the "
        "latest closed follow-up round."), commitments_assessed),
    Checkpoint(K.PROCESS_REVIEWED, S.FOLLOWUP, gettext_lazy(
        "The process is reviewed: hours and costs entered in the latest closed round."),
        process_reviewed),
    Checkpoint(K.RESULTS_TO_STEERING, S.FOLLOWUP, gettext_lazy(
        "The results are reported to the steering group: a follow-up round on the agenda of a "
        "held meeting of the strategic council or a steering group."), results_to_steering),
    Checkpoint(K.PLEDGES_REPORTED, S.FOLLOWUP, gettext_lazy(
        "Where citizen pledges have been given, their results are reported back to the "
        "residents in a public report. An agreement without pledges has nothing to report "
        "here."), supplier=RESIDENTS),
]

BY_KEY = {c.key: c for c in CHECKPOINTS}


@dataclass
class ComplianceLine:
    key: str
    section: str
    law: bool
    label: str
    explanation: str
    status: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    date: datetime.date | None = None
    from_data: bool = True  # False: no rule here; judged by a registered source or by hand
    supplier: str = ""
    sources: list[str] = field(default_factory=list)  # apps that supplied evidence
    quote: str = ""
    check: object = None  # ComplianceCheck or None
    form: object = None

    @property
    def met(self) -> bool:
        return self.status in (ComplianceStatus.MET, ComplianceStatus.BY_HAND)

    @property
    def may_tick(self) -> bool:
        """A hand tick only where the system cannot know: no rule and no registered source."""
        return self.status in (ComplianceStatus.NOT_MEASURABLE, ComplianceStatus.BY_HAND)

    @property
    def status_label(self) -> str:
        return ComplianceStatus(self.status).label

    @property
    def section_label(self) -> str:
        return ComplianceSection(self.section).label


@dataclass
class SectionGroup:
    section: str
    label: str
    lines: list[ComplianceLine]

    @property
    def met(self) -> int:
        return sum(1 for line in self.lines if line.met)

    @property
    def measurable(self) -> int:
        return sum(1 for line in self.lines if line.status != ComplianceStatus.NOT_MEASURABLE)


def context(agreement, *, user=None, today: datetime.date | None = None) -> Context:
    today = today or timezone.localdate()
    return Context(agreement=agreement, today=today, user=user,
                   period_start=months_before(today,
                                              agreement.situation_picture_interval_months))


def _line(cp: Checkpoint, ctx: Context, check) -> ComplianceLine:
    line = ComplianceLine(key=cp.key, section=cp.section, law=cp.law,
                          label=str(ComplianceKey(cp.key).label),
                          explanation=str(cp.explanation), status=ComplianceStatus.NOT_MET,
                          summary="", from_data=cp.rule is not None,
                          supplier=str(cp.supplier), check=check,
                          quote=law.section_4_quote() if cp.quote else "")
    registered = checkpoints.sources(cp.key)
    findings = []
    for entry in registered:
        finding = entry.source(ctx)
        findings.append(finding)
        line.sources.append(entry.app)
    if cp.rule is not None:
        finding = cp.rule(ctx)
        line.status = ComplianceStatus.MET if finding.met else ComplianceStatus.NOT_MET
        line.summary, line.date = finding.summary, finding.date
        line.evidence = list(finding.evidence)
        for extra in findings:  # further evidence; the rule's verdict stands
            line.evidence += extra.evidence
    elif findings:
        judged = [f for f in findings if f.met is not None]
        line.status = (ComplianceStatus.MET if any(f.met for f in judged)
                       else ComplianceStatus.NOT_MET if judged
                       else ComplianceStatus.NOT_MEASURABLE)
        line.summary = " ".join(f.summary for f in findings)
        line.evidence = [e for f in findings for e in f.evidence]
        dates = [f.date for f in findings if f.date]
        line.date = max(dates) if dates else None
    else:
        line.status = ComplianceStatus.NOT_MEASURABLE
        line.summary = _("Not measurable yet: no data source in the system. To be supplied "
                         "by %(supplier)s.") % {"supplier": cp.supplier}
    if line.status == ComplianceStatus.NOT_MEASURABLE and check is not None and check.checked:
        line.status = ComplianceStatus.BY_HAND
        line.date = timezone.localtime(check.checked_at).date() if check.checked_at else None
    line.evidence = line.evidence[:MAX_EVIDENCE]
    return line


def compliance_lines(agreement, *, user=None, today: datetime.date | None = None
                     ) -> list[ComplianceLine]:
    """Every checkpoint judged for `user` (None: on what everyone in the collaboration may
    read, as the history does)."""
    from .models import ComplianceCheck

    ctx = context(agreement, user=user, today=today)
    checks = ComplianceCheck.objects.filter(agreement=agreement).select_related("checked_by")
    checks = {c.key: c for c in ctx.visible(checks)}
    return [_line(cp, ctx, checks.get(cp.key)) for cp in CHECKPOINTS]


def compliance_by_section(lines: list[ComplianceLine]) -> list[SectionGroup]:
    return [SectionGroup(section=s.value, label=str(s.label),
                         lines=[line for line in lines if line.section == s])
            for s in ComplianceSection]
