"""The participation API: safety walks and observations (with photos and the protocol),
dialogues and concerns, pledges and their follow-up; the same access rules as the pages."""
from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from samverkan.core import access
from samverkan.core.api import MunicipalityField, ScopedSerializer, ScopedViewSet
from samverkan.core.documents import file_response

from . import services
from .filters import (
    ConcernFilterSet,
    DialogueFilterSet,
    ObservationFilterSet,
    PledgeFilterSet,
    PledgeFollowUpFilterSet,
    SafetyWalkFilterSet,
)
from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk
from .protocol import build_protocol


class _ParentOnCreate:
    parent_name = ""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and self.parent_name in fields:
            fields[self.parent_name].read_only = True
        return fields


class SafetyWalkSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = SafetyWalk
        fields = ["id", "municipality", "title", "area", "route", "starts_at", "light",
                  "organisers", "invited", "participant_count", "pre_meeting", "activity",
                  "status", "summary", "published_on", "confidentiality", "restricted_to"]


class ObservationSerializer(_ParentOnCreate, ScopedSerializer):
    parent_name = "walk"
    client_key = serializers.CharField(
        required=False, allow_blank=True, max_length=64, write_only=True,
        help_text=_("A key the phone makes per observation: sent again, it creates nothing."))
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = ["id", "municipality", "walk", "category", "text", "lat", "lon", "place",
                  "photo_url", "measure", "responsible_organization", "responsible_text",
                  "deadline", "status", "rejection_reason", "client_key", "confidentiality",
                  "restricted_to"]
        # The key is optional; the service returns the first observation for a repeated key.
        validators: list = []

    def get_photo_url(self, obj) -> str | None:
        if not obj.photo:
            return None
        from django.urls import reverse

        return reverse("participation:observation_photo", args=[obj.pk])


class DialogueSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Dialogue
        fields = ["id", "municipality", "title", "held_on", "area", "participants",
                  "organiser", "summary", "confidentiality", "restricted_to"]


class ConcernSerializer(_ParentOnCreate, ScopedSerializer):
    parent_name = "dialogue"

    class Meta:
        model = Concern
        fields = ["id", "municipality", "dialogue", "category", "text", "place", "lat", "lon",
                  "activity", "confidentiality", "restricted_to"]


class PledgeSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Pledge
        fields = ["id", "municipality", "title", "period_start", "period_end", "problem",
                  "police_promise", "municipality_promise", "focus_areas", "activities",
                  "signatories", "signed_on", "source", "confidentiality", "restricted_to"]


class PledgeFollowUpSerializer(_ParentOnCreate, ScopedSerializer):
    parent_name = "pledge"

    class Meta:
        model = PledgeFollowUp
        fields = ["id", "municipality", "pledge", "period", "round", "reported_on",
                  "progress", "text", "reported_to_residents", "confidentiality",
                  "restricted_to"]


class PhotoSerializer(serializers.Serializer):
    photo = serializers.FileField()


class SafetyWalkViewSet(ScopedViewSet):
    """Safety walks: area, route, time, light, organisers, invited, the pre-meeting, the plan
    activity it carries out; `protocol` answers the protocol as DOCX or PDF."""
    model = SafetyWalk
    serializer_class = SafetyWalkSerializer
    filterset_class = SafetyWalkFilterSet

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["docx", "pdf"])],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   summary="The walk's protocol as DOCX or PDF")
    @action(detail=True, methods=["get"], url_path="protocol")
    def protocol(self, request, pk=None):
        walk = self.get_object()
        fmt = request.query_params.get("format", "docx")
        if fmt not in ("docx", "pdf"):
            raise Http404
        observations = list(Observation.objects.visible_to(request.user).filter(
            walk=walk).select_related("responsible_organization"))
        doc = build_protocol(walk, observations)
        data = doc.to_docx() if fmt == "docx" else doc.to_pdf()
        return file_response(data, f"trygghetsvandring-{walk.pk}.{fmt}", fmt)

    def perform_content_negotiation(self, request, force=False):
        # ``?format=`` names the protocol's file format, not a renderer.
        return super().perform_content_negotiation(request, force=True)


class ObservationViewSet(ScopedViewSet):
    """Observations of a safety walk with their measure, responsible, deadline and status;
    a repeated `client_key` returns the first observation and writes nothing."""
    model = Observation
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    parent_field = "walk"

    def create_object(self, data, municipality):
        walk = data.pop("walk")
        return services.add_observation(actor=self.request.user, walk=walk, **data)

    def update_object(self, instance, data):
        data.pop("client_key", None)
        return services.update_observation(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_observation(instance, actor=self.request.user)

    @extend_schema(request={"multipart/form-data": PhotoSerializer},
                   responses=ObservationSerializer,
                   summary="Attach a photo (resized, location and camera data removed)")
    @action(detail=True, methods=["post"], url_path="photo",
            parser_classes=[MultiPartParser, FormParser])
    def photo(self, request, pk=None):
        observation = self.get_object()
        access.require_change(request.user, observation)
        body = PhotoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_photo(observation, actor=request.user,
                           data=body.validated_data["photo"].read())
        return Response(ObservationSerializer(observation,
                                              context=self.get_serializer_context()).data)


class DialogueViewSet(ScopedViewSet):
    """Citizen dialogues: date, area, participants, organiser."""
    model = Dialogue
    serializer_class = DialogueSerializer
    filterset_class = DialogueFilterSet


class ConcernViewSet(ScopedViewSet):
    """Concerns raised in a citizen dialogue, with category and place."""
    model = Concern
    serializer_class = ConcernSerializer
    filterset_class = ConcernFilterSet
    parent_field = "dialogue"


class PledgeViewSet(ScopedViewSet):
    """Citizen pledges: the local problem, what the police and the municipality promise,
    focus areas, activities, signatories."""
    model = Pledge
    serializer_class = PledgeSerializer
    filterset_class = PledgeFilterSet


class PledgeFollowUpViewSet(ScopedViewSet):
    """The follow-up of a pledge per period, and whether it is reported back to residents."""
    model = PledgeFollowUp
    serializer_class = PledgeFollowUpSerializer
    filterset_class = PledgeFollowUpFilterSet
    parent_field = "pledge"


