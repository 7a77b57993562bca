"""Pure analysis: numpy/scipy/pyproj only. This package must never import Django.

The names below are loaded on first use (PEP 562): a command that needs only the projection
does not pay for importing scipy."""

from importlib import import_module

_WHERE = {
    "MapAccuracy": "accuracy", "map_accuracy": "accuracy",
    "AreaComparison": "areas", "compare_areas": "areas",
    "Change": "change", "ChangeArrays": "change", "compare_count_arrays": "change",
    "compare_counts": "change",
    # `effect` (the function) is imported from `samverkan.analysis.effect`: it shares the
    # submodule's name, which a lazy attribute cannot tell apart.
    "Displacement": "effect", "Effect": "effect", "displacement": "effect",
    "CATEGORIES": "emerging", "EmergingCell": "emerging", "EmergingResult": "emerging",
    "emerging_hotspots": "emerging",
    "HotspotCell": "hotspots", "HotspotResult": "hotspots",
    "gi_star_from_cell_counts": "hotspots", "gi_star_from_points": "hotspots",
    "MannKendall": "mannkendall", "mann_kendall": "mannkendall",
    "sweref99tm_to_wgs84": "projection", "wgs84_to_sweref99tm": "projection",
    "RateComparison": "rates", "compare_rates": "rates", "poisson_interval": "rates",
    "rate_interval": "rates",
    "StandoutHour": "timeofweek", "standout_hours": "timeofweek",
    "time_of_week_matrix": "timeofweek",
    "TrendResult": "trend", "yearly_trend": "trend",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
