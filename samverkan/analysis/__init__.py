"""Pure analysis: numpy/scipy/pyproj only. This package must never import Django."""

from .accuracy import MapAccuracy, map_accuracy
from .areas import AreaComparison, compare_areas
from .change import Change, ChangeArrays, compare_count_arrays, compare_counts
from .effect import Displacement, Effect, displacement, effect
from .emerging import CATEGORIES, EmergingCell, EmergingResult, emerging_hotspots
from .hotspots import (
    HotspotCell,
    HotspotResult,
    gi_star_from_cell_counts,
    gi_star_from_points,
)
from .mannkendall import MannKendall, mann_kendall
from .projection import sweref99tm_to_wgs84, wgs84_to_sweref99tm
from .rates import RateComparison, compare_rates, poisson_interval, rate_interval
from .timeofweek import StandoutHour, standout_hours, time_of_week_matrix
from .trend import TrendResult, yearly_trend

__all__ = [
    "CATEGORIES",
    "AreaComparison",
    "Change",
    "ChangeArrays",
    "Displacement",
    "Effect",
    "EmergingCell",
    "EmergingResult",
    "HotspotCell",
    "HotspotResult",
    "MannKendall",
    "MapAccuracy",
    "RateComparison",
    "StandoutHour",
    "TrendResult",
    "compare_areas",
    "compare_count_arrays",
    "compare_counts",
    "compare_rates",
    "displacement",
    "effect",
    "emerging_hotspots",
    "gi_star_from_cell_counts",
    "gi_star_from_points",
    "mann_kendall",
    "map_accuracy",
    "poisson_interval",
    "rate_interval",
    "standout_hours",
    "sweref99tm_to_wgs84",
    "time_of_week_matrix",
    "wgs84_to_sweref99tm",
    "yearly_trend",
]
