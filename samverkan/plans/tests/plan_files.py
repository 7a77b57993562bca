"""Helpers for the plan import/export tests: the seed plan files kept in the demo app, an
agreement to import into, and counts of everything an import may write."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from samverkan.agreements import services as agreement_services
from samverkan.agreements.models import Agreement, FocusArea, PriorityArea, SubGoal
from samverkan.audit.models import AuditEntry
from samverkan.organizations.services import create_organization
from samverkan.plans.models import Activity, Contribution, Indicator

DATA = Path(__file__).resolve().parents[2] / "demo" / "data"
PLAN_2016_XLSX = DATA / "eskilstuna_2016_atagandeplan.xlsx"
PLAN_2016_CSV = DATA / "eskilstuna_2016_atagandeplan.csv"
PLAN_2013_CSV = DATA / "eskilstuna_2013_plan.csv"

# The committees the 2016 åtagandeplan names by abbreviation, "(SN, BUN, KFN)".
COMMITTEES = [
    ("KS", "Kommunstyrelsen"),
    ("BUN", "Barn- och utbildningsnämnden"),
    ("KFN", "Kultur- och fritidsnämnden"),
    ("TSN", "Torshälla stads nämnd"),
    ("SBN", "Stadsbyggnadsnämnden"),
    ("MRN", "Miljö- och räddningstjänstnämnden"),
]


def add_committees(world) -> None:
    for abbreviation, name in COMMITTEES:
        create_organization(actor=None, municipality=world.eskilstuna, name=name,
                            abbreviation=abbreviation, kind="committee")


def make_agreement(world, title="Samverkansöverenskommelse mellan Polismyndigheten och "
                                "Eskilstuna kommun") -> Agreement:
    return agreement_services.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title=title,
        start_date=dt.date(2016, 1, 1), end_date=dt.date(2018, 12, 31), status="active",
        parties=[(world.municipality_org, "municipality"), (world.police_org, "police")])


def counts() -> dict[str, int]:
    """How many records of every kind an import may write exist, plus audit entries."""
    return {model.__name__: model.objects.count() for model in (
        Agreement, FocusArea, SubGoal, PriorityArea, Activity, Contribution, Indicator,
        AuditEntry)}


def csv_bytes(rows, delimiter=";", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
