"""Abstract bases shared by every domain model.

Every record belongs to one municipality and carries a confidentiality level. Reads go through
`ScopedQuerySet.visible_to(user)`, the one access choke point (see `samverkan.core.access`).
"""
from django.db import models
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _

from .choices import Confidentiality

_NO_READER = object()
# Set on each record loaded by `visible_to(user)`: whom it was read for (`ScopedManager`).
READER_ATTR = "_samverkan_reader"


class ScopedQuerySet(models.QuerySet):
    """Remembers the reader given to `visible_to`: its prefetches of scoped records (string
    lookups and `Prefetch` objects alike, in any order, at every level) then load only what that
    reader may see too, so nested lists can never show a hidden child."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reader = _NO_READER

    def _clone(self):
        clone = super()._clone()
        clone._reader = self._reader
        return clone

    def visible_to(self, user):
        """Only what `user` may read: their municipalities, minus records restricted to
        organisations they do not belong to, and minus records under such records."""
        from . import access

        qs = access.filter_visible(self, user)
        qs._reader = user
        return qs

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._reader is not _NO_READER and self._iterable_class is ModelIterable:
            from . import access

            access.guard_loaded(self._result_cache, self._reader)

    def _iterator(self, use_chunked_fetch, chunk_size):
        rows = super()._iterator(use_chunked_fetch, chunk_size)
        if self._reader is _NO_READER or self._iterable_class is not ModelIterable:
            yield from rows
            return
        from . import access

        batch: list = []
        for obj in rows:
            batch.append(obj)
            if len(batch) >= (chunk_size or 2000):
                access.guard_loaded(batch, self._reader)
                yield from batch
                batch = []
        access.guard_loaded(batch, self._reader)
        yield from batch

    @classmethod
    def as_manager(cls):
        manager = ScopedManager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True

    def _prefetch_related_objects(self):
        if self._reader is not _NO_READER:
            from . import access

            self._prefetch_related_lookups = access.visible_lookups(
                self.model, self._prefetch_related_lookups, self._reader)
        super()._prefetch_related_objects()

    def changeable_by(self, user):
        from . import access

        return access.filter_changeable(self, user)

    def in_municipality(self, municipality):
        return self.filter(municipality=municipality)


class ScopedManager(models.Manager):
    """The manager of scoped records. As the base of a record's related managers
    (`activity.contributions`, `activity.responsible_organizations`) it loads, for a record
    that was read for someone (`visible_to`), only the related records that person may read:
    a page, a serializer or a document that follows a link never shows a hidden record."""

    def get_queryset(self):
        qs = super().get_queryset()
        instance = getattr(self, "instance", None)
        reader = getattr(instance, READER_ATTR, _NO_READER) if instance is not None else _NO_READER
        if reader is not _NO_READER:
            qs = qs.visible_to(reader)
        return qs


class ScopedModel(models.Model):
    municipality = models.ForeignKey(
        "organizations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    confidentiality = models.CharField(
        _("access level"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
        help_text=_("Who may read it. Public: everyone, also without logging in. Internal: "
                    "everyone in the municipality's collaboration. Restricted: only the "
                    "organisations named below."),
    )
    restricted_to = models.ManyToManyField(
        "organizations.Organization",
        blank=True,
        related_name="+",
        verbose_name=_("restricted to organisations"),
    )
    # Set on records made up to show the software (the demo's activities, reports,
    # incidents, ...); every page, export and API record that shows one marks it
    # (`samverkan.core.examples`). Not editable in forms or the API.
    is_example = models.BooleanField(
        _("example"), default=False, editable=False,
        help_text=_("Made up to show how the system works: not from the agreement and not "
                    "real data."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    # The field naming the parent whose municipality this record shares (e.g. "agreement").
    scope_parent: str | None = None
    # Other fields whose record, when it is an example, makes a new record an example too
    # (`samverkan.core.services.create`), e.g. the activity a follow-up report is about.
    example_parents: tuple[str, ...] = ()
    # Fields that the audit log leaves out (timestamps change on every save).
    audit_exclude = ("created_at", "updated_at")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.inherit_scope()
        super().save(*args, **kwargs)


    def inherit_scope(self) -> None:
        if self.scope_parent and not self.municipality_id:
            parent = getattr(self, self.scope_parent, None)
            if parent is not None:
                self.municipality_id = parent.municipality_id

    def clean_scope(self) -> None:
        """A record may only point at records of its own municipality."""
        from django.core.exceptions import ValidationError

        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "municipality":
                continue
            if not issubclass(field.related_model, ScopedModel):
                continue
            related = getattr(self, field.name, None)
            if related is not None and related.municipality_id != self.municipality_id:
                errors[field.name] = _("This belongs to another municipality.")
        if errors:
            raise ValidationError(errors)

    def full_clean(self, *args, **kwargs):
        self.inherit_scope()
        super().full_clean(*args, **kwargs)
        self.clean_scope()

    # Contributors may change an object only when this returns True (override per model).
    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return False


