import json
from pathlib import Path

import pytest

from samverkan.situation.sources.polisen_categories import (
    CATEGORIES,
    TYPE_TO_CATEGORY,
    category_for,
    is_mapped,
)

DATA = Path(__file__).resolve().parents[2] / "samverkan" / "situation" / "data"
FILES = ["polisen_events_sodermanland_2022-2026.json", "polisen_events_2023-03-25.json"]


def all_types():
    types = set()
    for name in FILES:
        types |= {r["type"] for r in json.loads((DATA / name).read_text(encoding="utf-8"))}
    return types


def test_every_type_in_the_copied_files_is_mapped_explicitly():
    types = all_types()
    assert len(types) == 68
    assert sorted(t for t in types if not is_mapped(t)) == []


def test_categories_are_the_est_slugs():
    assert CATEGORIES == ("klotter", "skadegorelse", "nedskrapning", "anlagd_brand",
                          "ungdomar_stor", "narkotika", "hot_vald", "stold_inbrott",
                          "otrygg_trafik", "mork_plats", "ordningsstorning", "ovrigt")
    assert set(TYPE_TO_CATEGORY.values()) <= set(CATEGORIES)


@pytest.mark.parametrize(
    ("event_type", "category"),
    [
        ("Misshandel", "hot_vald"), ("Misshandel, grov", "hot_vald"),
        ("Olaga hot", "hot_vald"), ("Skottlossning", "hot_vald"),
        ("Skadegörelse", "skadegorelse"),
        ("Stöld", "stold_inbrott"), ("Inbrott", "stold_inbrott"), ("Rån", "stold_inbrott"),
        ("Stöld/inbrott", "stold_inbrott"), ("Rån väpnat", "stold_inbrott"),
        ("Motorfordon, stöld", "stold_inbrott"),
        ("Narkotikabrott", "narkotika"),
        ("Fylleri/LOB", "ordningsstorning"), ("Bråk", "ordningsstorning"),
        ("Ordningslagen", "ordningsstorning"),
        ("Rattfylleri", "otrygg_trafik"), ("Trafikbrott", "otrygg_trafik"),
        ("Trafikolycka", "ovrigt"), ("Trafikkontroll", "ovrigt"),
        ("Brand", "ovrigt"), ("Mordbrand", "anlagd_brand"),
        ("Sammanfattning natt", "ovrigt"), ("Övrigt", "ovrigt"),
        ("Någon helt ny typ", "ovrigt"),
    ],
)
def test_mapping(event_type, category):
    assert category_for(event_type) == category


def test_plain_fire_is_arson_only_when_the_summary_says_so():
    assert category_for("Brand", "Misstänkt anlagd brand i tvättstuga.") == "anlagd_brand"
    assert category_for("Brand", "Brandorsaken utreds som grov mordbrand.") == "anlagd_brand"
    assert category_for("Brand", "Brand i villa, ingen skadad.") == "ovrigt"
    assert category_for("Misshandel", "anlagd") == "hot_vald"
    assert not is_mapped("Någon helt ny typ")
