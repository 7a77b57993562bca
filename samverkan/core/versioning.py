"""Optimistic locking: a record's version, and a refusal to save over a newer version.

A record's *version* is a short hash of its stored state: the values the audit log records
(`samverkan.audit.services.snapshot`: every concrete field but the model's `audit_exclude`,
the many-to-many links as sorted ids), each normalised by its field's type so that the same
stored row always gives the same version (a decimal 1.5 and 1.50, a time in +01:00 and in UTC).
No column, no migration: every model, scoped or not, has a version, and a change of a
many-to-many link (an access restriction) is a new version too.

- Edit pages carry the version they were opened at as the hidden field `_version`
  (`samverkan.core.forms.VersionedFormMixin`, on every `ScopedModelForm` with a stored
  instance); the API sends it as `ETag` and takes it back in `If-Match`
  (`samverkan.core.api.VersionedUpdateMixin`).
- A write checks the version under a row lock in its own transaction (`check`): when the
  record changed since, it raises `StaleVersion`, which says field by field what changed
  (from the audit log, which holds the state the reader saw) and who changed it.
- A form that also edits related records (an activity's contributions) carries their versions
  too (`compose`: `main+key=version+…`), only of the records its user may read, so a change
  to one of them refuses the save and a hidden one neither leaks nor makes saves stale.
- Fields the audit log leaves out as personal data (`version_private_fields`) count through a
  keyed digest appended to the version (`main.digest`): a change of them is a new version,
  named without its values.

Why not django-concurrency: it needs a version column on every table (a migration in every
app), does not see many-to-many changes, and cannot say what changed; the audit log here
already holds every state a reader may have seen.
"""
from __future__ import annotations

import datetime
import decimal
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

FIELD_NAME = "_version"  # the hidden form field
RELATED_SEPARATOR = "+"  # between a record's version and those of its related records
PRIVATE_SEPARATOR = "."  # between a record's version and the digest of its private fields
PRIVATE_CHANGED = "personal_data_changed"  # audit key naming the private fields a write changed
MAX_HISTORY = 200  # audit entries searched for the state a stale version stands for


def _field(model, key):
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if field.attname == key:
                return field
    return None


def _normal(field, value):
    """One canonical JSON value per stored value, whatever its Python or JSON form."""
    if value is None or field is None:
        return value
    if isinstance(field, models.DateTimeField):
        if isinstance(value, str):
            try:
                value = datetime.datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(datetime.UTC)
            return value.isoformat()
    if isinstance(field, models.DecimalField):
        try:
            return str(decimal.Decimal(str(value)).normalize())
        except decimal.InvalidOperation:
            return str(value)
    if isinstance(field, models.FloatField) and isinstance(value, (int, float, str)):
        try:
            return float(value)
        except ValueError:
            return value
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def normalise(model, state: dict) -> dict:
    """Only the model's fields (an audit entry may carry notes of its own, such as
    `personal_data_changed`), each in its canonical form."""
    return {key: _normal(field, value) for key, value in state.items()
            if (field := _field(model, key)) is not None}


def state_of(obj: models.Model) -> dict:
    from samverkan.audit.services import snapshot

    return snapshot(obj)


def version_of_state(model, state: dict) -> str:
    text = json.dumps(normalise(model, state), sort_keys=True, default=str,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _private_digest(obj: models.Model) -> str:
    """A keyed digest of the fields the audit log leaves out as personal data
    (`version_private_fields`, e.g. an SSPF case's name and personal identity number): a
    change of them is a new version, yet neither the version nor the log holds them."""
    names = getattr(type(obj), "version_private_fields", ())
    if not names:
        return ""
    text = json.dumps([str(getattr(obj, name)) for name in names], ensure_ascii=False)
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(),
                    hashlib.sha256).hexdigest()[:12]


def record_version(obj: models.Model) -> str:
    """The version of `obj` as it is in memory: the hash of its state, and for a model with
    private fields `.` and their digest."""
    version = version_of_state(type(obj), state_of(obj))
    digest = _private_digest(obj)
    return f"{version}{PRIVATE_SEPARATOR}{digest}" if digest else version


def version_of(obj: models.Model) -> str:
    """The version of `obj` as stored (read again from the database)."""
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    return record_version(fresh if fresh is not None else obj)


def related_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}.{obj.pk}"


def compose(main: str, related) -> str:
    """A form's version when it also edits related records (an activity's contributions):
    the record's version, then `+key=version` for each related record the reader may read."""
    parts = {related_key(o): record_version(o) for o in related}
    return RELATED_SEPARATOR.join([main, *(f"{k}={v}" for k, v in sorted(parts.items()))])


def decompose(version: str) -> tuple[str, dict[str, str]]:
    main, *rest = version.split(RELATED_SEPARATOR)
    related = {}
    for part in rest:
        key, _sep, value = part.partition("=")
        related[key] = value
    return main, related


def parse_if_match(header: str | None) -> list[str] | None:
    """The versions an `If-Match` header accepts (`*` for any), None without the header."""
    if header is None or not header.strip():
        return None
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.append(tag.strip('"'))
    return tags


def etag(version: str) -> str:
    return f'"{version}"'


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str

    def __str__(self):
        return f"{self.label}: {self.before} → {self.after}"

    def as_dict(self):
        return {"field": self.field, "label": self.label, "before": self.before,
                "after": self.after}


class StaleVersion(ValidationError):
    """The record changed since the reader's version: nothing was written."""

    def __init__(self, obj, *, current: str, changes: list[Change] | None, changed_by: str,
                 changed_at):
        self.obj = obj
        self.current = current
        self.changes = changes
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(self.messages_list())

    def summary(self) -> str:
        name = str(self.obj._meta.verbose_name)
        text = _("Someone else has changed this %(name)s since you opened the form.") % {
            "name": name}
        if self.changed_by and self.changed_at:
            text += " " + _("Last changed by %(who)s at %(when)s.") % {
                "who": self.changed_by,
                "when": date_format(timezone.localtime(self.changed_at), "Y-m-d H:i")}
        return text

    def messages_list(self) -> list[str]:
        lines = [self.summary()]
        if self.changes:
            lines += [_("%(field)s: %(before)s → %(after)s") % {
                "field": c.label, "before": c.before, "after": c.after} for c in self.changes]
        elif self.changes is not None:
            lines.append(_("Only links that are not shown here changed."))
        else:
            lines.append(_("What changed cannot be shown: compare with the record's page."))
        lines.append(_("Nothing was saved. Your input is kept below: check it against the "
                       "change and save again to keep your version."))
        return lines

    def as_api(self) -> dict:
        return {"detail": " ".join([self.summary(), _(
            "Nothing was saved. Read the record again (its new ETag) and send your change "
            "with that version in If-Match.")]),
                "current_version": self.current,
                "changed_by": self.changed_by or None,
                "changed_at": self.changed_at.isoformat() if self.changed_at else None,
                "changes": [c.as_dict() for c in self.changes or []]}


def _display(model, key, value) -> str:
    field = _field(model, key)
    if value is None or value == "" or value == []:
        return _("(empty)")
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if str(value) in labels:
            return f"”{labels[str(value)]}”"
    if field is not None and field.is_relation and field.related_model is not None:
        ids = value if isinstance(value, list) else [value]
        names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
        return ", ".join(f"”{names.get(i, i)}”" for i in ids)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            when = datetime.datetime.fromisoformat(value)
            return date_format(timezone.localtime(when) if timezone.is_aware(when) else when,
                               "Y-m-d H:i")
        except ValueError:
            pass
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    if len(text) > 80:
        text = text[:79] + "…"
    return f"”{text}”"


def _label(model, key) -> str:
    field = _field(model, key)
    name = str(getattr(field, "verbose_name", key))
    return name[:1].upper() + name[1:]


def changes_between(model, before: dict, after: dict) -> list[Change]:
    old, new = normalise(model, before), normalise(model, after)
    changes = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        key = field.attname if field in model._meta.concrete_fields else field.name
        if key not in old and key not in new:
            continue
        if old.get(key) != new.get(key):
            changes.append(Change(field.name, _label(model, key),
                                  _display(model, key, before.get(key)),
                                  _display(model, key, after.get(key))))
    return changes


def find_state(obj: models.Model, version: str):
    """The state `obj` had at `version`, and the audit entries written after it (newest
    first), from the audit log; (None, entries) when no entry holds that state."""
    from samverkan.audit.models import AuditEntry

    model = type(obj)
    version = version.split(PRIVATE_SEPARATOR)[0]
    entries = list(AuditEntry.objects.for_object(obj).exclude(changes={}).order_by("-pk")
                   .only("pk", "actor_repr", "timestamp", "changes")[:MAX_HISTORY])
    later = []
    for entry in entries:
        after, before = (entry.changes or {}).get("after"), (entry.changes or {}).get("before")
        if after and version_of_state(model, after) == version:
            return after, later
        later.append(entry)
        if before and version_of_state(model, before) == version:
            return before, later
    return None, later


def _related_label(obj_or_model) -> str:
    label = getattr(obj_or_model, "version_label", None)
    if callable(label) and isinstance(obj_or_model, models.Model):
        return label()
    return capfirst(str(obj_or_model._meta.verbose_name))


def _private_changes(obj: models.Model):
    """What a change of the private fields can say: which fields (from the newest audit entry
    naming them), never their values; and that entry, for who and when."""
    from samverkan.audit.models import AuditEntry

    model = type(obj)
    for entry in AuditEntry.objects.for_object(obj).order_by("-pk").only(
            "pk", "actor_repr", "timestamp", "changes")[:MAX_HISTORY]:
        names = ((entry.changes or {}).get("after") or {}).get(PRIVATE_CHANGED)
        if names:
            return [Change(name, _label(model, name), _("(not shown)"), _("(changed)"))
                    for name in names], entry
    names = getattr(model, "version_private_fields", ())
    return [Change(name, _label(model, name), _("(not shown)"), _("(changed)"))
            for name in names], None


def stale_error(obj: models.Model, version: str, current_state: dict,
                current: str, related: dict | None = None) -> StaleVersion:
    """The refusal of `version` now that `obj` is at `current`: what changed in the record
    (and, for a form that edits related records, in each related record `related` holds:
    key → the record as the reader may read it now)."""
    model = type(obj)
    main, old_related = decompose(version)
    current_main, _now = decompose(current)
    entries = []
    if main.split(PRIVATE_SEPARATOR)[0] == current_main.split(PRIVATE_SEPARATOR)[0]:
        changes = []
    else:
        old, later = find_state(obj, main)
        entries += [e for e in later if (e.changes or {}).get("after")]
        changes = changes_between(model, old, current_state) if old is not None else None
    private_now = current_main.partition(PRIVATE_SEPARATOR)[2]
    if changes is not None and private_now and \
            main.partition(PRIVATE_SEPARATOR)[2] != private_now:
        private, entry = _private_changes(obj)
        changes += private
        entries += [entry] if entry is not None else []
    if changes is not None and related is not None:
        for key, record in sorted(related.items()):
            before = old_related.get(key)
            now = record_version(record)
            label = _related_label(record)
            if before is None:
                changes.append(Change(key, label, _("(none)"), _("(added)")))
            elif before != now:
                old, later = find_state(record, before)
                entries += [e for e in later if (e.changes or {}).get("after")]
                if old is None:
                    changes.append(Change(key, label, _("(not shown)"), _("(changed)")))
                else:
                    changes += [Change(f"{key}.{c.field}", f"{label} – {c.label}", c.before,
                                       c.after)
                                for c in changes_between(type(record), old,
                                                         state_of(record))]
        for key in sorted(set(old_related) - set(related)):
            model_label = key.rsplit(".", 1)[0]
            try:
                label = _related_label(apps.get_model(model_label))
            except (LookupError, ValueError):
                label = key
            changes.append(Change(key, label, _("(present)"), _("(removed)")))
    newest = max(entries, key=lambda e: e.pk) if entries else None
    return StaleVersion(obj, current=current, changes=changes,
                        changed_by=newest.actor_repr if newest else "",
                        changed_at=newest.timestamp if newest else None)


def check(obj: models.Model, expected: list[str] | str | None, *, lock: bool = True,
          related=None) -> str:
    """Refuse (StaleVersion) when `obj` as stored is no longer at one of the `expected`
    versions; returns the stored version. With `lock` (the default) the row is locked with
    SELECT … FOR UPDATE until the caller's transaction ends, so no other write can slip in
    between the check and the caller's write: call it inside `transaction.atomic()`.
    `related` (a function of the fresh record giving a queryset of related records, already
    narrowed to what the reader may read) makes their versions part of the version
    (`compose`); their rows are locked too.
    Without an expected version (None or empty) nothing is checked."""
    model = type(obj)
    manager = model._default_manager
    locking = lock and transaction.get_connection().in_atomic_block
    if locking:
        list(manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    fresh = manager.filter(pk=obj.pk).first()
    if fresh is None:
        return ""
    state = state_of(fresh)
    current = record_version(fresh)
    records = None
    if related is not None:
        queryset = related(fresh)
        if locking:
            list(queryset.model._default_manager.select_for_update().filter(
                pk__in=list(queryset.values_list("pk", flat=True))).values_list("pk",
                                                                               flat=True))
        objects = list(queryset)
        records = {related_key(o): o for o in objects}
        current = compose(current, objects)
    if isinstance(expected, str):
        expected = [expected]
    if not expected or "*" in expected or current in expected:
        return current
    raise stale_error(fresh, expected[0], state, current, related=records)
