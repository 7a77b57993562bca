"""The meetings API: the same access rules and services as the pages."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from samverkan.agreements.models import FocusArea, SubGoal
from samverkan.core import access
from samverkan.core.api import ScopedSerializer, ScopedViewSet, VisiblePrimaryKeyRelatedField
from samverkan.organizations.models import Organization
from samverkan.plans.choices import ActivityStatus
from samverkan.plans.models import Activity

from . import services
from .agenda import propose_agenda
from .choices import ComplianceStatus
from .compliance import compliance_lines
from .filters import (
    ActionItemFilterSet,
    AgendaItemFilterSet,
    AttendanceFilterSet,
    ComplianceCheckFilterSet,
    DecisionFilterSet,
    MeetingFilterSet,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ComplianceChange,
    ComplianceCheck,
    Decision,
    Meeting,
)


class ParentOnCreateMixin:
    """The parent field is written on create and read-only afterwards."""

    parent_name: str = ""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and self.parent_name in fields:
            fields[self.parent_name].read_only = True
        return fields


# -- meetings -----------------------------------------------------------------------------------

class MeetingSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "forum"
    prefill_attendance = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text=_("List the forum's members as attendees (one audit entry each)."))
    with_proposed_agenda = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text=_("Start from the proposed agenda (one audit entry per item)."))

    class Meta:
        model = Meeting
        fields = ["id", "municipality", "forum", "title", "kind", "date", "start_time",
                  "end_time", "place", "status", "confidentiality", "restricted_to",
                  "prefill_attendance", "with_proposed_agenda"]


class ProposedItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    source = serializers.CharField()
    description = serializers.CharField()
    links = serializers.DictField(child=serializers.IntegerField())


class MeetingViewSet(ScopedViewSet):
    """Meetings of the agreements' forums. Create with `prefill_attendance` and
    `with_proposed_agenda` to get what the "new meeting" page does."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    parent_field = "forum"

    def get_queryset(self):
        return super().get_queryset().select_related("forum", "municipality")

    def create_object(self, data, municipality):
        return services.create_meeting(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("prefill_attendance", None)
        data.pop("with_proposed_agenda", None)
        return services.update_meeting(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_meeting(instance, actor=self.request.user)

    @extend_schema(request=None, responses=ProposedItemSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="proposed-agenda")
    def proposed_agenda(self, request, pk=None):
        """GET: the items the system proposes (not yet on the agenda). POST: add them."""
        meeting = self.get_object()
        if request.method == "POST":
            access.require_change(request.user, meeting)
            services.apply_proposed_agenda(meeting, actor=request.user)
            items = meeting.agenda_items.visible_to(request.user).order_by("order", "pk")
            return Response(AgendaItemSerializer(items, many=True,
                                                 context={"request": request}).data)
        return Response([{"title": p.title, "source": p.source, "description": p.description,
                          "links": {k: v.pk for k, v in p.links.items()}}
                         for p in propose_agenda(meeting)])


class MeetingChildViewSet(ScopedViewSet):
    """Records inside a meeting: created by those who may change the meeting."""

    parent_field = "meeting"

    def perform_create(self, serializer):
        meeting = serializer.validated_data.get("meeting")
        if meeting is None or not access.can_change(self.request.user, meeting):
            raise PermissionDenied
        super().perform_create(serializer)


# -- attendance ---------------------------------------------------------------------------------

class AttendanceSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "meeting"
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "municipality", "meeting", "member", "guest_name", "organization",
                  "present", "name", "confidentiality", "restricted_to"]


class AttendanceViewSet(MeetingChildViewSet):
    model = Attendance
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet

    def create_object(self, data, municipality):
        return services.add_attendance(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_attendance(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.remove_attendance(instance, actor=self.request.user)


# -- agenda -------------------------------------------------------------------------------------

class AgendaItemSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "meeting"

    class Meta:
        model = AgendaItem
        fields = ["id", "municipality", "meeting", "order", "title", "description", "minutes",
                  "source", "focus_area", "activity", "deviation", "followup_round",
                  "carried_action_item", "confidentiality", "restricted_to"]
        read_only_fields = ["source"]
        extra_kwargs = {"order": {"required": False}}


class AgendaItemViewSet(MeetingChildViewSet):
    model = AgendaItem
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilterSet

    def create_object(self, data, municipality):
        return services.add_agenda_item(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_agenda_item(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.remove_agenda_item(instance, actor=self.request.user)


# -- decisions ----------------------------------------------------------------------------------

class NewActivitySerializer(serializers.Serializer):
    """The activity a decision creates (see `plans.services.create_activity`)."""

    focus_area = VisiblePrimaryKeyRelatedField(queryset=FocusArea.objects.all())
    title = serializers.CharField(max_length=500)
    sub_goal = VisiblePrimaryKeyRelatedField(queryset=SubGoal.objects.all(),
                                                  required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    responsible_text = serializers.CharField(required=False, allow_blank=True)
    responsible_organizations = VisiblePrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False)
    timing_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    expected_effect = serializers.CharField(required=False, allow_blank=True)


class ActivityChangeSerializer(serializers.Serializer):
    """A change a decision makes to an existing activity."""

    activity = VisiblePrimaryKeyRelatedField(queryset=Activity.objects.all())
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    responsible_text = serializers.CharField(required=False, allow_blank=True)
    timing_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    expected_effect = serializers.CharField(required=False, allow_blank=True)


class DecisionSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "meeting"
    create_activity = NewActivitySerializer(write_only=True, required=False)
    change_activity = ActivityChangeSerializer(write_only=True, required=False)

    class Meta:
        model = Decision
        fields = ["id", "municipality", "meeting", "agenda_item", "text", "activity", "effect",
                  "activity_changes", "create_activity", "change_activity", "confidentiality",
                  "restricted_to"]
        read_only_fields = ["activity", "effect", "activity_changes"]

    def validate(self, attrs):
        if self.instance is not None and ("create_activity" in attrs
                                          or "change_activity" in attrs):
            raise serializers.ValidationError(
                _("A recorded decision's effect on the plan cannot be changed; record a new "
                  "decision."))
        return attrs


class DecisionViewSet(MeetingChildViewSet):
    """Decisions; `create_activity` or `change_activity` changes the plan in the same step."""

    model = Decision
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet

    def _require_visible(self, *objects):
        for obj in objects:
            if obj is not None and not access.can_view(self.request.user, obj):
                raise DjangoValidationError(_("Unknown record."))

    @transaction.atomic
    def create_object(self, data, municipality):
        user = self.request.user
        new = data.pop("create_activity", None)
        change = data.pop("change_activity", None)
        kwargs = {}
        if new:
            self._require_visible(new.get("focus_area"), new.get("sub_goal"),
                                  *new.get("responsible_organizations", []))
            if not access.can_create(user, municipality, Activity):
                raise PermissionDenied
            kwargs["create_activity"] = new
        if change:
            activity = change.pop("activity")
            self._require_visible(activity)
            access.require_change(user, activity)
            kwargs["change_activity"] = (activity, change)
        return services.record_decision(actor=user, **data, **kwargs)

    def update_object(self, instance, data):
        return services.update_decision(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_decision(instance, actor=self.request.user)


# -- action items -------------------------------------------------------------------------------

class ActionItemSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "meeting"

    class Meta:
        model = ActionItem
        fields = ["id", "municipality", "meeting", "agenda_item", "organization", "person",
                  "what", "due_date", "status", "confidentiality", "restricted_to"]


class ActionItemViewSet(MeetingChildViewSet):
    model = ActionItem
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet

    def create_object(self, data, municipality):
        return services.create_action_item(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.update_action_item(instance, actor=self.request.user, **data)

    def delete_object(self, instance):
        services.delete_action_item(instance, actor=self.request.user)


# -- compliance ---------------------------------------------------------------------------------

class ComplianceCheckSerializer(ParentOnCreateMixin, ScopedSerializer):
    parent_name = "agreement"
    checked_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ComplianceCheck
        fields = ["id", "municipality", "agreement", "key", "checked", "note", "checked_by",
                  "checked_at", "confidentiality", "restricted_to"]
        read_only_fields = ["checked_at"]
        validators = []  # one check per (agreement, key): a second POST updates it

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["key"].read_only = True
        return fields


class ComplianceCheckViewSet(ScopedViewSet):
    """Checkpoints of an agreement's compliance page ticked by hand (who and when is
    recorded)."""

    model = ComplianceCheck
    serializer_class = ComplianceCheckSerializer
    filterset_class = ComplianceCheckFilterSet
    parent_field = "agreement"

    def create_object(self, data, municipality):
        return services.set_compliance_check(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.setdefault("checked", instance.checked)
        data.setdefault("note", instance.note)
        return services.set_compliance_check(actor=self.request.user,
                                             agreement=instance.agreement, key=instance.key,
                                             **data)

    def delete_object(self, instance):
        services.delete_compliance_check(instance, actor=self.request.user)


# -- the compliance page ------------------------------------------------------------------------

class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="Link to the record in the web interface.")
    date = serializers.DateField(allow_null=True)
    is_example = serializers.BooleanField()


class ComplianceLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField(help_text="law, or one of Brå's five steps.")
    section_label = serializers.CharField()
    law = serializers.BooleanField(help_text="A duty under Lag (2023:196).")
    label = serializers.CharField()
    explanation = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplianceStatus.choices)
    summary = serializers.CharField()
    date = serializers.DateField(allow_null=True,
                                 help_text="When it was last done, where the records say.")
    from_data = serializers.BooleanField(
        help_text="Judged by a rule on the records; false: by a registered source or by hand.")
    supplier = serializers.CharField(
        help_text="For a checkpoint without a rule: the part of the system that will supply "
                  "its data.")
    sources = serializers.ListField(child=serializers.CharField(),
                                    help_text="Apps that supplied evidence.")
    quote = serializers.CharField(help_text="The verified words of the law, where quoted.")
    evidence = EvidenceSerializer(many=True)
    ticked_by = serializers.SerializerMethodField()
    tick_note = serializers.SerializerMethodField()

    def get_ticked_by(self, line) -> str:
        check = line.check
        if check is None or not check.checked or check.checked_by is None:
            return ""
        return check.checked_by.get_full_name() or check.checked_by.username

    def get_tick_note(self, line) -> str:
        return line.check.note if line.check is not None and line.check.checked else ""


class ComplianceSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement.pk")
    judged_on = serializers.DateField()
    interval_months = serializers.IntegerField(
        source="agreement.situation_picture_interval_months")
    interval_source = serializers.CharField(
        source="agreement.situation_picture_interval_source")
    lines = ComplianceLineSerializer(many=True)


class ComplianceChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.StringRelatedField()

    class Meta:
        model = ComplianceChange
        fields = ["id", "agreement", "key", "status", "changed_at", "reason", "changed_by"]
        read_only_fields = fields


class ComplianceViewSet(viewsets.ViewSet):
    """The compliance page of an agreement (the id is the agreement's): every checkpoint of
    Lag (2023:196) and Brå's five steps, judged on the records the caller may read."""

    lookup_value_regex = r"\d+"

    def _agreement(self, pk):
        from samverkan.agreements.models import Agreement

        return access.get_visible_or_404(Agreement, self.request.user, pk=pk)

    @extend_schema(responses=ComplianceSerializer)
    def retrieve(self, request, pk=None):
        agreement = self._agreement(pk)
        today = timezone.localdate()
        lines = compliance_lines(agreement, user=request.user, today=today)
        return Response(ComplianceSerializer(
            {"agreement": agreement, "judged_on": today, "lines": lines}).data)

    @extend_schema(responses=ComplianceChangeSerializer(many=True))
    @action(detail=True)
    def history(self, request, pk=None):
        agreement = self._agreement(pk)
        changes = ComplianceChange.objects.visible_to(request.user).filter(
            agreement=agreement).select_related("changed_by")[:500]
        return Response(ComplianceChangeSerializer(changes, many=True).data)
