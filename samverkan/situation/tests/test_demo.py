"""The situation picture's demo (samverkan/situation/demo.py): idempotent, through the services,
with the patterns the seed agreements describe (hot spots at Järntorget and Fristadstorget,
violence on Friday and Saturday nights 23-04, a significant wave of graffiti in Fröslunda)."""
from __future__ import annotations

import datetime
import json

import numpy as np
import shapely
from shapely.geometry import Point

from samverkan.agreements.models import FocusArea
from samverkan.analysis import wgs84_to_sweref99tm
from samverkan.analysis.hotspots import gi_star_from_points
from samverkan.analysis.timeofweek import standout_hours
from samverkan.audit.models import AuditEntry
from samverkan.demo.loader import AGREEMENT_FILES, ensure_users, load_agreement
from samverkan.demo.loader import DATA as DEMO_DATA
from samverkan.situation import demo, picture
from samverkan.situation.choices import AreaKind, IncidentSource, IncidentStatus, Precision
from samverkan.situation.models import (
    Area,
    CrimeStatistic,
    EstMeasure,
    EstWeekNote,
    FocusAreaWatch,
    Incident,
    IncidentArea,
    NothingToReport,
)
from samverkan.situation.sources.geojson import read_feature_collection

# A Thursday afternoon inside the Police events' period (they end 2026-08-22).
NOW = datetime.datetime(2026, 5, 21, 14, 0, tzinfo=datetime.UTC)
JARNTORGET = (59.3706, 16.5077)
FRISTADSTORGET = (59.3714, 16.5098)


def _vulnerable_polygons() -> dict[str, shapely.Geometry]:
    collection = json.loads((demo.DATA / "polisen_utsatta_omraden_2025.geojson").read_text(
        encoding="utf-8"))
    return {f.name: f.geometry_wgs84 for f in read_feature_collection(collection)
            if f.properties.get("ORT") == "Eskilstuna"}


def _polygons() -> dict[str, shapely.Geometry]:
    polygons = _vulnerable_polygons()
    polygons["centre"] = demo.CENTRE_POLYGON
    polygons["Lagersberg"] = demo.LAGERSBERG_POLYGON
    return polygons


# -- without the database --------------------------------------------------------------------


def test_named_places_lie_in_their_areas():
    polygons = _polygons()
    for area, places in demo.AREA_PLACES.items():
        for name, lat, lon, _street in places:
            assert polygons[area].contains(Point(lon, lat)), (area, name)
    for name, lat, lon, _street in demo.CENTRE_PLACES:
        assert demo.CENTRE_POLYGON.contains(Point(lon, lat)), name
    for name, lat, lon, _street, _weight in demo.HOT_SPOTS:
        assert demo.CENTRE_POLYGON.contains(Point(lon, lat)), name


def test_hand_drawn_areas_do_not_overlap_the_vulnerable_areas():
    collection = json.loads((demo.DATA / "polisen_utsatta_omraden_2025.geojson").read_text(
        encoding="utf-8"))
    every = [f.geometry_wgs84 for f in read_feature_collection(collection)]
    for polygon in (demo.CENTRE_POLYGON, demo.LAGERSBERG_POLYGON):
        assert polygon.is_valid
        assert not any(polygon.intersects(g) for g in every)


def test_weekend_night_profile_is_friday_and_saturday_23_to_04():
    m = demo.PROFILES["weekend_nights"]
    cells = {(int(d), int(h)) for d, h in zip(*np.nonzero(m), strict=True)}
    friday, saturday, sunday = 4, 5, 6
    assert cells == {(friday, 23), (saturday, 0), (saturday, 1), (saturday, 2), (saturday, 3),
                     (saturday, 23), (sunday, 0), (sunday, 1), (sunday, 2), (sunday, 3)}


def test_each_week_is_the_same_whatever_day_the_demo_is_loaded():
    polygons = _polygons()
    first = demo.Generator(now=NOW, scale=0.5, polygons=polygons)
    later = demo.Generator(now=NOW + datetime.timedelta(days=17), scale=0.5, polygons=polygons)
    # The weeks both load: from the later one's first week to the first one's wave.
    start, cut = (datetime.datetime.combine(day, datetime.time(), tzinfo=demo.LOCAL_TZ)
                  for day in (later.weeks()[0], first.picture_monday))

    def overlap(generator):
        return [(p.source_id, p.occurred_at, p.lat, p.lon, p.category, p.description)
                for p in generator.plan() if start <= p.occurred_at < cut]

    a = overlap(first)
    assert len(a) > 500
    assert a == overlap(later)
    assert all(p.occurred_at <= NOW for p in first.plan())


# -- the whole load --------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Incident, IncidentArea, Area, CrimeStatistic, AuditEntry, NothingToReport,
        EstWeekNote, EstMeasure, FocusAreaWatch)}


def test_demo_load(db):
    """One load (the expensive part) and every check on it; then the second load."""
    for name in AGREEMENT_FILES:
        load_agreement(DEMO_DATA / name, actor=None)
    ensure_users(actor=None)
    summary = demo.load(actor=None, now=NOW)
    assert 1800 <= summary["incidents"] <= 2500
    assert summary["police_events"] > 400
    assert summary["statistics"] == 870

    check_areas_and_their_incidents()
    check_hot_spot_at_jarntorget_and_fristadstorget()
    check_violence_stands_out_on_friday_and_saturday_nights()
    check_weekly_picture_flags_the_graffiti_wave_in_froslunda_only()
    check_duplicates_wait_for_the_coordinator()
    check_statistics_checkins_watches_notes_and_measures()
    check_what_the_demo_made_up_is_marked()

    before = _counts()
    again = demo.load(actor=None, now=NOW)
    assert _counts() == before
    assert again == {"police_events": 0, "statistics": 0, "incidents": 0,
                     "nothing_to_report": 0}


def check_areas_and_their_incidents():
    areas = {a.name: a for a in Area.objects.filter(municipality="0484")}
    assert set(areas) == {"Skiftinge", "Fröslunda", "Årby", "Eskilstuna centrum", "Lagersberg"}
    for name in demo.VULNERABLE:
        area = areas[name]
        assert area.kind == AreaKind.VULNERABLE_AREA
        assert area.priority_area.name == name
        assert area.priority_area.agreement.start_date.year == 2024
        assert area.incidents.count() > 100
    assert areas["Lagersberg"].priority_area.agreement.start_date.year == 2016
    assert areas["Eskilstuna centrum"].incidents.filter(category__slug="hot_vald").exists()
    # The Police's events are area centres: counted, never assigned to an area.
    police = Incident.objects.filter(source=IncidentSource.POLICE_EVENTS)
    assert police.filter(municipality="0484").count() > 400
    assert not police.exclude(precision=Precision.AREA_CENTRE).exists()
    assert not IncidentArea.objects.filter(incident__in=police).exists()


def check_hot_spot_at_jarntorget_and_fristadstorget():
    rows = np.array(list(Incident.objects.filter(municipality="0484").for_hotspots()
                         .values_list("x", "y")), dtype=float)
    result = gi_star_from_points(rows[:, 0], rows[:, 1], 200)
    assert result.meaningful
    for lat, lon in (JARNTORGET, FRISTADSTORGET):
        x, y = wgs84_to_sweref99tm(lat, lon)
        i = int(np.floor(x / 200)) - result.origin[0]
        j = int(np.floor(y / 200)) - result.origin[1]
        assert result.bins[j, i] == 3, (lat, lon)


def check_violence_stands_out_on_friday_and_saturday_nights():
    qs = Incident.objects.filter(municipality="0484").counted()
    matrix = picture.time_of_week(qs.filter(category__slug="hot_vald"))
    window = {(4, 23), (5, 0), (5, 1), (5, 2), (5, 3), (5, 23), (6, 0), (6, 1), (6, 2), (6, 3)}
    in_window = sum(matrix[d, h] for d, h in window)
    assert in_window / matrix.sum() > 0.4  # 10 of the week's 168 hours
    standout = standout_hours(matrix)
    assert (standout[0].weekday, standout[0].hour) in window
    assert len({(s.weekday, s.hour) for s in standout} & window) >= 3


def check_weekly_picture_flags_the_graffiti_wave_in_froslunda_only():
    week = picture.Week.of(NOW.date()).shift(-1)  # the week the weekly page opens on
    est = Incident.objects.filter(municipality="0484",
                                  source=IncidentSource.DEMO).counted()
    rows = {r.name: r for r in picture.weekly_counts(est, "0484", week).rows
            if r.category_id is not None}
    klotter = rows.pop("Klotter")
    assert klotter.vs_mean.significant and klotter.vs_mean.direction == "increase"
    assert klotter.vs_last_year.significant
    assert [name for name, r in rows.items() if r.flagged] == []
    froslunda = Area.objects.get(municipality="0484", name="Fröslunda")
    in_area = est.filter(pk__in=IncidentArea.objects.filter(area=froslunda)
                         .values("incident_id"))
    area_rows = {r.name: r for r in picture.weekly_counts(in_area, "0484", week).rows}
    assert area_rows["Klotter"].vs_mean.significant


def check_duplicates_wait_for_the_coordinator():
    duplicates = Incident.objects.filter(source_id__endswith="-d")
    assert duplicates.count() >= 2
    for duplicate in duplicates:
        original = Incident.objects.get(source_id=duplicate.source_id[:-2])
        assert duplicate.status == original.status == IncidentStatus.NEW
        assert duplicate.category_id == original.category_id
        assert duplicate.place_name == original.place_name
        assert datetime.timedelta(0) < duplicate.occurred_at - original.occurred_at \
            <= datetime.timedelta(minutes=35)
        assert abs(duplicate.x - original.x) < 60 and abs(duplicate.y - original.y) < 60
    this_week = picture.Week.of(NOW.date())
    est = Incident.objects.filter(source=IncidentSource.DEMO)
    assert est.filter(occurred_at__gte=this_week.start).exists()
    assert est.filter(occurred_at__lt=this_week.start, status=IncidentStatus.REVIEWED).exists()
    assert not est.filter(occurred_at__gt=NOW).exists()
    assert est.filter(reported_by__username="vardare").exists()
    assert est.filter(reported_by__username="samordnare").exists()
    assert set(est.values_list("organization__name", flat=True)) == {
        demo.KFAST, demo.KOMMUN, demo.POLICE}


def check_statistics_checkins_watches_notes_and_measures():
    csv_rows = CrimeStatistic.objects.filter(source="bra-csv", year=2021)
    assert csv_rows.values("municipality").distinct().count() == 290
    assert CrimeStatistic.objects.filter(source="sol", year=2021,
                                         municipality="0484").count() == 2

    checkins = NothingToReport.objects.filter(reported_by__username="vardare")
    assert checkins.exists()
    assert set(checkins.values_list("area__name", flat=True)) <= {"Fröslunda", "Lagersberg"}

    watch = FocusAreaWatch.objects.get(focus_area=FocusArea.objects.get(
        agreement__start_date__year=2024, title="Trygga det offentliga rummet"))
    assert {c.slug for c in watch.categories.all()} == {
        "klotter", "skadegorelse", "mork_plats", "ungdomar_stor"}
    assert {a.name for a in watch.areas.all()} == {"Skiftinge", "Fröslunda", "Årby"}
    violence = FocusAreaWatch.objects.get(focus_area__title="Stoppa skjutningar och grovt våld")
    assert [c.slug for c in violence.categories.all()] == ["hot_vald"]

    week = picture.Week.of(NOW.date()).shift(-1)
    notes = EstWeekNote.objects.filter(iso_year=week.year, iso_week=week.week)
    assert notes.count() == 2
    assert {n.author.username for n in notes} == {"samordnare"}
    measures = EstMeasure.objects.filter(iso_year=week.year, iso_week=week.week)
    assert measures.count() == 3
    assert {m.organization.name for m in measures} == {demo.KFAST, demo.KOMMUN, demo.POLICE}
    assert all(m.due_date and m.responsible for m in measures)


def check_what_the_demo_made_up_is_marked():
    """Synthetic reports, check-ins, hand-drawn areas, watches, notes and measures are
    examples; the Police's areas and events and Brå's figures are real."""
    synthetic = Incident.objects.filter(source_id__startswith=demo.SOURCE_PREFIX)
    assert synthetic.exists() and not synthetic.filter(is_example=False).exists()
    police = Incident.objects.exclude(source_id__startswith=demo.SOURCE_PREFIX)
    assert police.exists() and not police.filter(is_example=True).exists()
    for model in (NothingToReport, EstWeekNote, EstMeasure, FocusAreaWatch):
        records = model.objects.all()
        assert records.exists() and not records.filter(is_example=False).exists(), model
    assert set(Area.objects.filter(is_example=True).values_list("name", flat=True)) == {
        "Eskilstuna centrum", "Lagersberg"}
    assert not CrimeStatistic.objects.filter(is_example=True).exists()
