"""The demo says what its sources say, word for word and in the right place.

The seeds are copied byte for byte into samverkan/demo/sources/ (see SOURCES.md there). Every
text the demo presents as the agreement's own must be found in its source; what the demo makes
up (the 2024-2027 action plan) must be marked as an example. An edit that drifts from the
source fails here.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent
DATA = DEMO / "data"
SOURCES = DEMO / "sources"
EXAMPLE = "Exempel – inte ur överenskommelsen"


def norm(text: str) -> str:
    """Whitespace folded, so that a line break in the source matches a space."""
    return re.sub(r"\s+", " ", text).strip()


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def source(name: str) -> str:
    return norm((SOURCES / name).read_text(encoding="utf-8"))


def plan_rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def verbatim_texts(agreement: dict) -> list[tuple[str, str]]:
    """(where, text) of everything the demo shows as the source's own words; multi-line
    fields line by line (the demo joins paragraphs of the source with line breaks)."""
    texts: list[tuple[str, str]] = []

    def add(where, value):
        for line in (value or "").split("\n"):
            if line.strip():
                texts.append((where, line))

    for key in ("background", "purpose", "overall_goal", "commitments_intro", "followup_text",
                "communication_strategy"):
        add(key, agreement.get(key))
    for c in agreement.get("commitments", []):
        add(f"commitment {c['number']}", c["text"])
        add(f"commitment {c['number']} explanation", c["explanation"])
    for fa in agreement["focus_areas"]:
        add(f"focus area {fa['number']}", fa["title"])
        add(f"focus area {fa['number']} goal", fa["goal"])
        add(f"focus area {fa['number']} problem", fa["problem_description"])
        for sg in fa["sub_goals"]:
            add(f"sub-goal {fa['number']}.{sg['number']}", sg["text"])
    for forum in agreement["forums"]:
        add(f"forum {forum['name']} mandate", forum["mandate"])
        add(f"forum {forum['name']} cadence", forum["cadence_text"])
    for d in agreement.get("definitions", []):
        add(f"term {d['term']}", d["text"])
    for p in agreement.get("practices", []):
        add(f"practice {p['title']}", p["text"])
        for part in p["responsible_text"].split("; "):
            add(f"practice {p['title']} who", part)
    return texts


# -- Eskilstuna 2024-2027 (seed 001) -------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_001() -> str:
    return source("eskilstuna_2024_2027.txt")


@pytest.fixture(scope="module")
def agreement_001() -> dict:
    return load("eskilstuna_2024_2027.json")["agreement"]


def test_every_text_of_the_agreement_is_in_the_source(seed_001, agreement_001):
    missing = [(where, text) for where, text in verbatim_texts(agreement_001)
               if norm(text) not in seed_001]
    assert missing == []


def test_the_agreement_claims_no_classification_the_source_does_not_make(agreement_001):
    # The agreement does not sort its focus areas into crime prevention / safety creating.
    assert {fa["track"] for fa in agreement_001["focus_areas"]} == {""}
    assert {fa["strategy"] for fa in agreement_001["focus_areas"]} == {""}
    assert agreement_001["signatories"] == []  # the source names no signatories


def test_the_joint_commitments_are_their_own_section(agreement_001):
    assert [c["text"] for c in agreement_001["commitments"]] == [
        "Vi åtar oss att prioritera deltagande och ta ansvar för att utveckla våra gemensamma "
        "forum.",
        "Vi åtar oss att avsätta erforderliga resurser i enlighet med "
        "samverkansöverenskommelsen och tillhörande åtgärdsplan.",
        "Vi åtar oss att utveckla gemensam kommunikation.",
    ]
    assert agreement_001["commitments_intro"].endswith(
        "Vi, Eskilstuna kommun och lokalpolisområde Eskilstuna, åtar oss därför följande:")
    # Not filed as a communication strategy, which the agreement does not have.
    assert agreement_001["communication_strategy"] == ""


def test_the_forums_with_their_cadence(agreement_001):
    forums = {f["name"]: f for f in agreement_001["forums"]}
    assert forums["EST-samverkan"]["cadence_text"] == "veckovisa avstämningar"
    assert "veckovisa avstämningar för trygghet genom EST-samverkan" in norm(
        " ".join(c["explanation"] for c in agreement_001["commitments"]))
    assert "SSPF-samverkan" in forums["SSPF-samverkan"]["mandate"]
    assert forums["Kommunens trygghetsberedning"]["cadence_text"] == "kontinuerlig avstämning"
    kug = forums["KUG Tryggt och socialt hållbart Eskilstuna"]
    assert kug["kind"] == "strategic_council"
    assert "det strategiska råd som föreskrivs i Lag (2023:196)" in kug["mandate"]


def test_the_lacus_working_groups_all_seven(agreement_001):
    forums = {f["name"]: f for f in agreement_001["forums"]}
    groups = forums["LACUS arbetsgrupper"]["mandate"]
    for group in ("fusk inom vård och omsorg", "sunt samhällsbyggande",
                  "felaktiga utbetalningar av försörjningsstöd", "fler ska våga anmäla brott",
                  "motverka felaktig folkbokföring", "miljöbrott",
                  "motverka näringslivskriminalitet"):
        assert group in groups
    assert "Varje grupp har ansvar att ta fram en aktivitetsplan" in groups
    steering = forums["LACUS styrgrupp"]
    assert "kommundirektörer från respektive kommun" in steering["mandate"]
    assert {m["organization"] for m in steering["members"]} == {
        "Eskilstuna kommun", "Nationella operativa avdelningen"}


def test_terms_word_for_word(agreement_001):
    terms = {d["term"]: d for d in agreement_001["definitions"]}
    assert terms["Välfärdsbrottslighet"]["text"] == (
        "I Eskilstuna kommun definieras välfärdsbrottslighet som \"alla typer av fusk och "
        "oegentligheter som utförs av en enskild, företag eller förening i syfte att tillskansa "
        "sig fördelar eller resurser i välfärden, till nackdel för kommunkoncernen och "
        "kommunmedborgare\".")
    assert terms["Välfärdsbrottslighet"]["focus_area"] == 4
    assert terms["Otillåten påverkan"]["focus_area"] == 4
    assert terms["Våldsbejakande extremism"]["text"].startswith(
        "Center mot våldsbejakande extremism definierar våldsbejakande extremism som")


def test_the_camera_rules_in_full(agreement_001):
    cameras = next(p for p in agreement_001["practices"] if p["title"] == "Kamerabevakning")
    text = norm(cameras["text"])
    for rule in (
        "Vi stödjer oss på den lagliga grunden uppgift av allmänt intresse och "
        "kamerabevakningslagen.",
        "sparas i normalfallet maximalt 30 dagar, därefter raderas de.",
        "Begära skadestånd för skadegörelse.",
        "Anmäla ett brott.",
        "Polisen begär att få ta del av filmen som bevis i en pågående utredning.",
        "När filmerna inte längre behövs för något av dessa syften raderas de.",
        "Inget ljud spelas in via våra bevakningskameror.",
        "Det är ett begränsat antal människor som har möjlighet att titta på filmerna.",
        "Du har rätt att begära ut stillbilder av bevakningsfilm som du själv är med i, om du "
        "kan berätta tid och plats för inspelningen.",
        "dso@eskilstuna.se",
        "kan du anmäla det till Integritetsskyddsmyndigheten.",
    ):
        assert rule in text, rule
    assert cameras["responsible_text"] == "Eskilstuna kommun"


def test_the_graffiti_promise_belongs_to_a_number_of_property_owners(agreement_001):
    promise = ("ett antal fastighetsägare har slutit en överenskommelse om att ta bort klotter "
               "inom 48 timmar eller redan inom 24 timmar om det handlar om Eskilstuna centrum")
    graffiti = next(p for p in agreement_001["practices"] if p["title"] == "Klotter")
    assert promise in norm(graffiti["text"])
    assert "ett antal fastighetsägare" in graffiti["responsible_text"]
    # In the example plan the promise is the property owners' contribution, not the
    # municipality's or Kfast's.
    row = next(r for r in plan_rows("eskilstuna_2024_2027_atgardsplan.csv")
               if r["Aktivitet"].startswith("Klotter") and r["Åtgärd kommun"])
    assert promise in row["Åtgärd övriga"].lower() or promise[0].upper() + promise[1:] in \
        row["Åtgärd övriga"]
    assert "48 timmar" not in row["Åtgärd kommun"]
    assert "Kfast" not in " ".join(row.values())


def test_extremism_under_focus_area_4(agreement_001):
    area4 = next(fa for fa in agreement_001["focus_areas"] if fa["number"] == 4)
    assert "Förebyggt våldsbejakande extremism" in [sg["text"] for sg in area4["sub_goals"]]
    support = next(p for p in agreement_001["practices"]
                   if p["title"] == "Stöd och råd vid oro för våldsbejakande extremism")
    assert support["focus_area"] == 4
    rows = plan_rows("eskilstuna_2024_2027_atgardsplan.csv")
    current_area, placed = None, None
    for row in rows:
        current_area = row["Fokusområde"] or current_area
        if row["Aktivitet"] == "Stöd och råd vid oro för våldsbejakande extremism":
            placed = (current_area, row["Delmål"])
    assert placed == ("Fokusområde 4 – Bekämpa systemhotande brottslighet",
                      "Förebyggt våldsbejakande extremism")


def test_the_goal_about_vulnerable_areas_has_no_invented_target(agreement_001):
    assert ("tagit betydande steg för ett Eskilstuna utan utsatta områden"
            in agreement_001["overall_goal"])
    row = next(r for r in plan_rows("eskilstuna_2024_2027_atgardsplan.csv")
               if r["Indikator"].startswith("Antal områden i Eskilstuna"))
    assert row["Målvärde"] == "" and row["Måldatum"] == ""
    assert (row["Utgångsvärde"], row["Exempel"]) == ("3", EXAMPLE)


def test_the_action_plan_is_marked_as_an_example_on_every_row():
    rows = plan_rows("eskilstuna_2024_2027_atgardsplan.csv")
    content = [r for r in rows if r["Aktivitet"] or r["Indikator"]]
    assert content and all(r["Exempel"] == EXAMPLE for r in content)
    # Heading rows are the agreement's own focus areas, not examples.
    assert all(r["Exempel"] == "" for r in rows if r["Fokusområde"])


def test_the_priority_areas_name_their_source(agreement_001):
    areas = json.loads((DEMO.parent / "situation" / "data" /
                        "polisen_utsatta_omraden_2025.geojson").read_text(encoding="utf-8"))
    on_the_list = {f["properties"]["NAMN"] for f in areas["features"]
                   if f["properties"]["ORT"] == "Eskilstuna"}
    assert on_the_list == {p["name"] for p in agreement_001["priority_areas"]}
    for area in agreement_001["priority_areas"]:
        assert "Polismyndighetens lista över utsatta områden" in area["description"]
        assert "namnger dem inte" in area["description"]


# -- the other seeds ----------------------------------------------------------------------------

@pytest.mark.parametrize("data, seed", [
    ("eskilstuna_2013.json", "eskilstuna_2013.txt"),
    ("karlshamn_2021_2024.json", "karlshamn_2021_2024.txt"),
])
def test_focus_areas_and_sub_goals_of_the_other_seeds(data, seed):
    text = source(seed)
    agreement = load(data)["agreement"]
    missing = [(where, line) for where, line in verbatim_texts(agreement)
               if where.startswith(("focus area", "sub-goal")) and norm(line) not in text]
    assert missing == []
