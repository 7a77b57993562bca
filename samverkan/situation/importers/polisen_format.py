"""Incidents from the Police's open events (the JSON of polisen.se/api/events).

Parsing is `sources.polisen` (the quirks are documented there). Here:

* source `police_events`, source id = the event id (records are deduplicated on it);
* event time from `name` (publication time when `name` has no valid date), reported at the
  publication time;
* category from `sources.polisen_categories.category_for` (the municipality's default EST
  categories are created if missing);
* the point is only the centre of the municipality (`location.gps` when the event is located
  at the municipality; the centre of the municipality's boundary when the Police located it
  at the county): precision `area_centre`, so it counts in statistics but never in hot spots
  and is never assigned to an area;
* summaries ("Sammanfattning natt") and notices (updates, planned controls, "Övrigt") are
  stored with `is_summary=True`: readable, never counted;
* confidentiality public (the Police published them);
* with a municipality, only its events are imported, all others are `skipped`; without, each
  event goes to its own municipality, and events only located at a county are skipped.
"""
from __future__ import annotations

import json
from functools import cache

from django.utils.translation import gettext as _

from samverkan.core.choices import Confidentiality
from samverkan.organizations.models import Municipality

from ..choices import IncidentSource, Precision
from ..models import Category, Incident
from ..sources import polisen
from ..sources.polisen_categories import category_for
from .base import Candidate, FileError, RowError, validate


@cache
def municipality_centres() -> dict[str, tuple[float, float]]:
    """(lat, lon) of a point inside each municipality's simplified boundary."""
    import shapely
    from shapely.geometry import shape

    from samverkan.situation.sources.municipality_names import SCB_CSV

    path = SCB_CSV.parent / "kommuner_simplified.geojson"
    with path.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    centres = {}
    for feature in collection["features"]:
        point = shapely.point_on_surface(shape(feature["geometry"]))
        centres[feature["properties"]["KnKod"]] = (point.y, point.x)
    return centres


def read(data: bytes, municipality, errors: list[RowError], *, actor) \
        -> tuple[list[Candidate], int, int]:
    """-> (candidates, rows, skipped)."""
    from .. import services

    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(records, list):
        raise FileError(_("The file is not a list of Police events."))
    parsed = polisen.parse_events(records)
    for issue in parsed.errors:
        errors.append(RowError(issue.index + 1, issue.field, _(
            "The event cannot be read: %(message)s") % {"message": issue.message}))
    index_of = {}
    for number, record in enumerate(records, start=1):
        if isinstance(record, dict) and isinstance(record.get("id"), int):
            index_of.setdefault(record["id"], number)
    rows = len(records)
    skipped = rows - len(parsed.events) - len(parsed.errors)  # repeated ids
    known = set(Municipality.objects.values_list("code", flat=True))
    targets: dict[str, Municipality] = {}
    categories: dict[str, dict[str, Category]] = {}
    candidates: list[Candidate] = []
    for event in parsed.events:
        code = event.municipality_code
        if code is None or code not in known or (
                municipality is not None and code != municipality.code):
            skipped += 1
            continue
        if code not in targets:
            targets[code] = municipality if municipality is not None else \
                Municipality.objects.get(pk=code)
            categories[code] = {c.slug: c for c in
                                services.ensure_default_categories(targets[code], actor=actor)}
        slug = category_for(event.type, event.summary)
        category = categories[code].get(slug) or categories[code].get("ovrigt")
        if category is None:
            errors.append(RowError(index_of.get(event.id, 0), "type", _(
                "The municipality has no category “%(slug)s” or “ovrigt”.") % {"slug": slug}))
            continue
        if event.location_is_county:
            lat, lon = municipality_centres().get(code, (None, None))
        else:
            lat, lon = event.lat, event.lon
        incident = Incident(
            municipality=targets[code], category=category,
            occurred_at=event.event_time or event.published_at,
            reported_at=event.published_at, lat=lat, lon=lon,
            precision=Precision.AREA_CENTRE, place_name=event.place[:200],
            description=event.summary, source=IncidentSource.POLICE_EVENTS,
            source_id=str(event.id), source_type=event.type[:150], source_url=event.url[:500],
            is_summary=not event.is_incident, confidentiality=Confidentiality.PUBLIC)
        candidate = Candidate(index_of.get(event.id, 0), incident)
        if validate(candidate, errors, {"occurred_at": "name", "lat": "location.gps",
                                        "description": "summary", "source_url": "url"}):
            candidates.append(candidate)
    return candidates, rows, skipped
