import csv
from pathlib import Path

import pytest

from samverkan.situation.sources import municipality_names as mn
from samverkan.situation.sources.municipality_names import code_for

ROOT = Path(__file__).resolve().parents[2]
BRA_CSV = ROOT / "samverkan" / "situation" / "data" / "bra_anmalda_brott_per_kommun.csv"


def test_scb_list_has_290_municipalities_with_string_codes():
    ms = mn.municipalities()
    assert len(ms) == 290
    assert ms["0114"].name == "Upplands Väsby"
    assert ms["0484"].county_code == "04"
    assert len({m.county_code for m in ms.values()}) == 21
    assert all(len(c) == 4 and c.isdigit() for c in ms)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Upplands Väsby", "0114"),
        ("Upplands väsby", "0114"),  # police events, 2023 file
        ("UPPLANDS VÄSBY", "0114"),
        ("Upplands-Bro", "0139"),
        ("Upplands Bro", "0139"),  # ORT in the vulnerable areas (explicit alias)
        ("Malung-Sälen", "2023"),
        ("Malung–Sälen", "2023"),  # en dash
        ("Malung", "2023"),  # kommuner_simplified KnNamn (explicit alias)
        ("Eskilstuna", "0484"),
        ("Gotland", "0980"),
        ("Dals-Ed", "1438"),
        ("Habo", "0643"),
        ("Håbo", "0305"),
        # Brå names from the committed table
        ("Stockholm", "0180"),
        ("Tranås kommun ", "0687"),
        ("Tranemo kommun", "1452"),
        ("Malung–Sälens kommun", "2023"),
        ("Gotlands kommun", "0980"),
        ("Arjeplogs kommun", "2506"),
        ("Göteborgs kommun", "1480"),
        ("Marks kommun", "1463"),
        ("Markaryds kommun", "0767"),
        ("Borås kommun", "1490"),
        ("Alingsås kommun", "1489"),
        ("Falun kommun", "2080"),
    ],
)
def test_code_for(name, code):
    assert code_for(name) == code


@pytest.mark.parametrize("name", ["Södermanlands län", "Västra Frölunda", "Borå", "Mar", "",
                                  None, "Göteborgs"])
def test_unknown_names_give_none(name):
    assert code_for(name) is None


def test_committed_bra_table_matches_the_bra_file_one_to_one():
    with BRA_CSV.open(encoding="utf-8-sig", newline="") as fh:
        bra_file_names = [r["name"] for r in csv.DictReader(fh, delimiter=";")]
    table = mn.bra_names()
    assert len(table) == 290
    assert set(table) == set(bra_file_names)  # exact strings, trailing space included
    assert "Tranås kommun " in table and "Malung–Sälens kommun" in table
    assert sorted(table.values()) == sorted(mn.municipalities())


@pytest.mark.parametrize(
    ("bra_name", "scb_name"),
    [
        # Genitives of names that already end in -s keep their form ...
        ("Borås kommun", "Borås"), ("Alingsås kommun", "Alingsås"),
        ("Bollnäs kommun", "Bollnäs"), ("Vännäs kommun", "Vännäs"),
        ("Västerås kommun", "Västerås"), ("Hofors kommun", "Hofors"),
        ("Kramfors kommun", "Kramfors"), ("Höganäs kommun", "Höganäs"),
        ("Torsås kommun", "Torsås"), ("Grums kommun", "Grums"),
        # ... the others add an -s
        ("Arjeplogs kommun", "Arjeplog"), ("Bergs kommun", "Berg"), ("Kils kommun", "Kil"),
        ("Dals-Eds kommun", "Dals-Ed"), ("Upplands-Bro kommun", "Upplands-Bro"),
    ],
)
def test_hand_checked_genitives(bra_name, scb_name):
    assert mn.name_for(mn.bra_names()[bra_name]) == scb_name


def test_county_code_for():
    assert mn.county_code_for("Södermanlands län") == "04"
    assert mn.county_code_for("södermanlands LÄN") == "04"
    assert mn.county_code_for("Atlantis län") is None
