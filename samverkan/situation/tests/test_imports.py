"""Imports: all-or-nothing with row errors, idempotent, on the real files."""
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from samverkan.audit.models import AuditEntry
from samverkan.situation.choices import Precision
from samverkan.situation.importers import import_incidents
from samverkan.situation.importers.areas import import_areas
from samverkan.situation.importers.statistics import import_crime_statistics
from samverkan.situation.models import Area, CrimeStatistic, Incident, IncidentArea

from .helpers import categories

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"

GOOD_CSV = (
    "Kategori;Tid;Lat;Lon;Adress;Beskrivning;Organisation\n"
    "Klotter;2024-05-03 23:40;59,37120;16,50980;Fristadstorget;Klotter på fasaden;SN\n"
    "hot_vald;2024-05-04 01:15;59.36790;16.50820;Järntorget;Bråk utanför krogen;\n"
    "Nedskräpning;2024-05-04T10:00:00+02:00;;;J.A. Selanders gata;Nedskräpat vid "
    "återvinningen;\n"
)


def run(world, text, fmt="csv", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_incidents(data, fmt=fmt, municipality=world.eskilstuna,
                            actor=world.coordinator, **kw)


def test_good_csv_imports_and_reimport_creates_nothing(world):
    categories(world)
    result = run(world, GOOD_CSV)
    assert result.as_dict() == {"created": 3, "duplicates": 0, "rows": 3, "errors": [],
                                "error_summary": []}
    first = Incident.objects.get(address="Fristadstorget")
    assert first.category.slug == "klotter" and first.organization == world.social_services
    assert first.occurred_at.isoformat() == "2024-05-03T21:40:00+00:00"  # stored in UTC
    assert 6_000_000 < first.y < 7_000_000 and first.x is not None  # SWEREF 99 TM
    no_point = Incident.objects.get(address="J.A. Selanders gata")
    assert no_point.lat is None and no_point.precision == Precision.ADDRESS
    assert run(world, GOOD_CSV).as_dict() == {"created": 0, "duplicates": 3, "rows": 3,
                                              "errors": [], "error_summary": []}
    assert Incident.objects.count() == 3


def test_a_file_with_stored_and_new_rows_creates_only_the_new_ones(world):
    """The stored rows are found by their ids whatever their order in the file (PostgreSQL
    looks them up in key order and maps them back to their rows)."""
    categories(world)
    header = "Id;Kategori;Tid;Lat;Lon;Adress\n"

    def row(source_id, hour):
        return f"{source_id};Klotter;2024-05-03 {hour:02d}:00;59.3712;16.5098;Fristadstorget\n"

    first = run(world, header + row("z-3", 1) + row("a-1", 2) + row("m-2", 3))
    assert first.as_dict()["created"] == 3
    again = run(world, header + row("n-9", 4) + row("a-1", 2) + row("b-5", 5) + row("z-3", 1)
                + row("m-2", 3))
    assert (again.as_dict()["created"], again.as_dict()["duplicates"]) == (2, 3)
    assert sorted(Incident.objects.values_list("source_id", flat=True)) == [
        "a-1", "b-5", "m-2", "n-9", "z-3"]
    assert Incident.objects.get(source_id="n-9").occurred_at.hour == 2  # 04:00 local, UTC


def test_an_import_tells_its_earliest_time_and_a_repeat_tells_nothing(
        world, django_capture_on_commit_callbacks):
    """The computed indicators are recomputed from the earliest time imported; a file
    imported again changes nothing and recomputes nothing."""
    from samverkan.situation.signals import incidents_changed

    with django_capture_on_commit_callbacks(execute=True):
        categories(world)  # its own notice, delivered before the imports
    received = []

    def receiver(sender, **kwargs):
        received.append((kwargs["municipality"], kwargs["since"]))

    incidents_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(world, GOOD_CSV)
        assert [(code, since.isoformat()) for code, since in received] == [
            (world.eskilstuna.pk, "2024-05-03T21:40:00+00:00")]
        received.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert run(world, GOOD_CSV).as_dict()["created"] == 0
        assert received == []
    finally:
        incidents_changed.disconnect(receiver)


def test_bad_rows_are_reported_and_nothing_is_written(world):
    categories(world)
    bad = (
        "category,time,lat,lon,address\n"
        "Klotter,2024-05-03 23:40,59.3712,16.5098,Fristadstorget\n"
        "Klotter,igår kväll,59.3712,16.5098,Fristadstorget\n"
        "Inbrott i bil,2024-05-03 23:40,59.3712,16.5098,Järntorget\n"
        "Klotter,2024-05-03 23:40,48.8566,2.3522,Paris\n"
    )
    audit_before = AuditEntry.objects.count()
    result = run(world, bad)
    assert result.created == 0 and result.rows == 4
    by_row = {(e.row, e.column): e.message for e in result.errors}
    assert set(by_row) == {(3, "time"), (4, "category"), (5, "lat")}
    assert "igår kväll" in by_row[(3, "time")]
    assert "Inbrott i bil" in by_row[(4, "category")] and "Klotter" in by_row[(4, "category")]
    assert "Sverige" in by_row[(5, "lat")]  # Swedish messages
    assert Incident.objects.count() == 0 and AuditEntry.objects.count() == audit_before


def test_missing_column_rejects_the_file(world):
    categories(world)
    result = run(world, "lat;lon;beskrivning\n59.37;16.51;Klotter\n")
    assert {e.column for e in result.errors} == {"kategori", "tid"}
    assert all(e.row == 1 for e in result.errors)
    assert Incident.objects.count() == 0


def test_dry_run_counts_but_writes_nothing(world):
    categories(world)
    result = run(world, GOOD_CSV, dry_run=True)
    assert result.created == 3 and not result.errors
    assert Incident.objects.count() == 0


def test_xlsx_with_date_and_clock_columns(world):
    categories(world)
    book = Workbook()
    sheet = book.active
    sheet.append(["KATEGORI", "Datum", "Klockslag", "lat", "lon", "Plats", "ID"])
    sheet.append(["Skadegörelse", "2024-05-04", "01:10", 59.3712, 16.5098,
                  "Fristadstorget", "EST-1"])
    sheet.append(["Anlagd brand", "2024-05-04", "02:30", 59.3679, 16.5082, "Järntorget",
                  "EST-2"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(world, buffer.getvalue(), fmt="xlsx")
    assert result.as_dict()["created"] == 2, result.as_dict()
    assert set(Incident.objects.values_list("source_id", flat=True)) == {"EST-1", "EST-2"}
    assert run(world, buffer.getvalue(), fmt="xlsx").duplicates == 2


def test_geojson_points_in_sweref(world):
    categories(world)
    collection = {"type": "FeatureCollection",
                  "crs": {"type": "name", "properties": {"name": "EPSG:3006"}},
                  "features": [{"type": "Feature", "id": 7,
                                "geometry": {"type": "Point", "coordinates": [587600, 6583000]},
                                "properties": {"kategori": "Klotter",
                                               "tid": "2024-05-03 23:40"}}]}
    result = run(world, json.dumps(collection), fmt="geojson")
    assert result.created == 1, result.as_dict()
    incident = Incident.objects.get()
    assert incident.source_id == "7" and 59 < incident.lat < 60 and 16 < incident.lon < 17


def _eskilstuna_events():
    """Independent of the importer: Eskilstuna events by location or by the name's last
    part (the county-located events from 2026-01-20)."""
    records = json.loads((DATA / "polisen_events_sodermanland_2022-2026.json").read_text(
        encoding="utf-8"))
    ours = [r for r in records if r["location"]["name"] == "Eskilstuna"
            or r["name"].endswith(", Eskilstuna")]
    return records, ours


def test_polisen_real_file_for_eskilstuna(world, capsys):
    records, ours = _eskilstuna_events()
    not_counted = [r for r in ours if r["type"].startswith("Sammanfattning")
                   or r["type"] in ("Uppdatering", "Trafikkontroll", "Kontroll", "Övrigt",
                                    "Kontroll person/fordon", "Polisinsats/kommendering",
                                    "Information", "Pressmeddelande")]
    call_command("import_incidents", str(DATA / "polisen_events_sodermanland_2022-2026.json"),
                 "--municipality", "0484", "--format", "polisen", "--json")
    output = json.loads(capsys.readouterr().out)
    assert output == {"created": len(ours), "duplicates": 0, "rows": len(records),
                      "errors": [], "error_summary": [], "skipped": len(records) - len(ours)}
    stored = Incident.objects.filter(municipality=world.eskilstuna)
    assert stored.count() == len(ours) == 461
    assert stored.counted().count() == len(ours) - len(not_counted)
    assert not stored.exclude(precision=Precision.AREA_CENTRE).exists()
    assert not stored.for_hotspots().exists()  # area centres never make hot spots
    late = stored.get(source_id="622183") if stored.filter(source_id="622183").exists() \
        else None
    if late is not None:  # county-located: placed at Eskilstuna's centre, not the county's
        assert 59.2 < late.lat < 59.6
    call_command("import_incidents", str(DATA / "polisen_events_sodermanland_2022-2026.json"),
                 "--municipality", "0484", "--format", "polisen", "--json")
    again = json.loads(capsys.readouterr().out)
    assert again["created"] == 0 and again["duplicates"] == len(ours)
    assert Incident.objects.count() == len(ours)


def test_areas_from_the_police_file_in_epsg_3006(world):
    categories(world)
    # Incidents at Skiftinge's, Fröslunda's and Årby's centres (computed from the file).
    from shapely.geometry import shape

    from samverkan.analysis.projection import sweref99tm_to_wgs84
    from samverkan.situation import services

    collection = json.loads((DATA / "polisen_utsatta_omraden_2025.geojson").read_text(
        encoding="utf-8"))
    ours = {f["properties"]["NAMN"]: f for f in collection["features"]
            if f["properties"]["ORT"] == "Eskilstuna"}
    assert set(ours) == {"Skiftinge", "Fröslunda", "Årby"}
    points = {}
    for name, feature in ours.items():
        centre = shape(feature["geometry"]).representative_point()
        lat, lon = sweref99tm_to_wgs84(centre.x, centre.y)
        points[name] = services.report_incident(
            actor=world.coordinator, municipality=world.eskilstuna,
            category=categories(world)["skadegorelse"], lat=float(lat), lon=float(lon))
    result = import_areas((DATA / "polisen_utsatta_omraden_2025.geojson").read_bytes(),
                          municipality=world.eskilstuna, actor=world.coordinator,
                          kind="vulnerable_area", only_inside=True)
    assert not result.errors
    assert sorted(result.areas) == ["Fröslunda", "Skiftinge", "Årby"]
    assert result.skipped == 62 and result.assigned == 3
    skiftinge = Area.objects.get(name="Skiftinge")
    expected = ours["Skiftinge"]["properties"]["Shape_Area"] / 1e6
    assert skiftinge.area_km2 == pytest.approx(expected, rel=1e-6)
    for name, incident in points.items():
        assert list(incident.areas.values_list("name", flat=True)) == [name]
    # Idempotent: the same file again updates, creates nothing, links stay one per incident.
    again = import_areas((DATA / "polisen_utsatta_omraden_2025.geojson").read_bytes(),
                         municipality=world.eskilstuna, actor=world.coordinator,
                         kind="vulnerable_area", only_inside=True)
    assert again.created == 0 and again.updated == 3
    assert Area.objects.count() == 3 and IncidentArea.objects.count() == 3


def test_area_import_rejects_unreadable_features(world):
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Centrum"},
         "geometry": {"type": "Polygon", "coordinates": [[[16.5, 59.36], [16.52, 59.36],
                                                          [16.52, 59.375]]]}}]}
    result = import_areas(json.dumps(bad).encode(), municipality=world.eskilstuna,
                          actor=world.coordinator)
    assert result.errors and result.errors[0].row == 1
    assert not Area.objects.exists()


def test_sol_and_bra_statistics(world, capsys):
    call_command("import_crime_statistics",
                 str(DATA / "bra_sol_export_2021_brott_mot_person_cp1252.txt"),
                 "--format", "sol", "--json")
    sol = json.loads(capsys.readouterr().out)
    assert sol["created"] == 580 and sol["year"] == 2021 and not sol["errors"]
    heby = CrimeStatistic.objects.get(municipality="0331", category__startswith="3 kap.")
    assert heby.per_100k == 564  # the second, empty Heby block is ignored
    call_command("import_crime_statistics", str(DATA / "bra_anmalda_brott_per_kommun.csv"),
                 "--format", "bra-csv", "--year", "2021", "--json")
    bra = json.loads(capsys.readouterr().out)
    assert bra["created"] == 290
    rows = CrimeStatistic.objects.filter(source="bra-csv")
    assert sum(rows.values_list("count", flat=True)) == 1_204_896
    assert rows.filter(confidentiality="public").count() == 290
    # Comparison sees every municipality; a member's visible_to only their own.
    assert CrimeStatistic.objects.for_comparison().filter(source="bra-csv").count() == 290
    assert set(CrimeStatistic.objects.visible_to(world.reader).values_list(
        "municipality", flat=True)) == {"0484"}
    again = import_crime_statistics((DATA / "bra_anmalda_brott_per_kommun.csv").read_bytes(),
                                    fmt="bra-csv", year=2021, actor=None)
    assert again.created == 0 and again.unchanged == 290


def test_bra_csv_needs_a_year(world):
    result = import_crime_statistics((DATA / "bra_anmalda_brott_per_kommun.csv").read_bytes(),
                                     fmt="bra-csv", actor=None)
    assert result.errors and not CrimeStatistic.objects.exists()
