"""Tests of the action plan table parser, with rows from the seed agreements."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from samverkan.plans.io import CANONICAL_HEADERS, parse_plan_table, plan_to_rows
from samverkan.plans.io.table import (
    ValueParseError,
    _,
    parse_date,
    parse_number,
    split_number,
)

# Rows from the 2016 Eskilstuna agreement's Åtagandeplan (seed 004, pages 10-14).
FA1 = "Förebygga brott och kriminella gängbildningar bland unga"
FA1_GOAL = (
    "Att minska ungdomsbrottsligheten/kriminaliteten i Eskilstuna kommun, genom att "
    "etablera kommunikationskanaler och utveckla hållbar samverkan."
)
FA2 = "Våld i offentlig miljö/krogmiljö"
FA2_GOAL = "Minska våldsbrott i offentlig miljö/krogmiljö"
UNG_FRITID = (
    "Ung Fritid genomför verksamhet och skapar möjligheter till goda fritidsalternativ i "
    "prioriterade områden. (KFN)"
)
KARTLAGGA = (
    "Att tillsammans med polisen kartlägga så kallade hot spots beträffande våldsbrott som "
    "begås av unga. Fokus bör ligga i och i anslutning till skolmiljö (KS, BUN, SN, KFN, "
    "TSN, SBN)"
)
KROGAR = "Initiera och samordna konceptet krogar mot knark (KS)"
TILLSYN = "Genomföra kontroll/tillsyn av krogarna. (MRN)"


def write_xlsx(path, rows, merges=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def write_csv(path, rows, delimiter=",", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))
    return path


HEADING_ROWS = [
    ["Åtagandeplan för kommun och polis"],
    [],
    ["Fokusområde", "Mål", "Aktivitet", "Åtgärd polis", "Tidsplan", "Status"],
    [FA1, FA1_GOAL, None, None, None, None],
    [None, None, UNG_FRITID, "Samverkan med ung fritid.", None, "pågående"],
    [None, None, KARTLAGGA, "Att tillsammans med kommunen kartlägga våldsutsatta platser.",
     "Genomföra kartläggningen 2016 och därefter skriva in åtgärder i lokala planer.",
     "planerad"],
    [],
    [FA2, FA2_GOAL, None, None, None, None],
    [None, None, KROGAR, "Ansvara för polisens roll inom ramen för krogar mot knark",
     "Initieras Uppföljning av enkäten sker 2018", "pågående"],
]


def check_heading_plan(plan):
    assert plan.errors == []
    assert plan.rows == 5
    assert [fa.title for fa in plan.focus_areas] == [FA1, FA2]
    first, second = plan.focus_areas
    assert first.goal == FA1_GOAL and first.row == 4
    assert second.goal == FA2_GOAL
    assert [a.title for a in first.activities] == [UNG_FRITID, KARTLAGGA]
    assert [a.row for a in first.activities] == [5, 6]
    assert first.activities[0].status == "ongoing"
    assert first.activities[1].status == "planned"
    assert first.activities[1].timing_text.startswith("Genomföra kartläggningen 2016")
    assert second.activities[0].title == KROGAR
    assert second.activities[0].police_action.startswith("Ansvara för polisens roll")


def test_xlsx_heading_rows_and_title_above_header(tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", HEADING_ROWS)
    check_heading_plan(parse_plan_table(path, "plan.xlsx"))


def test_file_object_upload(tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", HEADING_ROWS)
    with open(path, "rb") as handle:
        check_heading_plan(parse_plan_table(handle, "Åtagandeplan.XLSX"))


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (";", False), (";", True), (",", True)]
)
def test_csv_delimiters_and_bom(tmp_path, delimiter, bom):
    rows = [[("" if v is None else v) for v in row] for row in HEADING_ROWS]
    path = write_csv(tmp_path / "plan.csv", rows, delimiter=delimiter, bom=bom)
    check_heading_plan(parse_plan_table(path, "plan.csv"))


def test_merged_cells_continuation_rows(tmp_path):
    # Fokusområde and Mål filled on the first activity row and merged downwards.
    rows = [
        ["Fokusområde", "Mål", "Aktivitet", "Åtgärd kommun", "Status"],
        [FA2, FA2_GOAL, KROGAR, KROGAR, "pågående"],
        [None, None, TILLSYN, TILLSYN, "pågående"],
        [None, None, "Ansvarsfull alkoholservering",
         "Ansvara för genomförande av utbildningen Ansvarsfull alkoholservering. (MRN)",
         "pågående"],
        [FA1, FA1_GOAL, UNG_FRITID, UNG_FRITID, "pågående"],
        [None, None, KARTLAGGA, KARTLAGGA, "planerad"],
    ]
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merges=["A2:A4", "B2:B4", "A5:A6"])
    plan = parse_plan_table(path, "merged.xlsx")
    assert plan.errors == []
    assert [fa.title for fa in plan.focus_areas] == [FA2, FA1]
    assert [len(fa.activities) for fa in plan.focus_areas] == [3, 2]
    assert plan.focus_areas[0].goal == FA2_GOAL
    assert plan.focus_areas[0].activities[2].row == 4


def test_heading_rows_and_continuation_rows_together(tmp_path):
    # Seed 001: a numbered focus area as heading row, sub-goals in Delmål, the next focus
    # area repeated on every row (not merged), the Delmål cell empty meaning "as above".
    rows = [
        ["Fokusområde", "Delmål", "Mål", "Aktivitet", "Status"],
        ["Fokusområde 1 – Stoppa skjutningar och grovt våld", None,
         "Ett tryggt och socialt hållbart Eskilstuna", None, None],
        [None, "Förebyggt och motverkat våldet i nätverkskriminella miljöer", None,
         "EST, effektiv samordning för trygghet", "pågående"],
        [None, None, None, "Krogar mot knark", "pågående"],
        [None, "Förebyggt och motverkat mäns våld mot kvinnor inklusive hedersrelaterat "
               "våld och förtryck.", None, None, None],
        ["Fokusområde 4 – Bekämpa systemhotande brottslighet", "Motverkat välfärdsbrott",
         None, "LACUS-samarbetet: felaktiga utbetalningar av försörjningsstöd", "planerad"],
        ["Fokusområde 4 – Bekämpa systemhotande brottslighet", None, None,
         "Fler ska våga anmäla brott", "tänkbar"],
    ]
    path = write_xlsx(tmp_path / "plan.xlsx", rows)
    plan = parse_plan_table(path, "plan.xlsx")
    assert plan.errors == []
    first, fourth = plan.focus_areas
    assert (first.number, first.title) == (1, "Stoppa skjutningar och grovt våld")
    assert (fourth.number, fourth.title) == (4, "Bekämpa systemhotande brottslighet")
    assert [sg.text for sg in first.sub_goals] == [
        "Förebyggt och motverkat våldet i nätverkskriminella miljöer",
        "Förebyggt och motverkat mäns våld mot kvinnor inklusive hedersrelaterat våld och "
        "förtryck.",
    ]
    assert [a.sub_goal for a in first.activities] == [first.sub_goals[0].text] * 2
    assert [a.sub_goal for a in fourth.activities] == ["Motverkat välfärdsbrott"] * 2
    assert [a.status for a in fourth.activities] == ["planned", "possible"]
    assert len(fourth.activities) == 2


def test_numbered_titles():
    assert split_number("Fokusområde 1 – Stoppa skjutningar och grovt våld") == (
        1, "Stoppa skjutningar och grovt våld")
    assert split_number("1. Trygghetsmätningar") == (1, "Trygghetsmätningar")
    assert split_number("2.1 Medborgardialog") == (1, "Medborgardialog")
    assert split_number(FA2) == (None, FA2)
    assert split_number("100 % ren hårdträning") == (None, "100 % ren hårdträning")


def test_errors_name_every_row_and_column(tmp_path):
    rows = [
        ["Fokusområde", "Aktivitet", "Status", "Startdatum", "Slutdatum", "Åtgärd polis"],
        [FA2, KROGAR, "pågående", "2016-01-01", "hösten", None],
        [None, TILLSYN, "kanske", "2016-02-30", None, None],
        [None, None, "pågående", None, None, "Mobilt poliskontor på högaktuella tider"],
        [None, "Ansvarsfull alkoholservering", "pågående", "2016", "2018", None],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    plan = parse_plan_table(path, "bad.xlsx")
    located = {(e.row, e.column) for e in plan.errors}
    assert located == {
        (2, "Slutdatum"),  # "hösten" is not a date
        (3, "Status"),  # unknown status
        (3, "Startdatum"),  # 30 February
        (4, "Aktivitet"),  # missing activity title
    }
    status_error = next(e for e in plan.errors if e.column == "Status")
    assert "kanske" in status_error.message and "pågående" in status_error.message
    assert "tänkbar" in status_error.message
    assert any(e.message == _("Missing activity title.") for e in plan.errors if e.row == 4)
    # All rows were checked; the good last row is still read, with year dates.
    last = plan.focus_areas[0].activities[-1]
    assert (last.start_date, last.end_date) == (dt.date(2016, 1, 1), dt.date(2018, 12, 31))


def test_csv_errors_also_located(tmp_path):
    rows = [
        ["Område", "Åtgärd", "Status"],
        ["Trygghet i offentlig miljö", "", ""],
        ["", "Samordna informationsinstaser för personal men också för allmänheten som "
             "rör trygghet. (KS)", "ongoing"],
        ["", "", "unknown"],
    ]
    plan = parse_plan_table(write_csv(tmp_path / "p.csv", rows, ";"), "p.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(4, "Status"), (4, "Åtgärd")]


def test_english_headers_and_unknown_header_warning(tmp_path):
    rows = [
        ["Focus area", "Goal", "Activity", "Status", "Kind", "Municipality action",
         "Police action", "Timing", "Start date", "End date", "Expected effect",
         "Communication", "Areas", "Responsible", "Budget"],
        ["Trygghet i offentlig miljö", "Öka tryggheten i Eskilstuna till ett normalvärde 2 "
         "i alla områden?", "Riktade insatser, situationell prevention i trafikmiljön.",
         "ongoing", "ordinary work",
         "Riktade insatser, situationell prevention i trafikmiljön. Arbetet sker med olika "
         "aktörer, exempelvis fastighetsägare. (SBN, BUN, TSN)",
         "Trafikkontroller och synlighet. Riktade insatser mot mopeder och bus - åkning med "
         "mopeder.", "Påbörjas 2016", dt.datetime(2016, 3, 1), "2018-12-31",
         "Boende och aktörer i områdena upplever minskad bus - åkning med moped.",
         "Media, FB etc", "Skiftinge, Årby, Fröslunda och Lagersberg", "Kommunen", "0"],
    ]
    plan = parse_plan_table(write_xlsx(tmp_path / "en.xlsx", rows), "en.xlsx")
    assert plan.errors == []
    assert len(plan.warnings) == 1 and "Budget" in plan.warnings[0]
    activity = plan.focus_areas[0].activities[0]
    assert activity.status == "ongoing" and activity.kind == "ordinary"
    assert activity.start_date == dt.date(2016, 3, 1)
    assert activity.end_date == dt.date(2018, 12, 31)
    assert activity.areas == ["Skiftinge", "Årby", "Fröslunda", "Lagersberg"]
    assert activity.municipality_action.endswith("(SBN, BUN, TSN)")
    assert activity.communication == "Media, FB etc"
    assert activity.responsible_text == "Kommunen"


def test_missing_required_columns(tmp_path):
    rows = [["Status", "Tidsplan"], ["pågående", "2016"]]
    plan = parse_plan_table(write_xlsx(tmp_path / "x.xlsx", rows), "x.xlsx")
    assert len(plan.errors) == 1 and plan.errors[0].row == 1
    plan = parse_plan_table(write_xlsx(tmp_path / "y.xlsx", [["Titel"], ["x"]]), "y.xlsx")
    assert plan.errors and plan.errors[0].row == 0
    plan = parse_plan_table(io.BytesIO(b"not a zip"), "z.xlsx")
    assert plan.errors and plan.errors[0].row == 0
    plan = parse_plan_table(io.BytesIO(b""), "plan.pdf")
    assert plan.errors


def test_activity_column_alone_is_enough(tmp_path):
    rows = [["Aktivitet", "Status"], ["Nattvandring", "pågående"]]
    plan = parse_plan_table(write_csv(tmp_path / "a.csv", rows), "a.csv")
    assert plan.errors == []
    assert plan.focus_areas[0].title == "" and plan.warnings
    assert plan.activities[0].title == "Nattvandring"


@pytest.mark.parametrize(
    ("text", "value", "unit", "direction"),
    [
        ("3,72", Decimal("3.72"), "", ""),
        ("3.72", Decimal("3.72"), "", ""),
        ("15", Decimal("15"), "", ""),
        ("minst 15", Decimal("15"), "", "higher"),
        ("minst 8 grupper", Decimal("8"), "grupper", "higher"),
        ("högst 2", Decimal("2"), "", "lower"),
        ("max 2", Decimal("2"), "", "lower"),
        ("2 grupper", Decimal("2"), "grupper", ""),
        ("3 %", Decimal("3"), "%", ""),
        ("2 576", Decimal("2576"), "", ""),
    ],
)
def test_numbers(text, value, unit, direction):
    number = parse_number(text)
    assert (number.value, number.unit, number.implied_direction) == (value, unit, direction)
    assert number.text == text


def test_number_ranges_take_the_bound_in_the_goal_direction():
    for text in ("0-2", "0–2"):
        number = parse_number(text)
        assert number.is_range and number.text == text
        assert number.bound("lower") == Decimal("2")
        assert number.bound("higher") == Decimal("0")


@pytest.mark.parametrize("text", ["ungefär hälften", "3,72 (i en skala 1-6)", "x15"])
def test_bad_numbers(text):
    with pytest.raises(ValueParseError):
        parse_number(text)


def test_dates():
    assert parse_date("2016-01-26") == dt.date(2016, 1, 26)
    assert parse_date(dt.datetime(2016, 1, 26, 0, 0)) == dt.date(2016, 1, 26)
    assert parse_date("2016") == dt.date(2016, 1, 1)
    assert parse_date("2016", end=True) == dt.date(2016, 12, 31)
    assert parse_date(2018, end=True) == dt.date(2018, 12, 31)
    assert parse_date("") is None
    for bad in ("26/1 2016", "våren", "2016-13-01"):
        with pytest.raises(ValueParseError):
            parse_date(bad)


INDICATOR_HEADER = [
    "Fokusområde", "Delmål", "Mål", "Aktivitet", "Status", "Indikator", "Måltyp", "Enhet",
    "Riktning", "Utgångsvärde", "Utgångsdatum", "Målvärde", "Måldatum", "Datakälla",
]
FA3 = "Trygghet i offentlig miljö"
INFO = "Samordna informationsinstaser för personal men också för allmänheten som rör trygghet. (KS)"


def test_indicator_placement(tmp_path):
    rows = [
        INDICATOR_HEADER,
        [FA3, None, "Öka tryggheten i Eskilstuna till ett normalvärde 2 i alla områden?"],
        # On the focus area: Indikator without Aktivitet and without Delmål.
        [None, None, None, None, None, "Trygghetsindex i de prioriterade områdena",
         "effekt", "index (0-6)", "lägre är bättre", "4-6", "2014", "0-2", "2018",
         "Tryggare Sveriges kartläggning"],
        # An activity and its indicator on the same row ...
        [None, None, None, INFO, "pågående", "Antal nattvandringsgrupper", "prestation",
         None, None, "2", None, "minst 8", None, None],
        # ... and a second indicator for the same activity on its own row.
        [None, None, None, INFO, None, "Antal trygghetsforum", "process", "st", None,
         "0", None, "4", None, None],
        # On a sub-goal: Delmål on the row, no Aktivitet.
        [None, "Gemensamt analyserat platser som grund för brottsförebyggande och "
               "trygghetsskapande insatser.", None, None, None,
         "Genomförda trygghetsvandringar", None, None, None, "0", None, "4", None, None],
    ]
    plan = parse_plan_table(write_xlsx(tmp_path / "ind.xlsx", rows), "ind.xlsx")
    assert plan.errors == []
    area = plan.focus_areas[0]
    assert [i.name for i in area.indicators] == [
        "Trygghetsindex i de prioriterade områdena", "Genomförda trygghetsvandringar"]
    safety = area.indicators[0]
    assert safety.sub_goal is None and safety.direction == "lower"
    assert (safety.baseline_value, safety.baseline_text) == (Decimal("6"), "4-6")
    assert (safety.target_value, safety.target_text) == (Decimal("2"), "0-2")
    assert safety.baseline_date == dt.date(2014, 1, 1)
    assert safety.target_date == dt.date(2018, 12, 31)
    assert safety.goal_kind == "effect" and safety.unit == "index (0-6)"
    walks = area.indicators[1]
    assert walks.sub_goal.startswith("Gemensamt analyserat platser")
    assert [sg.row for sg in area.sub_goals] == [6]
    assert len(area.activities) == 1
    activity = area.activities[0]
    assert [i.name for i in activity.indicators] == [
        "Antal nattvandringsgrupper", "Antal trygghetsforum"]
    groups = activity.indicators[0]
    assert groups.direction == "higher" and groups.goal_kind == "production"
    assert (groups.baseline_value, groups.target_value) == (Decimal("2"), Decimal("8"))
    assert activity.indicators[1].unit == "st"


def test_direction_inferred_from_baseline_and_target(tmp_path):
    rows = [
        INDICATOR_HEADER,
        [FA1, None, FA1_GOAL, "Skolan, Ung fritid och socialtjänst ökar sin kompetens", None,
         "Andel som använder cannabis regelbundet", None, None, None, "3 %", "2014",
         "1,5 %", None, "Enkät om ungdomars attityd gentemot cannabis"],
        [None, None, None, None, None, "Attityd till cannabis", None, None, None, "3,72",
         None, "4,72", None, None],
    ]
    plan = parse_plan_table(write_xlsx(tmp_path / "d.xlsx", rows), "d.xlsx")
    assert plan.errors == []
    use = plan.activities[0].indicators[0]
    assert use.direction == "lower" and use.unit == "%"
    assert (use.baseline_value, use.target_value) == (Decimal("3"), Decimal("1.5"))
    attitude = plan.focus_areas[0].indicators[0]
    assert attitude.direction == "higher"


def test_indicator_value_errors(tmp_path):
    rows = [
        INDICATOR_HEADER,
        [FA3, None, None, INFO, None, "Antal nattvandringsgrupper", "resultat", None,
         "uppåt", "två", "i fjol", "minst 8", None, None],
        [None, None, None, None, None, None, None, None, None, "2", None, "8", None, None],
    ]
    plan = parse_plan_table(write_xlsx(tmp_path / "e.xlsx", rows), "e.xlsx")
    assert {(e.row, e.column) for e in plan.errors} == {
        (2, "Måltyp"), (2, "Riktning"), (2, "Utgångsvärde"), (2, "Utgångsdatum"),
        (3, "Indikator"),
    }


def test_export_reimports_to_the_same_plan(tmp_path):
    rows = [
        INDICATOR_HEADER,
        ["1. Trygghetsmätningar", None, "Mål A", "Trygghetsmätningar samfinansieras",
         "pågående", None, None, None, None, None, None, None, None, None],
        [None, None, None, None, None, "Trygghetsindex", "effekt", "index", "lägre är bättre",
         "4-6", "2014", "0-2", "2018", "Tryggare Sverige"],
        ["2. Medborgarinflytande", "2.1 Medborgardialog", None, "Dialogmöten", "planerad",
         "Antal dialogmöten", None, None, None, "0", None, "minst 4", None, None],
        [None, "2.2 Medborgarlöfte", None, None, None, "Antal löften", None, None, None,
         "1", None, "2", None, None],
        [None, None, None, "Medborgarlöfte följs upp per tertial", "tänkbar", None, None,
         None, None, None, None, None, None, None],
    ]
    first = parse_plan_table(write_xlsx(tmp_path / "a.xlsx", rows), "a.xlsx")
    assert first.errors == []
    exported = plan_to_rows(first)
    assert tuple(exported[0]) == CANONICAL_HEADERS
    second = parse_plan_table(write_csv(tmp_path / "b.csv", exported, ";", bom=True), "b.csv")
    assert second.errors == []

    def strip_rows(plan):
        result = []
        for fa in plan.focus_areas:
            result.append((
                fa.number, fa.title, fa.goal,
                [(s.number, s.text) for s in fa.sub_goals],
                [(a.title, a.status, a.sub_goal,
                  [(i.name, i.direction, i.baseline_value, i.target_value, i.target_text,
                    i.target_date) for i in a.indicators]) for a in fa.activities],
                [(i.name, i.sub_goal, i.baseline_value, i.target_value) for i in fa.indicators],
            ))
        return result

    assert strip_rows(second) == strip_rows(first)


def test_the_example_column_is_read_written_first_and_checked(tmp_path):
    """Rows made up to show the software carry "Exempel – inte ur överenskommelsen"; the
    export puts the column first only when the plan has such rows."""
    label = "Exempel – inte ur överenskommelsen"
    path = write_csv(tmp_path / "plan.csv", [
        ["Fokusområde", "Aktivitet", "Exempel", "Indikator"],
        [FA2, "", "", ""],
        ["", KROGAR, label, ""],
        ["", KROGAR, "ja", "Antal krogar i Krogar mot knark"],
        ["", TILLSYN, "", ""],
    ], delimiter=";")
    plan = parse_plan_table(path)
    assert plan.errors == []
    krogar, tillsyn = plan.activities
    assert krogar.example and not tillsyn.example
    assert krogar.indicators[0].example
    rows = plan_to_rows(plan)
    assert rows[0][0] == "Exempel" and tuple(rows[0][1:]) == CANONICAL_HEADERS
    body = {row[rows[0].index("Aktivitet")]: row[0] for row in rows[1:]}
    assert body == {"": "", KROGAR: label, TILLSYN: ""}
    tillsyn.example = krogar.example = False
    krogar.indicators[0].example = False
    assert tuple(plan_to_rows(plan)[0]) == CANONICAL_HEADERS  # no examples: no column

    bad = write_csv(tmp_path / "bad.csv", [
        ["Fokusområde", "Aktivitet", "Exempel"], [FA2, KROGAR, "kanske"]], delimiter=";")
    errors = parse_plan_table(bad).errors
    assert [(e.row, e.column) for e in errors] == [(2, "Exempel")]
    assert "kanske" in errors[0].message
