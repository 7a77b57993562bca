"""The safety index from respondent-level answers: scoring, "Vet ej" and blanks, weights,
bands, groups under 30 answers, and the command's JSON."""
import json

import pytest
from django.core.management import call_command

from samverkan.analysis import safety_index as si
from samverkan.surveys import io


def scores(*answers):
    scoring = si.Scoring()
    return [scoring.score(a) for a in answers]


def test_default_scoring_leaves_out_vet_ej_and_blanks():
    assert scores("Mycket stort problem", "ganska stort problem ", "Ganska litet problem",
                  "Inget problem alls", "Vet ej", "", None) == [6, 4, 2, 0, None, None, None]
    with pytest.raises(ValueError):
        si.Scoring().score("Ganska stort")
    with pytest.raises(ValueError):
        si.Scoring().score("7")


@pytest.mark.parametrize(("value", "band"), [
    (0, "normal"), (1.99, "normal"), (2, "attention"), (3.99, "attention"), (4, "act"),
    (6, "act"), (None, None)])
def test_bands(value, band):
    assert si.band(value) == band


def test_bands_configurable():
    assert si.band(2.5, (3, 5)) == "normal"
    assert si.band(5, (3, 5)) == "act"


CSV = """område;kön;ålder;vikt;Nedskräpning;Trafiken
Fröslunda;Kvinna;16-29;1;Mycket stort problem;Vet ej
Fröslunda;Man;30-49;1,5;Ganska litet problem;Ganska stort problem
Fröslunda;Kvinna;30-49;;Inget problem alls;
Lagersberg;Man;65+;1;Ganska stort problem;Mycket stort problem
"""


def test_index_from_a_file_with_vet_ej_blanks_and_weights():
    parsed = io.read_respondents(CSV.encode("cp1252"), "svar.csv")
    assert parsed.ok, parsed.errors
    data = si.as_json(si.compute(parsed.respondents, parsed.questions))
    frosl = data["areas"]["Fröslunda"]
    # Nedskräpning: (6*1 + 2*1.5 + 0*1) / 3.5 = 2.571...
    assert frosl["questions"]["Nedskräpning"] == {"index": 2.57, "n": 3, "band": "attention"}
    # Trafiken: "Vet ej" and a blank left out: one answer (4).
    assert frosl["questions"]["Trafiken"] == {"index": 4.0, "n": 1, "band": "act"}
    assert frosl["n"] == 3
    assert frosl["total"] == round((9 / 3.5 + 4) / 2, 2)
    assert data["areas"]["Lagersberg"]["total"] == 5.0


def test_groups_by_sex_and_age_and_uncertain_below_30():
    rows = [si.Respondent("A", {"Q": 6.0}, sex="Kvinna") for _ in range(30)]
    rows += [si.Respondent("A", {"Q": 2.0}, sex="Man") for _ in range(29)]
    results = {(r.dimension, r.group): r for r in si.compute(rows, ["Q"])}
    women, men = results[("sex", "Kvinna")], results[("sex", "Man")]
    assert women.questions["Q"].mean == 6 and not women.questions["Q"].uncertain
    assert men.questions["Q"].n == 29 and men.questions["Q"].uncertain
    everyone = results[("all", "")].questions["Q"]
    assert everyone.n == 59 and everyone.ci_low < everyone.mean < everyone.ci_high


def test_confidence_interval_matches_the_normal_approximation():
    values = [0.0, 2.0, 4.0, 6.0] * 10
    e = si.estimate(values)
    import statistics

    half = 1.959963984540054 * statistics.stdev(values) / len(values) ** 0.5
    assert e.mean == 3 and e.ci_high - e.mean == pytest.approx(half)


def test_bad_file_rejected_row_by_row():
    text = ("område;kön;ålder;vikt;Nedskräpning\n"
            ";Kvinna;16-29;1;Mycket stort problem\n"
            "Fröslunda;Man;30-49;-2;Ganska stort\n"
            "Fröslunda;Man;30-49;1;Inget problem alls\n")
    parsed = io.read_respondents(text.encode(), "svar.csv")
    found = [(e.row, e.column) for e in parsed.errors]
    assert found == [(2, "område"), (3, "vikt"), (3, "Nedskräpning")]
    assert "Ganska stort" in parsed.errors[2].message


def test_a_file_without_the_area_column():
    parsed = io.read_respondents(b"kon,Fraga\nMan,Vet ej\n", "svar.csv")
    assert [(e.row, e.column) for e in parsed.errors] == [(1, "område")]


def test_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["area", "sex", "age_group", "weight", "Klotter"])
    sheet.append(["Centrum", "Kvinna", "16-29", 2, "Ganska stort problem"])
    sheet.append(["Centrum", "Man", "16-29", None, 0])
    path = tmp_path / "svar.xlsx"
    book.save(path)
    parsed = io.read_respondents(path.read_bytes(), path.name)
    assert parsed.ok, parsed.errors
    data = si.as_json(si.compute(parsed.respondents, parsed.questions))
    assert data["areas"]["Centrum"]["questions"]["Klotter"]["index"] == round(8 / 3, 2)


def test_command_json_shape(tmp_path, capsys):
    path = tmp_path / "svar.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("survey_index", str(path), "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"areas"}
    for area in data["areas"].values():
        assert set(area) == {"total", "n", "questions"}
        for q in area["questions"].values():
            assert set(q) == {"index", "n", "band"}
            assert q["band"] in {"normal", "attention", "act"}


def test_command_reports_bad_rows(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "svar.csv"
    path.write_text("område;Fråga\nA;kanske\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("survey_index", str(path), "--json")


@pytest.mark.parametrize("data", [b"\x00\x81\x8d\x00;\n", b"PK\x03\x04garbage", b""])
def test_unreadable_files_are_refused_not_crashed(data):
    with pytest.raises(io.FileError):
        io.read_respondents(data, "svar.csv")
    with pytest.raises(io.FileError):
        io.read_respondents(data, "svar.xlsx")
