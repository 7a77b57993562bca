"""Pure analysis: numpy/scipy/pyproj only. This package must never import Django."""

from .areas import AreaComparison, compare_areas
from .change import Change, ChangeArrays, compare_count_arrays, compare_counts
from .hotspots import (
    HotspotCell,
    HotspotResult,
    gi_star_from_cell_counts,
    gi_star_from_points,
)
from .projection import sweref99tm_to_wgs84, wgs84_to_sweref99tm
from .timeofweek import StandoutHour, standout_hours, time_of_week_matrix
from .trend import TrendResult, yearly_trend

__all__ = [
    "AreaComparison",
    "Change",
    "ChangeArrays",
    "HotspotCell",
    "HotspotResult",
    "StandoutHour",
    "TrendResult",
    "compare_areas",
    "compare_count_arrays",
    "compare_counts",
    "gi_star_from_cell_counts",
    "gi_star_from_points",
    "standout_hours",
    "sweref99tm_to_wgs84",
    "time_of_week_matrix",
    "wgs84_to_sweref99tm",
    "yearly_trend",
]
