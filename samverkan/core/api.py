"""API bases: the same access rules and services as the pages."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from samverkan.audit import services as audit

from . import access, services, versioning
from .forms import scoped_choices
from .models import ScopedModel
from .personal_data import find_personal_identity_numbers


def exception_handler(exc, context):
    """Service validation errors become 400 responses with per-field messages; a delete of a
    record others still use is a 409; a number too large for the database a 400."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        used_by = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects
                          if hasattr(obj, "_meta")} if hasattr(exc, "protected_objects") else
                         {obj._meta.verbose_name_plural for obj in exc.restricted_objects})
        return Response({"detail": _("This cannot be deleted while other records use it "
                                     "(%(kinds)s). Remove or move those first.")
                         % {"kinds": ", ".join(str(k) for k in used_by)}},
                        status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, (OverflowError, DataError)):
        return Response({"detail": _("A value is outside the range the system accepts.")},
                        status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class VisibleRelationsMixin:
    """Limits a serializer's related-record fields to the records the user can see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in self.fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None:
                target.queryset = scoped_choices(queryset, user)


class VisiblePrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record the requesting user can see, decided when the value is validated (so
    it also works in nested serializers, which are built before they know the request)."""

    def get_queryset(self):
        request = self.context.get("request")
        return scoped_choices(super().get_queryset(), getattr(request, "user", None))


class ExampleFieldMixin:
    """Every record says whether the demo made it up (`samverkan.core.examples`): a read-only
    `is_example` after the fields the serializer lists."""

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        if "is_example" in info.fields and "is_example" not in names:
            names = [*names, "is_example"]
        return names


@extend_schema_field({"type": "string", "example": "13:00:00",
                      "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"})
class LocalTimeField(serializers.TimeField):
    """A time of day without a time zone ("13:00:00"), as DRF writes and reads it. The schema
    says so with a pattern: JSON Schema's format "time" demands an offset ("13:00:00+01:00"),
    which the API never sends (found by the schemathesis run, test_api_fuzz.py)."""


class ScopedSerializer(ExampleFieldMixin, VisibleRelationsMixin, serializers.ModelSerializer):
    """Related-record fields only accept records the requesting user can see."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.TimeField: LocalTimeField}
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)


    def validate(self, attrs):
        attrs = super().validate(attrs)
        errors = {}
        for name, value in attrs.items():
            if isinstance(value, str) and find_personal_identity_numbers(value):
                errors[name] = [_("Remove the personal identity number: free text must not "
                                  "identify residents.")]
        if errors:
            raise ValidationError(errors)
        return attrs


class MunicipalityField(serializers.SlugRelatedField):
    """A writable municipality code limited to municipalities where the user may create."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", access.municipality_model().objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return access.municipality_model().objects.none()
        return access.user_municipalities(request.user)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since the version in If-Match.")
    default_code = "precondition_failed"

    def __init__(self, data: dict):
        super().__init__()
        # The body as built (StaleVersion.as_api): APIException would turn every value into a
        # string, a missing `changed_at` into "None" (found by test_api_fuzz.py).
        self.detail = data


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _("Send the record's version in If-Match (its ETag from a GET).")
    default_code = "precondition_required"


class VersionedUpdateMixin:
    """Optimistic locking in the API (`samverkan.core.versioning`): a record's detail, and the
    answer to a PUT or PATCH, carry its version as `ETag`; a PUT, PATCH or DELETE with
    `If-Match` is refused with 412 and, in Swedish, what changed and who changed it when the
    record is no longer at that version (checked with the row locked, in the write's
    transaction). Without `If-Match` the write goes through, unless `API_REQUIRE_IF_MATCH`
    is on (then 428)."""

    def get_object(self):
        obj = super().get_object()
        self._versioned_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = getattr(self, "_versioned_object", None)
        if obj is not None and self.action in ("retrieve", "update", "partial_update") \
                and 200 <= response.status_code < 300:
            response["ETag"] = versioning.etag(versioning.version_of(obj))
        return response

    def _check_if_match(self, request):
        expected = versioning.parse_if_match(request.headers.get("If-Match"))
        if expected is None:
            if getattr(settings, "API_REQUIRE_IF_MATCH", False):
                raise PreconditionRequired
            return
        obj = self.get_object()
        try:
            versioning.check(obj, expected)
        except versioning.StaleVersion as stale:
            raise PreconditionFailed(stale.as_api()) from stale

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self._check_if_match(request)
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self._check_if_match(request)
            return super().destroy(request, *args, **kwargs)


class ScopedViewSet(VersionedUpdateMixin, viewsets.ModelViewSet):
    """CRUD over a ScopedModel: reads via `visible_to`, writes via services, 403 for visible
    records the user may not change, 404 for everything else."""

    model: type[ScopedModel] = None
    parent_field: str | None = None  # the field whose value decides the municipality

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self):
        try:
            obj = super().get_object()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        if self.request.method == "GET":
            audit.record_reads(actor=self.request.user, objects=[obj])
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Reads of restricted records are logged on every channel, lists too.
        audit.record_reads(actor=self.request.user,
                           objects=page if page is not None else list(queryset))
        return page

    def creation_municipality(self, data):
        if self.parent_field:
            parent = data.get(self.parent_field)
            if parent is not None:
                return parent.municipality
        return data.get("municipality")

    def create_object(self, data, municipality):
        return services.create(self.model, actor=self.request.user, data=data,
                               municipality=municipality)

    def update_object(self, instance, data):
        return services.update(instance, actor=self.request.user, data=data)

    def delete_object(self, instance):
        services.delete(instance, actor=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        municipality = self.creation_municipality(data)
        data.pop("municipality", None)
        user = self.request.user
        if municipality is None or not access.can_create(user, municipality, self.model):
            raise PermissionDenied
        access.check_fields(user, self.model, municipality.pk, data)
        if not access.can_create_record(user, self.unsaved(data, municipality)):
            raise PermissionDenied
        serializer.instance = self.create_object(data, municipality)

    def unsaved(self, data, municipality):
        """The record `data` would create (unsaved), to ask whether the user may create it."""
        names = {f.name for f in self.model._meta.concrete_fields}
        obj = self.model(**{k: v for k, v in data.items() if k in names})
        obj.municipality = municipality
        if hasattr(obj, "reported_by_id") and obj.reported_by_id is None:
            obj.reported_by = self.request.user
        return obj

    def perform_update(self, serializer):
        access.require_change(self.request.user, serializer.instance)
        data = dict(serializer.validated_data)
        data.pop("municipality", None)
        access.check_fields(self.request.user, self.model, serializer.instance.municipality_id,
                            data, instance=serializer.instance)
        serializer.instance = self.update_object(serializer.instance, data)

    def perform_destroy(self, instance):
        access.require_change(self.request.user, instance)
        self.delete_object(instance)
