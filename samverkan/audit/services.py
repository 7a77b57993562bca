"""Writing the audit log. Services call `record` inside their transaction."""
from __future__ import annotations

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .choices import Action
from .models import AuditEntry


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # also an empty one (its `url` raises)
        return value.name or None
    return value


def snapshot(obj: models.Model) -> dict:
    """The object's stored values, JSON-ready: concrete fields by attname, m2m as sorted ids."""
    exclude = set(getattr(obj, "audit_exclude", ()))
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name in exclude:
                continue
            # From the link table: a record read for someone (`visible_to`) lists only the
            # linked records that person may read; the log keeps the stored state.
            through = field.remote_field.through._base_manager
            data[field.name] = sorted(_plain(list(through.filter(
                **{field.m2m_field_name(): obj.pk}).values_list(
                    field.m2m_reverse_field_name(), flat=True))))
    return data


def record(*, actor, action: str, obj: models.Model, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    municipality_id = getattr(obj, "municipality_id", None)
    if municipality_id is None and obj._meta.model_name == "municipality":
        municipality_id = obj.pk
    actor_repr = (actor.get_full_name() or actor.get_username()) \
        if actor is not None and actor.is_authenticated else "system"
    changes = {"before": before or {}, "after": after or {}}
    token = getattr(actor, "api_token", None)  # set by the API token authentication
    if token is not None:
        actor_repr = f"{actor_repr} (API {token.prefix}…)"[:200]
        changes["api_token"] = {"id": token.pk, "name": token.name, "prefix": token.prefix}
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=actor_repr,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        municipality_id=municipality_id,
        changes=changes,
    )


def record_view(*, actor, obj) -> AuditEntry:
    """Reads of restricted records are logged too (DESIGN.md)."""
    return record(actor=actor, action=Action.VIEW, obj=obj)


def record_reads(*, actor, objects) -> int:
    """Log the reads of the restricted ones among `objects` (a page of an API list, the
    records of an export): one entry each. Returns how many were logged."""
    restricted = [o for o in objects if getattr(o, "confidentiality", None) == "restricted"]
    for obj in restricted:
        record_view(actor=actor, obj=obj)
    return len(restricted)


def history(obj) -> models.QuerySet:
    return AuditEntry.objects.for_object(obj).select_related("actor")
