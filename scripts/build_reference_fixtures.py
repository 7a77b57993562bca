"""Build the reference-data fixtures of the organizations app from the copied data files.

Reads only files inside the repository (see samverkan/organizations/data/SOURCES.md and
samverkan/situation/data/SOURCES.md) and writes, deterministically:

* samverkan/organizations/fixtures/municipalities.json
    organizations.county (pk = 2-digit code; name) for the 21 counties and
    organizations.municipality (pk = 4-digit code; name, county, population, population_year)
    for the 290 municipalities, from scb_kommuner_lan.csv and
    scb_kommuner_population_2024.csv (joined on the code, names checked to be equal).
* samverkan/organizations/fixtures/police_areas.json
    organizations.policearea (pk assigned here; name, code, level, parent, municipalities):
    the 7 police regions, then the police areas (polisområden), then the local police areas
    (lokalpolisområden) named in polisen_utsatta_omraden_2025.geojson
    (REGION/REGIONKOD, POLISOMRADE/POLISOMRADESKOD, LOKALPOLISOMRADE/OMRADESKOD).

Quirk: Fisksätra (OBJECTID 51) has POLISOMRADE "Stockholm syd" but POLISOMRADESKOD 5313
(the code of "Stockholm nord"). We trust the POLISOMRADE *name*: the parent of a local police
area is found by name, and a police area's code is the code most of its features carry
(which also equals the first four digits of its local police areas' OMRADESKOD). Codes that
disagree with that are reported on stderr and ignored.

Entered by hand (not in the source file), for the demo installations:

* Police region Nord: the file has no vulnerable area in region Nord, so its code is unknown
  and left "". The other six region codes come from REGIONKOD.
* Local police area Eskilstuna (police area Södermanland, region Öst): present in the file
  (OMRADESKOD 540130); it would be added by hand with code "" if it were missing.
* Local police area Karlshamn (region Syd): not in the file (no vulnerable area there), code
  unknown (""). The brief asked for police area "Blekinge", but the file shows that the
  Blekinge police area is today "Blekinge nordöstra Skåne" (5616, which also holds
  Kristianstad); we attach Karlshamn to that existing area instead of inventing a
  duplicate "Blekinge" area.
* Municipality links: Eskilstuna (0484) -> local police area Eskilstuna, Karlshamn (1082)
  -> local police area Karlshamn. The demo needs these two; all other areas have no
  municipality links yet (the file does not give them, and ORT is not a municipality key).

Usage:  python scripts/build_reference_fixtures.py [--check]
With --check, nothing is written; the exit code is 1 if the committed fixtures differ.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORG_DATA = ROOT / "samverkan" / "organizations" / "data"
SITUATION_DATA = ROOT / "samverkan" / "situation" / "data"
FIXTURES = ROOT / "samverkan" / "organizations" / "fixtures"

POPULATION_YEAR = 2024

REGIONS = ["Nord", "Mitt", "Stockholm", "Väst", "Syd", "Öst", "Bergslagen"]

# (local police area, police area, region, municipality codes, code if not in the file)
HAND_LOCAL_POLICE_AREAS = [
    ("Eskilstuna", "Södermanland", "Öst", ["0484"], ""),
    ("Karlshamn", "Blekinge nordöstra Skåne", "Syd", ["1082"], ""),
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_municipalities() -> list[dict]:
    scb = read_csv(ORG_DATA / "scb_kommuner_lan.csv")
    population_rows = read_csv(ORG_DATA / "scb_kommuner_population_2024.csv")
    population = {r["kommun_kod"]: r for r in population_rows}
    counties: dict[str, str] = {}
    municipalities = []
    for row in scb:
        code, county = row["municipality_code"], row["county_code"]
        assert len(code) == 4 and code.isdigit() and code[:2] == county, row
        if counties.setdefault(county, row["county_name"]) != row["county_name"]:
            raise SystemExit(f"county {county} has two names")
        pop = population[code]
        if pop["kommun_namn"] != row["municipality_name"]:
            raise SystemExit(f"name mismatch for {code}: {pop['kommun_namn']!r}")
        municipalities.append({
            "model": "organizations.municipality",
            "pk": code,
            "fields": {
                "name": row["municipality_name"],
                "county": county,
                "population": int(pop["population"]),
                "population_year": POPULATION_YEAR,
            },
        })
    if len(municipalities) != 290 or len(counties) != 21 or len(population) != 290:
        raise SystemExit("expected 290 municipalities in 21 counties")
    county_objs = [
        {"model": "organizations.county", "pk": code, "fields": {"name": name}}
        for code, name in sorted(counties.items())
    ]
    return county_objs + municipalities


def _majority(counter: Counter, what: str) -> str:
    (code, n), *rest = counter.most_common()
    if rest:
        print(f"note: {what}: codes {dict(counter)}; using {code} (the majority)",
              file=sys.stderr)
    return code


def build_police_areas() -> list[dict]:
    with (SITUATION_DATA / "polisen_utsatta_omraden_2025.geojson").open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]

    region_codes: dict[str, Counter] = defaultdict(Counter)
    area_codes: dict[str, Counter] = defaultdict(Counter)
    area_region: dict[str, str] = {}
    local: dict[str, tuple[str, Counter]] = {}
    for f in features:
        p = f["properties"]
        region, area, lpo = p["REGION"], p["POLISOMRADE"], p["LOKALPOLISOMRADE"]
        region_codes[region][p["REGIONKOD"]] += 1
        area_codes[area][p["POLISOMRADESKOD"]] += 1
        if area_region.setdefault(area, region) != region:
            raise SystemExit(f"police area {area} in two regions")
        if lpo in local and local[lpo][0] != area:
            raise SystemExit(f"local police area {lpo} in two police areas")
        local.setdefault(lpo, (area, Counter()))[1][p["OMRADESKOD"]] += 1

    unknown = set(region_codes) - set(REGIONS)
    if unknown:
        raise SystemExit(f"unknown regions {unknown}")

    objs: list[dict] = []
    pk_of: dict[tuple[str, str], int] = {}

    def add(level: str, name: str, code: str, parent: int | None, municipalities: list[str]):
        pk = len(objs) + 1
        pk_of[(level, name)] = pk
        objs.append({
            "model": "organizations.policearea",
            "pk": pk,
            "fields": {"name": name, "code": code, "level": level, "parent": parent,
                       "municipalities": municipalities},
        })

    for region in REGIONS:
        code = _majority(region_codes[region], f"region {region}") if region in region_codes else ""
        add("region", region, code, None, [])

    hand = {lpo: (area, region, munis, code) for lpo, area, region, munis, code
            in HAND_LOCAL_POLICE_AREAS}
    for lpo, (area, region, _, _) in hand.items():
        if area not in area_region:
            raise SystemExit(f"hand-entered {lpo}: police area {area} not in the file")
        if area_region[area] != region:
            raise SystemExit(f"hand-entered {lpo}: {area} is in {area_region[area]}")

    # Police areas: code = majority POLISOMRADESKOD (Fisksätra quirk), cross-checked
    # against the OMRADESKOD prefixes of their local police areas.
    area_code: dict[str, str] = {}
    for area in sorted(area_region, key=lambda a: (REGIONS.index(area_region[a]), a)):
        code = _majority(area_codes[area], f"police area {area}")
        prefixes = {c[:4] for lpo_area, codes in local.values() if lpo_area == area
                    for c in codes}
        if prefixes != {code}:
            raise SystemExit(f"police area {area}: code {code} vs OMRADESKOD {prefixes}")
        area_code[area] = code
        add("police_area", area, code, pk_of[("region", area_region[area])], [])
    if len(set(area_code.values())) != len(area_code):
        raise SystemExit("two police areas share a code")

    lpos = {lpo: (area, _majority(codes, f"local police area {lpo}"))
            for lpo, (area, codes) in local.items()}
    for lpo, (area, _, _, code) in hand.items():
        lpos.setdefault(lpo, (area, code))
    for lpo, (area, code) in sorted(lpos.items(), key=lambda kv: (pk_of[("police_area",
                                                                         kv[1][0])], kv[0])):
        if lpo in hand and hand[lpo][0] != area:
            raise SystemExit(f"{lpo}: file says police area {area}, hand entry {hand[lpo][0]}")
        munis = hand[lpo][2] if lpo in hand else []
        add("local_police_area", lpo, code, pk_of[("police_area", area)], munis)
    return objs


def dump(objs: list[dict]) -> str:
    return json.dumps(objs, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    outputs = {
        FIXTURES / "municipalities.json": dump(build_municipalities()),
        FIXTURES / "police_areas.json": dump(build_police_areas()),
    }
    check = "--check" in sys.argv
    stale = []
    for path, text in outputs.items():
        rel = path.relative_to(ROOT)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}", file=sys.stderr)
    if stale:
        print(f"out of date: {', '.join(map(str, stale))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
