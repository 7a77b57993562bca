"""The follow-up demo (`samverkan.followup.demo`): Eskilstuna 2024-2027 (seed 001) loaded as
`manage.py load_demo` loads it, its rounds laid out through 2027, the current round open with
reports from the demo contributors, a deviation, missing reports and a new indicator value."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from samverkan.audit.models import AuditEntry
from samverkan.demo.loader import DATA, ensure_users, load_agreement
from samverkan.followup import demo, services
from samverkan.followup.choices import RoundKind, RoundStatus
from samverkan.followup.models import ActivityReport, Deviation, FollowUpRound
from samverkan.organizations.models import Municipality, Organization
from samverkan.organizations.services import create_organization

TODAY = dt.date(2025, 10, 14)


def load_demo_base():
    """The 2024-2027 agreement with its action plan, and the demo users (Karlshamn's
    coordinator needs the organisation its own agreement file would bring)."""
    agreement = load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    karlshamn = Municipality.objects.get(code="1082")
    if not Organization.objects.filter(municipality=karlshamn, name="Karlshamns kommun").exists():
        create_organization(actor=None, municipality=karlshamn, name="Karlshamns kommun",
                            kind="municipality")
    ensure_users(actor=None)
    return agreement


@pytest.fixture
def agreement(db):
    return load_demo_base()


def user(username):
    return get_user_model().objects.get(username=username)


def test_rounds_laid_out_through_2027_with_one_open_current_round(agreement):
    current = demo.load(actor=None, today=TODAY)

    labels = set(FollowUpRound.objects.filter(agreement=agreement).values_list("label",
                                                                                flat=True))
    for year in (2024, 2025, 2026, 2027):
        assert {f"Delår 2 {year}", f"Helår {year}"} <= labels
    assert "Utvärdering 2027" in labels
    assert FollowUpRound.objects.filter(agreement=agreement, kind=RoundKind.MONTHLY,
                                        period_start=dt.date(2027, 12, 1)).exists()
    # Helår 2025 is the round reports are written for in October 2025; it is open, and the
    # rounds due before it (Delår 2 2025, ...) are closed.
    assert current.label == "Helår 2025"
    assert current.status == RoundStatus.OPEN
    assert services.current_round(agreement, TODAY) == current
    assert list(FollowUpRound.objects.filter(agreement=agreement, status=RoundStatus.OPEN)) == [
        current]
    assert not FollowUpRound.objects.filter(
        agreement=agreement, due_date__lt=TODAY,
        status__in=[RoundStatus.PLANNED, RoundStatus.OPEN]).exists()
    assert FollowUpRound.objects.get(agreement=agreement,
                                     label="Delår 2 2025").status == RoundStatus.CLOSED
    assert FollowUpRound.objects.get(agreement=agreement,
                                     label="Helår 2026").status == RoundStatus.PLANNED


def test_reports_by_the_demo_contributors_with_a_deviation(agreement):
    current = demo.load(actor=None, today=TODAY)
    social = user("socialtjanst")
    reports = ActivityReport.objects.filter(round=current, submitted_by=social)
    assert {r.activity.title for r in reports} == {
        "Samordnade insatser för unga i riskzon genom SSPF",
        "Nattvandring: möta ungdomar som är ute sent på kvällen",
        "Stöd och råd vid oro för våldsbejakande extremism"}
    assert {r.organization.name for r in reports} == {"Socialförvaltningen"}
    assert all(r.what_was_done and r.collaborated_with and r.effects_seen for r in reports)
    # The reports are on the demo's example plan, so they are examples too.
    assert all(r.is_example for r in reports)
    kfast = ActivityReport.objects.filter(round=current, submitted_by=user("vardare"),
                                          organization__name="Kfast")
    # Kfast reports on its own situational measures, not on the graffiti promise: that
    # belongs to "ett antal fastighetsägare" (seed 001), and Kfast is not named among them.
    assert [r.activity.title for r in kfast] == [
        "Situationella åtgärder på platser som EST-lägesbilden pekar ut"]

    night_walking = reports.get(activity__title__startswith="Nattvandring")
    assert night_walking.status in ("yellow", "red")
    deviation = Deviation.objects.get(report=night_walking)
    assert deviation.is_open and deviation.is_example
    assert "Fröslunda" in deviation.reason and "nattvandrare" in deviation.reason
    assert deviation.proposed_action

    # The other organisations have not reported yet.
    missing = services.missing_reports(current)
    assert missing
    assert {row.organization.name for row in missing} >= {"Eskilstuna kommun",
                                                         "Lokalpolisområde Eskilstuna"}


def test_new_indicator_value_and_the_dashboard(agreement):
    today = dt.date(2026, 1, 20)
    current = demo.load(actor=None, today=today)
    indicator = agreement.indicators.get(name__startswith="Antal områden i Eskilstuna")
    # The agreement's goal ("tagit betydande steg för ett Eskilstuna utan utsatta områden")
    # sets no number: the indicator is an example, with the baseline the agreement states
    # ("idag tre områden") and no target.
    assert indicator.is_example
    assert indicator.baseline_value == 3 and indicator.target_value is None
    latest = indicator.latest_measurement()
    # Its latest value is real: the Police's list as of 2025 names three areas.
    assert (latest.measured_on, latest.value, latest.is_example) == (dt.date(2025, 12, 1), 3,
                                                                    False)

    data = services.dashboard_data(agreement, user("samordnare"), today=today)
    assert data["current_round"] == current
    assert [d.activity.title for d in data["open_deviations"]] == [
        "Nattvandring: möta ungdomar som är ute sent på kvällen"]
    assert data["missing"]
    assert {k: n for k, _label, n in data["reported_by_status"]}["yellow"] == 1
    row = next(r for r in data["indicators"] if r["indicator"] == indicator)
    assert row["latest"] == latest and row["percent"] is None


def test_a_second_run_writes_nothing(agreement):
    demo.load(actor=None, today=TODAY)
    entries = AuditEntry.objects.count()
    rounds = FollowUpRound.objects.count()
    demo.load(actor=None, today=TODAY)
    assert AuditEntry.objects.count() == entries
    assert FollowUpRound.objects.count() == rounds


@pytest.mark.parametrize("today, label", [
    (dt.date(2027, 5, 10), "Delår 2 2027"),  # the period contains today
    (dt.date(2028, 3, 1), "Helår 2027"),  # the agreement has ended: its last round
])
def test_the_current_round_on_other_days(agreement, today, label):
    current = demo.load(actor=None, today=today)
    assert current.label == label and current.status == RoundStatus.OPEN
    assert ActivityReport.objects.filter(round=current).count() == 4
