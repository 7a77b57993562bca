"""REST API of fault reports (/api/v1/faults/...): the same access rules and services as the
pages. The public Open311 endpoints are in `open311.py`."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.core import access
from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet
from samverkan.core.choices import Role

from . import services
from .choices import FaultChannel, FaultStatus
from .filters import FaultReportFilter
from .models import DeadlineRule, FaultCategory, FaultEvent, FaultReport, Open311Client, RoutingRule


class FaultCategorySerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = FaultCategory
        fields = ["id", "municipality", "slug", "name", "description", "order", "active",
                  "incident_category", "confidentiality", "restricted_to"]


class FaultCategoryViewSet(ScopedViewSet):
    model = FaultCategory
    serializer_class = FaultCategorySerializer

    def create_object(self, data, municipality):
        return services.create_category(actor=self.request.user, municipality=municipality,
                                        **data)


class DeadlineRuleSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = DeadlineRule
        fields = ["id", "municipality", "category", "zone", "amount", "unit", "note",
                  "confidentiality", "restricted_to"]


class DeadlineRuleViewSet(ScopedViewSet):
    model = DeadlineRule
    serializer_class = DeadlineRuleSerializer


class RoutingRuleSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = RoutingRule
        fields = ["id", "municipality", "category", "zone", "organization", "confidentiality",
                  "restricted_to"]


class RoutingRuleViewSet(ScopedViewSet):
    model = RoutingRule
    serializer_class = RoutingRuleSerializer


class Open311ClientSerializer(ScopedSerializer):
    municipality = MunicipalityField()
    api_key = serializers.SerializerMethodField()

    class Meta:
        model = Open311Client
        fields = ["id", "municipality", "name", "contact", "active", "api_key",
                  "confidentiality", "restricted_to"]

    def get_api_key(self, obj) -> str | None:
        """Shown only to those who may change the client."""
        request = self.context.get("request")
        return obj.api_key if request and access.can_change(request.user, obj) else None


class Open311ClientViewSet(ScopedViewSet):
    model = Open311Client
    serializer_class = Open311ClientSerializer


class FaultEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = FaultEvent
        fields = ["status", "happened_at", "note", "reason", "forwarded_to", "by_reporter"]


class FaultReportSerializer(ScopedSerializer):
    municipality = MunicipalityField()
    events = FaultEventSerializer(many=True, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = FaultReport
        fields = ["id", "municipality", "category", "description", "lat", "lon", "address",
                  "zone", "reporter_name", "reporter_email", "channel", "received_at",
                  "due_at", "is_overdue", "status", "handler", "fixed_at", "closed_at",
                  "close_reason", "forwarded_to", "cost", "duplicate_of", "incident",
                  "events", "photos", "confidentiality", "restricted_to"]
        read_only_fields = ["zone", "channel", "received_at", "due_at", "status", "fixed_at",
                            "closed_at", "close_reason", "forwarded_to", "duplicate_of",
                            "incident"]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()

    def get_photos(self, obj) -> list[str]:
        return [p.get_absolute_url() for p in obj.photos.all()]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        if request is None or not access.can_change(request.user, obj):
            data["reporter_name"] = data["reporter_email"] = None  # personal data
        return data


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FaultStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    forwarded_to = serializers.CharField(required=False, allow_blank=True, default="")
    cost = serializers.DecimalField(required=False, allow_null=True, max_digits=10,
                                    decimal_places=0, min_value=0, default=None)


class FaultReportViewSet(ScopedViewSet):
    """Reports. Creating one here files it as staff (e.g. from a phone call); residents use
    the public form or Open311. The status changes through `status/`."""

    model = FaultReport
    serializer_class = FaultReportSerializer
    filterset_class = FaultReportFilter

    def get_queryset(self):
        return super().get_queryset().select_related("category").prefetch_related(
            "events", "photos")

    def create_object(self, data, municipality):
        data.pop("confidentiality", None)
        data.pop("restricted_to", None)
        return services.submit_report(
            actor=self.request.user, municipality=municipality, channel=FaultChannel.STAFF,
            **{k: v for k, v in data.items() if k in {
                "category", "description", "lat", "lon", "address", "reporter_name",
                "reporter_email"}})

    def update_object(self, instance, data):
        """Handlers correct the description, place and cost; only coordinators route."""
        if "handler" in data and data["handler"] != instance.handler and not access.has_role(
                self.request.user, instance.municipality_id, Role.COORDINATOR):
            raise PermissionDenied
        return super().update_object(instance, data)

    @extend_schema(request=StatusChangeSerializer, responses=FaultReportSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change the status (the reporter gets an e-mail when they gave an address)."""
        report = self.get_object()
        access.require_change(request.user, report)
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        report = services.change_status(report, actor=request.user, **payload.validated_data)
        return Response(self.get_serializer(FaultReport.objects.get(pk=report.pk)).data)


class DeadlineStatisticsView(APIView):
    """Share of reports fixed within the deadline, per handler, category, zone or month."""

    @extend_schema(responses=inline_serializer("DeadlineStatistics", many=True, fields={
        "key": serializers.CharField(), "label": serializers.CharField(),
        "total": serializers.IntegerField(), "fixed_in_time": serializers.IntegerField(),
        "fixed_late": serializers.IntegerField(), "open_overdue": serializers.IntegerField(),
        "open_in_time": serializers.IntegerField(),
        "closed_not_fixed": serializers.IntegerField(), "not_ours": serializers.IntegerField(),
        "share_in_time": serializers.FloatField(allow_null=True),
        "cost": serializers.FloatField()}))
    def get(self, request):
        from rest_framework.exceptions import ValidationError

        by = request.query_params.get("by", "handler")
        if by not in services.STAT_DIMENSIONS:
            raise ValidationError({"by": ["handler, category, zone, month"]})
        reports = FaultReport.objects.visible_to(request.user)
        code = request.query_params.get("municipality")
        if code:
            reports = reports.filter(municipality_id=code)
        rows = services.deadline_statistics(reports, by=by)
        return Response([{**{k: getattr(r, k) for k in (
            "key", "label", "total", "fixed_in_time", "fixed_late", "open_overdue",
            "open_in_time", "closed_not_fixed", "not_ours", "cost")},
            "share_in_time": r.share_in_time} for r in rows])
