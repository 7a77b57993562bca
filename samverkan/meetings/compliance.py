"""Are we doing what the law and Brå ask?

The duties of Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete in the law's
own words (a lägesbild, an åtgärdsplan decided from it, a samordningsfunktion; here also the
strategic council and the follow-up) and the checkpoints of Brå's five-step model (initiate, own
preparations, joint preparations, implementation, follow-up), each answered from the data
where the data can answer it. A coordinator may tick a line by hand (a `ComplianceCheck`,
with who and when); lines the system cannot know are ticked by hand only.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .choices import BraStep, ComplianceKey, MeetingStatus

# The period within which a situation picture must have been made. The law leaves the period
# to the municipality; yearly is what the agreements in the seeds describe.
SITUATION_PICTURE_PERIOD_DAYS = 365
COUNCIL_PERIOD_DAYS = 365


@dataclass
class ComplianceLine:
    key: str
    step: str
    law: bool  # a duty under Lag (2023:196), not only Brå's advice
    label: str
    explanation: str
    from_data: bool  # False: only a coordinator can tell, by ticking it
    data_met: bool = False
    evidence: str = ""
    url: str = ""
    link_label: str = ""
    check: object = None  # ComplianceCheck or None

    @property
    def checked_by_hand(self) -> bool:
        return bool(self.check is not None and self.check.checked)

    @property
    def met(self) -> bool:
        return self.data_met or self.checked_by_hand

    @property
    def step_label(self) -> str:
        return BraStep(self.step).label


@dataclass
class StepGroup:
    step: str
    label: str
    lines: list[ComplianceLine]

    @property
    def met(self) -> int:
        return sum(1 for line in self.lines if line.met)


def _url(name: str, *args, query: str = "") -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def _first_url(*candidates) -> str:
    for name, args, query in candidates:
        url = _url(name, *args, query=query)
        if url:
            return url
    return ""


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


# -- the lines ----------------------------------------------------------------------------------

def _coordinator(agreement, today, reader) -> dict:
    from samverkan.core.choices import Role
    from samverkan.organizations.models import Membership

    titles = list(Membership.objects.filter(
        organization__municipality=agreement.municipality, role=Role.COORDINATOR, active=True,
    ).select_related("organization").values_list("title", "organization__name"))
    if titles:
        named = "; ".join(f"{t}, {o}" if t else o for t, o in titles[:4])
        evidence = ngettext("%(n)d coordinator: %(named)s", "%(n)d coordinators: %(named)s",
                            len(titles)) % {"n": len(titles), "named": named}
    else:
        evidence = _("No one has the coordinator role in the municipality's organisations.")
    return {"data_met": bool(titles), "evidence": evidence,
            "url": _url("organizations:organization_list"),
            "link_label": _("Organisations and roles")}


def _situation_picture(agreement, today, reader) -> dict:
    since = today - datetime.timedelta(days=SITUATION_PICTURE_PERIOD_DAYS)
    yearly = _model("situation", "YearlyPicture")
    url = _first_url(("situation:yearly", (), ""), ("situation:weekly", (), ""))
    link = _("Situation picture")
    if yearly is not None:
        fields = {f.name for f in yearly._meta.get_fields()}
        qs = yearly.objects.visible_to(reader).filter(municipality=agreement.municipality)
        if "year" in fields:
            qs = qs.filter(year__gte=since.year)
        elif "created_at" in fields:
            qs = qs.filter(created_at__date__gte=since)
        latest = qs.order_by("-pk").first()
        if latest is not None:
            return {"data_met": True, "url": url, "link_label": link,
                    "evidence": _("Yearly situation picture: %(picture)s") % {
                        "picture": latest}}
    incident = _model("situation", "Incident")
    count = 0
    if incident is not None:
        count = incident.objects.visible_to(reader).filter(
            municipality=agreement.municipality,
            occurred_at__date__gte=since, occurred_at__date__lte=today).count()
    if count:
        evidence = ngettext(
            "No yearly situation picture, but %(n)d incident recorded in the last 12 months "
            "(weekly situation picture).",
            "No yearly situation picture, but %(n)d incidents recorded in the last 12 months "
            "(weekly situation picture).", count) % {"n": count}
    else:
        evidence = _("No situation picture and no incidents in the last 12 months.")
    return {"data_met": bool(count), "evidence": evidence, "url": url, "link_label": link}


def _action_plan(agreement, today, reader) -> dict:
    from samverkan.agreements.choices import AgreementStatus

    activities = agreement.activities.visible_to(reader).count()
    decided = agreement.status in (AgreementStatus.DECIDED, AgreementStatus.ACTIVE)
    parts = [ngettext("%(n)d activity in the plan", "%(n)d activities in the plan",
                      activities) % {"n": activities},
             _("agreement status: %(status)s") % {"status": agreement.get_status_display()}]
    if agreement.council_decision_date:
        parts.append(_("decided by the council %(date)s") % {
            "date": f"{agreement.council_decision_date:%Y-%m-%d}"})
    return {"data_met": bool(activities) and decided, "evidence": "; ".join(parts) + ".",
            "url": _first_url(("plans:activity_list", (), f"agreement={agreement.pk}"),
                              ("agreements:agreement_detail", (agreement.pk,), "")),
            "link_label": _("Action plan")}


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


def _signed(agreement, today, reader) -> dict:
    from samverkan.agreements.choices import PartyRole

    signatories = list(agreement.signatories.visible_to(reader).select_related("organization",
                                                             "organization__parent"))
    missing = []
    for role in (PartyRole.MUNICIPALITY, PartyRole.POLICE):
        parties = [p.organization for p in agreement.parties.visible_to(reader).filter(role=role)
                   .select_related("organization", "organization__parent")]
        if not parties or not any(_is_within(s.organization, party)
                                  for s in signatories for party in parties):
            missing.append(PartyRole(role).label.lower())
    if not missing:
        evidence = _("Signed by %(names)s.") % {"names": "; ".join(str(s) for s in signatories)}
    else:
        evidence = _("No signatory recorded for: %(parties)s.") % {
            "parties": ", ".join(missing)}
        if agreement.signed_date:
            evidence += " " + _("The agreement says it was signed on %(date)s.") % {
                "date": f"{agreement.signed_date:%Y-%m-%d}"}
    return {"data_met": not missing, "evidence": evidence,
            "url": _url("agreements:agreement_detail", agreement.pk),
            "link_label": _("Agreement and signatories")}


def _council_meetings(agreement, today, reader):
    from samverkan.agreements.choices import ForumKind

    from .models import Meeting

    since = today - datetime.timedelta(days=COUNCIL_PERIOD_DAYS)
    return Meeting.objects.visible_to(reader).filter(
        forum__agreement=agreement, forum__kind=ForumKind.STRATEGIC_COUNCIL,
        status=MeetingStatus.HELD, date__gte=since, date__lte=today)


def _council(agreement, today, reader) -> dict:
    from samverkan.agreements.choices import ForumKind

    councils = list(agreement.forums.visible_to(reader).filter(
        kind=ForumKind.STRATEGIC_COUNCIL))
    meetings = _council_meetings(agreement, today, reader)
    latest = meetings.order_by("-date").first()
    if not councils:
        evidence = _("The agreement names no strategic council among its forums.")
    elif latest is None:
        evidence = _("%(council)s has no held meeting in the last 12 months.") % {
            "council": councils[0]}
    else:
        n = meetings.count()
        evidence = ngettext("%(n)d held meeting in the last 12 months, the latest %(date)s.",
                            "%(n)d held meetings in the last 12 months, the latest %(date)s.",
                            n) % {"n": n, "date": f"{latest.date:%Y-%m-%d}"}
    url = _url("meetings:meeting_list", query=f"forum={councils[0].pk}") if councils \
        else _url("agreements:agreement_detail", agreement.pk)
    return {"data_met": latest is not None, "evidence": evidence, "url": url,
            "link_label": _("Council meetings")}


def _minutes(agreement, today, reader) -> dict:
    from django.db.models import Count, Q

    meetings = _council_meetings(agreement, today, reader).annotate(
        items=Count("agenda_items", distinct=True),
        minuted=Count("agenda_items", filter=~Q(agenda_items__minutes=""), distinct=True))
    rows = list(meetings.order_by("date"))
    lacking = [m for m in rows if not m.items or not m.minuted]
    if not rows:
        evidence = _("No held council meeting in the last 12 months.")
    elif lacking:
        evidence = _("Without agenda or minutes: %(meetings)s.") % {
            "meetings": ", ".join(str(m) for m in lacking)}
    else:
        evidence = ngettext("The %(n)d held meeting has agenda and minutes.",
                            "All %(n)d held meetings have agenda and minutes.",
                            len(rows)) % {"n": len(rows)}
    target = lacking[0] if lacking else (rows[-1] if rows else None)
    return {"data_met": bool(rows) and not lacking, "evidence": evidence,
            "url": target.get_absolute_url() if target else _url("meetings:meeting_list"),
            "link_label": _("Meeting") if target else _("Meetings")}


def _followup(agreement, today, reader) -> dict:
    from samverkan.followup.choices import RoundKind, RoundStatus
    from samverkan.followup.models import FollowUpRound

    closed = (FollowUpRound.objects.visible_to(reader).filter(agreement=agreement,
                                                           status=RoundStatus.CLOSED)
              .exclude(kind=RoundKind.MONTHLY).order_by("-due_date"))
    latest = closed.first()
    if latest is None:
        evidence = _("No follow-up round has been closed yet.")
    else:
        evidence = _("Latest closed round: %(round)s (due %(date)s).") % {
            "round": latest.label, "date": f"{latest.due_date:%Y-%m-%d}"}
    return {"data_met": latest is not None, "evidence": evidence,
            "url": latest.get_absolute_url() if latest else _first_url(
                ("followup:yearwheel", (), f"agreement={agreement.pk}")),
            "link_label": _("Follow-up")}


# (key, Brå step, duty under the law, explanation, data function or None)
LINES = [
    (ComplianceKey.COORDINATOR_NAMED, BraStep.INITIATE, True,
     gettext_lazy("The law asks for a coordination function (samordningsfunktion) for the "
                  "crime prevention work; here: someone with the coordinator role, who holds "
                  "the work together with the municipal police officer."), _coordinator),
    (ComplianceKey.OWN_PREPARATIONS, BraStep.OWN_PREPARATIONS, False,
     gettext_lazy("Each party has mapped problems, causes and its own resources before the joint "
                  "work."), None),
    (ComplianceKey.SITUATION_PICTURE, BraStep.JOINT_PREPARATIONS, True,
     gettext_lazy("A situation picture of crime and insecurity, made within the period the "
                  "municipality has set (here: the last 12 months)."), _situation_picture),
    (ComplianceKey.ACTION_PLAN_ADOPTED, BraStep.JOINT_PREPARATIONS, True,
     gettext_lazy("From the situation picture the municipality takes a position on the need "
                  "for measures and decides an action plan (Lag 2023:196)."),
     _action_plan),
    (ComplianceKey.AGREEMENT_SIGNED, BraStep.JOINT_PREPARATIONS, False,
     gettext_lazy("The cooperation agreement is signed by both the municipality and the police."),
     _signed),
    (ComplianceKey.STRATEGIC_COUNCIL_MET, BraStep.IMPLEMENTATION, True,
     gettext_lazy("The strategic council for crime prevention has met in the last 12 months."),
     _council),
    (ComplianceKey.MINUTES_KEPT, BraStep.IMPLEMENTATION, False,
     gettext_lazy("Every held council meeting has an agenda and minutes."), _minutes),
    (ComplianceKey.FOLLOWUP_REPORTED, BraStep.FOLLOWUP, True,
     gettext_lazy("The work is followed up and the follow-up is reported to the council."),
     _followup),
    (ComplianceKey.PLEDGES_REPORTED, BraStep.FOLLOWUP, False,
     gettext_lazy("Where the police and the municipality have given citizen pledges, their "
                  "results are reported back to the residents. An agreement without pledges "
                  "has nothing to report here."),
     None),
]


def compliance_lines(agreement, reader, *,
                     today: datetime.date | None = None) -> list[ComplianceLine]:
    """The lines as `reader` may see them (counts and names only of records they may read)."""
    from .models import ComplianceCheck

    today = today or timezone.localdate()
    checks = {c.key: c for c in ComplianceCheck.objects.visible_to(reader).filter(
        agreement=agreement)
              .select_related("checked_by")}
    lines = []
    for key, step, law, explanation, compute in LINES:
        line = ComplianceLine(key=key, step=step, law=law, label=ComplianceKey(key).label,
                              explanation=str(explanation), from_data=compute is not None,
                              check=checks.get(key))
        if compute is not None:
            for name, value in compute(agreement, today, reader).items():
                setattr(line, name, value)
        else:
            line.evidence = _("The system cannot see this: tick it when it is done.")
        lines.append(line)
    return lines


def compliance_by_step(lines: list[ComplianceLine]) -> list[StepGroup]:
    return [StepGroup(step=step.value, label=step.label,
                      lines=[line for line in lines if line.step == step])
            for step in BraStep]
