"""REST API of the situation picture: the same access rules and services as the pages."""
import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet
from samverkan.core.uploads import upload_validator
from samverkan.jobs.api import JobSerializer
from samverkan.organizations.models import Municipality

from . import services
from .choices import IncidentSource
from .filters import (
    AreaFilterSet,
    CategoryFilterSet,
    CrimeStatisticFilterSet,
    EstMeasureFilterSet,
    EstWeekNoteFilterSet,
    FocusAreaWatchFilterSet,
    IncidentFilterSet,
    NothingToReportFilterSet,
)
from .models import (
    Area,
    Category,
    CrimeStatistic,
    EstMeasure,
    EstWeekNote,
    FocusAreaWatch,
    Incident,
    NothingToReport,
)


class CategorySerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Category
        fields = ["id", "municipality", "slug", "name", "order", "active", "colour",
                  "confidentiality", "restricted_to"]


class CategoryViewSet(ScopedViewSet):
    model = Category
    serializer_class = CategorySerializer
    filterset_class = CategoryFilterSet

    def create_object(self, data, municipality):
        return services.create_category(actor=self.request.user, municipality=municipality,
                                        **data)

    def update_object(self, instance, data):
        return services.update_category(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_category(instance, actor=self.request.user)


@extend_schema_field(OpenApiTypes.OBJECT)
class GeoJSONGeometryField(serializers.Field):
    """The area's geometry as a GeoJSON object (WGS 84); written as a Polygon or
    MultiPolygon object."""

    def to_representation(self, value):
        return json.loads(value)

    def to_internal_value(self, data):
        from .sources.geojson import build_geometry

        try:
            return build_geometry(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class AreaSerializer(ScopedSerializer):
    municipality = MunicipalityField()
    geometry = GeoJSONGeometryField()

    class Meta:
        model = Area
        fields = ["id", "municipality", "name", "kind", "source", "external_id", "geometry",
                  "min_lat", "max_lat", "min_lon", "max_lon", "area_km2", "population",
                  "priority_area", "confidentiality", "restricted_to"]
        read_only_fields = ["min_lat", "max_lat", "min_lon", "max_lon", "area_km2"]


def _area_data(data):
    if "geometry" in data:
        data.update(services.area_fields_from_geometry(data.pop("geometry")))
    return data


class AreaViewSet(ScopedViewSet):
    model = Area
    serializer_class = AreaSerializer
    filterset_class = AreaFilterSet

    def create_object(self, data, municipality):
        return services.create_area(actor=self.request.user, municipality=municipality,
                                    **_area_data(data))

    def update_object(self, instance, data):
        return services.update_area(instance, actor=self.request.user, **_area_data(data))

    def delete_object(self, instance):
        services.delete_area(instance, actor=self.request.user)


class IncidentSerializer(ScopedSerializer):
    municipality = MunicipalityField()
    source_id = serializers.CharField(required=False, allow_blank=True, max_length=100)

    class Meta:
        model = Incident
        fields = ["id", "municipality", "category", "occurred_at", "ended_at", "reported_at",
                  "lat", "lon", "x", "y", "precision", "address", "place_name", "description",
                  "organization", "reported_by", "source", "source_id", "source_type",
                  "source_url", "status", "merged_into", "is_summary", "areas",
                  "confidentiality", "restricted_to"]
        read_only_fields = ["x", "y", "reported_by", "areas", "reported_at"]
        # The (municipality, source, source_id) key is checked by the service (full_clean);
        # DRF's own unique-together validator would make source_id required.
        validators = []


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="A key the client makes for each report (e.g. a UUID; letters, digits, '-' "
                "and '_', at most 64) and sends again when it retries after a lost answer: "
                "the report is stored once, and a retry answers 200 with the stored report.")
_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class IncidentViewSet(ScopedViewSet):
    model = Incident
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("areas", "restricted_to")

    def _idempotent_source_id(self):
        key = self.request.headers.get("Idempotency-Key")
        if key is None:
            return None
        if not _KEY.fullmatch(key):
            raise ValidationError({"Idempotency-Key": [_(
                "Use letters, digits, '-' and '_', at most 64.")]})
        # Per reporter: one reporter's key never finds another's report.
        return f"key-{self.request.user.pk}-{key}"

    def _stored(self, source_id, municipality):
        if source_id is None or municipality is None:
            return None
        return Incident.objects.visible_to(self.request.user).filter(
            municipality=municipality, source=IncidentSource.EST_REPORT,
            source_id=source_id, reported_by=self.request.user).first()

    @extend_schema(parameters=[IDEMPOTENCY_KEY],
                   responses={201: IncidentSerializer, 200: IncidentSerializer})
    def create(self, request, *args, **kwargs):
        self._source_id = self._idempotent_source_id()
        if self._source_id is not None:
            code = str(request.data.get("municipality", "")) if hasattr(
                request.data, "get") else ""
            stored = self._stored(self._source_id, Municipality.objects.filter(
                code=code).first())
            if stored is not None:  # a retry of a report already stored
                return Response(self.get_serializer(stored).data, status=status.HTTP_200_OK)
        return super().create(request, *args, **kwargs)

    def create_object(self, data, municipality):
        data.setdefault("reported_by", self.request.user)
        source_id = getattr(self, "_source_id", None)
        if source_id is None:
            return services.create_incident(actor=self.request.user,
                                            municipality=municipality, **data)
        data["source_id"] = source_id
        try:
            with transaction.atomic():
                return services.create_incident(actor=self.request.user,
                                                municipality=municipality, **data)
        except (IntegrityError, DjangoValidationError):
            # The same key at the same moment (a retry overtaking the first request): the
            # unique source key lets one in; the other answers with the stored report.
            stored = self._stored(source_id, municipality)
            if stored is None:
                raise
            return stored

    def update_object(self, instance, data):
        return services.update_incident(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_incident(instance, actor=self.request.user)


class NothingToReportSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = NothingToReport
        fields = ["id", "municipality", "iso_year", "iso_week", "area", "place_text", "note",
                  "organization", "reported_by", "created_at", "confidentiality",
                  "restricted_to"]
        read_only_fields = ["reported_by", "created_at"]


class NothingToReportViewSet(ScopedViewSet):
    model = NothingToReport
    serializer_class = NothingToReportSerializer
    filterset_class = NothingToReportFilterSet

    def create_object(self, data, municipality):
        data.pop("confidentiality", None)
        data.pop("restricted_to", None)
        return services.record_nothing_to_report(actor=self.request.user,
                                                 municipality=municipality, **data)

    def delete_object(self, instance):
        services.withdraw_nothing_to_report(instance, actor=self.request.user)


class CrimeStatisticSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = CrimeStatistic
        fields = ["id", "municipality", "year", "category", "count", "per_100k", "population",
                  "source", "confidentiality", "restricted_to"]


class CrimeStatisticViewSet(ScopedViewSet):
    """A user's own municipalities' figures (visible_to). County and national comparisons are
    aggregates of `CrimeStatistic.objects.for_comparison()` on the yearly page."""

    model = CrimeStatistic
    serializer_class = CrimeStatisticSerializer
    filterset_class = CrimeStatisticFilterSet

    def create_object(self, data, municipality):
        return services.create_crime_statistic(actor=self.request.user,
                                               municipality=municipality, **data)

    def update_object(self, instance, data):
        return services.update_crime_statistic(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_crime_statistic(instance, actor=self.request.user)


class EstWeekNoteSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = EstWeekNote
        fields = ["id", "municipality", "iso_year", "iso_week", "area", "text", "author",
                  "confidentiality", "restricted_to"]
        read_only_fields = ["author"]


class EstWeekNoteViewSet(ScopedViewSet):
    model = EstWeekNote
    serializer_class = EstWeekNoteSerializer
    filterset_class = EstWeekNoteFilterSet

    def create_object(self, data, municipality):
        note = services.save_week_note(
            actor=self.request.user, municipality=municipality, iso_year=data["iso_year"],
            iso_week=data["iso_week"], text=data["text"], area=data.get("area"))
        return note

    def update_object(self, instance, data):
        from samverkan.core import services as core_services

        return core_services.update(instance, actor=self.request.user, data=data)

    def delete_object(self, instance):
        services.delete_week_note(instance, actor=self.request.user)


class EstMeasureSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = EstMeasure
        fields = ["id", "municipality", "iso_year", "iso_week", "area", "category",
                  "organization", "responsible", "what", "due_date", "status", "result",
                  "confidentiality", "restricted_to"]


class EstMeasureViewSet(ScopedViewSet):
    model = EstMeasure
    serializer_class = EstMeasureSerializer
    filterset_class = EstMeasureFilterSet

    def create_object(self, data, municipality):
        return services.create_measure(actor=self.request.user, municipality=municipality,
                                       **data)

    def update_object(self, instance, data):
        return services.update_measure(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_measure(instance, actor=self.request.user)


class FocusAreaWatchSerializer(ScopedSerializer):
    class Meta:
        model = FocusAreaWatch
        fields = ["id", "municipality", "focus_area", "categories", "areas",
                  "confidentiality", "restricted_to"]


class FocusAreaWatchViewSet(ScopedViewSet):
    model = FocusAreaWatch
    serializer_class = FocusAreaWatchSerializer
    filterset_class = FocusAreaWatchFilterSet
    parent_field = "focus_area"

    def create_object(self, data, municipality):
        from samverkan.core import services as core_services

        return core_services.create(FocusAreaWatch, actor=self.request.user, data=data)

    def update_object(self, instance, data):
        from samverkan.core import services as core_services

        return core_services.update(instance, actor=self.request.user, data=data)




# -- import (a background job) ------------------------------------------------------------------


class IncidentImportSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[upload_validator()])
    format = serializers.ChoiceField(choices=["csv", "xlsx", "geojson", "polisen"])
    municipality = MunicipalityField()
    dry_run = serializers.BooleanField(required=False, default=False)


class IncidentImportView(APIView):
    """``POST /api/v1/situation/incidents/import/`` (multipart: ``file``, ``format``,
    ``municipality``, optional ``dry_run``): the file is stored and imported by a background
    job, the same pipeline as the command line and the import page. Answers 202 with the job;
    ``GET /api/v1/jobs/<id>/`` tells its progress and, when it is done, the result: the same
    object as ``import_incidents --json`` (``errors`` at most 1,000, all counted in
    ``error_count`` and ``error_summary``)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": IncidentImportSerializer},
                   responses={202: JobSerializer},
                   summary="Import incidents from a file (in the background)")
    def post(self, request):
        from samverkan.core import access
        from samverkan.core.choices import Role

        from .views_import import _store, start_import

        upload = IncidentImportSerializer(data=request.data, context={"request": request})
        upload.is_valid(raise_exception=True)
        municipality = upload.validated_data["municipality"]
        if not access.has_role(request.user, municipality, Role.COORDINATOR):
            raise PermissionDenied
        file = upload.validated_data["file"]
        job = start_import(actor=request.user, municipality=municipality, path=_store(file),
                           name=file.name[:200], what="incidents",
                           fmt=upload.validated_data["format"],
                           dry_run=upload.validated_data["dry_run"])
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
