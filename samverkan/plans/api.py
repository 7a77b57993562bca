"""API of the action plan: activities (with their contributions), contributions, indicators
and measurements. Same access rules, services and filters as the pages."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import serializers

from samverkan.core import access
from samverkan.core.api import ExampleFieldMixin, ScopedSerializer, ScopedViewSet
from samverkan.core.choices import Role
from samverkan.organizations.models import Organization

from . import services
from .filters import (
    ActivityFilterSet,
    ContributionFilterSet,
    IndicatorFilterSet,
    MeasurementFilterSet,
)
from .models import Activity, Contribution, Indicator, Measurement


class VisibleOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organisation the requesting user can see (also inside nested serializers, whose
    fields are built before the request is known)."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return Organization.objects.none()
        return Organization.objects.visible_to(user)


class NestedContributionSerializer(ExampleFieldMixin, serializers.ModelSerializer):
    """A contribution inside an activity. On update, give `id` to change an existing one;
    leave it out to add one; contributions left out of the list are deleted."""

    id = serializers.IntegerField(required=False)
    organization = VisibleOrganizationField(required=False, allow_null=True)
    committees = VisibleOrganizationField(many=True, required=False)
    restricted_to = VisibleOrganizationField(many=True, required=False)

    class Meta:
        model = Contribution
        fields = ["id", "party", "text", "organization", "committees", "confidentiality",
                  "restricted_to"]


class ActivitySerializer(ScopedSerializer):
    agreement = serializers.PrimaryKeyRelatedField(read_only=True)
    contributions = NestedContributionSerializer(many=True, required=False)

    class Meta:
        model = Activity
        fields = ["id", "municipality", "agreement", "focus_area", "sub_goal", "title",
                  "description", "cause", "goal", "status", "kind", "contributions",
                  "responsible_text", "responsible_organizations", "timing_text", "start_date",
                  "end_date", "expected_effect", "communication", "priority_areas",
                  "areas_text", "confidentiality", "restricted_to"]
        extra_kwargs = {"responsible_organizations": {"required": False}}


class ContributionSerializer(ScopedSerializer):
    class Meta:
        model = Contribution
        fields = ["id", "municipality", "activity", "party", "text", "organization",
                  "committees"]
        extra_kwargs = {"committees": {"required": False}}


class IndicatorSerializer(ScopedSerializer):
    agreement = serializers.PrimaryKeyRelatedField(read_only=True)
    progress = serializers.SerializerMethodField(
        help_text="Target attainment of the latest value: 0 at the baseline, 1 at the target, "
                  "negative when it went the wrong way.")
    latest_value = serializers.SerializerMethodField(
        help_text="The latest measured value.")

    class Meta:
        model = Indicator
        fields = ["id", "municipality", "agreement", "focus_area", "sub_goal", "activity",
                  "name", "goal_kind", "unit", "scale_min", "scale_max", "baseline_value",
                  "baseline_text", "baseline_date", "target_value", "target_text",
                  "target_date", "direction", "data_source", "progress", "latest_value",
                  "confidentiality", "restricted_to"]

    def get_progress(self, obj) -> float | None:
        latest = services.latest_measurement(obj)
        return obj.progress(latest.value) if latest is not None else None

    def get_latest_value(self, obj) -> str | None:
        latest = services.latest_measurement(obj)
        return str(latest.value) if latest is not None else None


class MeasurementSerializer(ScopedSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "municipality", "indicator", "measured_on", "value", "note", "source"]


def _require_coordinator(user, obj) -> None:
    if not access.has_role(user, obj.municipality_id, Role.COORDINATOR):
        raise PermissionDenied


class ActivityViewSet(ScopedViewSet):
    """Activities with each party's contribution (writable as a nested list)."""

    model = Activity
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    parent_field = "focus_area"

    def get_queryset(self):
        from .views import with_plan_details

        return with_plan_details(super().get_queryset()).prefetch_related("restricted_to")

    def create_object(self, data, municipality):
        return services.create_activity(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_activity(instance, actor=self.request.user, **data)

    def perform_destroy(self, instance):
        access.require_change(self.request.user, instance)
        _require_coordinator(self.request.user, instance)
        services.delete_activity(instance, actor=self.request.user)


class ContributionViewSet(ScopedViewSet):
    model = Contribution
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilterSet
    parent_field = "activity"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("committees")

    def create_object(self, data, municipality):
        if not services.may_add_contribution(self.request.user, data["activity"]):
            raise PermissionDenied
        return services.create_contribution(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_contribution(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_contribution(instance, actor=self.request.user)


class IndicatorViewSet(ScopedViewSet):
    """Indicators with baseline, target, the latest value and the share of the way."""

    model = Indicator
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related("measurements", "restricted_to")

    def creation_municipality(self, data):
        subject = data.get("activity") or data.get("sub_goal") or data.get("focus_area")
        if subject is None:
            raise serializers.ValidationError({"focus_area": [_(
                "An indicator belongs to a focus area, a sub-goal or an activity.")]})
        return subject.municipality

    def create_object(self, data, municipality):
        return services.create_indicator(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_indicator(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_indicator(instance, actor=self.request.user)


class MeasurementViewSet(ScopedViewSet):
    model = Measurement
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    parent_field = "indicator"

    def create_object(self, data, municipality):
        if not services.may_add_measurement(self.request.user, data["indicator"]):
            raise PermissionDenied
        return services.add_measurement(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_measurement(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_measurement(instance, actor=self.request.user)
