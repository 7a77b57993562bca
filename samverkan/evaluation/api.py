"""API: computed indicators (their definition and values) and activity evaluations (with
the result for the requesting user). Same access rules and services as the pages."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samverkan.core.api import ScopedSerializer, ScopedViewSet, VisiblePrimaryKeyRelatedField
from samverkan.plans.models import Activity, Indicator

from . import services
from .computed import evaluate
from .models import ActivityEvaluation, IndicatorDefinition, IndicatorValue, source_choices


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["period_start", "period_end", "count", "population", "value", "ci_low",
                  "ci_high", "complete"]


class IndicatorDefinitionSerializer(ScopedSerializer):
    indicator = VisiblePrimaryKeyRelatedField(queryset=Indicator.objects.all())
    sources = serializers.ListField(
        child=serializers.ChoiceField(choices=source_choices()), required=False)
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorDefinition
        fields = ["id", "municipality", "indicator", "categories", "sources", "area", "period",
                  "measure", "computed_at", "values"]
        read_only_fields = ["computed_at"]


class IndicatorDefinitionViewSet(ScopedViewSet):
    """An action-plan indicator computed from the incidents; its values per period with the
    exact Poisson 95 % interval (``ci_low``, ``ci_high``)."""

    model = IndicatorDefinition
    serializer_class = IndicatorDefinitionSerializer
    parent_field = "indicator"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("values", "categories")

    def create_object(self, data, municipality):
        indicator = data.pop("indicator")
        return services.save_definition(indicator, actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("indicator", None)
        return services.save_definition(instance.indicator, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_definition(instance, actor=self.request.user)


class ActivityEvaluationSerializer(ScopedSerializer):
    activity = VisiblePrimaryKeyRelatedField(queryset=Activity.objects.all())
    sources = serializers.ListField(
        child=serializers.ChoiceField(choices=source_choices()), required=False)
    result = serializers.SerializerMethodField()

    class Meta:
        model = ActivityEvaluation
        fields = ["id", "municipality", "activity", "area", "comparison_area", "start_date",
                  "end_date", "buffer_m", "categories", "sources", "result"]

    @extend_schema_field(serializers.JSONField())
    def get_result(self, obj) -> dict:
        """Counts and verdicts for the requesting user's visible incidents."""
        ev = evaluate(obj, self.context["request"].user)
        out = {"problem": ev.problem or None, "verdict_text": ev.verdict_text,
               "displacement_text": ev.displacement_text}
        if ev.windows:
            out["windows"] = [d.isoformat() for d in ev.windows]
        if ev.effect is not None:
            e = ev.effect
            out["effect"] = {k: getattr(e, k) for k in (
                "target_before", "target_after", "comparison_before", "comparison_after",
                "expected_after", "relative_effect", "relative_low", "relative_high",
                "difference", "difference_low", "difference_high", "did", "did_low",
                "did_high", "p", "significant", "verdict")}
        if ev.displacement is not None:
            d = ev.displacement
            out["displacement"] = {k: getattr(d, k) for k in (
                "buffer_before", "buffer_after", "success_measure", "buffer_measure", "wdq",
                "buffer_relative", "buffer_low", "buffer_high", "p", "verdict")}
        return out


class ActivityEvaluationViewSet(ScopedViewSet):
    """Did the activity work: its area before and after the start against a comparison area
    (difference in differences), and displacement to a buffer zone (WDQ)."""

    model = ActivityEvaluation
    serializer_class = ActivityEvaluationSerializer
    parent_field = "activity"

    def create_object(self, data, municipality):
        activity = data.pop("activity")
        return services.save_evaluation(activity, actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("activity", None)
        return services.save_evaluation(instance.activity, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_evaluation(instance, actor=self.request.user)
