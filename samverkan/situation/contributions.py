"""Sources that other apps add to the situation picture (the residents' voice: safety-walk
observations, dialogue concerns, survey results).

The situation app sits below those apps in the stack and never imports them: an app registers
a provider in its ``AppConfig.ready()``::

    from samverkan.situation import contributions
    contributions.register(my_provider)

A provider is ``provider(user, municipality, start: date, end: date) -> Section | None``; it
reads through ``visible_to(user)``, so every reader sees only what they may. The yearly
picture shows each section under "other information" and lists it among the sources used.

The weekly map draws the residents' points as a layer (the map's own request). An app whose
section has points also registers a points provider, which reads only the points (not the
section's text and counts)::

    contributions.register_points(my_points)

``my_points(user, municipality, start, end, area=None) -> list[Point]``; with ``area`` (the
weekly page's ``?area=``) it keeps to the points inside the area's polygon, the same test as
the incidents' areas (`samverkan.situation.services.inside_area`).
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Point:
    lat: float
    lon: float
    label: str
    kind: str  # e.g. "observation", "concern"


@dataclass
class Section:
    key: str
    title: str
    source: str  # how it is named among the sources used, with its count
    lines: list[str] = field(default_factory=list)
    has_examples: bool = False


Provider = Callable[[object, object, datetime.date, datetime.date], "Section | None"]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def collect(user, municipality, start: datetime.date, end: datetime.date) -> list[Section]:
    """The registered sections for the period (start and end inclusive), in order."""
    sections = []
    for provider in _PROVIDERS:
        section = provider(user, municipality, start, end)
        if section is not None:
            sections.append(section)
    return sections


PointsProvider = Callable[..., "list[Point]"]
_POINTS_PROVIDERS: list[PointsProvider] = []


def register_points(provider: PointsProvider) -> None:
    if provider not in _POINTS_PROVIDERS:
        _POINTS_PROVIDERS.append(provider)


def collect_points(user, municipality, start: datetime.date, end: datetime.date,
                   area=None) -> list[dict]:
    """The registered points of the period (start and end inclusive) for the weekly map, in
    ``area`` when one is given."""
    return [{"lat": p.lat, "lon": p.lon, "label": p.label, "kind": p.kind}
            for provider in _POINTS_PROVIDERS
            for p in provider(user, municipality, start, end, area=area)]

