"""The weekly and yearly situation picture: numbers on a small known data set, hot spots and
time of week from the database against the analysis package, exports, access and e-mail."""
from __future__ import annotations

import datetime
import io
import math

import numpy as np
import pytest
from django.core import mail
from django.urls import reverse
from shapely.geometry import box

from samverkan.analysis import gi_star_from_points, time_of_week_matrix
from samverkan.analysis.projection import sweref99tm_to_wgs84
from samverkan.audit.models import AuditEntry
from samverkan.situation import picture, services, weekly, yearly
from samverkan.situation.choices import AreaKind, IncidentSource
from samverkan.situation.models import (
    Category,
    EstMeasure,
    Incident,
    WeeklyPictureMailing,
    YearlyPicture,
)
from samverkan.situation.picture import LOCAL_TZ, Week

WEEK = Week(2025, 10)  # Monday 3 March 2025
# Järntorget, Eskilstuna (SWEREF 99 TM)
JARNTORGET = (585_700.0, 6_582_300.0)


def at(week: Week, day: int = 0, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(week.monday + datetime.timedelta(days=day),
                                     datetime.time(hour, minute), tzinfo=LOCAL_TZ)


def latlon(dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    lat, lon = sweref99tm_to_wgs84(JARNTORGET[0] + dx, JARNTORGET[1] + dy)
    return float(lat), float(lon)


def add(world, slug: str, when: datetime.datetime, *, dx=0.0, dy=0.0, **extra) -> Incident:
    category = Category.objects.get(municipality=world.eskilstuna, slug=slug)
    lat, lon = latlon(dx, dy)
    fields = {"category": category, "occurred_at": when, "lat": lat, "lon": lon,
              "precision": "exact", **extra}
    return services.create_incident(actor=world.coordinator, municipality=world.eskilstuna,
                                    **fields)


@pytest.fixture
def known(world):
    """Klotter: 8 exact + 1 area-centre this week, 1 a week in each of the 4 weeks before, 2 in
    the same week last year. Skadegörelse: 2 this week; 1, 2, 3, 2 before; 3 last year. Plus a
    night summary, a merged duplicate and a rejected report this week (none count)."""
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    for i in range(8):
        add(world, "klotter", at(WEEK, i % 7, 22), dx=10 * i, address="Järntorget")
    add(world, "klotter", at(WEEK, 2, 3), precision="area_centre")
    for k in range(1, 5):
        add(world, "klotter", at(WEEK.shift(-k), 1, 14), address="Järntorget")
    add(world, "klotter", at(WEEK.same_week_last_year(), 2), dx=500)
    add(world, "klotter", at(WEEK.same_week_last_year(), 3), dx=500)
    for _ in range(2):
        add(world, "skadegorelse", at(WEEK, 5, 1), dy=300)
    for k, n in zip(range(4, 0, -1), (1, 2, 3, 2), strict=True):
        for _ in range(n):
            add(world, "skadegorelse", at(WEEK.shift(-k), 4, 23), dy=300)
    for _ in range(3):
        add(world, "skadegorelse", at(WEEK.same_week_last_year(), 4), dy=300)
    add(world, "ovrigt", at(WEEK, 1, 8), is_summary=True, source=IncidentSource.POLICE_EVENTS,
        source_id="summary-1")
    original = add(world, "klotter", at(WEEK, 4, 20))
    duplicate = add(world, "klotter", at(WEEK, 4, 20))
    services.merge_incident(duplicate, into=original, actor=world.coordinator)
    rejected = add(world, "klotter", at(WEEK, 4, 21))
    services.reject_incident(rejected, actor=world.coordinator)
    return world


def rows_by_slug(counts):
    slugs = dict(Category.objects.values_list("pk", "slug"))
    return {slugs[r.category_id]: r for r in counts.rows}


# -- weeks -------------------------------------------------------------------------------------


def test_week_parsing_and_shifting():
    assert Week.parse("2025-W10") == WEEK
    assert Week.parse("2025-10") == WEEK
    assert Week.parse("2025W53") is None  # 2025 has 52 ISO weeks
    assert Week.parse("nonsense") is None
    assert WEEK.shift(-10) == Week(2024, 52)
    assert Week(2021, 53).same_week_last_year() == Week(2020, 53)
    assert Week(2026, 53).same_week_last_year() == Week(2025, 52)
    assert WEEK.start.isoformat() == "2025-03-03T00:00:00+01:00"
    assert WEEK.end - WEEK.start == datetime.timedelta(days=7)


# -- weekly counts -----------------------------------------------------------------------------


def test_weekly_counts_against_four_weeks_and_last_year(known):
    qs = picture.incidents_for(known.coordinator, known.eskilstuna)
    counts = picture.weekly_counts(qs, known.eskilstuna, WEEK, reader=known.coordinator)
    rows = rows_by_slug(counts)
    klotter = rows["klotter"]
    # 8 exact + 1 area centre + the merge target; the duplicate and the rejected do not count.
    assert klotter.current == 10
    assert klotter.previous == [1, 1, 1, 1]
    assert klotter.mean_previous == 1.0
    assert klotter.last_year == 2
    assert klotter.vs_mean.z == pytest.approx(2 * (math.sqrt(10) - 1))
    assert klotter.vs_mean.significant and klotter.vs_mean.direction == "increase"
    assert klotter.vs_last_year.z == pytest.approx(2 * (math.sqrt(10) - math.sqrt(2)))
    assert klotter.flagged

    skade = rows["skadegorelse"]
    assert (skade.current, skade.previous, skade.last_year) == (2, [1, 2, 3, 2], 3)
    assert skade.vs_mean.z == pytest.approx(0.0)
    assert skade.vs_last_year.z == pytest.approx(2 * (math.sqrt(2) - math.sqrt(3)))
    assert not skade.flagged
    # The summary is not counted anywhere.
    assert rows["ovrigt"].current == 0
    assert counts.total.current == 12
    assert counts.total.previous == [2, 3, 4, 3]
    assert counts.total.last_year == 5
    assert [w.week for w in counts.previous_weeks] == [6, 7, 8, 9]


def test_area_centre_counts_in_statistics_but_not_in_hot_spots(known):
    qs = picture.incidents_for(known.coordinator, known.eskilstuna)
    week_qs = picture.in_period(qs, WEEK.start, WEEK.end)
    assert week_qs.count() == 12
    assert week_qs.for_hotspots().count() == 11
    ix, iy, n = picture.cell_counts(week_qs, 100)
    assert int(n.sum()) == 11
    # Summaries never count, even in hot spots.
    assert not Incident.objects.filter(is_summary=True).counted().exists()
    points, n_centre, cut = picture.map_points(week_qs)
    assert len(points) == 11 and n_centre == 1 and cut == 0


# -- hot spots from the database -----------------------------------------------------------------


def test_hot_spots_from_the_database_equal_hot_spots_from_points(world):
    services.ensure_default_categories(world.eskilstuna, actor=world.coordinator)
    rng = np.random.default_rng(7)
    offsets = np.concatenate([rng.normal(0, 120, (30, 2)), rng.uniform(-1500, 1500, (20, 2))])
    for i, (dx, dy) in enumerate(offsets):
        add(world, "klotter", at(WEEK, i % 7, (i * 5) % 24), dx=float(dx), dy=float(dy))
    qs = picture.incidents_for(world.coordinator, world.eskilstuna)
    from_db = picture.hotspots(qs, 200)
    x, y = np.array(list(qs.for_hotspots().values_list("x", "y"))).T
    from_points = gi_star_from_points(x, y, 200)
    assert from_db.meaningful and from_points.meaningful
    assert from_db.origin == from_points.origin and from_db.shape == from_points.shape
    assert np.array_equal(from_db.counts, from_points.counts)
    assert np.array_equal(from_db.z, from_points.z)
    assert np.array_equal(from_db.bins, from_points.bins)
    assert from_db.bins.max() > 0  # the cluster at Järntorget is a hot spot
    geojson = picture.hotspot_cells_geojson(from_db)
    assert len(geojson["features"]) == int((from_db.bins != 0).sum())
    ring = geojson["features"][0]["geometry"]["coordinates"][0]
    assert len(ring) == 5 and 59 < ring[0][1] < 60


def test_fewer_than_30_incidents_is_not_meaningful(known):
    qs = picture.incidents_for(known.coordinator, known.eskilstuna)
    result = picture.hotspots(picture.in_period(qs, WEEK.start, WEEK.end))
    assert not result.meaningful
    assert picture.hotspot_cells_geojson(result)["features"] == []
    pic = weekly.build_weekly(known.coordinator, known.eskilstuna, WEEK)
    assert "30" in weekly.hotspot_message(pic)


# -- time of week ------------------------------------------------------------------------------


def test_time_of_week_from_the_database(known):
    qs = picture.incidents_for(known.coordinator, known.eskilstuna)
    matrix = picture.time_of_week(qs)
    times = [t.astimezone(LOCAL_TZ) for t in qs.values_list("occurred_at", flat=True)]
    expected = time_of_week_matrix([t.weekday() for t in times], [t.hour for t in times])
    assert matrix.shape == (7, 24)
    assert np.array_equal(matrix, expected)
    assert matrix.sum() == qs.count()
    # Friday 23:00 local (skadegörelse in the weeks before) is in row 4 (Monday first).
    assert matrix[4, 23] == 8


def test_recurring_places(known):
    qs = picture.incidents_for(known.coordinator, known.eskilstuna)
    window = picture.in_period(qs, WEEK.shift(-4).start, WEEK.end)
    places = picture.recurring_places(window, [WEEK.shift(-k) for k in range(4, -1, -1)])
    named = [p for p in places if p["kind"] == "place"]
    assert named[0]["label"] == "Järntorget" and named[0]["weeks"] == 5
    assert named[0]["incidents"] == 12
    cell = next(p for p in places if p["kind"] == "cell" and p["weeks"] == 5)
    assert cell["label"] == "Järntorget"  # named by the incidents inside the cell


# -- exports -----------------------------------------------------------------------------------


def test_weekly_exports_docx_and_pdf(known, client):
    import docx
    from pypdf import PdfReader

    client.force_login(known.coordinator)
    url = reverse("situation:weekly_export")
    response = client.get(url, {"week": WEEK.param, "format": "docx"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "vecka 10" in text.lower() or "week 10" in text.lower()
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Klotter" in cells and "10" in cells

    response = client.get(url, {"week": WEEK.param, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        response.content)).pages)
    assert "Klotter" in pdf_text and "Järntorget" in pdf_text


def test_yearly_export_docx(known, client):
    import docx

    services.save_crime_statistic(actor=known.coordinator, municipality=known.eskilstuna,
                                  year=2024, category="Anmälda brott", source="bra-csv",
                                  count=12000, population=107000)
    yearly.save_yearly_picture(actor=known.coordinator, municipality=known.eskilstuna,
                               year=2025, analysis="Klottret ökar kring Järntorget.")
    client.force_login(known.coordinator)
    response = client.get(reverse("situation:yearly_export"), {"year": 2025})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Klottret ökar kring Järntorget." in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Klotter" in cells and "Anmälda brott" in cells


# -- pages and access ----------------------------------------------------------------------------


def test_weekly_page_shows_the_week(known, client):
    client.force_login(known.reader)
    response = client.get(reverse("situation:weekly"), {"week": WEEK.param})
    assert response.status_code == 200
    body = response.content.decode()
    assert "|z| ≥ 2" in body
    assert "weekly-map-data" in body
    assert "Klotter" in body
    # Readers do not get the coordinators' forms.
    assert reverse("situation:weekly_note") not in body


def test_weekly_page_of_another_municipalitys_area_is_404(known, client):
    area, _created = services.save_area(actor=known.coordinator, municipality=known.eskilstuna,
                                        name="Centrum", kind=AreaKind.DISTRICT,
                                        geometry_wgs84=box(16.49, 59.36, 16.53, 59.38))
    client.force_login(known.coordinator)
    assert client.get(reverse("situation:weekly"), {"area": area.pk}).status_code == 200
    client.force_login(known.other_municipality_user)
    for name in ("situation:weekly", "situation:weekly_export"):
        assert client.get(reverse(name), {"area": area.pk}).status_code == 404
    client.force_login(known.no_role_user)
    assert client.get(reverse("situation:weekly")).status_code == 403


def test_measure_and_note_forms(known, client):
    client.force_login(known.coordinator)
    response = client.post(reverse("situation:measure_create") + f"?week={WEEK.param}", {
        "what": "Sanera klottret vid Järntorget", "responsible": "Fastighetsvärd Centrum",
        "due_date": "2025-03-10", "status": "planned"})
    assert response.status_code == 302
    measure = EstMeasure.objects.get()
    assert (measure.iso_year, measure.iso_week) == (2025, 10)
    response = client.post(reverse("situation:weekly_note"), {"week": WEEK.param,
                                                               "text": "Lugn vecka."})
    assert response.status_code == 302
    pic = weekly.build_weekly(known.coordinator, known.eskilstuna, WEEK)
    assert [n.text for n in pic.notes] == ["Lugn vecka."]
    assert [m.what for m in pic.measures] == ["Sanera klottret vid Järntorget"]
    # Open measures of earlier weeks are carried forward.
    later = weekly.build_weekly(known.coordinator, known.eskilstuna, WEEK.shift(2))
    assert [m.pk for m in later.measures] == [measure.pk]
    # Another municipality's coordinator: 404; a reader: 403.
    client.force_login(known.other_municipality_user)
    assert client.get(reverse("situation:measure_update", args=[measure.pk])).status_code == 404
    client.force_login(known.reader)
    assert client.get(reverse("situation:measure_update", args=[measure.pk])).status_code == 403
    assert client.post(reverse("situation:weekly_note"), {"week": WEEK.param,
                                                          "text": "x"}).status_code == 403


def test_send_weekly_picture_by_email(known, client, run_jobs,
                                      django_capture_on_commit_callbacks):
    known.coordinator.email = "samordnare@eskilstuna.se"
    known.coordinator.save()
    client.force_login(known.coordinator)
    url = reverse("situation:weekly_send") + f"?week={WEEK.param}"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"addresses": "est@eskilstuna.se, polis@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []  # queued: the job worker sends, one e-mail per recipient
    assert run_jobs() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["est@eskilstuna.se", "polis@example.se"]
    message = mail.outbox[0]
    assert len(message.to) == 1 and not message.bcc  # nobody sees the other addresses
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".pdf") and mimetype == "application/pdf"
    assert content[:4] == b"%PDF"
    mailing = WeeklyPictureMailing.objects.get()
    assert mailing.recipients == "est@eskilstuna.se, polis@example.se"
    assert AuditEntry.objects.for_object(mailing).filter(action="create").count() == 1
    # A bad address is refused and nothing is sent.
    response = client.post(url, {"addresses": "not-an-address"})
    assert response.status_code == 200 and run_jobs() == 0 and len(mail.outbox) == 2
    client.force_login(known.reader)
    assert client.post(url, {"addresses": "a@b.se"}).status_code == 403


def test_yearly_document_as_a_background_job(known, client, run_jobs, settings, tmp_path,
                                              django_capture_on_commit_callbacks):
    import docx

    settings.MEDIA_ROOT = tmp_path
    yearly.save_yearly_picture(actor=known.coordinator, municipality=known.eskilstuna,
                               year=2025, analysis="Klottret ökar kring Järntorget.")
    client.force_login(known.coordinator)
    assert 'id="yearly-word"' in client.get(reverse("situation:yearly"),
                                            {"year": 2025}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("situation:yearly_export") + "?year=2025")
    assert response.status_code == 302  # to the job page
    assert run_jobs() == 1
    page = client.get(response.url).content.decode()
    assert 'id="job-file"' in page and "lagesbild_Eskilstuna_2025.docx" in page
    job_id = int(response.url.rstrip("/").split("/")[-1])
    download = client.get(reverse("jobs:job_file", args=[job_id]))
    assert download.status_code == 200
    text = "\n".join(p.text for p in docx.Document(
        io.BytesIO(b"".join(download.streaming_content))).paragraphs)
    assert "Klottret ökar kring Järntorget." in text
    client.force_login(known.other_municipality_user)
    assert client.get(reverse("jobs:job_file", args=[job_id])).status_code == 404


def test_yearly_page_and_texts(known, client):
    client.force_login(known.coordinator)
    response = client.post(reverse("situation:yearly_edit") + "?year=2025", {
        "who_is_affected": "Handlare vid Järntorget.", "other_information": "",
        "analysis": "Analys.", "sources_note": ""})
    assert response.status_code == 302
    record = YearlyPicture.objects.get()
    assert record.who_is_affected == "Handlare vid Järntorget."
    response = client.get(reverse("situation:yearly"), {"year": 2025})
    assert response.status_code == 200
    assert "Handlare vid Järntorget." in response.content.decode()
    data = yearly.build_yearly(known.coordinator, known.eskilstuna, 2025)
    assert data.total_counts[-1] == 24  # 2025: weeks 6-10, counted incidents only
    client.force_login(known.reader)
    assert client.get(reverse("situation:yearly_edit") + "?year=2025").status_code == 403


def test_focus_area_trend(known, client):
    from samverkan.agreements import services as agreement_services

    agreement = agreement_services.create_agreement(
        actor=known.coordinator, municipality=known.eskilstuna,
        title="Samverkansöverenskommelse Eskilstuna", start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31))
    focus = agreement_services.create_focus_area(
        actor=known.coordinator, agreement=agreement, title="Klotter och skadegörelse")
    client.force_login(known.coordinator)
    url = reverse("situation:focus_trend", args=[focus.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Klotter" not in response.content.decode()
    services.set_focus_area_watch(focus, actor=known.coordinator, categories=Category.objects
                                  .filter(municipality=known.eskilstuna,
                                          slug__in=["klotter", "skadegorelse"]))
    trend = yearly.focus_area_trend(focus, known.coordinator)
    assert [r["name"] for r in trend.rows] == ["Klotter", "Skadegörelse"]
    assert sum(trend.rows[0]["counts"]) == 10 + 4 + 2  # this week, the 4 before, last year
    response = client.get(url)
    assert response.status_code == 200 and "Klotter" in response.content.decode()
    client.force_login(known.other_municipality_user)
    assert client.get(url).status_code == 404


def test_a_stale_week_note_is_refused_with_what_changed(known, client):
    """The week note's form carries the note's version (optimistic locking): a save from a
    page opened before another coordinator saved the note is refused, says what changed, and
    the other coordinator's note is kept."""
    from bs4 import BeautifulSoup

    from samverkan.core import versioning

    services.save_week_note(actor=known.coordinator, municipality=known.eskilstuna,
                            iso_year=WEEK.year, iso_week=WEEK.week, text="Lugn vecka.")
    client.force_login(known.coordinator)
    page = BeautifulSoup(client.get(reverse("situation:weekly"), {"week": WEEK.param}).content,
                         "html.parser")
    opened = page.find("input", attrs={"name": versioning.FIELD_NAME})["value"]
    services.save_week_note(actor=known.police_officer, municipality=known.eskilstuna,
                            iso_year=WEEK.year, iso_week=WEEK.week, text="Oro vid stationen.")
    response = client.post(reverse("situation:weekly_note"), {
        "week": WEEK.param, "text": "Lugn vecka, inget att rapportera.",
        versioning.FIELD_NAME: opened}, follow=True)
    html = response.content.decode()
    assert "Någon annan har ändrat" in html and "”Oro vid stationen.”" in html
    pic = weekly.build_weekly(known.coordinator, known.eskilstuna, WEEK)
    assert [n.text for n in pic.notes] == ["Oro vid stationen."]
