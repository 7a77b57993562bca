"""Layers that other apps add to the weekly page's map (e.g. the residents' fault reports),
without the situation app importing them: the situation app sits below those apps in the stack,
so an app registers a provider in its ``AppConfig.ready()``::

    from samverkan.situation import map_layers
    map_layers.register(my_provider)

A provider is ``provider(user, municipality, week, area=None) -> MapLayer | None`` (``week`` is
a `samverkan.situation.picture.Week`; ``area`` the `Area` the page is filtered to with
``?area=``, or None for the whole municipality); it reads through ``visible_to(user)``, so every
reader sees only what they may, and with an area it keeps to the area as the incidents do:
what lies inside the area's polygon (`services.inside_area`, the same test as the incidents'
areas). The weekly map shows each layer with a switch in its layer control and a
line in the legend; whether a layer is shown is kept in the browser with the other layers'
switches (weekly_map.js)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class MapLayer:
    key: str  # used in the markers' CSS class (map-layer-<key>) and the kept switch state
    label: str  # the switch's and the legend's text
    colour: str
    points: list[dict] = field(default_factory=list)  # {"lat", "lon", "label"}
    note: str = ""  # a sentence under the map (what the layer shows)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "colour": self.colour,
                "points": self.points}


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def collect(user, municipality, week, area=None) -> list[MapLayer]:
    layers = []
    for provider in _PROVIDERS:
        layer = provider(user, municipality, week, area=area)
        if layer is not None:
            layers.append(layer)
    return layers
