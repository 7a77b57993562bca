"""Read GeoJSON polygon layers into shapely geometries in WGS 84 and SWEREF 99 TM.

CRS handling:

* An explicit ``source_crs`` argument wins (the caller knows the file).
* Otherwise the legacy GeoJSON 2008 ``crs`` member is honoured (``EPSG:3006``,
  ``urn:ogc:def:crs:EPSG::3006``, ``urn:ogc:def:crs:OGC:1.3:CRS84`` ...). RFC 7946 readers
  ignore it and would misplace the Police's vulnerable areas, which are in EPSG:3006.
* Otherwise WGS 84 longitude/latitude (RFC 7946 default). Note that a collection ``name``
  such as ``Kommun_Sweref99TM_region`` says nothing about the CRS.

Coordinates are always read as ``[x, y]`` = ``[easting, northing]`` or ``[lon, lat]``
(pyproj ``always_xy=True``), even though EPSG:3006 and EPSG:4326 define the opposite axis
order. Geometries already in EPSG:3006 are kept unchanged as ``geometry_sweref``, so planar
areas computed from them equal the source's ``Shape_Area``.

Only ``Polygon`` and ``MultiPolygon`` are accepted. A feature with a missing, unsupported or
invalid geometry is reported in ``errors`` as ``(index, reason)`` and skipped; nothing raises
for bad content.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"
DEFAULT_NAME_KEYS: tuple[str, ...] = ("NAMN", "name", "namn", "NAME", "KnNamn")

_EPSG_PATTERNS = (
    re.compile(r"^EPSG:(\d+)$", re.IGNORECASE),
    re.compile(r"^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[\d.]+/(\d+)$", re.IGNORECASE),
)
_CRS84 = re.compile(r"^(urn:ogc:def:crs:OGC:1\.3:CRS84|OGC:CRS84|CRS84)$", re.IGNORECASE)


@dataclass(frozen=True)
class AreaFeature:
    name: str | None
    properties: dict
    geometry_wgs84: BaseGeometry  # lon/lat
    geometry_sweref: BaseGeometry  # EPSG:3006, easting/northing in metres
    id: Any = None  # the feature's top-level "id", if any
    index: int = -1  # position in the collection


@dataclass(frozen=True)
class FeatureError:
    index: int
    reason: str

    def __str__(self) -> str:
        return f"feature {self.index}: {self.reason}"


class FeatureList(list):
    """A list of :class:`AreaFeature` with ``errors`` and the ``crs`` used."""

    def __init__(self, features=(), errors=None, crs: str = WGS84):
        super().__init__(features)
        self.errors: list[FeatureError] = list(errors or [])
        self.crs = crs


def normalise_crs(name: str) -> str:
    """``urn:ogc:def:crs:EPSG::3006`` -> ``EPSG:3006``; CRS84 -> ``EPSG:4326``."""
    name = name.strip()
    if _CRS84.match(name):
        return WGS84
    for pattern in _EPSG_PATTERNS:
        if m := pattern.match(name):
            return f"EPSG:{int(m[1])}"
    raise ValueError(f"unsupported CRS name {name!r}")


def detect_crs(data: dict) -> str | None:
    """CRS named by the legacy ``crs`` member, normalised, or None if there is none."""
    crs = data.get("crs")
    if not crs:
        return None
    try:
        if crs.get("type") != "name":
            raise ValueError(f"unsupported crs type {crs.get('type')!r}")
        return normalise_crs(crs["properties"]["name"])
    except (AttributeError, KeyError, TypeError) as exc:
        raise ValueError(f"malformed crs member: {crs!r}") from exc


@cache
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target),
                                always_xy=True)


def _reproject(geom: BaseGeometry, source: str, target: str) -> BaseGeometry:
    if source == target:
        return geom
    tr = _transformer(source, target)

    def func(xy: np.ndarray) -> np.ndarray:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, func)


def _ring(coords: Any, what: str) -> list[tuple[float, float]]:
    if not isinstance(coords, Sequence) or isinstance(coords, str) or len(coords) < 4:
        raise ValueError(f"{what}: a linear ring needs at least 4 positions")
    ring: list[tuple[float, float]] = []
    for pos in coords:
        if (not isinstance(pos, Sequence) or isinstance(pos, str) or len(pos) < 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool)
                           for v in pos[:2])
                or not all(math.isfinite(v) for v in pos[:2])):
            raise ValueError(f"{what}: invalid position {pos!r}")
        ring.append((float(pos[0]), float(pos[1])))
    if ring[0] != ring[-1]:
        raise ValueError(f"{what}: ring is not closed")
    return ring


def _polygon(coords: Any, what: str) -> Polygon:
    if not isinstance(coords, Sequence) or isinstance(coords, str) or not coords:
        raise ValueError(f"{what}: no rings")
    rings = [_ring(r, f"{what} ring {i}") for i, r in enumerate(coords)]
    return Polygon(rings[0], rings[1:])


def build_geometry(geometry: Any) -> Polygon | MultiPolygon:
    """GeoJSON geometry object -> shapely (Polygon/MultiPolygon). Raises ValueError."""
    if not isinstance(geometry, dict):
        raise ValueError("missing geometry")
    gtype, coords = geometry.get("type"), geometry.get("coordinates")
    if gtype == "Polygon":
        geom: Polygon | MultiPolygon = _polygon(coords, "Polygon")
    elif gtype == "MultiPolygon":
        if not isinstance(coords, Sequence) or not coords:
            raise ValueError("MultiPolygon: no polygons")
        geom = MultiPolygon([_polygon(p, f"MultiPolygon part {i}") for i, p in enumerate(coords)])
    else:
        raise ValueError(f"unsupported geometry type {gtype!r} (Polygon or MultiPolygon only)")
    if not geom.is_valid:
        raise ValueError(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    return geom


def _check_extent(geom: BaseGeometry, crs: str) -> None:
    if crs == WGS84:
        minx, miny, maxx, maxy = geom.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise ValueError(
                "coordinates outside WGS 84 lon/lat range: wrong CRS? "
                "(pass source_crs, e.g. 'EPSG:3006')")


def read_feature_collection(
    data: dict,
    source_crs: str | None = None,
    name_keys: Sequence[str] = DEFAULT_NAME_KEYS,
) -> FeatureList:
    """Read a GeoJSON FeatureCollection of (Multi)Polygons.

    Returns a list of :class:`AreaFeature` with ``.errors`` (``FeatureError(index,
    reason)``, features skipped) and ``.crs`` (the source CRS used). Raises ValueError only
    if ``data`` is not a FeatureCollection or its CRS is not usable.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    crs = normalise_crs(source_crs) if source_crs else (detect_crs(data) or WGS84)
    CRS.from_user_input(crs)  # unknown codes fail here, once
    result = FeatureList(crs=crs)
    features = data.get("features")
    if not isinstance(features, list):
        result.errors.append(FeatureError(-1, "'features' is not a list"))
        return result
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.errors.append(FeatureError(index, "not a GeoJSON Feature"))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            result.errors.append(FeatureError(index, "properties is not an object"))
            continue
        try:
            geom = build_geometry(feature.get("geometry"))
            _check_extent(geom, crs)
            sweref = _reproject(geom, crs, SWEREF99TM)
            wgs84 = _reproject(geom, crs, WGS84)
            if not (np.isfinite(shapely.get_coordinates(sweref)).all()
                    and np.isfinite(shapely.get_coordinates(wgs84)).all()):
                raise ValueError("coordinates could not be transformed (outside the CRS area?)")
        except ValueError as exc:
            result.errors.append(FeatureError(index, str(exc)))
            continue
        name = next((properties[k] for k in name_keys if isinstance(properties.get(k), str)),
                    None)
        result.append(AreaFeature(name=name, properties=properties, geometry_wgs84=wgs84,
                                  geometry_sweref=sweref, id=feature.get("id"), index=index))
    return result
