"""``GET /api/v1/situation/emerging-hotspots/``: the emerging hot spots of a municipality's
incidents that the requesting user may see, with the command's JSON contract."""
from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.analysis import CATEGORIES
from samverkan.core import access

from . import emerging, picture


class EmergingCellSerializer(serializers.Serializer):
    x = serializers.FloatField(help_text="South-west corner, SWEREF 99 TM (m)")
    y = serializers.FloatField(help_text="South-west corner, SWEREF 99 TM (m)")
    lat = serializers.FloatField(help_text="Centre, WGS 84")
    lon = serializers.FloatField(help_text="Centre, WGS 84")
    category = serializers.ChoiceField(choices=CATEGORIES)
    trend_z = serializers.FloatField()
    trend_p = serializers.FloatField()


class EmergingSerializer(serializers.Serializer):
    cells = EmergingCellSerializer(many=True)
    periods = serializers.IntegerField()
    meaningful = serializers.BooleanField()
    message = serializers.CharField(allow_null=True)


def _date(request, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.query_params.get(name, ""))
    except ValueError:
        raise ValidationError({name: _("Give a date as YYYY-MM-DD.")}) from None


class EmergingHotspotsView(APIView):
    """Emerging hot spots (Gi* per week or month and the Mann-Kendall trend; see
    docs/situation-picture.md) of the incidents the user may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", OpenApiTypes.STR, required=True),
            OpenApiParameter("period", OpenApiTypes.STR, enum=list(emerging.PERIOD_KINDS),
                             required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("cell_size", OpenApiTypes.INT, enum=list(picture.CELL_SIZES)),
            OpenApiParameter("category", OpenApiTypes.STR, many=True, enum=list(CATEGORIES)),
        ],
        responses=EmergingSerializer)
    def get(self, request):
        code = request.query_params.get("municipality", "")
        municipality = access.user_municipalities(request.user).filter(code=code).first()
        if municipality is None:
            raise Http404
        kind = request.query_params.get("period", "")
        if kind not in emerging.PERIOD_KINDS:
            raise ValidationError({"period": _("Choose week or month.")})
        first, last = _date(request, "from"), _date(request, "to")
        if last < first:
            raise ValidationError({"to": _("The end is before the start.")})
        if (last - first).days > 366 * 10:
            raise ValidationError({"to": _("At most ten years at a time.")})
        try:
            cell = int(request.query_params.get("cell_size", picture.DEFAULT_CELL_SIZE))
        except ValueError:
            cell = -1
        if cell not in picture.CELL_SIZES:
            raise ValidationError({"cell_size": _("Choose one of %(sizes)s metres.") % {
                "sizes": ", ".join(str(s) for s in picture.CELL_SIZES)}})
        categories = request.query_params.getlist("category")
        unknown = [c for c in categories if c not in CATEGORIES]
        if unknown:
            raise ValidationError({"category": _("Unknown category: %(names)s.") % {
                "names": ", ".join(unknown)}})
        em = emerging.emerging(picture.incidents_for(request.user, municipality), kind, first,
                               last, cell)
        rows = emerging.cells_with_position(em, categories or None)
        return Response({
            "cells": [{"x": r["cell"].x, "y": r["cell"].y, "lat": round(r["lat"], 6),
                       "lon": round(r["lon"], 6), "category": r["cell"].category,
                       "trend_z": round(r["cell"].trend_z, 4),
                       "trend_p": round(r["cell"].trend_p, 6)} for r in rows],
            "periods": em.result.n_periods, "meaningful": em.result.meaningful,
            "message": em.result.message})
