"""Areas from a GeoJSON FeatureCollection of (Multi)Polygons, in WGS 84 or EPSG:3006 (the
legacy `crs` member is honoured; `crs` overrides it). All-or-nothing: any feature that cannot
be read fails the whole import. An area with the same municipality, kind and name is updated,
so an import run twice changes nothing. Afterwards the municipality's incidents are
re-assigned to the imported areas.

`only_inside`: keep only the features inside the municipality. A feature's point on surface
is looked up in the simplified municipality boundaries (samverkan/organizations/data/
kommuner_simplified.geojson); when it falls outside every boundary (the generalisation is
coarse at coasts: Helsingborg's "Söder"), the feature's `ORT` property decides. ORT alone is
never trusted when the point lies in a municipality: Hallonbergen has ORT Solna but lies in
Sundbyberg.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape

from samverkan.core.importing import all_or_nothing

from ..sources.geojson import DEFAULT_NAME_KEYS, read_feature_collection
from ..sources.municipality_names import SCB_CSV, code_for
from .base import FileError, RowError

BOUNDARIES = Path(SCB_CSV).parent / "kommuner_simplified.geojson"


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    skipped: int = 0
    assigned: int = 0
    errors: list[RowError] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "rows": self.rows,
                "skipped": self.skipped, "assigned": self.assigned, "areas": self.areas,
                "errors": [e.as_dict() for e in self.errors]}


@cache
def _boundaries():
    with BOUNDARIES.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    codes = [f["properties"]["KnKod"] for f in features]
    geometries = [shape(f["geometry"]) for f in features]
    return codes, shapely.STRtree(geometries), geometries


def municipality_of_point(lon: float, lat: float) -> str | None:
    codes, tree, geometries = _boundaries()
    for index in tree.query(shapely.Point(lon, lat), predicate="within"):
        return codes[int(index)]
    return None


def is_inside(feature, municipality_code: str) -> bool:
    point = shapely.point_on_surface(feature.geometry_wgs84)
    found = municipality_of_point(point.x, point.y)
    if found is not None:
        return found == municipality_code
    ort = feature.properties.get("ORT")
    return isinstance(ort, str) and code_for(ort) == municipality_code


def import_areas(data: bytes, *, municipality, actor, kind: str = "district",
                 crs: str | None = None, name_property: str | None = None,
                 only_inside: bool = False, source: str = "",
                 dry_run: bool = False) -> AreaImportResult:
    from .. import services

    result = AreaImportResult()
    try:
        collection = json.loads(data.decode("utf-8-sig"))
        features = read_feature_collection(
            collection, source_crs=crs,
            name_keys=(name_property,) if name_property else DEFAULT_NAME_KEYS)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        result.errors.append(RowError(0, "", _("The file is not valid JSON: %(error)s")
                                      % {"error": exc}))
        return result
    except ValueError as exc:
        result.errors.append(RowError(0, "crs", _("The file cannot be read as GeoJSON "
                                                  "areas: %(error)s") % {"error": exc}))
        return result
    raw = collection.get("features") or []
    result.rows = len(raw) if isinstance(raw, list) else 0
    for error in features.errors:
        result.errors.append(RowError(error.index + 1, "geometry", _(
            "The area cannot be read: %(error)s") % {"error": error.reason}))
    chosen = []
    for feature in features:
        if not feature.name or not feature.name.strip():
            result.errors.append(RowError(feature.index + 1, name_property or "name", _(
                "The area has no name (choose the property that holds it).")))
            continue
        if only_inside and not is_inside(feature, municipality.code):
            result.skipped += 1
            continue
        chosen.append(feature)
    names = [f.name.strip() for f in chosen]
    for name in {n for n in names if names.count(n) > 1}:
        result.errors.append(RowError(0, name_property or "name", _(
            "The name “%(name)s” occurs more than once.") % {"name": name}))
    if result.errors:
        result.errors.sort(key=lambda e: (e.row, e.column))
        return result
    try:
        with all_or_nothing(dry_run=dry_run):
            saved = []
            for feature in chosen:
                properties = {k: v for k, v in feature.properties.items()
                              if isinstance(v, str | int | float | bool) or v is None}
                area, created = services.save_area(
                    actor=actor, municipality=municipality, name=feature.name.strip(),
                    kind=kind, geometry_wgs84=feature.geometry_wgs84,
                    geometry_sweref=feature.geometry_sweref, source=source,
                    external_id="" if feature.id is None else str(feature.id),
                    properties=properties)
                saved.append(area)
                result.areas.append(area.name)
                if created:
                    result.created += 1
                else:
                    result.updated += 1
            result.assigned = services.assign_areas(municipality, areas=saved)
    except FileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
    return result
