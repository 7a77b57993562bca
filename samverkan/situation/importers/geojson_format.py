"""Incidents from a GeoJSON FeatureCollection of Point features: WGS 84 (RFC 7946), or
EPSG:3006 when the legacy `crs` member says so. Properties use the same names as the CSV
columns (kategori/category, tid/time, ...); the feature's `id` is the source id when there is
no id property."""
from __future__ import annotations

import json

from django.utils.translation import gettext as _

from samverkan.analysis.projection import sweref99tm_to_wgs84

from ..sources.geojson import SWEREF99TM, WGS84, detect_crs
from .base import Candidate, FileError, RowError
from .tabular import RowBuilder, map_headers


def read(data: bytes, municipality, errors: list[RowError]) -> tuple[list[Candidate], int]:
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise FileError(_("The file is not a GeoJSON FeatureCollection."))
    try:
        crs = detect_crs(collection) or WGS84
    except ValueError as exc:
        raise FileError(str(exc)) from exc
    if crs not in (WGS84, SWEREF99TM):
        raise FileError(_("Unsupported coordinate system %(crs)s: use WGS 84 or EPSG:3006.")
                        % {"crs": crs})
    features = collection.get("features")
    if not isinstance(features, list):
        raise FileError(_("The file has no list of features."))
    builder = RowBuilder(municipality)
    candidates: list[Candidate] = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            errors.append(RowError(number, "properties", _("The feature has no properties.")))
            continue
        mapping, header_errors = map_headers(properties)
        columns = {key: header for header, key in mapping.items()}
        header_errors = [e for e in header_errors if e.column not in ("lat", "lon")]
        for e in header_errors:
            errors.append(RowError(number, e.column, e.message))
        if header_errors:
            continue
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        if (not isinstance(geometry, dict) or geometry.get("type") != "Point"
                or not isinstance(coordinates, list) or len(coordinates) < 2
                or not all(isinstance(v, int | float) for v in coordinates[:2])):
            errors.append(RowError(number, "geometry", _("The feature is not a point.")))
            continue
        x, y = float(coordinates[0]), float(coordinates[1])
        if crs == SWEREF99TM:
            lat, lon = (float(v) for v in sweref99tm_to_wgs84(x, y))
        else:
            lon, lat = x, y
        row = {key: properties.get(header) for header, key in mapping.items()}
        if not row.get("id") and feature.get("id") is not None:
            row["id"] = feature["id"]
        candidate = builder.build(number, row, columns, errors, lat=lat, lon=lon)
        if candidate is not None:
            candidates.append(candidate)
    return candidates, len(features)
