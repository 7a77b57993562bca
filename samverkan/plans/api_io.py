"""API endpoints to import and export an agreement's action plan.

- ``POST /api/v1/agreements/<id>/import-plan/`` (multipart: ``file``, optional ``dry_run``)
  answers the same JSON object as ``import_plan --json``: 200 when the file is good (imported,
  or checked when ``dry_run``), 400 with every bad row when not (nothing written).
- ``GET /api/v1/agreements/<id>/export-plan/?format=xlsx|docx|csv`` answers the file.

The same access rules as the pages: another municipality's agreement is 404; a reader may
export but not import (403).
"""
from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.agreements.models import Agreement
from samverkan.core import access
from samverkan.core.uploads import upload_validator

from .io import exporter
from .io.importer import import_plan

ImportResultSerializer = inline_serializer("PlanImportResult", fields={
    "focus_areas": serializers.IntegerField(),
    "activities": serializers.IntegerField(),
    "indicators": serializers.IntegerField(),
    "rows": serializers.IntegerField(),
    "errors": serializers.ListField(child=inline_serializer("PlanImportError", fields={
        "row": serializers.IntegerField(),
        "column": serializers.CharField(),
        "message": serializers.CharField(),
    })),
})


class PlanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[upload_validator(
        suffixes={".xlsx", ".xlsm", ".csv", ".txt"}, max_bytes=5 * 1024 * 1024)])
    dry_run = serializers.BooleanField(required=False, default=False)


def _agreement(request, pk) -> Agreement:
    return access.get_visible_or_404(Agreement.objects.select_related("municipality"),
                                     request.user, pk=pk)


class PlanImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": PlanUploadSerializer},
                   responses={200: ImportResultSerializer, 400: ImportResultSerializer},
                   summary="Import an action plan table (XLSX or CSV) into the agreement",
                   description="Any error: nothing is written and every bad row is listed "
                               "(400). With dry_run the file is only checked. Importing the "
                               "same file again changes nothing.")
    def post(self, request, pk):
        agreement = _agreement(request, pk)
        access.require_change(request.user, agreement)
        upload = PlanUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        result = import_plan(file, file.name, agreement=agreement, actor=request.user,
                             dry_run=upload.validated_data["dry_run"])
        return Response(result.to_json(),
                        status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


class PlanExportView(APIView):
    # ``?format=`` names the file format; DRF's own use of ``format`` (choosing a renderer)
    # is turned off by forcing the content negotiation.
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=list(exporter.FORMATS),
                                     description="xlsx (default), docx or csv")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        summary="Download the agreement's action plan",
        description="XLSX and CSV have the columns of the import (they import again to the "
                    "same plan); DOCX is a document for the council. Only what the user may "
                    "see is included.")
    def get(self, request, pk):
        agreement = _agreement(request, pk)
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in exporter.FORMATS:
            return Response({"format": [f"Use one of {', '.join(exporter.FORMATS)}."]},
                            status=status.HTTP_400_BAD_REQUEST)
        data = exporter.export_plan(agreement, fmt, user=request.user)
        response = HttpResponse(data, content_type=exporter.content_type(fmt))
        response["Content-Disposition"] = (
            f'attachment; filename="{exporter.filename(agreement, fmt)}"')
        return response


urlpatterns = [
    path("agreements/<int:pk>/import-plan/", PlanImportView.as_view(), name="plan-import"),
    path("agreements/<int:pk>/export-plan/", PlanExportView.as_view(), name="plan-export"),
]
