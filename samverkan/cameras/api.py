"""REST API of the camera register (/api/v1/cameras/...): same access rules and services as
the pages. Viewings and exports and retention runs are append-only."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from samverkan.core import access
from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet

from . import services
from .models import (
    Camera,
    CameraPolicy,
    RecordingAccess,
    RecordingPeriod,
    RetentionHold,
    RetentionRun,
    StillRequest,
)


class CameraSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Camera
        fields = ["id", "municipality", "name", "place", "lat", "lon", "area", "owner",
                  "purpose", "legal_basis", "balancing_of_interests", "records_sound",
                  "retention_days", "viewers", "recording_since", "active", "confidentiality",
                  "restricted_to"]


class CameraViewSet(ScopedViewSet):
    model = Camera
    serializer_class = CameraSerializer


class CameraPolicySerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = CameraPolicy
        fields = ["id", "municipality", "data_protection_officer", "contact",
                  "still_request_days", "introduction", "confidentiality", "restricted_to"]


class CameraPolicyViewSet(ScopedViewSet):
    model = CameraPolicy
    serializer_class = CameraPolicySerializer


class RetentionHoldSerializer(ScopedSerializer):
    class Meta:
        model = RetentionHold
        fields = ["id", "municipality", "camera", "starts_at", "ends_at", "reason",
                  "reference", "keep_until", "released_at", "release_note",
                  "confidentiality", "restricted_to"]
        read_only_fields = ["released_at", "release_note"]


class ReleaseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RetentionHoldViewSet(ScopedViewSet):
    model = RetentionHold
    serializer_class = RetentionHoldSerializer
    parent_field = "camera"

    def create_object(self, data, municipality):
        return services.place_hold(actor=self.request.user, **data)

    @extend_schema(request=ReleaseSerializer, responses=RetentionHoldSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """The reason has ended: the recordings fall due at the next retention run."""
        hold = self.get_object()
        access.require_change(request.user, hold)
        payload = ReleaseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        hold = services.release_hold(hold, actor=request.user, note=payload.validated_data["note"])
        return Response(self.get_serializer(hold).data)


class RecordingPeriodSerializer(ScopedSerializer):
    class Meta:
        model = RecordingPeriod
        fields = ["id", "municipality", "camera", "starts_at", "ends_at", "due_at", "status",
                  "deleted_at", "retention_run"]


class RecordingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Recording periods and when each was deleted (written by `apply_retention`)."""

    serializer_class = RecordingPeriodSerializer
    filterset_fields = ["camera", "status"]

    def get_queryset(self):
        return RecordingPeriod.objects.visible_to(self.request.user)


class RetentionRunSerializer(ScopedSerializer):
    class Meta:
        model = RetentionRun
        fields = ["id", "municipality", "ran_at", "deleted", "kept", "late"]


class RetentionRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RetentionRunSerializer

    def get_queryset(self):
        return RetentionRun.objects.visible_to(self.request.user)


class RecordingAccessSerializer(ScopedSerializer):
    user = serializers.StringRelatedField()

    class Meta:
        model = RecordingAccess
        fields = ["id", "municipality", "camera", "kind", "starts_at", "ends_at", "user",
                  "accessed_at", "reason", "reference", "recipient"]
        read_only_fields = ["accessed_at"]


class RecordingAccessViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The log of viewings and exports: append-only. The person who views or exports records
    it (someone who may change the camera)."""

    serializer_class = RecordingAccessSerializer
    filterset_fields = ["camera", "kind"]

    def get_queryset(self):
        return RecordingAccess.objects.visible_to(self.request.user).select_related("user")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        access.require_change(self.request.user, data["camera"])
        serializer.instance = services.log_access(actor=self.request.user, **data)


class StillRequestSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = StillRequest
        fields = ["id", "municipality", "camera", "received_on", "requester", "recorded_at",
                  "place", "status", "due_on", "decided_on", "delivered_on", "refusal_reason",
                  "confidentiality", "restricted_to"]
        read_only_fields = ["status", "due_on", "decided_on", "delivered_on",
                            "refusal_reason"]


class StillDecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    refusal_reason = serializers.CharField(required=False, allow_blank=True, default="")


class StillRequestViewSet(ScopedViewSet):
    model = StillRequest
    serializer_class = StillRequestSerializer

    def create_object(self, data, municipality):
        return services.receive_still_request(actor=self.request.user,
                                              municipality=municipality, **data)

    @extend_schema(request=StillDecisionSerializer, responses=StillRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        item = self.get_object()
        access.require_change(request.user, item)
        payload = StillDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.decide_still_request(item, actor=request.user,
                                             grant=payload.validated_data["grant"],
                                             reason=payload.validated_data["refusal_reason"])
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None, responses=StillRequestSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        item = self.get_object()
        access.require_change(request.user, item)
        item = services.deliver_stills(item, actor=request.user)
        return Response(self.get_serializer(item).data)
