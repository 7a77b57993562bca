"""All writes of the camera register: cameras, holds, the retention runs, the log of
viewings and exports, and requests for stills. Audited through `samverkan.core.services`."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import services

from .choices import StillRequestStatus
from .models import (
    Camera,
    CameraPolicy,
    RecordingAccess,
    RecordingPeriod,
    RetentionHold,
    RetentionRun,
    StillRequest,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def create_camera(*, actor, municipality, **fields) -> Camera:
    return services.create(Camera, actor=actor, data=fields, municipality=municipality)


def save_policy(*, actor, municipality, **fields) -> CameraPolicy:
    existing = CameraPolicy.objects.filter(municipality=municipality).first()
    if existing is None:
        return services.create(CameraPolicy, actor=actor, data=fields,
                               municipality=municipality)
    return services.update(existing, actor=actor, data=fields)


# -- holds ------------------------------------------------------------------------------------


def place_hold(*, actor, camera: Camera, starts_at, ends_at, reason: str, reference: str,
               keep_until: datetime.date, **extra) -> RetentionHold:
    """Keep a camera's recordings of a period past retention: only with a reason, a reference
    and an end date."""
    if not reference.strip():
        raise ValidationError({"reference": _("Give the reference of the claim, report or "
                                              "request.")})
    return services.create(RetentionHold, actor=actor, municipality=camera.municipality,
                           data={"camera": camera, "starts_at": starts_at,
                                 "ends_at": ends_at, "reason": reason,
                                 "reference": reference.strip(), "keep_until": keep_until,
                                 **extra})


def release_hold(hold: RetentionHold, *, actor, note: str = "") -> RetentionHold:
    """The reason has ended: the held recordings fall due at the next retention run."""
    if hold.released_at is not None:
        raise ValidationError(_("The hold is already released."))
    return services.update(hold, actor=actor, data={"released_at": timezone.now(),
                                                    "release_note": note.strip()})


# -- retention --------------------------------------------------------------------------------


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time()).replace(tzinfo=STOCKHOLM)


def _ensure_periods(camera: Camera, *, until: datetime.date) -> int:
    """One recording period per day from the camera's start (or its last period) up to and
    including `until` (yesterday when run by cron). Bulk-written: they are facts of the video
    system, not edits, and the run that records them is audited."""
    last = camera.periods.order_by("-starts_at").values_list("starts_at", flat=True).first()
    day = (timezone.localtime(last, STOCKHOLM).date() + datetime.timedelta(days=1)
           if last else camera.recording_since)
    rows = []
    while day <= until:
        start, end = _local_midnight(day), _local_midnight(day + datetime.timedelta(days=1))
        rows.append(RecordingPeriod(
            camera=camera, municipality_id=camera.municipality_id,
            confidentiality=camera.confidentiality, is_example=camera.is_example,
            starts_at=start, ends_at=end,
            due_at=end + datetime.timedelta(days=camera.retention_days)))
        day += datetime.timedelta(days=1)
    RecordingPeriod.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@dataclass
class RetentionResult:
    now: datetime.datetime
    due: list[RecordingPeriod] = field(default_factory=list)
    kept: list[tuple[RecordingPeriod, RetentionHold]] = field(default_factory=list)
    runs: list[RetentionRun] = field(default_factory=list)


def _holding(period: RecordingPeriod, holds: list[RetentionHold], today) -> RetentionHold | None:
    for hold in holds:
        if hold.is_active(today) and hold.starts_at < period.ends_at \
                and hold.ends_at > period.starts_at:
            return hold
    return None


def apply_retention(*, actor=None, now: datetime.datetime | None = None,
                    municipality=None, dry_run: bool = False) -> RetentionResult:
    """See `_apply_retention`; with `dry_run` everything is rolled back (a list only)."""
    with transaction.atomic():
        result = _apply_retention(actor=actor, now=now, municipality=municipality)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _apply_retention(*, actor=None, now: datetime.datetime | None = None,
                     municipality=None) -> RetentionResult:
    """Record which recording periods are due for deletion and delete them from the register:
    every stored period past its camera's retention that no active hold keeps. Periods a hold
    keeps are listed with the hold. One `RetentionRun` per municipality proves when it ran.
    """
    now = now or timezone.now()
    today = timezone.localtime(now, STOCKHOLM).date()
    result = RetentionResult(now=now)
    cameras = Camera.objects.select_related("municipality")
    if municipality is not None:
        cameras = cameras.filter(municipality=municipality)
    per_municipality: dict[str, list[RecordingPeriod]] = {}
    kept_per_municipality: dict[str, int] = {}
    for camera in cameras:
        if camera.active:
            _ensure_periods(camera, until=today - datetime.timedelta(days=1))
        holds = list(camera.holds.all())
        for period in camera.periods.filter(status="stored", due_at__lte=now).order_by(
                "starts_at"):
            hold = _holding(period, holds, today)
            if hold is not None:
                result.kept.append((period, hold))
                kept_per_municipality[camera.municipality_id] = \
                    kept_per_municipality.get(camera.municipality_id, 0) + 1
            else:
                result.due.append(period)
                per_municipality.setdefault(camera.municipality_id, []).append(period)
    for code in sorted(set(per_municipality) | set(kept_per_municipality)):
        periods = per_municipality.get(code, [])
        late = sum(1 for p in periods if now - p.due_at > datetime.timedelta(days=1))
        run = services.create(RetentionRun, actor=actor, municipality_id=code, data={
            "ran_at": now, "deleted": len(periods), "kept": kept_per_municipality.get(code, 0),
            "late": late})
        RecordingPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(
            status="deleted", deleted_at=now, retention_run=run)
        for p in periods:
            p.status, p.deleted_at, p.retention_run = "deleted", now, run
        result.runs.append(run)
    return result


# -- viewing and export -----------------------------------------------------------------------


def log_access(*, actor, camera: Camera, kind: str, starts_at, ends_at, reason: str,
               reference: str = "", recipient: str = "") -> RecordingAccess:
    """Record a viewing or an export of recordings: who (the actor), when and why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the recordings are viewed or exported.")})
    if kind == "export" and not recipient.strip():
        raise ValidationError({"recipient": _("Say to whom the recordings are exported.")})
    if RecordingPeriod.objects.filter(camera=camera, status="deleted").filter(
            starts_at__lt=ends_at, ends_at__gt=starts_at).exists() and not \
            RecordingPeriod.objects.filter(camera=camera, status="stored").filter(
                starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError(_("The recordings of that period have been deleted."))
    return services.create(RecordingAccess, actor=actor, municipality=camera.municipality,
                           data={"camera": camera, "kind": kind, "starts_at": starts_at,
                                 "ends_at": ends_at, "user": actor, "reason": reason.strip(),
                                 "reference": reference.strip(),
                                 "recipient": recipient.strip()})


# -- requests for stills ---------------------------------------------------------------------


def still_deadline_days(municipality) -> int:
    policy = CameraPolicy.objects.filter(municipality=municipality).first()
    return policy.still_request_days if policy else 30


def receive_still_request(*, actor, municipality, received_on=None, **fields) -> StillRequest:
    received_on = received_on or timezone.localdate()
    due = received_on + datetime.timedelta(days=still_deadline_days(municipality))
    return services.create(StillRequest, actor=actor, municipality=municipality, data={
        "received_on": received_on, "due_on": due, **fields})


def decide_still_request(request: StillRequest, *, actor, grant: bool, reason: str = "",
                         on=None) -> StillRequest:
    """Grant (stills are then to be delivered) or refuse with a reason."""
    on = on or timezone.localdate()
    if request.status != StillRequestStatus.RECEIVED:
        raise ValidationError(_("The request has already been decided."))
    if not grant and not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for the refusal.")})
    data = {"decided_on": on,
            "status": StillRequestStatus.GRANTED if grant else StillRequestStatus.REFUSED,
            "refusal_reason": "" if grant else reason.strip()}
    return services.update(request, actor=actor, data=data)


def deliver_stills(request: StillRequest, *, actor, on=None) -> StillRequest:
    if request.status != StillRequestStatus.GRANTED:
        raise ValidationError(_("Only a granted request can be delivered."))
    return services.update(request, actor=actor, data={
        "status": StillRequestStatus.DELIVERED, "delivered_on": on or timezone.localdate()})


def active_holds(qs):
    today = timezone.localdate()
    return qs.filter(released_at__isnull=True, keep_until__gte=today)
