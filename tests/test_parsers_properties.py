"""Property-based tests (hypothesis): any input to a parser gives a result or row errors,
never an exception. Bounded (`max_examples`) so that the suite stays fast."""
from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.plans.io.table import parse_plan_table
from samverkan.plans.timing import parse_timing
from samverkan.situation.sources import bra, polisen

FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HEADERS = ["Fokusområde", "Mål", "Delmål", "Aktivitet", "Åtgärd kommun", "Åtgärd polis",
           "Status", "Tidsplan", "Ansvarig", "Indikator", "Utgångsvärde", "Målvärde"]
cell = st.one_of(st.text(max_size=40), st.sampled_from(["", "1", "1.2", "-", "=1+1", "'=x",
                                                      "Pågående", "Klar", "2024", "ht 2025"]))


@FAST
@given(st.text(max_size=120))
def test_timing_text_never_crashes(text):
    start, end = parse_timing(text)
    assert start is None or end is None or start <= end


@FAST
@given(st.lists(st.lists(cell, max_size=12), max_size=15), st.sampled_from([";", ","]),
       st.booleans())
def test_plan_csv_gives_a_plan_or_row_errors(rows, delimiter, with_header):
    lines = ([HEADERS] if with_header else []) + rows
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row)
                     for row in lines)
    plan = parse_plan_table(io.BytesIO(text.encode()), "plan.csv")
    assert isinstance(plan.errors, list)


@FAST
@given(st.binary(max_size=400), st.sampled_from(["plan.csv", "plan.xlsx", "plan.txt"]))
def test_plan_file_of_random_bytes_gives_errors_not_exceptions(data, name):
    plan = parse_plan_table(io.BytesIO(data), name)
    assert isinstance(plan.errors, list)


@FAST
@given(st.lists(st.lists(cell, max_size=12), max_size=10))
def test_plan_xlsx_gives_a_plan_or_row_errors(rows):
    import openpyxl
    import openpyxl.utils.exceptions

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    buffer = io.BytesIO()
    try:
        for row in rows:
            workbook.active.append(row)
        workbook.save(buffer)
    except openpyxl.utils.exceptions.IllegalCharacterError:
        return  # control characters cannot be in a worksheet: not an input the parser sees
    plan = parse_plan_table(io.BytesIO(buffer.getvalue()), "plan.xlsx")
    assert isinstance(plan.errors, list)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=12)
police_record = st.fixed_dictionaries({
    "id": st.one_of(st.integers(), st.text(max_size=8)),
    "datetime": st.one_of(st.text(max_size=30), st.just("2024-01-05 3:07:01 +01:00")),
    "name": st.one_of(st.text(max_size=60),
                      st.just("05 januari 10.04, Stöld, Eskilstuna")),
    "summary": st.text(max_size=40), "url": st.text(max_size=30),
    "type": st.one_of(st.text(max_size=20), st.just("Stöld")),
    "location": st.one_of(json_value, st.fixed_dictionaries({
        "name": st.text(max_size=20), "gps": st.text(max_size=30)})),
})


@FAST
@given(st.lists(st.one_of(police_record, json_value), max_size=8))
def test_police_events_give_events_or_issues(records):
    result = polisen.parse_events(records)
    assert result is not None


@FAST
@given(json_value)
def test_police_events_of_any_json_value(value):
    try:
        polisen.parse_events(value)
    except (TypeError, ValueError) as error:  # a clear refusal of a non-list is fine
        assert str(error)


@FAST
@given(st.binary(max_size=600), st.integers(min_value=1990, max_value=2030))
def test_bra_statistics_file_gives_rows_or_line_errors(data, year):
    rows = bra.parse_reported_crimes_csv(data, year)
    assert isinstance(rows.errors, list)


@FAST
@given(st.text(max_size=600))
def test_sol_export_gives_rows_or_line_errors(text):
    rows = bra.parse_sol_export(text.encode("cp1252", errors="replace"))
    assert isinstance(rows.errors, list)


@pytest.mark.django_db
@FAST
@given(st.lists(st.lists(cell, max_size=6), max_size=8),
       st.sampled_from(["csv", "geojson", "polisen"]))
def test_incident_import_gives_counts_or_row_errors(world_once, rows, fmt):
    from samverkan.situation.importers import import_incidents

    if fmt == "csv":
        header = "datum;tid;kategori;adress;lat;lon;beskrivning"
        data = "\n".join([header, *(";".join(r) for r in rows)]).encode()
    elif fmt == "geojson":
        data = json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": dict(enumerate(r)),
             "geometry": {"type": "Point", "coordinates": r[:2]}} for r in rows]}).encode()
    else:
        data = json.dumps([dict(enumerate(r)) for r in rows]).encode()
    result = import_incidents(data, fmt=fmt, municipality=world_once.eskilstuna,
                              actor=world_once.coordinator, dry_run=True, label="fuzz")
    assert result.rows >= 0 and isinstance(result.errors, list)


@pytest.fixture
def world_once(world):
    return world
