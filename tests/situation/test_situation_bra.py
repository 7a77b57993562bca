from pathlib import Path

import pytest

from samverkan.situation.sources.bra import (
    BraRow,
    parse_reported_crimes_csv,
    parse_sol_export,
)
from samverkan.situation.sources.municipality_names import municipalities

DATA = Path(__file__).resolve().parents[2] / "samverkan" / "situation" / "data"
REPORTED = DATA / "bra_anmalda_brott_per_kommun.csv"
SOL = DATA / "bra_sol_export_2021_brott_mot_person_cp1252.txt"
CH3 = "3 kap. Brott mot liv och hälsa"
CH3_7 = "3-7 kap. Brott mot person"


# --- anmälda brott per kommun ------------------------------------------------------------


@pytest.fixture(scope="module")
def reported():
    return parse_reported_crimes_csv(REPORTED, year=2021)


def test_reported_crimes_290_rows_one_to_one(reported):
    assert reported.errors == []
    assert len(reported) == 290
    assert sorted(r.code for r in reported) == sorted(municipalities())
    assert sum(r.count for r in reported) == 1_204_896
    assert {r.year for r in reported} == {2021}


def test_reported_crimes_name_quirks(reported):
    rows = {r.code: r for r in reported}
    assert rows["0180"] == BraRow("0180", "Stockholm", 207_861, 21_262, 2021)
    assert rows["0687"].name == "Tranås kommun "  # trailing space kept
    assert (rows["0687"].count, rows["0687"].per_100k) == (1745, 9229)
    assert rows["1452"].name == "Tranemo kommun"
    assert rows["2023"].name == "Malung\u2013Sälens kommun"
    assert rows["2023"].count == 763
    assert rows["0980"].name == "Gotlands kommun" and rows["0980"].count == 5415
    assert min(reported, key=lambda r: r.per_100k).name == "Habo kommun"
    assert max(reported, key=lambda r: r.per_100k).per_100k == 21_262


def test_mark_and_markaryd_are_returned_as_in_the_source(reported):
    # The source values look swapped (see SOURCES.md); the parser does not "fix" them.
    rows = {r.code: r for r in reported}
    assert (rows["1463"].name, rows["1463"].count, rows["1463"].per_100k) == (
        "Marks kommun", 1347, 12996)
    assert (rows["0767"].name, rows["0767"].count, rows["0767"].per_100k) == (
        "Markaryds kommun", 2978, 8528)


def test_reported_crimes_accepts_bytes_text_and_str_path(reported):
    data = REPORTED.read_bytes()
    assert parse_reported_crimes_csv(data, 2020) == [
        BraRow(r.code, r.name, r.count, r.per_100k, 2020) for r in reported]
    assert parse_reported_crimes_csv(data.decode("utf-8-sig"), 2021) == reported
    assert parse_reported_crimes_csv(data.decode("utf-8"), 2021) == reported  # BOM as char
    assert parse_reported_crimes_csv(str(REPORTED), 2021) == reported


def test_reported_crimes_malformed_lines_are_errors_with_line_numbers():
    text = ("\ufeffname;numCrimes;crimesRelative\n"
            "Ale kommun;2717;8555\n"
            "Atlantis kommun;1;2\n"
            "Alingsås kommun;4120\n"
            "Alvesta kommun;många;1\n"
            "Ale kommun;1;1\n"
            "\n"
            "Stockholm;207861;21262\n")
    rows = parse_reported_crimes_csv(text, 2021)
    assert [r.code for r in rows] == ["1440", "0180"]
    assert [e.line for e in rows.errors] == [3, 4, 5, 6]
    assert "unknown municipality" in str(rows.errors[0])
    bad_header = parse_reported_crimes_csv("namn;antal\nAle kommun;1;2\n", 2021)
    assert list(bad_header) == [] and bad_header.errors[0].line == 1


# --- SOL export --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sol():
    return parse_sol_export(SOL)


def test_sol_290_municipalities_after_heby_dedupe(sol):
    assert sol.errors == []
    assert len({r.code for r in sol}) == 290
    assert sorted({r.code for r in sol}) == sorted(municipalities())
    assert len(sol) == 580
    assert {r.year for r in sol} == {2021}
    assert {r.category for r in sol} == {CH3, CH3_7}


def test_sol_values(sol):
    ch3 = [r.value for r in sol if r.category == CH3]
    assert None not in ch3
    assert (min(ch3), max(ch3)) == (143, 1449)
    assert {r.value for r in sol if r.category == CH3_7} == {None}  # ".." everywhere


def test_sol_heby_block_with_value_is_kept(sol):
    heby = {r.category: r.value for r in sol if r.code == "0331"}
    assert heby == {CH3_7: None, CH3: 564}


def test_sol_header_between_municipality_and_categories(sol):
    raw = SOL.read_bytes().decode("cp1252").split("\n")
    i = raw.index("Bjuv kommun;;")
    assert raw[i + 1] == "Anmälda brott;Brottsförebyggande rådet"
    assert raw[i + 4] == ";/100&nbsp;000&nbsp;inv;"
    assert {r.category: r.value for r in sol if r.code == "1260"} == {CH3_7: None, CH3: 1047}


def test_sol_names_and_encoding(sol):
    codes = {r.code for r in sol}
    assert {"2023", "0980", "0180", "2518", "1440"} <= codes  # Malung-Sälen, ..., Ale
    assert parse_sol_export(SOL.read_bytes()) == sol
    assert parse_sol_export(str(SOL)) == sol
    assert parse_sol_export(SOL.read_bytes(), encoding="utf-8").errors[0].line == 0


def test_sol_malformed_lines_are_errors_with_line_numbers():
    text = ("Anmälda brott;Brottsförebyggande rådet\n"  # 1
            ";År;\n"  # 2
            ";2021;\n"  # 3
            ";/100&nbsp;000&nbsp;inv;\n"  # 4
            "3 kap. Brott mot liv och hälsa;12;\n"  # 5: no municipality yet
            "Ale kommun;;\n"  # 6
            "3 kap. Brott mot liv och hälsa;tolv;\n"  # 7: not a number
            "3-7 kap. Brott mot person;..;\n"  # 8
            "trasig rad\n"  # 9
            "Atlantis kommun;;\n"  # 10: unknown municipality
            "3 kap. Brott mot liv och hälsa;5;\n"  # 11: outside a known municipality
            "Bjuv kommun;;\n"  # 12
            "Anmälda brott;Brottsförebyggande rådet\n;År;\n;2022;\n"  # 13-15: other year
            ";/100&nbsp;000&nbsp;inv;\n"
            "3 kap. Brott mot liv och hälsa;1047;\n"
            "\n")
    rows = parse_sol_export(text.encode("cp1252"))
    assert [e.line for e in rows.errors] == [5, 7, 9, 10, 11, 15]
    assert [(r.code, r.category, r.value) for r in rows] == [
        ("1440", CH3_7, None), ("1260", CH3, 1047)]
    assert {r.year for r in rows} == {2021}


def test_sol_without_header_year_reports_an_error():
    rows = parse_sol_export("Ale kommun;;\n3 kap. Brott mot liv och hälsa;1;\n".encode("cp1252"))
    assert list(rows) == [] and rows.errors[0].message.startswith("no year")
