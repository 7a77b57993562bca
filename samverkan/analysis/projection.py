"""Coordinate conversion between WGS 84 (EPSG:4326) and SWEREF 99 TM (EPSG:3006).

All functions take and return numpy arrays (scalars are accepted and come back as
0-d arrays). Axis order is always (longitude/easting, latitude/northing) inside
pyproj (``always_xy=True``); the public signatures spell the order out.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"

__all__ = ["SWEREF99TM", "WGS84", "sweref99tm_to_wgs84", "wgs84_to_sweref99tm"]


@lru_cache(maxsize=4)
def _transformer(src: str, dst: str) -> Transformer:
    """A cached, thread-safe-to-reuse pyproj Transformer (always_xy=True)."""
    return Transformer.from_crs(src, dst, always_xy=True)


def wgs84_to_sweref99tm(
    lat: ArrayLike, lon: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert WGS 84 latitude/longitude (degrees) to SWEREF 99 TM ``(x, y)`` metres.

    ``x`` is the easting (E), ``y`` the northing (N).
    """
    lat_a = np.asarray(lat, dtype=np.float64)
    lon_a = np.asarray(lon, dtype=np.float64)
    x, y = _transformer(WGS84, SWEREF99TM).transform(lon_a, lat_a)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def sweref99tm_to_wgs84(
    x: ArrayLike, y: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert SWEREF 99 TM ``(x, y)`` metres (easting, northing) to ``(lat, lon)`` degrees."""
    x_a = np.asarray(x, dtype=np.float64)
    y_a = np.asarray(y, dtype=np.float64)
    lon, lat = _transformer(SWEREF99TM, WGS84).transform(x_a, y_a)
    return np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
