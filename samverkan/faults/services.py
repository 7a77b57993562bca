"""All writes of fault reports: intake (deadline, zone, handler, photos, the incident in the
situation picture), status changes with the reporter's e-mail, reopening, routing and rules.

Every write is validated, runs in a transaction and writes its audit entries through
`samverkan.core.services`; e-mails are background jobs queued when the transaction commits.
"""
from __future__ import annotations

import datetime
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import services
from samverkan.core.choices import Confidentiality
from samverkan.core.personal_data import find_personal_identity_numbers
from samverkan.situation.choices import IncidentSource, Precision
from samverkan.situation.models import Area, Category

from . import deadlines
from .choices import (
    DEFAULT_CATEGORIES,
    OPEN_STATUSES,
    TRANSITIONS,
    FaultChannel,
    FaultStatus,
)
from .models import (
    DeadlineRule,
    FaultCategory,
    FaultEvent,
    FaultPhoto,
    FaultReport,
    Open311Client,
    RoutingRule,
)
from .photos import MAX_PHOTOS, clean_photo

DUPLICATE_METRES = 50
DUPLICATE_DAYS = 7
REOPEN_DAYS = 30


# -- categories and rules ----------------------------------------------------------------------


@transaction.atomic
def ensure_default_categories(municipality, *, actor) -> list[FaultCategory]:
    """Graffiti, offensive graffiti, damage, littering and broken lighting (the issue's and
    seed 001's list), linked to the situation picture's categories of the same kind."""
    made = []
    for order, (slug, name, description, incident_slug) in enumerate(DEFAULT_CATEGORIES):
        existing = FaultCategory.objects.filter(municipality=municipality, slug=slug).first()
        if existing is not None:
            made.append(existing)
            continue
        incident_category = Category.objects.filter(municipality=municipality,
                                                    slug=incident_slug).first()
        made.append(create_category(actor=actor, municipality=municipality, slug=slug,
                                    name=name, description=description, order=order * 10,
                                    incident_category=incident_category,
                                    confidentiality=Confidentiality.PUBLIC))
    return made


def create_category(*, actor, municipality, **fields) -> FaultCategory:
    fields.setdefault("confidentiality", Confidentiality.PUBLIC)
    return services.create(FaultCategory, actor=actor, data=fields, municipality=municipality)


def create_deadline_rule(*, actor, municipality, **fields) -> DeadlineRule:
    return services.create(DeadlineRule, actor=actor, data=fields, municipality=municipality)


def create_routing_rule(*, actor, municipality, **fields) -> RoutingRule:
    return services.create(RoutingRule, actor=actor, data=fields, municipality=municipality)


def create_open311_client(*, actor, municipality, **fields) -> Open311Client:
    return services.create(Open311Client, actor=actor, data=fields, municipality=municipality)


# -- zones, deadlines, routing -----------------------------------------------------------------


def _rule_zones(municipality) -> list[Area]:
    ids = set(DeadlineRule.objects.filter(municipality=municipality, zone__isnull=False)
              .values_list("zone_id", flat=True))
    ids |= set(RoutingRule.objects.filter(municipality=municipality, zone__isnull=False)
               .values_list("zone_id", flat=True))
    return list(Area.objects.filter(pk__in=ids).order_by("area_km2", "name"))


def find_zone(municipality, lat: float | None, lon: float | None) -> Area | None:
    """The smallest zone of the municipality's rules that contains the point."""
    if lat is None or lon is None:
        return None
    import shapely
    from shapely.geometry import shape

    for area in _rule_zones(municipality):
        if not (area.min_lat <= lat <= area.max_lat and area.min_lon <= lon <= area.max_lon):
            continue
        if shapely.contains_xy(shape(json.loads(area.geometry)), lon, lat):
            return area
    return None


def _specificity(rule, category, zone) -> int | None:
    """2 bits: category matched (2), zone matched (1); None when the rule does not apply."""
    if rule.category_id is not None and rule.category_id != getattr(category, "pk", None):
        return None
    if rule.zone_id is not None and rule.zone_id != getattr(zone, "pk", None):
        return None
    return (2 if rule.category_id else 0) + (1 if rule.zone_id else 0)


def deadline_rule_for(municipality, category, zone, *, start=None) -> DeadlineRule | None:
    start = start or timezone.now()
    best, best_key = None, None
    for rule in DeadlineRule.objects.filter(municipality=municipality):
        spec = _specificity(rule, category, zone)
        if spec is None:
            continue
        key = (-spec, deadlines.due_time(start, rule.amount, rule.unit))
        if best_key is None or key < best_key:
            best, best_key = rule, key
    return best


def handler_for(municipality, category, zone):
    best, best_spec = None, -1
    for rule in RoutingRule.objects.filter(municipality=municipality).select_related(
            "organization"):
        spec = _specificity(rule, category, zone)
        if spec is not None and spec > best_spec:
            best, best_spec = rule.organization, spec
    return best


# -- duplicates --------------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def likely_duplicates(municipality, *, lat: float | None, lon: float | None, at=None,
                      category=None, exclude: FaultReport | None = None,
                      metres: float = DUPLICATE_METRES, days: int = DUPLICATE_DAYS) \
        -> list[FaultReport]:
    """Reports within `metres` and `days` of a point and time (same category when given),
    nearest first. Their own duplicates are left out."""
    if lat is None or lon is None:
        return []
    at = at or timezone.now()
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    qs = FaultReport.objects.filter(
        municipality=municipality, lat__range=(lat - dlat, lat + dlat),
        lon__range=(lon - dlon, lon + dlon),
        received_at__range=(at - datetime.timedelta(days=days), at + datetime.timedelta(days=days)),
        duplicate_of__isnull=True).select_related("category")
    if category is not None:
        qs = qs.filter(category=category)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    near = [(distance_m(lat, lon, r.lat, r.lon), r) for r in qs]
    near = [(d, r) for d, r in near if d <= metres]
    near.sort(key=lambda pair: pair[0])
    for d, r in near:
        r.distance_m = round(d)
    return [r for _d, r in near]


# -- intake -----------------------------------------------------------------------------------


def _no_identity_numbers(**texts) -> None:
    errors = {name: _("Remove the personal identity number: free text must not identify "
                      "residents.") for name, value in texts.items()
              if value and find_personal_identity_numbers(value)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_report(*, municipality, category: FaultCategory, actor=None, description: str = "",
                  lat: float | None = None, lon: float | None = None, address: str = "",
                  reporter_name: str = "", reporter_email: str = "",
                  photos: Sequence = (), channel: str = FaultChannel.WEB,
                  open311_client: Open311Client | None = None, received_at=None,
                  is_example: bool = False, notify: bool = True) -> FaultReport:
    """File a report: zone, deadline and handler from the rules, cleaned photos, the first
    status event, the incident in the situation picture and the receipt e-mail."""
    if category.municipality_id != municipality.pk or not category.active:
        raise ValidationError({"category": _("Choose one of the categories.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    _no_identity_numbers(description=description, address=address)
    cleaned = [clean_photo(p) for p in photos]
    received_at = received_at or timezone.now()
    zone = find_zone(municipality, lat, lon)
    rule = deadline_rule_for(municipality, category, zone, start=received_at)
    report = services.create(FaultReport, actor=actor, municipality=municipality, data={
        "category": category, "description": description.strip(), "lat": lat, "lon": lon,
        "address": address.strip(), "zone": zone, "reporter_name": reporter_name.strip(),
        "reporter_email": reporter_email.strip(), "channel": channel,
        "open311_client": open311_client, "received_at": received_at,
        "deadline_rule": rule,
        "due_at": deadlines.due_time(received_at, rule.amount, rule.unit) if rule else None,
        "handler": handler_for(municipality, category, zone), "is_example": is_example,
    })
    for photo in cleaned:
        services.create(FaultPhoto, actor=actor, municipality=municipality, data={
            "report": report, "image": photo.data, "width": photo.width,
            "height": photo.height})
    _event(report, actor=actor, status=FaultStatus.RECEIVED, happened_at=received_at,
           by_reporter=actor is None, notify=notify)
    _mirror_incident(report, actor=actor)
    return report


def _mirror_incident(report: FaultReport, *, actor) -> None:
    """The report as an incident of the situation picture (source "fault report"), when its
    category says where it counts."""
    from samverkan.situation import services as situation

    target = report.category.incident_category
    if target is None:
        return
    incident = situation.create_incident(
        actor=actor, municipality=report.municipality, category=target,
        occurred_at=report.received_at, reported_at=report.received_at, lat=report.lat,
        lon=report.lon, address=report.address[:300],
        description=report.description, source=IncidentSource.FAULT_REPORT,
        source_id=f"fault-report-{report.pk}",
        precision=Precision.EXACT if report.lat is not None else Precision.AREA_CENTRE,
        is_example=report.is_example)
    FaultReport.objects.filter(pk=report.pk).update(incident=incident)
    report.incident = incident


def _event(report: FaultReport, *, actor, status: str, note: str = "", reason: str = "",
           forwarded_to: str = "", by_reporter: bool = False, happened_at=None,
           notify: bool = True) -> FaultEvent:
    event = services.create(FaultEvent, actor=actor, municipality=report.municipality, data={
        "report": report, "status": status, "note": note, "reason": reason,
        "forwarded_to": forwarded_to, "by_reporter": by_reporter,
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
        "happened_at": happened_at or timezone.now()})
    if notify and report.reporter_email:
        from samverkan.jobs.email import queue_email

        queue_email(key=f"fault-event:{event.pk}", recipient=report.reporter_email,
                    builder="faults.status", args={"event": event.pk},
                    label=_("Fault report %(n)s: %(status)s to the reporter") % {
                        "n": report.pk, "status": event.get_status_display()},
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    municipality=report.municipality)
    return event


# -- handling ---------------------------------------------------------------------------------


@transaction.atomic
def change_status(report: FaultReport, *, actor, status: str, note: str = "",
                  reason: str = "", forwarded_to: str = "", cost=None,
                  at=None) -> FaultReport:
    """Move a report on: fixed, closed not fixed (a reason), not ours (forwarded to whom),
    ... Every change is kept as an event and sent to the reporter."""
    report = FaultReport.objects.select_for_update().get(pk=report.pk)
    if status not in FaultStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status not in TRANSITIONS.get(report.status, set()):
        raise ValidationError({"status": _("A report that is “%(from)s” cannot become "
                                           "“%(to)s”.") % {
            "from": report.get_status_display(), "to": FaultStatus(status).label}})
    if status == FaultStatus.CLOSED_NOT_FIXED and not reason.strip():
        raise ValidationError({"reason": _("Say why it is closed without being fixed.")})
    if status == FaultStatus.NOT_OURS and not forwarded_to.strip():
        raise ValidationError({"forwarded_to": _("Say whom the report was forwarded to.")})
    _no_identity_numbers(note=note, reason=reason)
    at = at or timezone.now()
    data = {"status": status}
    if status == FaultStatus.FIXED:
        data.update(fixed_at=at, closed_at=at)
    elif status in (FaultStatus.CLOSED_NOT_FIXED, FaultStatus.NOT_OURS):
        data.update(closed_at=at, close_reason=reason.strip(),
                    forwarded_to=forwarded_to.strip())
    elif status == FaultStatus.REOPENED:
        data.update(fixed_at=None, closed_at=None, close_reason="", forwarded_to="")
    if cost not in (None, ""):
        data["cost"] = cost
    report = services.update(report, actor=actor, data=data)
    _event(report, actor=actor, status=status, note=note.strip(), reason=reason.strip(),
           forwarded_to=forwarded_to.strip(), happened_at=at)
    return report


@transaction.atomic
def reopen_by_reporter(report: FaultReport, *, note: str = "", at=None) -> FaultReport:
    """The reporter reopens a closed report from their page, within 30 days of closing."""
    at = at or timezone.now()
    if report.is_open:
        raise ValidationError(_("The report is still open."))
    if report.closed_at and at - report.closed_at > datetime.timedelta(days=REOPEN_DAYS):
        raise ValidationError(_("A report can be reopened within %(n)s days of being "
                                "closed. Please file a new report.") % {"n": REOPEN_DAYS})
    report = FaultReport.objects.select_for_update().get(pk=report.pk)
    _no_identity_numbers(note=note)
    report = services.update(report, actor=None, data={
        "status": FaultStatus.REOPENED, "fixed_at": None, "closed_at": None,
        "close_reason": "", "forwarded_to": ""})
    _event(report, actor=None, status=FaultStatus.REOPENED, note=note.strip(),
           by_reporter=True, happened_at=at)
    return report


def assign(report: FaultReport, *, actor, handler) -> FaultReport:
    """Route a report by hand to another handler."""
    return services.update(report, actor=actor, data={"handler": handler})


def set_cost(report: FaultReport, *, actor, cost) -> FaultReport:
    return services.update(report, actor=actor, data={"cost": cost})


@transaction.atomic
def mark_duplicate(report: FaultReport, *, of: FaultReport, actor) -> FaultReport:
    """Close a report as a duplicate of another (its incident is merged into the other's)."""
    if of.pk == report.pk or of.municipality_id != report.municipality_id:
        raise ValidationError({"duplicate_of": _("Choose another report of the same "
                                                 "municipality.")})
    report = services.update(report, actor=actor, data={"duplicate_of": of})
    if report.is_open:
        report = change_status(report, actor=actor, status=FaultStatus.CLOSED_NOT_FIXED,
                               reason=_("The same fault as report %(n)s, which is being "
                                        "handled.") % {"n": of.pk})
    if report.incident_id and of.incident_id:
        from samverkan.situation import services as situation

        situation.merge_incident(report.incident, into=of.incident, actor=actor)
    return report


def open_statuses() -> Iterable[str]:
    return OPEN_STATUSES


# -- statistics --------------------------------------------------------------------------------


@dataclass
class DeadlineRow:
    key: str
    label: str
    total: int = 0
    fixed_in_time: int = 0
    fixed_late: int = 0
    open_overdue: int = 0
    open_in_time: int = 0
    closed_not_fixed: int = 0
    not_ours: int = 0
    cost: float = 0.0
    costed: int = 0

    @property
    def judged(self) -> int:
        """Reports whose outcome against the deadline is known (fixed, or past due, or closed
        without fixing); those forwarded and those still within their time are not judged."""
        return self.fixed_in_time + self.fixed_late + self.open_overdue + self.closed_not_fixed

    @property
    def share_in_time(self) -> float | None:
        return self.fixed_in_time / self.judged if self.judged else None


STAT_DIMENSIONS = ("handler", "category", "zone", "month")


def deadline_statistics(reports, *, by: str, now=None) -> list[DeadlineRow]:
    """Share fixed within the deadline per handler, category, zone or month (of receipt),
    with the clean-up cost where entered. `reports` is an already visible queryset."""
    if by not in STAT_DIMENSIONS:
        raise ValidationError({"by": _("Unknown grouping.")})
    now = now or timezone.now()
    rows: dict[str, DeadlineRow] = {}
    qs = reports.filter(duplicate_of__isnull=True).select_related("handler", "category", "zone")
    for r in qs.only("status", "due_at", "fixed_at", "received_at", "cost", "handler__name",
                     "category__name", "zone__name"):
        if by == "handler":
            key, label = str(r.handler_id or ""), r.handler.name if r.handler else _("Nobody")
        elif by == "category":
            key, label = str(r.category_id), r.category.name
        elif by == "zone":
            key, label = str(r.zone_id or ""), r.zone.name if r.zone else _("Outside zones")
        else:
            local = timezone.localtime(r.received_at)
            key = label = f"{local.year}-{local.month:02d}"
        row = rows.setdefault(key, DeadlineRow(key=key, label=label))
        row.total += 1
        if r.cost is not None:
            row.cost += float(r.cost)
            row.costed += 1
        if r.status == FaultStatus.FIXED:
            if r.due_at is None or (r.fixed_at and r.fixed_at <= r.due_at):
                row.fixed_in_time += 1
            else:
                row.fixed_late += 1
        elif r.status == FaultStatus.CLOSED_NOT_FIXED:
            row.closed_not_fixed += 1
        elif r.status == FaultStatus.NOT_OURS:
            row.not_ours += 1
        elif r.due_at is not None and r.due_at < now:
            row.open_overdue += 1
        else:
            row.open_in_time += 1
    ordered = sorted(rows.values(), key=lambda row: row.label if by != "month" else row.key)
    return ordered
