"""The access choke point: every read and write decision goes through here.

Rules (DESIGN.md): users belong to organisations; an organisation belongs to a municipality; a
user's role in a municipality is their highest role in any of its organisations. A user sees
records of their municipalities only (others answer 404); restricted records only when they are
a member of one of the named organisations. Readers read; contributors also change what their
organisation is responsible for; coordinators and administrators change everything in their
municipality. Superusers (the installation's operators) see everything.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .choices import ROLE_RANK, Confidentiality, Role

_CACHE_ATTR = "_samverkan_access"

# Where a user's memberships come from: (organization id, municipality code, role) rows.
# samverkan.organizations, which sits above core, registers its `Membership` query in its
# AppConfig.ready (`register_membership_source`); until then nobody has a role (closed).
_membership_source: Callable[[object], Iterable[tuple[int, str, str]]] | None = None


def register_membership_source(source: Callable[[object], Iterable[tuple[int, str, str]]]):
    """Set the function that lists a user's active memberships as (organization id,
    municipality code, role) rows (samverkan.organizations does, in its AppConfig.ready)."""
    global _membership_source
    _membership_source = source


def municipality_model():
    """The municipality model, by the label ScopedModel's foreign key names it with (core sits
    below samverkan.organizations and never imports it)."""
    return apps.get_model("organizations", "Municipality")


class _UserAccess:
    def __init__(self, user):
        self.roles: dict[str, str] = {}
        self.organization_ids: set[int] = set()
        self.organizations_by_municipality: dict[str, set[int]] = {}
        # model -> {pk: readable} for links checked within this request (`guard_loaded`)
        self.readable_links: dict = {}
        if user is None or not user.is_authenticated or _membership_source is None:
            return
        for org_id, municipality_id, role in _membership_source(user):
            self.organization_ids.add(org_id)
            self.organizations_by_municipality.setdefault(municipality_id, set()).add(org_id)
            current = self.roles.get(municipality_id)
            if current is None or ROLE_RANK[role] > ROLE_RANK[current]:
                self.roles[municipality_id] = role


def _access(user) -> _UserAccess:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _UserAccess(user)
        if user is not None:
            with contextlib.suppress(AttributeError):
                setattr(user, _CACHE_ATTR, cached)
    return cached


class AddressReader:
    """The reader of a document sent to an e-mail address that is no user of the
    municipality: they read what every member of the collaboration reads (public and internal
    records), nothing restricted."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_active = True
    pk = None

    def __init__(self, municipality_id: str, email: str = ""):
        self.email = email
        acc = _UserAccess(None)
        acc.roles[municipality_id] = Role.READER
        acc.organizations_by_municipality[municipality_id] = set()
        setattr(self, _CACHE_ATTR, acc)

    def get_username(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return ""

    def __str__(self) -> str:
        return self.email


def reader_for_address(email: str, municipality_id: str):
    """Whom a document e-mailed to `email` is built for: the active user with that address
    who is a member in the municipality (they read what they read on the pages), else an
    `AddressReader` (nothing restricted)."""
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(email__iexact=email, is_active=True):
        if municipality_id in municipality_ids(user) or user.is_superuser:
            return user
    return AddressReader(municipality_id, email)


def forget(user) -> None:
    """Drop cached memberships (after a membership changes within a request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def municipality_ids(user) -> set[str]:
    return set(_access(user).roles)


def organization_ids(user) -> set[int]:
    return set(_access(user).organization_ids)


def role_in(user, municipality) -> str | None:
    """The user's role in a municipality (object or code), or None."""
    if user is None or not user.is_authenticated:
        return None
    code = getattr(municipality, "pk", municipality)
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return _access(user).roles.get(code)


def has_role(user, municipality, minimum: str) -> bool:
    role = role_in(user, municipality)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def _restricted_filter(model, org_ids: set[int], prefix: str = "") -> Q:
    """The record at `prefix` (a lookup path, "" for the record itself) is not restricted, or
    restricted to one of `org_ids`."""
    field = model._meta.get_field("restricted_to")
    through = field.remote_field.through
    named = Exists(through.objects.filter(**{
        field.m2m_field_name(): OuterRef(f"{prefix}pk"),
        f"{field.m2m_reverse_field_name()}__in": org_ids,
    }))
    return ~Q(**{f"{prefix}confidentiality": Confidentiality.RESTRICTED}) | named


def visibility_parents(model) -> tuple[str, ...]:
    """The fields naming the records above `model`'s records: a record is visible only when
    these are visible too. They are the scope parent, every other link to a scoped record that
    the record cannot outlive (on_delete=CASCADE) and the model's `visible_through` fields
    (records it is about, e.g. the activity of a follow-up report)."""
    cached = model.__dict__.get("_visibility_parents")
    if cached is not None:
        return cached
    from django.db.models import CASCADE

    from .models import ScopedModel

    names: list[str] = []
    extra = set(getattr(model, "visible_through", ()))
    for field in model._meta.concrete_fields:
        if not (field.many_to_one and field.name != "municipality"):
            continue
        if not issubclass(field.related_model, ScopedModel):
            continue
        if (field.name == getattr(model, "scope_parent", None) or field.name in extra
                or field.remote_field.on_delete is CASCADE):
            names.append(field.name)
    result = tuple(names)
    model._visibility_parents = result
    return result


def _chain_filter(model, org_ids: set[int], prefix: str = "", path: tuple = ()) -> Q:
    """The record and every record above it (`visibility_parents`, recursively) are
    readable for members of `org_ids`."""
    q = _restricted_filter(model, org_ids, prefix) if hasattr(model, "restricted_to") else Q()
    if model in path:  # a link back to a model on the path (merged_into, parent): stop here
        return q
    for name in visibility_parents(model):
        related = model._meta.get_field(name).related_model
        q &= _chain_filter(related, org_ids, f"{prefix}{name}__", (*path, model))
    return q


def _public_chain(model, prefix: str = "", path: tuple = ()) -> Q:
    q = Q(**{f"{prefix}confidentiality": Confidentiality.PUBLIC})
    if model in path:
        return q
    for name in visibility_parents(model):
        related = model._meta.get_field(name).related_model
        q &= _public_chain(related, f"{prefix}{name}__", (*path, model))
    return q


def filter_public(qs: QuerySet) -> QuerySet:
    """What anyone may read without logging in (public pages and forms): records marked
    public whose records above them are public too."""
    return qs.filter(_public_chain(qs.model))


def filter_visible(qs: QuerySet, user) -> QuerySet:
    """The one read rule: the user's municipalities, and the record and every record above it
    either not restricted or restricted to an organisation the user belongs to."""
    if user is None or not user.is_authenticated:
        return qs.none()
    # A model stricter than this rule (samverkan.sspf: only a case's named participants)
    # narrows it here, for every user, superusers included.
    narrow = getattr(qs.model, "narrow_visible", None)
    if narrow is not None:
        qs = narrow(qs, user)
    if user.is_superuser:
        return qs
    acc = _access(user)
    if not acc.roles:
        return qs.none()
    qs = qs.filter(municipality_id__in=list(acc.roles))
    qs = qs.filter(_chain_filter(qs.model, acc.organization_ids))
    if hasattr(qs, "_reader"):  # a ScopedQuerySet: its records are guarded for this reader
        qs._reader = user
    return qs


def _reference_fields(model) -> tuple:
    """`model`'s links to scoped records that the read rule does not cover (not among its
    `visibility_parents`): a reporting organisation, a responsible unit, a duplicate."""
    cached = model.__dict__.get("_reference_fields")
    if cached is not None:
        return cached
    from .models import ScopedModel

    parents = set(visibility_parents(model))
    result = tuple(
        field for field in model._meta.concrete_fields
        if (field.many_to_one or field.one_to_one) and field.name != "municipality"
        and not field.remote_field.parent_link and field.name not in parents
        and issubclass(field.related_model, ScopedModel))
    model._reference_fields = result
    return result


def guard_loaded(objects: list, user) -> None:
    """Records just loaded for `user` (`visible_to`): each remembers its reader (its related
    managers then load only what the reader may read, `core.models.ScopedManager`), and a
    link to a record the reader may not read is blanked (the link stays stored; reading it
    gives None, an empty value on a page, null in the API), so a hidden record's name never
    shows through a record that names it."""
    from .models import READER_ATTR

    if not objects or user is None:
        return
    for obj in objects:
        obj.__dict__[READER_ATTR] = user
    if getattr(user, "is_superuser", False):
        return
    known = _access(user).readable_links
    for field in _reference_fields(type(objects[0])):
        related = field.related_model
        seen = known.setdefault(related, {})
        ids = {obj.__dict__.get(field.attname) for obj in objects} - {None}
        unknown = ids - seen.keys()
        if unknown:
            readable = set(filter_visible(related._base_manager.filter(pk__in=unknown), user)
                           .values_list("pk", flat=True))
            seen.update((pk, pk in readable) for pk in unknown)
        for obj in objects:
            pk = obj.__dict__.get(field.attname)
            if pk is not None and not seen.get(pk, True):
                field.set_cached_value(obj, None)


def visible_prefetch(lookup: str, queryset: QuerySet, user, to_attr: str | None = None):
    """A `Prefetch` that only loads what `user` may read (use it for every prefetch of scoped
    records: nested serializers and pages then never show hidden children)."""
    from django.db.models import Prefetch

    return Prefetch(lookup, queryset=filter_visible(queryset, user), to_attr=to_attr)


def _related_model(model, path: str):
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a generic relation or property: left alone
            return None
        model = field.related_model
        if model is None:
            return None
    return model


def visible_lookups(model, lookups, user) -> tuple:
    """`prefetch_related` lookups rewritten so that every level that loads scoped records
    loads only those `user` may read (a `Prefetch` with the visible queryset)."""
    from django.db.models import Prefetch

    from .models import ScopedModel

    result: list = []
    done: set[str] = set()
    for lookup in lookups:
        path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        parts = path.split("__")
        for i in range(1, len(parts) + 1):
            prefix = "__".join(parts[:i])
            last = i == len(parts)
            if prefix in done and not last:
                continue
            related = _related_model(model, prefix)
            if last and isinstance(lookup, Prefetch):
                if lookup.queryset is not None:
                    qs = lookup.queryset
                elif related is not None:
                    qs = related._default_manager.all()
                else:
                    qs = None
                if qs is not None and issubclass(qs.model, ScopedModel):
                    qs = _visible_copy(qs, user)
                result.append(Prefetch(lookup.prefetch_through, queryset=qs,
                                       to_attr=lookup.to_attr))
            elif related is not None and issubclass(related, ScopedModel):
                result.append(Prefetch(prefix, queryset=_visible_copy(
                    related._default_manager.all(), user)))
            elif last:
                result.append(lookup)
            done.add(prefix)
    return tuple(result)


def _visible_copy(qs: QuerySet, user) -> QuerySet:
    if getattr(qs, "_reader", None) is user:
        return qs
    visible = qs.visible_to(user) if hasattr(qs, "visible_to") else filter_visible(qs, user)
    # Django runs a Prefetch queryset's own prefetches from the outer queryset: rewrite them now.
    visible._prefetch_related_lookups = visible_lookups(
        visible.model, visible._prefetch_related_lookups, user)
    return visible


def filter_changeable(qs: QuerySet, user) -> QuerySet:
    """Records the user may change outright (coordinators and administrators)."""
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    acc = _access(user)
    ids = [m for m, r in acc.roles.items() if ROLE_RANK[r] >= ROLE_RANK[Role.COORDINATOR]]
    return filter_visible(qs, user).filter(municipality_id__in=ids)


def can_view(user, obj) -> bool:
    return filter_visible(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def can_change(user, obj) -> bool:
    role = role_in(user, obj.municipality_id)
    if role is None:
        return False
    if ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]:
        return True
    if role == Role.CONTRIBUTOR:
        orgs = _access(user).organizations_by_municipality.get(obj.municipality_id, set())
        return bool(obj.contributor_may_change(user, orgs))
    return False


def can_create(user, municipality, model=None) -> bool:
    """Coordinators create anything; contributors only models that say they may."""
    role = role_in(user, municipality)
    if role is None:
        return False
    if ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]:
        return True
    return role == Role.CONTRIBUTOR and bool(getattr(model, "contributors_may_create", False))


def _contributor_orgs(user, municipality_id) -> set[int]:
    return set(_access(user).organizations_by_municipality.get(municipality_id, set()))


def can_create_record(user, obj) -> bool:
    """Whether `user` may create `obj` (unsaved, its fields set): coordinators anything in
    their municipality; contributors only models that allow it, and only records they could
    then change (`contributor_may_change`: their organisation's, their own report)."""
    if user is not None and getattr(user, "is_superuser", False):
        return True
    role = role_in(user, obj.municipality_id)
    if role is None:
        return False
    if ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]:
        return True
    if role != Role.CONTRIBUTOR or not getattr(type(obj), "contributors_may_create", False):
        return False
    return bool(obj.contributor_may_change(user, _contributor_orgs(user, obj.municipality_id)))


def check_fields(user, model, municipality_id, data: dict, instance=None) -> None:
    """The fields a writer may set, the same for forms and the API (a ValidationError with a
    message per refused field, never a silent change):

    - `coordinator_fields` of the model (a report's review status, its source, ...) only
      coordinators set or change;
    - an `organization` a contributor names is one of their own organisations;
    - a restricted record is restricted to at least one organisation the writer belongs to
      (so that no one locks a record away from themselves).
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if user is None or getattr(user, "is_superuser", False):
        return
    role = role_in(user, municipality_id)
    coordinator = role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.COORDINATOR]
    errors: dict[str, str] = {}

    def current(name):
        if instance is not None:
            value = getattr(instance, model._meta.get_field(name).attname)
            return value
        default = model._meta.get_field(name).get_default()
        return default

    def plain(value):
        return getattr(value, "pk", value)

    if not coordinator:
        for name in getattr(model, "coordinator_fields", ()):
            if name in data and plain(data[name]) != current(name):
                errors[name] = _("Only a coordinator may set this field.")
        names = {f.name for f in model._meta.concrete_fields}
        if "organization" in names and data.get("organization") is not None:
            org = plain(data["organization"])
            changed = instance is None or org != current("organization")
            if changed and org not in _contributor_orgs(user, municipality_id):
                errors["organization"] = _("You can only name an organisation you belong to.")
    confidentiality = data.get("confidentiality",
                               current("confidentiality") if instance is not None else None)
    if confidentiality == Confidentiality.RESTRICTED and "restricted_to" in data:
        named = {plain(o) for o in data["restricted_to"]}
        if not named & organization_ids(user):
            errors["restricted_to"] = _("Name at least one organisation you belong to: a "
                                        "restricted record is read only by the members of the "
                                        "organisations named.")
    if errors:
        raise ValidationError(errors)


def get_visible_or_404(model_or_qs, user, **lookup):
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        return filter_visible(qs, user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_change(user, obj) -> None:
    """403 for a visible object the user may not change (its existence is not secret to them)."""
    if not can_change(user, obj):
        raise PermissionDenied


def require_create(user, municipality, model=None) -> None:
    if not can_create(user, municipality, model):
        raise PermissionDenied


def changeable_municipalities(user):
    Municipality = municipality_model()  # noqa: N806 - a model class
    if user.is_superuser:
        return Municipality.objects.all()
    acc = _access(user)
    ids = [m for m, r in acc.roles.items() if ROLE_RANK[r] >= ROLE_RANK[Role.COORDINATOR]]
    return Municipality.objects.filter(pk__in=ids)


def user_municipalities(user):
    Municipality = municipality_model()  # noqa: N806 - a model class
    if user is None or not user.is_authenticated:
        return Municipality.objects.none()
    if user.is_superuser:
        ids = municipality_ids(user)
        return Municipality.objects.filter(pk__in=ids) if ids else Municipality.objects.none()
    return Municipality.objects.filter(pk__in=municipality_ids(user))


# -- the audit log ------------------------------------------------------------------------------

def filter_audit(qs: QuerySet, user) -> QuerySet:
    """The one audit-visibility rule (history pages, the admin), as a queryset filter:

    - coordinators and administrators read their municipalities' entries, nobody else;
    - entries of models whose log is kept apart (`audit_private`: SSPF cases, shown only by
      their own app to its participants) are never in it;
    - an entry that shows a restricted record (its values before or after) is read only by
      members of the organisations the record was restricted to (`audit_entry_readable`).
    """
    from django.contrib.contenttypes.models import ContentType

    if user is None or not user.is_authenticated:
        return qs.none()
    private = [m for m in apps.get_models() if getattr(m, "audit_private", False)]
    qs = qs.exclude(content_type__in=[
        ct.pk for ct in ContentType.objects.get_for_models(*private).values()])
    if user.is_superuser:
        return qs
    qs = qs.filter(municipality_id__in=list(
        changeable_municipalities(user).values_list("pk", flat=True)))
    # Few entries show a restricted record: judge those one by one, the rest stay a query.
    restricted = (Q(changes__after__confidentiality=Confidentiality.RESTRICTED)
                  | Q(changes__before__confidentiality=Confidentiality.RESTRICTED))
    org_ids = organization_ids(user)
    hidden = [pk for pk, changes in qs.filter(restricted).values_list("pk", "changes")
              if not _changes_readable(changes, org_ids)]
    return qs.exclude(pk__in=hidden) if hidden else qs


def audit_entry_readable(entry, user, org_ids: set[int] | None = None) -> bool:
    """An entry that shows a restricted record (its values before or after) is read only by
    members of the organisations the record was restricted to."""
    if user.is_superuser:
        return True
    return _changes_readable(entry.changes, organization_ids(user) if org_ids is None
                             else org_ids)


def _changes_readable(changes: dict, org_ids: set[int]) -> bool:
    for side in ("after", "before"):
        values = (changes or {}).get(side) or {}
        if values.get("confidentiality") == Confidentiality.RESTRICTED:
            return bool(set(values.get("restricted_to") or []) & org_ids)
    return True
