"""Generic writes for domain services: validate, write in a transaction, audit once.

Domain `services.py` modules call these (or do the same by hand when a write needs more),
always with the acting user passed explicitly as `actor`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from samverkan.audit import services as audit
from samverkan.audit.choices import Action


def _set_m2m(obj: models.Model, m2m: Mapping[str, Iterable] | None) -> None:
    municipality_id = getattr(obj, "municipality_id", None)
    for name, values in (m2m or {}).items():
        values = list(values)
        if municipality_id is not None:
            # Never link records across the tenant boundary.
            foreign = [v for v in values if getattr(v, "municipality_id", municipality_id)
                       != municipality_id]
            if foreign:
                raise ValidationError({name: _("This belongs to another municipality.")})
        getattr(obj, name).set(values)


def _split(model, data: Mapping) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    fields = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return fields, m2m


def _inherit_example(obj: models.Model, fields: Mapping) -> None:
    """A record made under an example record (an agenda item of an example meeting, a report
    on an example activity) is an example too, unless the caller says otherwise. The parents
    are the model's `scope_parent` and its `example_parents`."""
    if "is_example" in fields or not hasattr(obj, "is_example"):
        return
    names = [getattr(obj, "scope_parent", None), *getattr(obj, "example_parents", ())]
    if any(getattr(getattr(obj, name, None), "is_example", False) for name in names if name):
        obj.is_example = True


def _inherit_restriction(obj: models.Model, fields: dict, m2m: dict) -> None:
    """A record created under a restricted record (any of its visibility parents) is
    restricted to the same organisations (to those every such parent names). Asking for a
    wider access level there is refused, never silently changed."""
    from samverkan.core import access
    from samverkan.core.choices import Confidentiality

    if not any(f.name == "restricted_to" for f in obj._meta.many_to_many):
        return
    orgs = None
    for name in access.visibility_parents(type(obj)):
        parent = getattr(obj, name, None)
        if parent is None or getattr(parent, "confidentiality", None) != \
                Confidentiality.RESTRICTED:
            continue
        ids = set(parent.restricted_to.values_list("pk", flat=True))
        orgs = ids if orgs is None else orgs & ids
        label = str(parent._meta.verbose_name)
    if orgs is None:
        return
    asked = fields.get("confidentiality")
    if asked not in (None, Confidentiality.RESTRICTED):
        raise ValidationError({"confidentiality": _(
            "It is inside a restricted %(parent)s, so it must be restricted too.") % {
            "parent": label}})
    fields["confidentiality"] = Confidentiality.RESTRICTED
    obj.confidentiality = Confidentiality.RESTRICTED
    if not m2m.get("restricted_to"):
        organization = type(obj)._meta.get_field("restricted_to").related_model
        m2m["restricted_to"] = list(organization.objects.filter(pk__in=orgs))


@transaction.atomic
def create(model: type[models.Model], *, actor, data: Mapping, **extra) -> models.Model:
    """Create `model` from `data` (m2m fields may be included), validated, audited once."""
    fields, m2m = _split(model, {**data, **extra})
    obj = model(**fields)
    _inherit_example(obj, fields)
    if hasattr(obj, "inherit_scope"):
        obj.inherit_scope()
    _inherit_restriction(obj, fields, m2m)
    obj.full_clean()
    obj.save()
    _set_m2m(obj, m2m)
    audit.record(actor=actor, action=Action.CREATE, obj=obj, after=audit.snapshot(obj))
    return obj


@transaction.atomic
def update(obj: models.Model, *, actor, data: Mapping) -> models.Model:
    """Apply `data` to `obj`; audited once when something changed."""
    before = audit.snapshot(obj)
    fields, m2m = _split(type(obj), data)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    _set_m2m(obj, m2m)
    after = audit.snapshot(obj)
    if after != before:
        audit.record(actor=actor, action=Action.UPDATE, obj=obj, before=before, after=after)
    return obj


def _removed_with(obj: models.Model) -> list[models.Model]:
    """The records the database removes with `obj` (on_delete=CASCADE, at any depth)."""
    from django.db import router
    from django.db.models.deletion import Collector

    collector = Collector(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    removed = []
    for model, instances in collector.data.items():
        removed += [i for i in instances if not (model is type(obj) and i.pk == obj.pk)]
    for qs in collector.fast_deletes:
        removed += list(qs)
    audited = apps_with_audit()
    return [r for r in removed if type(r)._meta.label in audited]


def apps_with_audit() -> set[str]:
    """The models whose deletion is audited: the municipality's records (every scoped
    model), not link tables or bookkeeping rows."""
    from django.apps import apps

    from samverkan.core.models import ScopedModel

    return {m._meta.label for m in apps.get_models() if issubclass(m, ScopedModel)}


@transaction.atomic
def delete(obj: models.Model, *, actor) -> None:
    """Delete `obj`, with one audit entry for it and one for every record removed with it
    (an activity's contributions and indicators, a focus area's activities, ...)."""
    for child in _removed_with(obj):
        audit.record(actor=actor, action=Action.DELETE, obj=child, before=audit.snapshot(child))
    before = audit.snapshot(obj)
    audit.record(actor=actor, action=Action.DELETE, obj=obj, before=before)
    obj.delete()
