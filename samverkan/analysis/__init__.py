"""Pure analysis: numpy/scipy/pyproj only. This package must never import Django.

The names below are loaded on first use (PEP 562): a command that needs only the projection
does not pay for importing scipy."""

from importlib import import_module

_WHERE = {
    "AreaComparison": "areas", "compare_areas": "areas",
    "Change": "change", "ChangeArrays": "change", "compare_count_arrays": "change",
    "compare_counts": "change",
    "HotspotCell": "hotspots", "HotspotResult": "hotspots",
    "gi_star_from_cell_counts": "hotspots", "gi_star_from_points": "hotspots",
    "sweref99tm_to_wgs84": "projection", "wgs84_to_sweref99tm": "projection",
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
