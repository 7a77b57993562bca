"""Writes for the situation picture. Every function takes the acting user as `actor`,
validates, writes in a transaction and writes the audit entries (one per record written)."""
from __future__ import annotations

import datetime
import json
import time
import uuid
from collections.abc import Iterable, Sequence

import numpy as np
import shapely
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.audit.models import AuditEntry
from samverkan.core import access, services
from samverkan.core.choices import Confidentiality

from .choices import DEFAULT_CATEGORIES, IncidentSource, IncidentStatus, Precision
from .models import (
    Area,
    Category,
    CrimeStatistic,
    EstMeasure,
    EstWeekNote,
    FocusAreaWatch,
    Incident,
    IncidentArea,
    NothingToReport,
)

# -- the cached situation picture -------------------------------------------------------------


def picture_version_key(municipality) -> str:
    return f"situation:picture-version:{getattr(municipality, 'pk', municipality)}"


def picture_version(municipality) -> int:
    """The municipality's picture version: part of the key of every cached weekly picture
    (weekly.build_weekly), so a new version makes the old pictures unreachable. Starts at the
    current time in nanoseconds, so a version lost from the cache never comes back."""
    key = picture_version_key(municipality)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version if version is not None else 0


def bump_picture_version(municipality, since=None) -> None:
    """Every write of incidents, categories or areas calls this: cached pictures of the
    municipality are rebuilt. Bumped now and again when the transaction commits, so that a
    picture built by another request from the data before the commit is not kept under the
    new version. Also tells the subscribers of ``signals.incidents_changed`` (after the
    commit) that the data changed from ``since`` (the earliest time touched; None: all)."""
    from .signals import notify_incidents_changed

    notify_incidents_changed(municipality, since)
    key = picture_version_key(municipality)

    def bump():
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (evicted or never read): a fresh version
            cache.set(key, time.time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


# -- categories ------------------------------------------------------------------------------


@transaction.atomic
def ensure_default_categories(municipality, *, actor) -> list[Category]:
    """Create the default EST categories the municipality does not have yet (by slug).
    Existing categories are left as the coordinators configured them."""
    existing = set(Category.objects.filter(municipality=municipality)
                   .values_list("slug", flat=True))
    for order, (slug, name, colour) in enumerate(DEFAULT_CATEGORIES, start=1):
        if slug not in existing:
            services.create(Category, actor=actor, municipality=municipality, data={
                "slug": slug, "name": name, "order": order * 10, "colour": colour,
                "confidentiality": Confidentiality.INTERNAL})
    bump_picture_version(municipality)
    return list(Category.objects.filter(municipality=municipality))


def create_category(*, actor, municipality, **fields) -> Category:
    bump_picture_version(municipality)
    return services.create(Category, actor=actor, data=fields, municipality=municipality)


def update_category(category: Category, *, actor, **fields) -> Category:
    bump_picture_version(category.municipality_id)
    return services.update(category, actor=actor, data=fields)


def delete_category(category: Category, *, actor) -> None:
    if category.incidents.exists():
        raise ValidationError(_("The category has incidents: make it inactive instead."))
    bump_picture_version(category.municipality_id)
    services.delete(category, actor=actor)


# -- areas -----------------------------------------------------------------------------------


def area_fields_from_geometry(geometry_wgs84: BaseGeometry, geometry_sweref: BaseGeometry
                              | None = None) -> dict:
    """The stored geometry fields of an Area: GeoJSON text, bounding box, km²."""
    if geometry_sweref is None:
        from samverkan.situation.sources.geojson import SWEREF99TM, WGS84, _reproject

        geometry_sweref = _reproject(geometry_wgs84, WGS84, SWEREF99TM)
    min_lon, min_lat, max_lon, max_lat = geometry_wgs84.bounds
    return {
        "geometry": json.dumps(shapely.geometry.mapping(
            shapely.set_precision(geometry_wgs84, 1e-7)), separators=(",", ":")),
        "min_lat": min_lat, "max_lat": max_lat, "min_lon": min_lon, "max_lon": max_lon,
        "area_km2": round(geometry_sweref.area / 1e6, 6),
    }


def area_geometry(area: Area) -> BaseGeometry:
    return shape(json.loads(area.geometry))


def inside_area(area: Area, lats, lons, geometry: BaseGeometry | None = None) -> np.ndarray:
    """Which of the points (latitudes, longitudes) lie in ``area``'s polygon: the bounding
    box, then shapely's vectorised point-in-polygon on the points inside it. The one test for
    an incident's areas, an import's areas and the weekly map's layers filtered to an area.
    ``geometry``: the area's prepared polygon, when the caller tests several batches."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    inside = np.zeros(len(lats), dtype=bool)
    box = ((lats >= area.min_lat) & (lats <= area.max_lat)
           & (lons >= area.min_lon) & (lons <= area.max_lon))
    if box.any():
        if geometry is None:
            geometry = area_geometry(area)
            shapely.prepare(geometry)
        inside[box] = shapely.contains_xy(geometry, lons[box], lats[box])
    return inside


def create_area(*, actor, municipality, **fields) -> Area:
    area = services.create(Area, actor=actor, data=fields, municipality=municipality)
    assign_areas(municipality, areas=[area])
    return area


def update_area(area: Area, *, actor, **fields) -> Area:
    bump_picture_version(area.municipality_id)
    old_geometry = area.geometry
    area = services.update(area, actor=actor, data=fields)
    if area.geometry != old_geometry:
        assign_areas(area.municipality, areas=[area])
    return area


def delete_area(area: Area, *, actor) -> None:
    bump_picture_version(area.municipality_id)
    services.delete(area, actor=actor)


@transaction.atomic
def save_area(*, actor, municipality, name: str, kind: str, geometry_wgs84: BaseGeometry,
              geometry_sweref: BaseGeometry | None = None, source: str = "",
              external_id: str = "", properties: dict | None = None,
              **fields) -> tuple[Area, bool]:
    """Create the area, or update the one with the same municipality, kind and name (an
    area import run twice changes nothing). Returns (area, created). Does not re-assign
    incidents: call `assign_areas` once after a batch."""
    data = {"name": name, "kind": kind, "source": source, "external_id": str(external_id or ""),
            "properties": properties or {}, **area_fields_from_geometry(geometry_wgs84,
                                                                      geometry_sweref),
            **fields}
    existing = Area.objects.filter(municipality=municipality, kind=kind, name=name).first()
    bump_picture_version(municipality)
    if existing is None:
        return services.create(Area, actor=actor, data=data, municipality=municipality), True
    return services.update(existing, actor=actor, data=data), False


def assign_areas(municipality, *, incidents: Sequence[Incident] | None = None,
                 areas: Iterable[Area] | None = None) -> int:
    """(Re)assign incidents to the areas that contain their point (vectorised with
    shapely.contains_xy, one pass per area over the candidate points inside its bounding box).

    `incidents`: only these (default: every incident of the municipality with a point);
    `areas`: only these areas (default: all of the municipality). Points that are only an
    area's centre (Police events) are never assigned: the centre says nothing about the area.
    Returns the number of incident-area links written. Links are derived data, not audited."""
    times = [i.occurred_at for i in incidents or () if i.occurred_at is not None]
    bump_picture_version(municipality, min(times) if incidents is not None and times else None)
    areas = list(areas) if areas is not None else list(
        Area.objects.filter(municipality=municipality))
    if incidents is None:
        qs = Incident.objects.filter(municipality=municipality, lat__isnull=False).exclude(
            precision=Precision.AREA_CENTRE)
        ids, lats, lons = _columns(qs.values_list("pk", "lat", "lon"))
    else:
        pts = [(i.pk, i.lat, i.lon) for i in incidents
               if i.lat is not None and i.precision != Precision.AREA_CENTRE]
        ids, lats, lons = _columns(pts)
        ids_all = [i.pk for i in incidents]
        IncidentArea.objects.filter(incident_id__in=ids_all,
                                    area__in=[a.pk for a in areas]).delete()
    if incidents is None:
        IncidentArea.objects.filter(area__in=[a.pk for a in areas]).delete()
    links = []
    for area in areas:
        if not len(ids):
            break
        inside = inside_area(area, lats, lons)
        links.extend(IncidentArea(incident_id=int(pk), area_id=area.pk) for pk in ids[inside])
    IncidentArea.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    return len(links)


# Incidents read per pass when assigning an import to areas: the points of one pass are held
# as Python rows for a moment, so the memory of an import of millions stays bounded.
ASSIGN_CHUNK = 100_000


def assign_new_incidents(municipality, first_id: int, last_id: int) -> int:
    """Assign the incidents of an import (ids ``first_id``..``last_id`` of the municipality)
    to the municipality's areas in bulk: per ``ASSIGN_CHUNK`` ids, one query for the points,
    one vectorised point-in-polygon pass per area and one bulk write of the links. Returns
    the links written."""
    from .bulk import copy_columns

    areas = list(Area.objects.filter(municipality=municipality))
    if not areas:
        return 0
    shapes: dict[int, object] = {}
    written = 0
    for low in range(first_id, last_id + 1, ASSIGN_CHUNK):
        qs = (Incident.objects.filter(municipality=municipality, pk__gte=low,
                                      pk__lte=min(low + ASSIGN_CHUNK - 1, last_id),
                                      lat__isnull=False)
              .exclude(precision=Precision.AREA_CENTRE))
        ids, lats, lons = _columns(qs.values_list("pk", "lat", "lon"))
        incident_ids: list[np.ndarray] = []
        area_ids: list[np.ndarray] = []
        for area in areas:
            if not len(ids):
                break
            if area.pk not in shapes:  # prepared once for all passes
                shapes[area.pk] = area_geometry(area)
                shapely.prepare(shapes[area.pk])
            inside = inside_area(area, lats, lons, shapes[area.pk])
            incident_ids.append(ids[inside])
            area_ids.append(np.full(int(inside.sum()), area.pk, dtype=np.int64))
        if incident_ids:
            written += copy_columns(IncidentArea, {
                "incident_id": np.concatenate(incident_ids),
                "area_id": np.concatenate(area_ids)})
    return written


def _columns(rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(rows)
    if not rows:
        return np.array([], dtype=np.int64), np.array([]), np.array([])
    arr = np.array(rows, dtype=np.float64)
    return arr[:, 0].astype(np.int64), arr[:, 1], arr[:, 2]


# -- incidents -------------------------------------------------------------------------------


@transaction.atomic
def create_incident(*, actor, municipality, **fields) -> Incident:
    """Create one incident (any source) and assign it to its areas."""
    fields.setdefault("source", IncidentSource.EST_REPORT)
    if not fields.get("source_id"):
        fields["source_id"] = uuid.uuid4().hex
    fields.setdefault("reported_at", timezone.now())
    bump_picture_version(municipality, fields.get("occurred_at"))
    incident = services.create(Incident, actor=actor, data=fields, municipality=municipality)
    assign_areas(municipality, incidents=[incident])
    return incident


def report_incident(*, actor, municipality, category: Category, occurred_at=None,
                    lat: float | None = None, lon: float | None = None, description: str = "",
                    address: str = "", place_name: str = "", organization=None,
                    precision: str = "exact") -> Incident:
    """An EST report from the field: now, here, this category. The reporter's organisation
    defaults to their (first) organisation in the municipality."""
    if organization is None and actor is not None and actor.is_authenticated:
        organization = default_organization(actor, municipality)
    if not category.active:
        raise ValidationError({"category": _("This category can no longer be chosen.")})
    return create_incident(
        actor=actor, municipality=municipality, category=category,
        occurred_at=occurred_at or timezone.now(), lat=lat, lon=lon, description=description,
        address=address, place_name=place_name, organization=organization,
        reported_by=actor if actor is not None and actor.is_authenticated else None,
        precision=precision, source=IncidentSource.EST_REPORT)


def default_organization(user, municipality):
    from samverkan.organizations.models import Organization

    return (Organization.objects.filter(municipality=municipality, memberships__user=user,
                                        memberships__active=True).order_by("pk").first())


@transaction.atomic
def update_incident(incident: Incident, *, actor, **fields) -> Incident:
    moved = any(k in fields for k in ("lat", "lon"))
    bump_picture_version(incident.municipality_id, min(
        t for t in (incident.occurred_at, fields.get("occurred_at")) if t is not None))
    incident = services.update(incident, actor=actor, data=fields)
    if moved:
        assign_areas(incident.municipality, incidents=[incident])
    return incident


def delete_incident(incident: Incident, *, actor) -> None:
    bump_picture_version(incident.municipality_id, incident.occurred_at)
    services.delete(incident, actor=actor)


def review_incident(incident: Incident, *, actor, category: Category | None = None) \
        -> Incident:
    """Mark a report reviewed, correcting its category if given (one audit entry)."""
    data = {"status": IncidentStatus.REVIEWED, "merged_into": None}
    if category is not None:
        data["category"] = category
    bump_picture_version(incident.municipality_id, incident.occurred_at)
    return services.update(incident, actor=actor, data=data)


def correct_category(incident: Incident, *, actor, category: Category) -> Incident:
    return review_incident(incident, actor=actor, category=category)


def merge_incident(incident: Incident, *, into: Incident, actor) -> Incident:
    """Mark `incident` a duplicate of `into` (it stays readable but no longer counts)."""
    if into.pk == incident.pk:
        raise ValidationError({"merged_into": _("A report cannot be merged into itself.")})
    if into.municipality_id != incident.municipality_id:
        raise ValidationError({"merged_into": _("This belongs to another municipality.")})
    if into.status == IncidentStatus.MERGED:
        raise ValidationError({"merged_into": _("That report is itself merged into another.")})
    bump_picture_version(incident.municipality_id, incident.occurred_at)
    return services.update(incident, actor=actor, data={
        "status": IncidentStatus.MERGED, "merged_into": into})


def reject_incident(incident: Incident, *, actor) -> Incident:
    bump_picture_version(incident.municipality_id, incident.occurred_at)
    return services.update(incident, actor=actor, data={
        "status": IncidentStatus.REJECTED, "merged_into": None})


@transaction.atomic
def bulk_create_incidents(incidents: list[Incident], *, actor, batch_size: int = 2000) \
        -> list[Incident]:
    """Insert validated, unsaved incidents in batches (imports), write one audit entry per
    incident and assign them to areas. The caller validates (`full_clean`) first."""
    if not incidents:
        return []
    for incident in incidents:
        incident.compute_projection()
    created = Incident.objects.bulk_create(incidents, batch_size=batch_size)
    if created and created[0].pk is None:  # backends without RETURNING
        keys = {(i.municipality_id, i.source, i.source_id) for i in created}
        by_key = {(i.municipality_id, i.source, i.source_id): i.pk for i in
                  Incident.objects.filter(source_id__in=[k[2] for k in keys])}
        for incident in created:
            incident.pk = by_key[(incident.municipality_id, incident.source, incident.source_id)]
    content_type = ContentType.objects.get_for_model(Incident)
    actor_ok = actor is not None and actor.is_authenticated
    actor_repr = (actor.get_full_name() or actor.get_username()) if actor_ok else "system"
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=actor if actor_ok else None, actor_repr=actor_repr,
                   action=Action.CREATE, content_type=content_type, object_id=str(i.pk),
                   object_repr=str(i)[:300], municipality_id=i.municipality_id,
                   changes={"before": {}, "after": audit.snapshot(i)})
        for i in created], batch_size=batch_size)
    by_municipality: dict[str, list[Incident]] = {}
    for incident in created:
        by_municipality.setdefault(incident.municipality_id, []).append(incident)
    from samverkan.organizations.models import Municipality

    for code, group in by_municipality.items():
        bump_picture_version(code, min((i.occurred_at for i in group), default=None))
        assign_areas(Municipality.objects.get(pk=code), incidents=group)
    return created


# -- weekly check-ins, notes and measures ----------------------------------------------------


def iso_week_of(day: datetime.date | None = None) -> tuple[int, int]:
    day = day or timezone.localdate()
    year, week, _weekday = day.isocalendar()
    return year, week


@transaction.atomic
def record_nothing_to_report(*, actor, municipality, iso_year: int, iso_week: int,
                             area: Area | None = None, place_text: str = "", note: str = "",
                             organization=None, **fields) -> NothingToReport:
    """"Nothing to report in my area this week". Idempotent per reporter, area and week."""
    existing = NothingToReport.objects.filter(
        municipality=municipality, reported_by=actor, iso_year=iso_year, iso_week=iso_week,
        area=area, place_text=place_text).first()
    if existing is not None:
        return existing
    if organization is None:
        organization = default_organization(actor, municipality)
    return services.create(NothingToReport, actor=actor, municipality=municipality, data={
        "iso_year": iso_year, "iso_week": iso_week, "area": area, "place_text": place_text,
        "note": note, "organization": organization, "reported_by": actor, **fields})


def withdraw_nothing_to_report(entry: NothingToReport, *, actor) -> None:
    services.delete(entry, actor=actor)


def save_week_note(*, actor, municipality, iso_year: int, iso_week: int, text: str,
                   area: Area | None = None, **fields) -> EstWeekNote:
    """The coordinators' note for a week (and area): created, or the existing one updated."""
    existing = EstWeekNote.objects.filter(municipality=municipality, iso_year=iso_year,
                                          iso_week=iso_week, area=area).first()
    if existing is not None and not access.can_view(actor, existing):
        # A write never touches what the writer cannot read (docs/security.md).
        raise ValidationError(_("This week's note is restricted to organisations you do not "
                                "belong to: you cannot change it."))
    if existing is not None:
        return services.update(existing, actor=actor, data={"text": text, **fields})
    return services.create(EstWeekNote, actor=actor, municipality=municipality, data={
        "iso_year": iso_year, "iso_week": iso_week, "area": area, "text": text,
        "author": actor if actor is not None and actor.is_authenticated else None, **fields})


def delete_week_note(note: EstWeekNote, *, actor) -> None:
    services.delete(note, actor=actor)


def create_measure(*, actor, municipality, **fields) -> EstMeasure:
    return services.create(EstMeasure, actor=actor, data=fields, municipality=municipality)


def update_measure(measure: EstMeasure, *, actor, **fields) -> EstMeasure:
    return services.update(measure, actor=actor, data=fields)


def delete_measure(measure: EstMeasure, *, actor) -> None:
    services.delete(measure, actor=actor)


@transaction.atomic
def set_focus_area_watch(focus_area, *, actor, categories: Iterable[Category] = (),
                         areas: Iterable[Area] = (), **fields) -> FocusAreaWatch:
    """Name the categories and areas a focus area watches (creates or replaces)."""
    data = {"categories": list(categories), "areas": list(areas), **fields}
    existing = FocusAreaWatch.objects.filter(focus_area=focus_area).first()
    if existing is None:
        return services.create(FocusAreaWatch, actor=actor, data={"focus_area": focus_area,
                                                                 **data})
    return services.update(existing, actor=actor, data=data)


# -- crime statistics ------------------------------------------------------------------------


@transaction.atomic
def save_crime_statistic(*, actor, municipality, year: int, category: str, source: str,
                         count: int | None = None, per_100k: float | None = None,
                         population: int | None = None) -> tuple[CrimeStatistic, str]:
    """Create or update one yearly figure (public). Returns (row, "created" | "updated" |
    "unchanged"). Per 100,000 is computed from the count and the population where missing."""
    if per_100k is None and count is not None and population:
        per_100k = round(count * 100_000 / population, 1)
    data = {"count": count, "per_100k": per_100k, "population": population,
            "confidentiality": Confidentiality.PUBLIC}
    existing = CrimeStatistic.objects.filter(municipality=municipality, year=year,
                                             category=category, source=source).first()
    if existing is None:
        row = services.create(CrimeStatistic, actor=actor, municipality=municipality, data={
            "year": year, "category": category, "source": source, **data})
        return row, "created"
    before = audit.snapshot(existing)
    row = services.update(existing, actor=actor, data=data)
    return row, ("unchanged" if audit.snapshot(row) == before else "updated")


def create_crime_statistic(*, actor, municipality, **fields) -> CrimeStatistic:
    return services.create(CrimeStatistic, actor=actor, data=fields, municipality=municipality)


def update_crime_statistic(row: CrimeStatistic, *, actor, **fields) -> CrimeStatistic:
    return services.update(row, actor=actor, data=fields)


def delete_crime_statistic(row: CrimeStatistic, *, actor) -> None:
    services.delete(row, actor=actor)

