"""Demo of the evaluation (run by ``load_demo`` after the situation demo), all marked as
examples: a growing cluster of reports at Skiftinge centrum's car park (an intensifying hot
spot in the yearly picture), an indicator computed from the EST reports, and an activity at
Årby centrum evaluated against Fröslunda. Idempotent."""
from __future__ import annotations

import datetime

import numpy as np
from django.utils import timezone

from samverkan.agreements.models import FocusArea
from samverkan.organizations.models import Municipality
from samverkan.plans import services as plan_services
from samverkan.plans.models import Activity, Indicator
from samverkan.situation import services as situation_services
from samverkan.situation.choices import IncidentSource, IncidentStatus
from samverkan.situation.models import Area, Category, Incident
from samverkan.situation.picture import LOCAL_TZ

from . import services
from .models import ActivityEvaluation, IndicatorDefinition

MUNICIPALITY = "0484"
PREFIX = "exempel-"
#: The car park at Skiftinge centrum (situation demo's places).
CLUSTER = ("Parkeringen vid Skiftinge centrum", 59.3905, 16.5386)
INDICATOR = "Exempel: Klotter och skadegörelse i EST-rapporter per tertial"
ACTIVITY = "Exempel: Belysning och trygghetsvandringar vid Årby centrum"


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _cluster(municipality, *, actor, stdout) -> int:
    """Reports at the car park that grow month by month over the last year."""
    if Incident.objects.filter(municipality=municipality,
                               source_id__startswith=PREFIX + "skiftinge").exists():
        return 0
    category = Category.objects.get(municipality=municipality, slug="ungdomar_stor")
    rng = np.random.default_rng(14)
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    rows = []
    month = first
    for i in range(12):
        for k in range(4 + 2 * i):
            day = min(1 + int(rng.integers(0, 27)), 28)
            when = datetime.datetime(month.year, month.month, day, 21 + int(rng.integers(0, 3)),
                                     int(rng.integers(0, 60)), tzinfo=LOCAL_TZ)
            if when.date() >= today:
                continue
            rows.append(Incident(
                municipality=municipality, category=category, occurred_at=when,
                reported_at=when, lat=CLUSTER[1] + rng.normal(0, 0.00025),
                lon=CLUSTER[2] + rng.normal(0, 0.0004), precision="exact",
                place_name=CLUSTER[0], description="Exempel: ungdomar samlas och stör vid "
                "parkeringen (påhittad rapport för demon).",
                source=IncidentSource.DEMO, status=IncidentStatus.REVIEWED, is_example=True,
                source_id=f"{PREFIX}skiftinge-{i}-{k}"))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for incident in rows:
        incident.full_clean()
    situation_services.bulk_create_incidents(rows, actor=actor)
    _say(stdout, f"    exempel: {len(rows)} rapporter vid {CLUSTER[0]} (växande varje månad)")
    return len(rows)


def _indicator(municipality, *, actor, stdout) -> None:
    focus = FocusArea.objects.filter(agreement__municipality=municipality,
                                     agreement__start_date__year=2024,
                                     title__startswith="Trygga det offentliga").first()
    if focus is None:
        return
    indicator = Indicator.objects.filter(agreement=focus.agreement, name=INDICATOR).first()
    if indicator is None:
        indicator = plan_services.create_indicator(
            actor=actor, focus_area=focus, name=INDICATOR, goal_kind="effect",
            unit="rapporter", direction="lower",
            data_source="EST-rapporter i Samverkan (beräknas av systemet)")
    if IndicatorDefinition.objects.filter(indicator=indicator).exists():
        return
    cats = list(Category.objects.filter(municipality=municipality,
                                        slug__in=["klotter", "skadegorelse"]))
    services.save_definition(indicator, actor=actor, categories=cats,
                             sources=[IncidentSource.EST_REPORT, IncidentSource.DEMO],
                             area=None, period="tertial",
                             measure="count")
    _say(stdout, f"    exempel: indikatorn ”{INDICATOR}” beräknas ur EST-rapporterna")


def _activity(municipality, *, actor, stdout) -> None:
    focus = FocusArea.objects.filter(agreement__municipality=municipality,
                                     agreement__start_date__year=2024,
                                     title__startswith="Trygga det offentliga").first()
    area = Area.objects.filter(municipality=municipality, name="Årby").first()
    comparison = Area.objects.filter(municipality=municipality, name="Fröslunda").first()
    if focus is None or area is None or comparison is None:
        return
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=110)).replace(day=1)
    activity = Activity.objects.filter(agreement=focus.agreement, title=ACTIVITY).first()
    if activity is None:
        activity = plan_services.create_activity(
            actor=actor, focus_area=focus, title=ACTIVITY, status="ongoing",
            description="Exempel för demon: ny belysning vid centrumet och "
                        "trygghetsvandringar varannan vecka.",
            start_date=start, areas_text="Årby",
            contributions=[{"party": "municipality", "text": "Ny belysning vid Årby centrum "
                            "(SBN)."}, {"party": "police", "text": "Trygghetsvandringar "
                                        "varannan vecka."}])
    if ActivityEvaluation.objects.filter(activity=activity).exists():
        return
    services.save_evaluation(activity, actor=actor, area=area, comparison_area=comparison,
                             start_date=activity.start_date, buffer_m=250, categories=[],
                             sources=[IncidentSource.EST_REPORT, IncidentSource.DEMO])
    _say(stdout, f"    exempel: aktiviteten ”{ACTIVITY}” utvärderas mot Fröslunda")


def load(*, actor, stdout=None) -> None:
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    _say(stdout, "  Utvärdering (exempel):")
    _cluster(municipality, actor=actor, stdout=stdout)
    _indicator(municipality, actor=actor, stdout=stdout)
    _activity(municipality, actor=actor, stdout=stdout)
