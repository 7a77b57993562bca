import copy
import json
from functools import cache
from pathlib import Path

import pytest
import shapely

from samverkan.situation.sources.geojson import (
    SWEREF99TM,
    WGS84,
    detect_crs,
    normalise_crs,
    read_feature_collection,
)

ROOT = Path(__file__).resolve().parents[2]
AREAS = ROOT / "samverkan" / "situation" / "data" / "polisen_utsatta_omraden_2025.geojson"
KOMMUNER = ROOT / "samverkan" / "organizations" / "data" / "kommuner_simplified.geojson"


@cache
def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def areas():
    return read_feature_collection(load(AREAS))


@cache
def kommuner():
    return read_feature_collection(load(KOMMUNER))


def kommun(code):
    return next(f for f in kommuner() if f.properties["KnKod"] == code)


def area(name):
    return next(f for f in areas() if f.name == name)


def test_vulnerable_areas_crs_is_detected_from_the_legacy_member():
    assert load(AREAS)["crs"] == {"type": "name", "properties": {"name": "EPSG:3006"}}
    result = areas()
    assert result.crs == SWEREF99TM and result.errors == []
    assert len(result) == 65
    assert sum(f.geometry_sweref.geom_type == "MultiPolygon" for f in result) == 1
    assert sorted(f.id for f in result) == [i for i in range(1, 67) if i != 5]


def test_shoelace_area_in_sweref_equals_shape_area():
    for f in areas():
        expected = f.properties["Shape_Area"]
        assert abs(f.geometry_sweref.area - expected) / expected < 1e-9, f.name
        length = f.properties["Shape_Length"]
        assert abs(f.geometry_sweref.length - length) / length < 1e-9, f.name


def test_sweref_geometry_keeps_the_source_coordinates_as_easting_northing():
    for f in areas():
        minx, miny, maxx, maxy = f.geometry_sweref.bounds
        assert 314_000 < minx < maxx < 686_000  # easting
        assert 6_157_000 < miny < maxy < 6_707_000  # northing
        lon_min, lat_min, lon_max, lat_max = f.geometry_wgs84.bounds
        assert 11 < lon_min < lon_max < 19
        assert 55 < lat_min < lat_max < 61


def test_fisksatra_is_a_multipolygon():
    f = area("Fisksätra")
    assert f.id == 51
    assert f.geometry_sweref.geom_type == "MultiPolygon"
    assert [len(p.exterior.coords) for p in f.geometry_sweref.geoms] == [237, 4]


def test_eskilstuna_areas_lie_inside_eskilstuna():
    eskilstuna = [f for f in areas() if f.properties["ORT"] == "Eskilstuna"]
    assert sorted(f.name for f in eskilstuna) == ["Fröslunda", "Skiftinge", "Årby"]
    assert {f.properties["KATEGORI"] for f in eskilstuna} == {"Utsatt område"}
    boundary = kommun("0484")
    assert boundary.properties["KnNamn"] == "Eskilstuna"
    for f in eskilstuna:
        assert boundary.geometry_wgs84.contains(f.geometry_wgs84), f.name
        assert boundary.geometry_sweref.contains(f.geometry_sweref), f.name


def test_municipality_boundaries_default_to_wgs84():
    data = load(KOMMUNER)
    assert "crs" not in data and data["name"] == "Kommun_Sweref99TM_region"
    result = kommuner()
    assert result.crs == WGS84 and result.errors == []
    assert len(result) == 290
    assert result[0].name == result[0].properties["KnNamn"]
    assert kommun("2023").name == "Malung"


def test_ort_is_not_a_municipality_key_spatial_join():
    def municipality_of(f):
        point = f.geometry_wgs84.representative_point()
        hits = [k.properties["KnKod"] for k in kommuner() if k.geometry_wgs84.contains(point)]
        return hits

    assert area("Hallonbergen").properties["ORT"] == "Solna"
    assert municipality_of(area("Hallonbergen")) == ["0183"]  # Sundbyberg
    assert area("Granängsringen").properties["ORT"] == "Nacka"
    assert municipality_of(area("Granängsringen")) == ["0138"]  # Tyresö
    # The coarse boundaries miss Söder in Helsingborg completely.
    soder = area("Söder")
    assert soder.properties["ORT"] == "Helsingborg"
    assert not any(k.geometry_wgs84.intersects(soder.geometry_wgs84) for k in kommuner())


@pytest.mark.parametrize("name", ["EPSG:3006", "urn:ogc:def:crs:EPSG::3006",
                                  "urn:ogc:def:crs:EPSG:6.3:3006", "epsg:3006"])
def test_crs_names(name):
    assert normalise_crs(name) == SWEREF99TM


def test_crs84_and_bad_crs():
    assert normalise_crs("urn:ogc:def:crs:OGC:1.3:CRS84") == WGS84
    assert detect_crs({"type": "FeatureCollection"}) is None
    with pytest.raises(ValueError):
        normalise_crs("Kommun_Sweref99TM_region")
    with pytest.raises(ValueError):
        detect_crs({"crs": {"type": "link", "properties": {}}})


def test_urn_crs_and_explicit_source_crs():
    data = copy.deepcopy(load(AREAS))
    data["crs"]["properties"]["name"] = "urn:ogc:def:crs:EPSG::3006"
    assert [f.geometry_sweref.area for f in read_feature_collection(data)] == [
        f.geometry_sweref.area for f in areas()]
    del data["crs"]
    # Without the crs member an RFC 7946 reading is wrong, and is reported per feature.
    wrong = read_feature_collection(data)
    assert list(wrong) == [] and len(wrong.errors) == 65
    assert "wrong CRS" in wrong.errors[0].reason
    right = read_feature_collection(data, source_crs="EPSG:3006")
    assert len(right) == 65 and right.errors == []


def test_wgs84_input_is_projected_to_sweref():
    f = kommun("0484")
    x, y = f.geometry_sweref.representative_point().coords[0]
    assert 500_000 < x < 600_000 and 6_550_000 < y < 6_620_000  # easting, northing
    # Land area about 1,100 km² (the generalised boundary gives ~1,056 km²).
    assert f.geometry_sweref.area == pytest.approx(1_100e6, rel=0.1)


def _fc(*geometries):
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"name": f"f{i}"}, "geometry": g}
                         for i, g in enumerate(geometries)]}


def test_invalid_geometries_are_errors_per_feature():
    square = [[[16.0, 59.0], [16.1, 59.0], [16.1, 59.1], [16.0, 59.1], [16.0, 59.0]]]
    bowtie = [[[16.0, 59.0], [16.1, 59.1], [16.1, 59.0], [16.0, 59.1], [16.0, 59.0]]]
    unclosed = [square[0][:-1] + [[16.0, 59.05]]]
    result = read_feature_collection(_fc(
        {"type": "Polygon", "coordinates": square},
        {"type": "Polygon", "coordinates": bowtie},
        {"type": "Point", "coordinates": [16.0, 59.0]},
        None,
        {"type": "Polygon", "coordinates": unclosed},
        {"type": "Polygon", "coordinates": [square[0][:3]]},
        {"type": "Polygon", "coordinates": [[[16.0, "x"]] * 4]},
        {"type": "MultiPolygon", "coordinates": [square, square]},  # overlapping parts
        {"type": "MultiPolygon", "coordinates": [square]},
    ))
    assert [f.name for f in result] == ["f0", "f8"]
    reasons = {e.index: e.reason for e in result.errors}
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7]
    assert "invalid geometry" in reasons[1]
    assert "unsupported geometry type 'Point'" in reasons[2]
    assert "missing geometry" in reasons[3]
    assert "not closed" in reasons[4]
    assert "at least 4" in reasons[5]
    assert "invalid position" in reasons[6]
    assert shapely.get_num_coordinates(result[0].geometry_wgs84) == 5


def test_not_a_feature_collection():
    with pytest.raises(ValueError):
        read_feature_collection({"type": "Feature"})
    result = read_feature_collection({"type": "FeatureCollection", "features": [1]})
    assert result.errors[0].reason == "not a GeoJSON Feature"
