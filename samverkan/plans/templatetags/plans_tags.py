"""Template helpers for indicators: baseline -> latest -> target and the target attainment."""
from django import template

from ..services import latest_measurement

register = template.Library()


@register.simple_tag
def indicator_summary(indicator):
    """{% indicator_summary indicator as s %}: s.latest (Measurement or None), s.progress
    (share of the way, may be negative or above 1), s.percent (rounded), s.bar (0..100)."""
    latest = latest_measurement(indicator)
    progress = indicator.progress(latest.value) if latest is not None else None
    percent = round(progress * 100) if progress is not None else None
    bar = max(0, min(100, percent)) if percent is not None else 0
    return {"latest": latest, "progress": progress, "percent": percent, "bar": bar}


@register.filter
def url_or_empty(obj):
    """obj.get_absolute_url(), or "" for a record without a page of its own (a sub-goal)."""
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


@register.filter
def short_name(org):
    """An organisation as plan tables write it: its abbreviation, else its name."""
    return org.abbreviation or org.name
