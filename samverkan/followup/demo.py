"""Demo data of the follow-up cycle, loaded by `manage.py load_demo` after the agreements and
the demo users (see `samverkan.demo.loader`).

Eskilstuna 2024-2027 (seed 001) gets its rounds laid out from its follow-up plan (monthly
deviation checks, delår 2, helår, the evaluation in 2027): the rounds follow the agreement's
text. The round reports are being written for now is opened; the rounds due before it are
closed. The reports are examples (`is_example`, "Exempel – inte ur överenskommelsen"): the
activities they report on are the demo's example plan, not Eskilstuna's. In the open round
the social services (user `socialtjanst`) and Kfast (user `vardare`) have written some of
their reports, one of them with a deviation (night walking in Fröslunda is short of
volunteers); the other organisations' reports are still missing. The coordinator has entered
the agreement's indicator's latest value from the Police's list of vulnerable areas (real).

Idempotent: everything is looked up before it is written, so a second run on the same day
writes nothing. Every write goes through the services.
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from samverkan.agreements.models import Agreement
from samverkan.organizations.models import Organization
from samverkan.plans import services as plans
from samverkan.plans.models import Activity, Indicator

from . import services
from .choices import ACTIVE_ROUND_STATUSES, KINDS_WITHOUT_REPORTS, RoundStatus
from .models import ActivityReport, FollowUpRound

MUNICIPALITY = "0484"
AGREEMENT_START = dt.date(2024, 1, 1)
COORDINATOR = "samordnare"

# Closed rounds due before the demo's current round: why they have no reports.
EARLIER_ROUND_NOTE = ("Demon har stängt uppföljningen utan rapporter: den ligger före den "
                      "period som demon visar.")

# (username, organisation, activity title, report fields, deviation or None). Examples: the
# reports inherit `is_example` from the example activities they are about.
REPORTS = [
    ("socialtjanst", "Socialförvaltningen",
     "Samordnade insatser för unga i riskzon genom SSPF", {
         "status": "green",
         "what_was_done": (
             "SSPF-grupperna i Skiftinge, Fröslunda och Årby har träffats varannan vecka. Unga "
             "i riskzon har lyfts med samtycke från den unge och vårdnadshavarna, och "
             "insatserna har samordnats mellan skola, socialtjänst, polis och fritid."),
         "collaborated_with": (
             "Barn- och utbildningsförvaltningen, kultur- och fritidsförvaltningen, "
             "områdespoliserna och kommunpolisen."),
         "effects_seen": (
             "Fler unga i riskzon fångas upp tidigt, och tiden från oro till insats har blivit "
             "kortare."),
         "hours": 120,
     }, None),
    ("socialtjanst", "Socialförvaltningen",
     "Nattvandring: möta ungdomar som är ute sent på kvällen", {
         "status": "yellow",
         "what_was_done": (
             "Nattvandring fredagar och lördagar kvällstid i Skiftinge och Årby, tillsammans "
             "med föreningar och föräldrar. Fältverksamheten har samordnat passen och "
             "områdespoliserna har haft kontakt med nattvandrarna."),
         "collaborated_with": (
             "Föreningar och föräldrar som nattvandrar, fältverksamheten, områdespoliserna."),
         "effects_seen": (
             "Nattvandrarna möter unga som är ute sent och lotsar dem som behöver hjälp vidare "
             "till fältverksamheten."),
     }, {
         "kind": "off_target",
         "reason": (
             "I Fröslunda har nattvandringen inte kunnat genomföras varje helg: det finns för "
             "få frivilliga nattvandrare."),
         "proposed_action": (
             "Rekrytera fler vuxna via föräldramöten på skolorna i Fröslunda och via "
             "föreningarna i området. Fältverksamheten går de pass som saknar nattvandrare "
             "tills vidare."),
     }),
    ("socialtjanst", "Socialförvaltningen",
     "Stöd och råd vid oro för våldsbejakande extremism", {
         "status": "green",
         "what_was_done": (
             "Mottagningsenheten har gett råd och stöd till anhöriga och yrkesverksamma som "
             "varit oroliga för att någon dras till en våldsam, extrem rörelse eller ideologi. "
             "Information om stödet och om Orostelefonen (020-100 200) finns på eskilstuna.se."),
         "collaborated_with": "Polisen (tips via 114 14), socialjouren, skolorna.",
         "effects_seen": (
             "Oron fångas upp tidigt och personer som riskerar att radikaliseras får stöd "
             "innan de dras in i en våldsbejakande miljö."),
     }, None),
    ("vardare", "Kfast",
     "Situationella åtgärder på platser som EST-lägesbilden pekar ut", {
         "status": "green",
         "what_was_done": (
             "Bovärdarna har rapporterat otrygghetsskapande händelser varje vecka. Efter den "
             "veckovisa avstämningen har Kfast bytt trasig belysning och röjt buskage vid "
             "gångvägarna i Fröslunda och Skiftinge."),
         "collaborated_with": "Eskilstuna kommun, polisen.",
         "effects_seen": (
             "Färre rapporter om mörka platser från de gångvägar som har åtgärdats."),
     }, None),
]

# The example indicator of the overall goal and its latest value, which is real: the Police's
# list of vulnerable areas as of 2025 (samverkan/situation/data/
# polisen_utsatta_omraden_2025.geojson) names three areas in Eskilstuna, as the agreement's
# "idag tre områden" did in 2023.
MEASUREMENT = {
    "indicator": "Antal områden i Eskilstuna på polisens nationella lista över utsatta "
                 "områden",
    "measured_on": dt.date(2025, 12, 1),
    "value": 3,
    "note": "Skiftinge, Fröslunda och Årby.",
    "source": "Polismyndighetens lista över utsatta områden (uppgifterna från 2025)",
}


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def demo_agreement() -> Agreement | None:
    return (Agreement.objects.filter(municipality_id=MUNICIPALITY, start_date=AGREEMENT_START)
            .order_by("pk").first())


def demo_current_round(agreement: Agreement, today: dt.date) -> FollowUpRound | None:
    """The round reports are written for now (see `services.current_round`); when the
    agreement has ended or not begun, the nearest round that asks for reports."""
    current = services.current_round(agreement, today)
    if current is not None:
        return current
    rounds = FollowUpRound.objects.filter(agreement=agreement).exclude(
        kind__in=KINDS_WITHOUT_REPORTS).exclude(status=RoundStatus.CANCELLED)
    if today < agreement.start_date:
        return rounds.order_by("due_date", "pk").first()
    return rounds.order_by("-due_date", "-pk").first()


def _user(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def load(*, actor, stdout=None, today: dt.date | None = None) -> FollowUpRound | None:
    """Load the follow-up demo of Eskilstuna 2024-2027; returns its current round."""
    today = today or timezone.localdate()
    agreement = demo_agreement()
    if agreement is None:
        _say(stdout, "  follow-up: no Eskilstuna 2024-2027 agreement, nothing loaded")
        return None
    coordinator = _user(COORDINATOR) or actor
    created, current, closed = prepare_rounds(agreement, actor=coordinator, today=today)
    if current is None:
        return None
    written = _write_reports(agreement, current, today)
    measured = _add_measurement(agreement, current, coordinator, today)
    _say(stdout, f"  follow-up: {len(created)} rounds laid out, {closed} earlier closed, "
                 f"current round {current.label}: {written} reports written, "
                 f"{measured} measurement")
    return current


def prepare_rounds(agreement: Agreement, *, actor, today: dt.date):
    """Lay out the agreement's rounds, open the current one and close the rounds due before
    it. Returns (rounds laid out, the current round, how many were closed)."""
    created = services.lay_out_rounds(agreement, actor=actor)
    current = demo_current_round(agreement, today)
    if current is None:
        return created, None, 0
    if current.status != RoundStatus.OPEN:
        services.open_round(current, actor=actor)
    closed = 0
    earlier = (FollowUpRound.objects.filter(agreement=agreement, status__in=ACTIVE_ROUND_STATUSES,
                                            due_date__lt=min(today, current.due_date))
               .exclude(pk=current.pk).order_by("due_date", "pk"))
    for round in earlier:
        if round.asks_reports and not round.reports.exists() and not round.note:
            services.update_round(round, actor=actor, note=EARLIER_ROUND_NOTE)
        services.close_round(round, actor=actor)
        closed += 1
    return created, current, closed


def _write_reports(agreement: Agreement, round: FollowUpRound, today: dt.date) -> int:
    written = 0
    for username, org_name, title, fields, deviation in REPORTS:
        author = _user(username)
        organization = Organization.objects.filter(municipality_id=MUNICIPALITY,
                                                   name=org_name).first()
        activity = Activity.objects.filter(agreement=agreement, title=title).first()
        if author is None or organization is None or activity is None:
            continue
        if ActivityReport.objects.filter(round=round, activity=activity,
                                         organization=organization).exists():
            continue
        report = services.submit_report(actor=author, round=round, activity=activity,
                                        organization=organization, deviation=deviation,
                                        **fields)
        for raised in report.deviations.exclude(opened_on=today):  # a demo dated another day
            services.update_deviation(raised, actor=author, opened_on=today)
        written += 1
    return written


def _add_measurement(agreement: Agreement, round: FollowUpRound, actor, today) -> int:
    indicator = Indicator.objects.filter(agreement=agreement,
                                         name=MEASUREMENT["indicator"]).first()
    if indicator is None or today < MEASUREMENT["measured_on"]:
        return 0
    if indicator.measurements.filter(measured_on=MEASUREMENT["measured_on"]).exists():
        return 0
    # A real figure on an example indicator: the value itself is not made up.
    plans.add_measurement(
        actor=actor, indicator=indicator, measured_on=MEASUREMENT["measured_on"],
        value=MEASUREMENT["value"], note=MEASUREMENT["note"], source=MEASUREMENT["source"],
        is_example=False)
    return 1
