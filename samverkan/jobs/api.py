"""``GET /api/v1/jobs/<id>/``: a background job's status, progress and result (the same rule as
the job page: the user's own jobs, and a coordinator's municipality's jobs)."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Job


class JobSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality_id", allow_null=True)
    started_by = serializers.CharField(source="started_by.get_username", allow_null=True,
                                       default=None)
    label = serializers.CharField()

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "municipality", "started_by", "status", "progress",
                  "message", "result", "error", "attempts", "created_at", "started_at",
                  "finished_at"]
        read_only_fields = fields


class JobView(APIView):
    @extend_schema(responses=JobSerializer, summary="A background job: status, progress, result")
    def get(self, request, pk: int):
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
        return Response(JobSerializer(job).data)
