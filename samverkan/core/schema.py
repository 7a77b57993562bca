"""The API schema's additions that hold for every viewset: optimistic locking (`ETag`,
`If-Match`, 412) on the records' detail, PUT, PATCH and DELETE operations."""
from __future__ import annotations

from django.conf import settings
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

_VERSIONED_ACTIONS = {"retrieve", "update", "partial_update", "destroy"}

class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class StaleVersionSerializer(serializers.Serializer):
    """The answer 412: the record changed since the version in If-Match; nothing was
    written."""

    detail = serializers.CharField(help_text="What happened, in Swedish.")
    current_version = serializers.CharField(help_text="The record's version now (its ETag).")
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField(allow_null=True)
    changes = ChangeSerializer(many=True, help_text=(
        "Field by field, what changed since the version in If-Match (empty when the audit "
        "log no longer holds that version)."))


class AutoSchema(SpectacularAutoSchema):
    def _versioned(self) -> bool:
        from .api import VersionedUpdateMixin

        return isinstance(self.view, VersionedUpdateMixin) and \
            getattr(self.view, "action", None) in _VERSIONED_ACTIONS

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if not self._versioned():
            return parameters
        action = self.view.action
        if action != "retrieve":
            parameters.append(OpenApiParameter(
                "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
                required=getattr(settings, "API_REQUIRE_IF_MATCH", False),
                description="The record's version as read (its ETag). When the record has "
                            "changed since, nothing is written and the answer is 412 with "
                            "what changed. Without it the write goes through (optimistic "
                            "locking is then the client's choice)."))
        if action != "destroy":
            parameters.append(OpenApiParameter(
                "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                description="The record's version: send it back in If-Match with a PUT, "
                            "PATCH or DELETE."))
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._versioned() and self.view.action != "retrieve":
            responses["412"] = self._get_response_for_code(StaleVersionSerializer, "412",
                                                           direction=direction)
            if getattr(settings, "API_REQUIRE_IF_MATCH", False):
                responses["428"] = {"description": "If-Match is required."}
        return responses
