"""REST API of the follow-up cycle: rounds, activity reports, deviations, reminders.
Same access rules and services as the pages; contributors write only their own
organisation's reports."""
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets

from samverkan.core.api import ScopedSerializer, ScopedViewSet

from . import services
from .choices import DeviationKind
from .filters import ActivityReportFilterSet, DeviationFilterSet, RoundFilterSet
from .models import ActivityReport, Deviation, FollowUpRound, Reminder


class RoundSerializer(ScopedSerializer):
    class Meta:
        model = FollowUpRound
        fields = ["id", "municipality", "agreement", "kind", "label", "period_start",
                  "period_end", "due_date", "forum", "status", "source_entry", "plan_key",
                  "note", "closed_at", "confidentiality", "restricted_to"]
        read_only_fields = ["status", "source_entry", "plan_key", "closed_at"]
        extra_kwargs = {"due_date": {"required": False}}


class RoundViewSet(ScopedViewSet):
    """Follow-up rounds. `status` is read only here (the round page opens, closes and
    cancels); DELETE works only for a round without reports."""

    model = FollowUpRound
    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    parent_field = "agreement"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "municipality")

    def create_object(self, data, municipality):
        agreement = data.pop("agreement")
        if not data.get("restricted_to"):
            data.pop("restricted_to", None)
        return services.add_round(actor=self.request.user, agreement=agreement, **data)

    def update_object(self, instance, data):
        return services.update_round(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_round(instance, actor=self.request.user)


class DeviationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeviationKind.choices)
    reason = serializers.CharField()
    proposed_action = serializers.CharField(required=False, allow_blank=True)


class MeasurementInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    measured_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class ActivityReportSerializer(ScopedSerializer):
    deviation = DeviationInputSerializer(write_only=True, required=False)
    measurements = MeasurementInputSerializer(many=True, write_only=True, required=False)

    class Meta:
        model = ActivityReport
        fields = ["id", "municipality", "round", "activity", "organization", "status",
                  "what_was_done", "collaborated_with", "effects_seen", "hours", "cost",
                  "submitted_at", "submitted_by", "deviation", "measurements"]
        read_only_fields = ["submitted_at", "submitted_by"]
        # One report per round, activity and organisation: a second POST rewrites it.
        validators = []


class ActivityReportViewSet(ScopedViewSet):
    """Activity reports. POST writes (or rewrites) the report of `organization` on `activity`
    in `round`; a contributor may only write for their own organisation (403 otherwise). A
    yellow or red status needs `deviation` {kind, reason, proposed_action}."""

    model = ActivityReport
    serializer_class = ActivityReportSerializer
    filterset_class = ActivityReportFilterSet
    parent_field = "round"

    def get_queryset(self):
        return super().get_queryset().select_related("round", "activity", "organization")

    def _measurements(self, rows, activity):
        from django.core.exceptions import ValidationError

        from samverkan.plans.models import Indicator

        result = []
        for row in rows or []:
            indicator = Indicator.objects.visible_to(self.request.user).filter(
                pk=row["indicator"], activity=activity).first()
            if indicator is None:
                raise ValidationError({"measurements": _("The indicator belongs to another "
                                                         "activity.")})
            result.append({**row, "indicator": indicator})
        return result

    def create_object(self, data, municipality):
        measurements = self._measurements(data.pop("measurements", None), data["activity"])
        return services.submit_report(
            actor=self.request.user, round=data.pop("round"), activity=data.pop("activity"),
            organization=data.pop("organization"), deviation=data.pop("deviation", None),
            measurements=measurements, **data)

    def update_object(self, instance, data):
        for name in ("round", "activity", "organization"):
            data.pop(name, None)
        measurements = self._measurements(data.pop("measurements", None), instance.activity)
        report = services.update_report(instance, actor=self.request.user, **data)
        for row in measurements:
            services._add_report_measurement(self.request.user, instance.activity, row)
        return report

    def delete_object(self, instance):
        services.delete_report(instance, actor=self.request.user)


class DeviationSerializer(ScopedSerializer):
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = Deviation
        fields = ["id", "municipality", "activity", "report", "kind", "reason",
                  "proposed_action", "opened_on", "resolved_on", "resolution", "age_days",
                  "confidentiality", "restricted_to"]

    def get_age_days(self, obj) -> int:
        return obj.age_days()


class DeviationViewSet(ScopedViewSet):
    """Deviations: open until `resolved_on` and `resolution` are set."""

    model = Deviation
    serializer_class = DeviationSerializer
    filterset_class = DeviationFilterSet
    parent_field = "activity"

    def get_queryset(self):
        return super().get_queryset().select_related("activity")

    def create_object(self, data, municipality):
        if not data.get("restricted_to"):
            data.pop("restricted_to", None)
        return services.raise_deviation(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_deviation(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_deviation(instance, actor=self.request.user)


class ReminderSerializer(ScopedSerializer):
    class Meta:
        model = Reminder
        fields = ["id", "municipality", "round", "activity", "organization", "kind",
                  "recipient", "sent_at"]


class ReminderViewSet(viewsets.ReadOnlyModelViewSet):
    """Reminders sent by `samverkan send_reminders` (read only)."""

    serializer_class = ReminderSerializer

    def get_queryset(self):
        return Reminder.objects.visible_to(self.request.user).select_related("round")
