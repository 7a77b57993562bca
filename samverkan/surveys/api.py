"""The surveys API: surveys, their results, the index bands, imports of result files and a
result recorded as an indicator's measurement. The same access rules as the pages."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from samverkan.core import access
from samverkan.core.api import (
    MunicipalityField,
    ScopedSerializer,
    ScopedViewSet,
    VisiblePrimaryKeyRelatedField,
)
from samverkan.core.uploads import upload_validator
from samverkan.jobs.api import JobSerializer
from samverkan.plans.models import Indicator

from . import jobs as survey_jobs
from . import services
from .filters import SurveyFilterSet, SurveyResultFilterSet
from .models import IndexBands, Survey, SurveyResult, band_limits


class SurveySerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = Survey
        fields = ["id", "municipality", "name", "source", "year", "areas", "invited",
                  "answered", "description", "scoring", "is_index", "confidentiality",
                  "restricted_to"]


class SurveyResultSerializer(ScopedSerializer):
    band = serializers.SerializerMethodField()
    uncertain = serializers.BooleanField(read_only=True, help_text=_(
        "Fewer than 30 answers: the figure is uncertain."))

    class Meta:
        model = SurveyResult
        fields = ["id", "municipality", "survey", "origin", "area", "question", "dimension",
                  "group", "value", "percentage", "n", "ci_low", "ci_high", "distribution",
                  "band", "uncertain", "confidentiality", "restricted_to"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and "survey" in fields:
            fields["survey"].read_only = True
        return fields

    def get_band(self, obj) -> str | None:
        cache = self.context.setdefault("_limits", {})
        if obj.municipality_id not in cache:
            cache[obj.municipality_id] = band_limits(obj.municipality_id)
        return obj.band(cache[obj.municipality_id])


class IndexBandsSerializer(ScopedSerializer):
    municipality = MunicipalityField()

    class Meta:
        model = IndexBands
        fields = ["id", "municipality", "attention_from", "act_from", "confidentiality",
                  "restricted_to"]


class SurveyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[upload_validator()])
    kind = serializers.ChoiceField(choices=[("respondents", _("Respondents' answers")),
                                            ("aggregated", _("Aggregated results"))],
                                   default="respondents")
    dry_run = serializers.BooleanField(required=False, default=False)


class MeasurementRequestSerializer(serializers.Serializer):
    indicator = VisiblePrimaryKeyRelatedField(queryset=Indicator.objects.all())
    measured_on = serializers.DateField(required=False)


class SurveyViewSet(ScopedViewSet):
    """Safety surveys (the police's trygghetsmätning, citizen, school and property owners'
    surveys); `import` reads their results from a file in a background job."""
    model = Survey
    serializer_class = SurveySerializer
    filterset_class = SurveyFilterSet

    def create_object(self, data, municipality):
        return services.create_survey(actor=self.request.user, municipality=municipality,
                                      **data)

    @extend_schema(
        request={"multipart/form-data": SurveyUploadSerializer},
        responses={202: JobSerializer},
        summary="Import a survey's results (respondents' answers or aggregated; in the "
                "background)",
        description="The file is stored and read by a background job, the same job as the "
                    "import on the survey's page. Answers 202 with the job; `GET "
                    "/api/v1/jobs/<id>/` tells its progress and, when it is done, its `result`: "
                    "`rows`, `created`, `unchanged`, `dry_run`, `errors` (`row`, `column`, "
                    "`message`; at most 1,000, all counted in `error_count`) and "
                    "`error_summary`. All or nothing: any bad row and nothing is written. "
                    "The same file again changes nothing. With `dry_run` the file is only "
                    "checked.")
    @action(detail=True, methods=["post"], url_path="import",
            parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request, pk=None):
        survey = self.get_object()
        access.require_change(request.user, survey)
        upload = SurveyUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        dry_run = upload.validated_data["dry_run"]
        job = survey_jobs.start_import(
            actor=request.user, survey=survey, path=survey_jobs.store_upload(file),
            name=file.name[:200], kind=upload.validated_data["kind"], dry_run=dry_run,
            keep_checked_file=False)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SurveyResultViewSet(ScopedViewSet):
    """A survey's figures: the index (or mean) per question, area and group, an area's total
    (empty question), with n, the 95 % interval, the band and whether it is uncertain."""
    model = SurveyResult
    serializer_class = SurveyResultSerializer
    filterset_class = SurveyResultFilterSet
    parent_field = "survey"

    def get_queryset(self):
        return super().get_queryset().select_related("survey")

    @extend_schema(request=MeasurementRequestSerializer,
                   responses={201: inline_serializer("RecordedMeasurement", fields={
                       "id": serializers.IntegerField(),
                       "indicator": serializers.IntegerField(),
                       "measured_on": serializers.DateField(),
                       "value": serializers.DecimalField(max_digits=14, decimal_places=4)})},
                   summary="Record the result as a measurement of an indicator of the plan")
    @action(detail=True, methods=["post"], url_path="record-measurement")
    def record_measurement(self, request, pk=None):
        result = self.get_object()
        body = MeasurementRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        indicator = body.validated_data["indicator"]
        from samverkan.plans import services as plans

        if not plans.may_add_measurement(request.user, indicator):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        measurement = services.record_as_measurement(
            result, actor=request.user, indicator=indicator,
            measured_on=body.validated_data.get("measured_on"))
        return Response({"id": measurement.pk, "indicator": indicator.pk,
                         "measured_on": measurement.measured_on, "value": measurement.value},
                        status=status.HTTP_201_CREATED)


class IndexBandsViewSet(ScopedViewSet):
    """A municipality's limits of the index bands (default 2 and 4)."""
    model = IndexBands
    serializer_class = IndexBandsSerializer
