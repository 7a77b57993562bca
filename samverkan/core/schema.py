"""The API schema's additions that hold for every viewset: optimistic locking (`ETag`,
`If-Match`, 412) on the records' detail, PUT, PATCH and DELETE operations; and every
operation's error answers (`document_error_responses`), so that a client (and the
schemathesis run, test_api_fuzz.py) knows every status code the API may give."""
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


# -- error answers ---------------------------------------------------------------------------

_ERROR = {"type": "object", "properties": {"detail": {"type": "string"}},
          "required": ["detail"], "description": "A refusal, with its reason in Swedish."}
_VALIDATION_ERROR = {
    "description": "The input was refused: per field (or `detail`, `non_field_errors`) a list of "
                   "messages in Swedish; nested input gives nested objects. A refusal that "
                   "names no field is a list of messages.",
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ]}
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"},
                                "description": "Seconds until a new request is accepted."}}
_WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string"},
                                          "description": "How to authenticate (Bearer)."}}
_ERRORS = {
    "400": ("ValidationError", "The input was refused (validation)."),
    "401": ("Error", "Not logged in, or the API token is unknown, expired or revoked."),
    "403": ("Error", "Not allowed: the role, the token's scope or a second factor is missing."),
    "404": ("Error", "No such record, or one the user may not read."),
    "429": ("Error", "Too many requests (API_THROTTLE_*): wait `Retry-After` seconds."),
}
_CONFLICT = ("Error", "The record is still used by others: remove or move those first.")


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation gets the answers the API gives
    when it refuses (400 with the validation error body, 401, 403, 404, 429, and 409 on a
    DELETE: a record still in use), each with its JSON body; answers a view documents itself
    are kept."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", _ERROR)
    schemas.setdefault("ValidationError", _VALIDATION_ERROR)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(_ERRORS)
            if method == "delete":
                errors["409"] = _CONFLICT
            responses = operation["responses"]
            for code, (component, description) in errors.items():
                if code in responses:
                    continue
                response = {"content": {"application/json": {"schema": {
                    "$ref": f"#/components/schemas/{component}"}}},
                    "description": description}
                if code == "429":
                    response["headers"] = dict(_RETRY_AFTER)
                elif code == "401":
                    response["headers"] = dict(_WWW_AUTHENTICATE)
                responses[code] = response
            operation["responses"] = dict(sorted(responses.items()))
    return result
