"""Intake (zone, deadline, handler, incident), status changes with e-mails, reopening,
duplicates, photos and the statistics."""
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from samverkan.faults import services
from samverkan.faults.choices import FaultStatus
from samverkan.faults.models import FaultReport
from samverkan.situation.models import Incident

from .conftest import CENTRE, OUTSIDE, jpeg_with_gps

T0 = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)  # a Monday


def file(setup, world, where=CENTRE, slug="klotter", **extra):
    extra.setdefault("received_at", T0)
    return services.submit_report(municipality=world.eskilstuna, category=setup[slug],
                                  lat=where[0], lon=where[1], description="Taggar på väggen",
                                  **extra)


def test_graffiti_in_the_centre_is_due_in_24_hours_and_goes_to_the_owner(setup, world, owner,
                                                                        centre):
    report = file(setup, world)
    assert report.zone == centre
    assert report.due_at == T0 + dt.timedelta(hours=24)
    assert report.handler == owner
    assert report.status == FaultStatus.RECEIVED
    assert report.events.get().status == FaultStatus.RECEIVED


def test_graffiti_elsewhere_48_hours_and_offensive_graffiti_24(setup, world):
    assert file(setup, world, where=OUTSIDE).due_at == T0 + dt.timedelta(hours=48)
    assert file(setup, world, where=OUTSIDE, slug="klotter_krankande").due_at == \
        T0 + dt.timedelta(hours=24)
    other = file(setup, world, where=OUTSIDE, slug="belysning")
    assert other.due_at == T0 + dt.timedelta(days=7)  # 5 working days from a Monday
    assert other.handler == world.municipality_org


def test_the_report_is_an_incident_of_the_situation_picture(setup, world):
    report = file(setup, world)
    incident = Incident.objects.get(pk=report.incident_id)
    assert incident.source == "fault_report" and incident.category.slug == "klotter"
    assert (incident.lat, incident.lon) == CENTRE


def test_overdue(setup, world):
    report = file(setup, world)
    assert not report.is_overdue(now=T0 + dt.timedelta(hours=23))
    assert report.is_overdue(now=T0 + dt.timedelta(hours=25))
    assert FaultReport.objects.overdue(now=T0 + dt.timedelta(hours=25)).count() == 1


def test_every_status_change_is_kept_and_mailed_after_commit(setup, world, owner, run_jobs,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = file(setup, world, reporter_email="boende@example.se")
    run_jobs()
    assert len(mail.outbox) == 1 and "Mottagen" in mail.outbox[0].subject
    assert report.get_public_url() in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(report, actor=world.coordinator, status="in_progress",
                               at=T0 + dt.timedelta(hours=1))
        services.change_status(report, actor=world.coordinator, status="fixed", cost=1200,
                               at=T0 + dt.timedelta(hours=5))
    run_jobs()
    assert [m.subject.split(": ")[-1] for m in mail.outbox] == [
        "Mottagen", "Påbörjad", "Åtgärdad"]
    report.refresh_from_db()
    assert report.fixed_in_time and report.cost == 1200
    assert list(report.events.values_list("status", flat=True)) == [
        "received", "in_progress", "fixed"]


def test_honest_closure_needs_a_reason_or_a_recipient(setup, world):
    report = file(setup, world)
    with pytest.raises(ValidationError):
        services.change_status(report, actor=world.coordinator, status="closed_not_fixed")
    with pytest.raises(ValidationError):
        services.change_status(report, actor=world.coordinator, status="not_ours")
    report = services.change_status(report, actor=world.coordinator, status="not_ours",
                                    forwarded_to="Trafikverket")
    assert report.forwarded_to == "Trafikverket"
    with pytest.raises(ValidationError):  # closed reports only reopen
        services.change_status(report, actor=world.coordinator, status="fixed")


def test_the_reporter_reopens_within_30_days(setup, world):
    report = file(setup, world)
    report = services.change_status(report, actor=world.coordinator, status="fixed", at=T0)
    reopened = services.reopen_by_reporter(report, note="Taggen är kvar",
                                           at=T0 + dt.timedelta(days=29))
    assert reopened.status == "reopened" and reopened.events.last().by_reporter
    closed = services.change_status(reopened, actor=world.coordinator, status="fixed",
                                    at=T0 + dt.timedelta(days=29))
    with pytest.raises(ValidationError):
        services.reopen_by_reporter(closed, at=T0 + dt.timedelta(days=60))


def test_duplicates_within_50_metres_and_7_days(setup, world):
    first = file(setup, world)
    near = (CENTRE[0] + 0.0003, CENTRE[1])  # about 33 m north
    far = (CENTRE[0] + 0.0006, CENTRE[1])  # about 67 m
    found = services.likely_duplicates(world.eskilstuna, lat=near[0], lon=near[1],
                                       at=T0 + dt.timedelta(days=2))
    assert found == [first] and 30 <= found[0].distance_m <= 36
    assert services.likely_duplicates(world.eskilstuna, lat=far[0], lon=far[1], at=T0) == []
    assert services.likely_duplicates(world.eskilstuna, lat=near[0], lon=near[1],
                                      at=T0 + dt.timedelta(days=8)) == []
    second = file(setup, world, where=near, received_at=T0 + dt.timedelta(days=1))
    second = services.mark_duplicate(second, of=first, actor=world.coordinator)
    assert second.duplicate_of == first and second.status == "closed_not_fixed"
    assert Incident.objects.get(pk=second.incident_id).status == "merged"


def test_photos_lose_their_location_and_must_be_images(setup, world):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the test photo has GPS
    report = file(setup, world, photos=[raw])
    stored = Image.open(io.BytesIO(bytes(report.photos.get().image)))
    assert not stored.getexif() and "exif" not in stored.info
    with pytest.raises(ValidationError):
        file(setup, world, photos=[b"GIF89a not really an image"])
    with pytest.raises(ValidationError):
        file(setup, world, photos=[raw] * 4)


def test_identity_numbers_are_refused(setup, world):
    with pytest.raises(ValidationError):
        services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                               address="Kungsgatan", description="Det var 811218-9876")


def test_statistics_per_handler_category_zone_month(setup, world, owner):
    in_time = file(setup, world)
    services.change_status(in_time, actor=world.coordinator, status="fixed",
                           at=T0 + dt.timedelta(hours=3), cost=800)
    late = file(setup, world)
    services.change_status(late, actor=world.coordinator, status="fixed",
                           at=T0 + dt.timedelta(hours=30))
    file(setup, world)  # open, overdue by now
    fresh = file(setup, world, where=OUTSIDE, received_at=timezone.now())  # open, in time
    rows = {r.label: r for r in services.deadline_statistics(FaultReport.objects.all(),
                                                             by="handler")}
    kfast = rows[owner.name]
    assert (kfast.total, kfast.fixed_in_time, kfast.fixed_late, kfast.open_overdue) == \
        (3, 1, 1, 1)
    assert kfast.share_in_time == pytest.approx(1 / 3) and kfast.cost == 800
    assert rows[world.municipality_org.name].open_in_time == 1
    assert fresh.handler == world.municipality_org
    months = services.deadline_statistics(FaultReport.objects.all(), by="month")
    assert months[0].label == "2026-05"
    zones = {r.label for r in services.deadline_statistics(FaultReport.objects.all(), by="zone")}
    assert zones == {"Centrum", "Utanför zonerna"} or zones == {"Centrum", "Outside zones"}


def test_a_section_in_the_yearly_picture(setup, world, settings):
    from samverkan.situation.yearly import build_yearly

    settings.LANGUAGE_CODE = "sv"
    report = file(setup, world)
    services.change_status(report, actor=world.coordinator, status="fixed",
                           at=T0 + dt.timedelta(hours=2), cost=700)
    data = build_yearly(world.coordinator, world.eskilstuna, 2026)
    section = next(s for s in data.sections if s.title == "Felanmälningar från invånare")
    assert section.rows == [["Klotter", "1", "1", "100 %", "700"]]
    assert "Fault report" in dict(data.incidents_by_source) or \
        "Felanmälan" in dict(data.incidents_by_source)
    assert not [s for s in build_yearly(world.other_municipality_user, world.karlshamn,
                                        2026).sections if s.title == "Felanmälningar från invånare"]
