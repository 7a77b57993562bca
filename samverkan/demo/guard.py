"""The demo stays a demo: `load_demo` refuses a database that holds real work, demo accounts
(with their published password) are never created where real people work, and `load_demo
--remove` takes the demo away again.

"Real" is read from the data, not from a flag anyone must remember to set: records in a
municipality the demo does not use, memberships of people who are not demo accounts, and audit
entries written by such people. Reference data (municipalities, counties, police areas, the
default EST categories) is in every database and does not count.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, Q

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.audit.models import AuditEntry
from samverkan.core.models import ScopedModel
from samverkan.organizations.models import Membership, Municipality
from samverkan.situation.choices import DEFAULT_CATEGORIES
from samverkan.situation.models import Category, CrimeStatistic


@dataclass
class RealData:
    """What a database holds besides the demo, per municipality code."""

    records: Counter = field(default_factory=Counter)  # code -> records outside the demo's
    people: dict[str, list[str]] = field(default_factory=dict)  # code -> real usernames
    writers: dict[str, list[str]] = field(default_factory=dict)  # code -> who wrote there

    def __bool__(self) -> bool:
        return bool(self.records or self.people or self.writers)

    def municipalities_with_people(self) -> set[str]:
        return set(self.people) | set(self.writers)

    def lines(self) -> list[str]:
        names = dict(Municipality.objects.filter(
            pk__in={*self.records, *self.people, *self.writers}).values_list("pk", "name"))
        # For the operator at the command line, in English like the command's other output.
        out = [f"{names.get(code, code)}: {count} records, and the demo does not use this "
               "municipality" for code, count in sorted(self.records.items())]
        out += [f"{names.get(code, code)}: real users are members ({', '.join(users)})"
                for code, users in sorted(self.people.items())]
        out += [f"{names.get(code, code)}: records written by real users ({', '.join(users)})"
                for code, users in sorted(self.writers.items())]
        return out


def scoped_models() -> list[type]:
    """Every concrete model scoped to a municipality, found from the app registry so that a new
    app's models are covered without a list."""
    return [m for m in apps.get_models()
            if issubclass(m, ScopedModel) and not m._meta.abstract and not m._meta.proxy]


def built_in(model) -> Q:
    """Rows that are not anyone's work: what every database holds from its migrations (the
    default EST categories of every municipality) and public statistics."""
    if model is Category:
        return Q(slug__in=[slug for slug, _name, _colour in DEFAULT_CATEGORIES])
    if model is CrimeStatistic:  # Brå's public statistics of every municipality
        return Q(pk__isnull=False)
    return Q(pk__in=[])


def _rows(model):
    return model._base_manager.exclude(built_in(model))


def find_real_data(demo_codes: set[str], demo_usernames: set[str]) -> RealData:
    found = RealData()
    for model in scoped_models():
        rows = (_rows(model).exclude(municipality_id__in=demo_codes)
                .values_list("municipality_id").order_by())
        for (code,) in rows.distinct():
            found.records[code] += _rows(model).filter(municipality_id=code).count()
    members = (Membership.objects.exclude(user__username__in=demo_usernames)
               .values_list("organization__municipality_id", "user__username").distinct())
    for code, username in members:
        found.people.setdefault(code, []).append(username)
    writers = (AuditEntry.objects.filter(actor__isnull=False, municipality_id__in=demo_codes)
               .exclude(actor__username__in=demo_usernames)
               .values_list("municipality_id", "actor__username").distinct())
    for code, username in writers:
        found.writers.setdefault(code, []).append(username)
    for mapping in (found.people, found.writers):
        for code in mapping:
            mapping[code] = sorted(set(mapping[code]))
    return found


def _delete(qs) -> Counter:
    """Delete ``qs``; rows that protect other rows of the same model (an organisation and its
    departments) go first. Raises ProtectedError when rows of other models protect them."""
    deleted: Counter = Counter()
    for _attempt in range(50):  # the depth of a tree of organisations
        try:
            deleted.update(qs.delete()[1])
            return deleted
        except ProtectedError as exc:
            inner = {o.pk for o in exc.protected_objects if type(o) is qs.model}
            if len(inner) < len(exc.protected_objects):
                raise
            deleted.update(_delete(qs.model._base_manager.filter(pk__in=inner)))
    return deleted


@transaction.atomic
def remove_demo(demo_codes: set[str], demo_usernames: set[str]) -> dict[str, int]:
    """Delete every record of the demo's municipalities and close the demo accounts. Refuses
    (ValueError) when real people work in those municipalities: their records would go too.
    The audit log is append-only: it keeps its entries, and gets one per municipality saying
    what was removed."""
    real = find_real_data(demo_codes, demo_usernames)
    if real.municipalities_with_people() & demo_codes:
        raise ValueError("\n".join(real.lines()))
    removed: Counter = Counter()
    remaining = scoped_models()
    # Records protect one another (an incident its category, a report its round): delete
    # what can go, then try the rest again, until nothing is left.
    for _attempt in range(len(remaining) + 1):
        blocked = []
        for model in remaining:
            qs = _rows(model).filter(municipality_id__in=demo_codes)
            try:
                with transaction.atomic():
                    per_model = _delete(qs)
            except ProtectedError:
                blocked.append(model)
                continue
            removed.update({label: n for label, n in per_model.items() if n})
        if not blocked:
            break
        remaining = blocked
    else:  # pragma: no cover - a cycle of PROTECT between scoped models
        raise ValueError(f"Could not remove: {[m._meta.label for m in remaining]}")
    jobs, _per_model = apps.get_model("jobs", "Job").objects.filter(
        municipality_id__in=demo_codes).delete()
    if jobs:
        removed["jobs.Job"] += jobs
    for user in get_user_model().objects.filter(username__in=demo_usernames):
        # Deactivated, not deleted: the audit log's entries keep their author.
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        removed["demo accounts closed"] += 1
    for municipality in Municipality.objects.filter(pk__in=demo_codes):
        audit.record(actor=None, action=Action.DELETE, obj=municipality,
                     after={"demo removed": dict(sorted(removed.items()))})
    return dict(removed)
