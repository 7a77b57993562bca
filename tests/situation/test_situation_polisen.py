import json
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest

from samverkan.situation.sources.polisen import (
    NOTICE_TYPES,
    STOCKHOLM,
    PoliceEvent,
    is_incident_type,
    load_events,
    parse_event,
    parse_events,
)

DATA = Path(__file__).resolve().parents[2] / "samverkan" / "situation" / "data"
SODERMANLAND = DATA / "polisen_events_sodermanland_2022-2026.json"
SWEDEN_2023 = DATA / "polisen_events_2023-03-25.json"
COUNTY_ONLY_FROM = datetime(2026, 1, 20, tzinfo=STOCKHOLM)


@cache
def raw(path):
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def parsed(path):
    return load_events(path)


def by_id(path) -> dict[int, PoliceEvent]:
    return {e.id: e for e in parsed(path).events}


def record(**overrides):
    base = {
        "id": 1,
        "datetime": "2025-06-07 7:32:06 +02:00",
        "name": "07 juni 06.50, Misshandel, Eskilstuna",
        "summary": "Man misshandlad.",
        "url": "/aktuellt/handelser/2025/juni/7/x/",
        "type": "Misshandel",
        "location": {"name": "Eskilstuna", "gps": "59.371249,16.509805"},
    }
    base.update(overrides)
    return base


# --- the Södermanland file ---------------------------------------------------------------


def test_sodermanland_counts():
    result = parsed(SODERMANLAND)
    assert result.errors == [] and result.warnings == []
    events = result.events
    assert len(events) == 2470
    assert len({e.id for e in events}) == 2470
    assert min(e.id for e in events) == 376485 and max(e.id for e in events) == 650278
    types = Counter(e.type for e in events)
    assert len(types) == 65
    assert sum(e.is_summary for e in events) == 1215
    assert types["Sammanfattning natt"] == 1205
    assert types["Sammanfattning kväll och natt"] == 10
    assert not any(e.is_incident for e in events if e.is_summary)


def test_sodermanland_locations():
    events = parsed(SODERMANLAND).events
    locations = Counter(e.location_name for e in events)
    assert locations == {
        "Södermanlands län": 1560, "Eskilstuna": 380, "Nyköping": 184, "Katrineholm": 133,
        "Strängnäs": 89, "Flen": 44, "Trosa": 30, "Vingåker": 23, "Oxelösund": 17,
        "Gnesta": 10,
    }
    assert sum(e.location_is_county for e in events) == 1560
    # 380 events located at Eskilstuna, 461 whose name ends in ", Eskilstuna" ...
    assert sum(e.location_name == "Eskilstuna" for e in events) == 380
    assert sum(r["name"].endswith(", Eskilstuna") for r in raw(SODERMANLAND)) == 461
    assert sum(e.place == "Eskilstuna" for e in events) == 461
    # ... and all 461 get Eskilstuna's code.
    assert sum(e.municipality_code == "0484" for e in events) == 461


def test_county_located_events_from_2026_01_20_get_their_municipality_from_the_name():
    events = parsed(SODERMANLAND).events
    named = [e for e in events if e.location_is_county and e.place != e.location_name]
    assert len(named) == 217
    assert all(e.published_at >= COUNTY_ONLY_FROM for e in named)
    assert all(e.municipality_code is not None for e in named)
    assert Counter(e.place for e in named)["Eskilstuna"] == 81
    # From then on nothing is located at a municipality.
    assert not any(e.published_at >= COUNTY_ONLY_FROM and not e.location_is_county
                   for e in events)
    ids = by_id(SODERMANLAND)
    last_municipal, first_county = ids[622063], ids[622183]
    assert (last_municipal.location_name, last_municipal.municipality_code) == (
        "Eskilstuna", "0484")
    assert first_county.location_name == "Södermanlands län"
    assert (first_county.place, first_county.municipality_code) == ("Eskilstuna", "0484")
    assert first_county.event_time == datetime(2026, 1, 20, 19, 57, tzinfo=STOCKHOLM)
    # County-located events that name the county have no municipality (120 incidents
    # before the switch).
    county_only = [e for e in events if e.place == "Södermanlands län"]
    assert all(e.municipality_code is None for e in county_only)
    assert sum(not e.is_summary and e.published_at < COUNTY_ONLY_FROM
               for e in county_only) == 120


def test_unpadded_publication_hours():
    unpadded = re.compile(r"^\d{4}-\d\d-\d\d \d:")
    assert sum(bool(unpadded.match(r["datetime"])) for r in raw(SODERMANLAND)) == 1375
    assert sum(bool(unpadded.match(r["datetime"])) for r in raw(SWEDEN_2023)) == 151
    with pytest.raises(ValueError):
        datetime.fromisoformat("2025-06-07 7:32:06 +02:00")
    event = parse_event(record())
    assert event.published_at == datetime(2025, 6, 7, 7, 32, 6,
                                          tzinfo=timezone(timedelta(hours=2)))
    assert event.published_at.utcoffset() == timedelta(hours=2)
    assert event.event_time == datetime(2025, 6, 7, 6, 50, tzinfo=STOCKHOLM)
    assert event.event_time.tzinfo is STOCKHOLM


def test_offsets_and_aware_times():
    events = parsed(SODERMANLAND).events
    offsets = Counter(e.published_at.utcoffset() for e in events)
    assert offsets == {timedelta(hours=1): 910, timedelta(hours=2): 1560}
    assert all(e.event_time is not None and e.event_time.tzinfo is STOCKHOLM for e in events)


def test_time_separator_colon_then_dot():
    ids = by_id(SODERMANLAND)
    colon, dot = ids[469246], ids[469333]
    assert raw_name(469246) == "09 november 08:00, Sammanfattning natt, Södermanlands län"
    assert raw_name(469333) == "09 november 17.41, Trafikolycka, Nyköping"
    assert colon.event_time == datetime(2023, 11, 9, 8, 0, tzinfo=STOCKHOLM)
    assert dot.event_time == datetime(2023, 11, 9, 17, 41, tzinfo=STOCKHOLM)
    assert dot.municipality_code == "0480"


def raw_name(event_id):
    return next(r["name"] for r in raw(SODERMANLAND) if r["id"] == event_id)


def test_day_padding_changes_in_july_2026():
    names = {r["id"]: r["name"] for r in raw(SODERMANLAND)}
    unpadded = [i for i, n in names.items() if re.match(r"^\d ", n)]
    padded = [i for i, n in names.items() if re.match(r"^0\d ", n)]
    assert len(unpadded) == 39 and min(unpadded) > max(padded)
    ids = by_id(SODERMANLAND)
    for i in unpadded:
        assert ids[i].event_time.day == int(names[i].split()[0])
    assert ids[i].event_time.year == 2026
    aug9 = [e for e in ids.values() if names[e.id] == "9 augusti 12.00, Misshandel, Eskilstuna"]
    assert aug9[0].event_time == datetime(2026, 8, 9, 12, 0, tzinfo=STOCKHOLM)


def test_type_with_commas_is_not_split():
    e = parse_event(record(name="01 juli 14.42, Motorfordon, stöld, Eskilstuna",
                           type="Motorfordon, stöld", datetime="2024-07-01 15:02:00 +02:00"))
    assert (e.type, e.place, e.municipality_code) == ("Motorfordon, stöld", "Eskilstuna", "0484")
    assert all(e.place in (e.location_name, e.place) for e in parsed(SODERMANLAND).events)
    for e in parsed(SWEDEN_2023).events:
        assert e.place == e.location_name


def test_year_step_back_for_new_years_eve_published_on_new_years_day():
    e = parse_event(record(name="31 december 23.50, Brand, Eskilstuna", type="Brand",
                           datetime="2026-01-01 0:20:00 +01:00"))
    assert e.event_time == datetime(2025, 12, 31, 23, 50, tzinfo=STOCKHOLM)
    # A summary named a little after publication stays in the same year.
    e = parse_event(record(name="01 januari 08.00, Sammanfattning natt, Södermanlands län",
                           type="Sammanfattning natt", datetime="2026-01-01 7:55:00 +01:00",
                           location={"name": "Södermanlands län", "gps": "59.03,16.75"}))
    assert e.event_time == datetime(2026, 1, 1, 8, 0, tzinfo=STOCKHOLM)
    # And the symmetric case: a 1 January event published (improbably) on 31 December.
    e = parse_event(record(name="01 januari 00.10, Bråk, Eskilstuna", type="Bråk",
                           datetime="2025-12-31 23:55:00 +01:00"))
    assert e.event_time == datetime(2026, 1, 1, 0, 10, tzinfo=STOCKHOLM)


def test_event_time_after_publication_is_not_rejected():
    ids = by_id(SODERMANLAND)
    e = ids[484261]  # "17 januari 20.06, Sammanfattning natt" published 07:59 the same day
    assert e.event_time == datetime(2024, 1, 17, 20, 6, tzinfo=STOCKHOLM)
    assert e.event_time > e.published_at
    e = by_id(SWEDEN_2023)[409544]  # "20 mars 12:37, Brand, Linköping" published 11:36
    assert e.event_time == datetime(2023, 3, 20, 12, 37, tzinfo=STOCKHOLM)
    assert e.event_time > e.published_at
    # Nightly summaries are often published before their nominal time, but never by a lot;
    # incidents follow publication by at most ~14 hours.
    for e in parsed(SODERMANLAND).events:
        assert timedelta(hours=-15) < e.event_time - e.published_at < timedelta(hours=13)


def test_duplicate_names_with_distinct_ids():
    ids = by_id(SODERMANLAND)
    a, b = ids[612833], ids[612834]
    assert raw_name(612833) == raw_name(612834)
    assert (a.summary, a.event_time, a.place) == (b.summary, b.event_time, b.place)
    assert a.url != b.url
    names = Counter(r["name"] for r in raw(SODERMANLAND))
    # The README says "63 values occur twice": 63 names repeat, 61 twice and 2 three times.
    assert sum(1 for n in names.values() if n > 1) == 63
    assert Counter(n for n in names.values() if n > 1) == {2: 61, 3: 2}
    assert len({e.url for e in ids.values()}) == 2470


def test_dedupe_on_id_keeps_first():
    result = parse_events([record(id=7), record(id=7, summary="later copy"), record(id=8)])
    assert [e.id for e in result.events] == [7, 8]
    assert result.events[0].summary == "Man misshandlad."
    assert [(w.index, w.id, w.field) for w in result.warnings] == [(1, 7, "id")]
    assert result.errors == []


def test_summary_and_incident_flags():
    events = parsed(SODERMANLAND).events + parsed(SWEDEN_2023).events
    for e in events:
        assert e.is_summary == e.type.startswith("Sammanfattning")
        assert e.is_incident == (not e.is_summary and e.type not in NOTICE_TYPES)
    for notice in ["Sammanfattning natt", "Sammanfattning kväll och natt", "Uppdatering",
                   "Trafikkontroll", "Övrigt", "Kontroll person/fordon",
                   "Polisinsats/kommendering"]:
        assert not is_incident_type(notice)
    for incident in ["Misshandel", "Brand", "Trafikolycka, personskada", "Rån väpnat"]:
        assert is_incident_type(incident)


def test_url_is_absolute_and_gps_is_lat_lon():
    e = by_id(SODERMANLAND)[622063]
    assert e.url == ("https://polisen.se/aktuellt/handelser/2026/januari/19/"
                     "19-januari-21.21-smallar-eskilstuna/")
    assert (e.lat, e.lon) == (59.371249, 16.509805)
    for e in parsed(SODERMANLAND).events + parsed(SWEDEN_2023).events:
        assert e.url.startswith("https://polisen.se/aktuellt/handelser/")
        assert 55 < e.lat < 70 and 10 < e.lon < 25


def test_gps_is_the_fixed_centre_of_the_location():
    centres: dict[str, set] = {}
    for e in parsed(SODERMANLAND).events:
        centres.setdefault(e.location_name, set()).add((e.lat, e.lon))
    assert all(len(c) == 1 for c in centres.values())


# --- the 2023 file -----------------------------------------------------------------------


def test_sweden_2023_counts_and_upplands_vasby():
    result = parsed(SWEDEN_2023)
    assert result.errors == [] and len(result.events) == 500
    events = result.events
    assert sum(e.is_summary for e in events) == 54
    assert len({e.type for e in events}) == 51
    assert len({e.location_name for e in events}) == 153
    assert sum(e.location_is_county for e in events) == 101
    municipal = [e for e in events if not e.location_is_county]
    assert len(municipal) == 399
    assert all(e.municipality_code is not None for e in municipal)
    assert all(e.municipality_code is None for e in events if e.location_is_county)
    vasby = [e for e in events if e.location_name == "Upplands väsby"]
    assert len(vasby) == 3
    assert {e.municipality_code for e in vasby} == {"0114"}
    assert all(e.published_at.utcoffset() == timedelta(hours=1) for e in events)


# --- malformed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"id": "x"}, "id"),
        ({"datetime": "2025-06-07T07:32:06"}, "datetime"),
        ({"datetime": None}, "datetime"),
        ({"name": "Misshandel, Eskilstuna"}, "name"),
        ({"name": "07 juni 06.50, Stöld, Eskilstuna"}, "name"),  # type does not match
        ({"type": 5}, "type"),
        ({"url": ""}, "url"),
        ({"location": None}, "location"),
        ({"location": {"name": "", "gps": "59,16"}}, "location.name"),
        ({"location": {"name": "Eskilstuna", "gps": "16.5"}}, "location.gps"),
        ({"location": {"name": "Eskilstuna", "gps": "a,b"}}, "location.gps"),
    ],
)
def test_malformed_record_gives_an_error_not_an_exception(bad, field):
    result = parse_events([record(id=1), record(id=2, **bad) if "id" not in bad
                           else record(**bad), record(id=3)])
    assert [e.id for e in result.events] == [1, 3]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.index == 1 and error.field == field
    assert error.id == (None if "id" in bad else 2)
    assert f"record 1 (id {error.id}): {field}" in str(error)


def test_non_object_records_and_non_list_input():
    result = parse_events([None, 5, record(id=3)])
    assert [(e.index, e.field) for e in result.errors] == [(0, "record"), (1, "record")]
    assert parse_events({"id": 1}).errors[0].field == "root"


def test_invalid_name_date_is_a_warning_and_event_time_none():
    result = parse_events([record(name="30 februari 06.50, Misshandel, Eskilstuna"),
                           record(id=2, name="07 juni 06.50, Misshandel, Eskilstuna",
                                  datetime="2025-06-07 7:32:06 +02:00")])
    assert result.errors == []
    assert result.events[0].event_time is None
    assert result.warnings[0].field == "name" and result.warnings[0].index == 0
    assert result.events[1].event_time is not None


def test_unknown_month_is_a_warning():
    result = parse_events([record(name="07 juno 06.50, Misshandel, Eskilstuna")])
    assert result.events[0].event_time is None and result.warnings
