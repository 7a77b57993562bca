"""The committed organizations fixtures match what scripts/build_reference_fixtures.py builds."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "samverkan" / "organizations" / "fixtures"


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_fixtures_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference_fixtures.py"),
                           "--check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_municipalities_fixture():
    objs = load("municipalities.json")
    counties = {o["pk"]: o["fields"] for o in objs if o["model"] == "organizations.county"}
    munis = {o["pk"]: o["fields"] for o in objs if o["model"] == "organizations.municipality"}
    assert len(counties) == 21 and len(munis) == 290
    assert Counter(o["model"] for o in objs[:21]) == {"organizations.county": 21}  # FK order
    assert counties["04"] == {"name": "Södermanlands län"}
    assert counties["09"] == {"name": "Gotlands län"}
    assert munis["0484"] == {"name": "Eskilstuna", "county": "04", "population": 107_346,
                             "population_year": 2024}
    assert munis["0114"]["name"] == "Upplands Väsby"
    assert munis["2023"]["name"] == "Malung-Sälen"
    assert sum(m["population"] for m in munis.values()) == 10_587_140
    assert min(munis.values(), key=lambda m: m["population"])["name"] == "Dorotea"
    assert munis["0180"]["population"] == 995_600
    assert all(m["county"] == code[:2] and m["county"] in counties for code, m in munis.items())
    assert all(isinstance(m["population"], int) for m in munis.values())


def test_police_areas_fixture():
    objs = load("police_areas.json")
    assert {o["model"] for o in objs} == {"organizations.policearea"}
    by_pk = {o["pk"]: o["fields"] for o in objs}
    assert len(by_pk) == len(objs)
    seen: set[int] = set()
    for o in objs:  # parents come first, levels nest
        f = o["fields"]
        parent_level = {"region": None, "police_area": "region",
                        "local_police_area": "police_area"}[f["level"]]
        if parent_level is None:
            assert f["parent"] is None
        else:
            assert f["parent"] in seen and by_pk[f["parent"]]["level"] == parent_level
        seen.add(o["pk"])
    assert len({(f["level"], f["name"]) for f in by_pk.values()}) == len(by_pk)

    def get(level, name):
        return next(pk for pk, f in by_pk.items() if f["level"] == level and f["name"] == name)

    regions = {f["name"]: f["code"] for f in by_pk.values() if f["level"] == "region"}
    assert regions == {"Nord": "", "Mitt": "5200", "Stockholm": "5300", "Väst": "5500",
                       "Syd": "5600", "Öst": "5400", "Bergslagen": "5700"}
    # Fisksätra quirk: Stockholm syd keeps its own code, Nacka lies under Stockholm syd.
    syd, nord = get("police_area", "Stockholm syd"), get("police_area", "Stockholm nord")
    assert (by_pk[syd]["code"], by_pk[nord]["code"]) == ("5312", "5313")
    nacka = by_pk[get("local_police_area", "Nacka")]
    assert (nacka["parent"], nacka["code"]) == (syd, "531240")
    # Demo entries.
    esk = by_pk[get("local_police_area", "Eskilstuna")]
    assert esk["municipalities"] == ["0484"] and esk["code"] == "540130"
    sodermanland = by_pk[esk["parent"]]
    assert (sodermanland["name"], sodermanland["code"]) == ("Södermanland", "5401")
    assert by_pk[sodermanland["parent"]]["name"] == "Öst"
    karlshamn = by_pk[get("local_police_area", "Karlshamn")]
    assert karlshamn["municipalities"] == ["1082"]
    assert by_pk[karlshamn["parent"]]["name"] == "Blekinge nordöstra Skåne"
    assert by_pk[by_pk[karlshamn["parent"]]["parent"]]["name"] == "Syd"
    linked = [f for f in by_pk.values() if f["municipalities"]]
    assert len(linked) == 2
    assert Counter(f["level"] for f in by_pk.values()) == {
        "region": 7, "police_area": 16, "local_police_area": 34}
