"""The demo of fault reports and cameras: seed 001's rules, a network of owners, months of
synthetic reports mostly fixed in time, three cameras with one hold; examples are marked and
loading twice changes nothing."""
import pytest
from django.db.models import Q

from samverkan.cameras import demo as cameras_demo
from samverkan.cameras.models import Camera, RetentionHold, RetentionRun
from samverkan.faults import demo as faults_demo
from samverkan.faults import services
from samverkan.faults.models import DeadlineRule, FaultReport
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.organizations.models import Municipality
from samverkan.situation import services as situation
from samverkan.situation.demo import CENTRE_POLYGON, LAGERSBERG_POLYGON


@pytest.fixture
def demo(db, settings):
    settings.LANGUAGE_CODE = "sv"
    load_demo_base()
    eskilstuna = Municipality.objects.get(code="0484")
    for name, polygon in (("Eskilstuna centrum", CENTRE_POLYGON),
                          ("Lagersberg", LAGERSBERG_POLYGON)):
        situation.save_area(actor=None, municipality=eskilstuna, name=name, kind="district",
                            geometry_wgs84=polygon)
    faults_demo.load(actor=None)
    cameras_demo.load(actor=None)
    return eskilstuna


def test_rules_from_seed_001_are_real_the_rest_examples(demo):
    real = DeadlineRule.objects.filter(is_example=False)
    assert sorted((r.zone is not None, r.amount) for r in real) == [(False, 48), (True, 24)]
    assert all("Seed 001" in r.note for r in real)
    assert DeadlineRule.objects.filter(is_example=True).count() == 2


def test_reports_mostly_fixed_in_time_some_not(demo):
    reports = FaultReport.objects.all()
    assert reports.count() == faults_demo.REPORTS and not reports.filter(is_example=False)
    rows = services.deadline_statistics(reports, by="month")
    fixed_in_time = sum(r.fixed_in_time for r in rows)
    late = sum(r.fixed_late + r.open_overdue for r in rows)
    assert fixed_in_time > 2 * late > 0
    centre = reports.filter(zone__name="Eskilstuna centrum", category__slug="klotter").first()
    assert (centre.due_at - centre.received_at).total_seconds() == 24 * 3600
    assert reports.filter(~Q(cost=None)).exists()
    assert reports.filter(status="not_ours").exists()


def test_cameras_with_one_hold_and_a_run(demo, client):
    assert Camera.objects.filter(is_example=True, records_sound=False,
                                 retention_days=30).count() == 3
    assert RetentionHold.objects.count() == 1 and RetentionRun.objects.count() == 1
    page = client.get("/cameras/public/0484/").content.decode()
    assert "dso@eskilstuna.se" in page and "Exempel" in page


def test_loading_twice_changes_nothing(demo):
    counts = (FaultReport.objects.count(), DeadlineRule.objects.count(),
              Camera.objects.count())
    faults_demo.load(actor=None)
    cameras_demo.load(actor=None)
    assert counts == (FaultReport.objects.count(), DeadlineRule.objects.count(),
                      Camera.objects.count())
