import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, Forum
from samverkan.core.filters import ScopedFilterSet

from .choices import ActionItemStatus, MeetingStatus
from .models import ActionItem, AgendaItem, Attendance, ComplianceCheck, Decision, Meeting


class MeetingFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        field_name="forum__agreement", queryset=Agreement.objects.all(), label=_("Agreement"))
    forum = django_filters.ModelChoiceFilter(queryset=Forum.objects.all(), label=_("Forum"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    when = django_filters.ChoiceFilter(
        method="filter_when", label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))])

    class Meta:
        model = Meeting
        fields = ["agreement", "forum", "status", "when"]

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(date__gte=today)
        if value == "past":
            return queryset.filter(date__lt=today)
        return queryset


class AgendaItemFilterSet(ScopedFilterSet):
    class Meta:
        model = AgendaItem
        fields = ["meeting", "activity", "deviation", "followup_round"]


class AttendanceFilterSet(ScopedFilterSet):
    forum = django_filters.NumberFilter(field_name="meeting__forum")

    class Meta:
        model = Attendance
        fields = ["meeting", "forum", "organization", "present"]


class DecisionFilterSet(ScopedFilterSet):
    class Meta:
        model = Decision
        fields = ["meeting", "activity", "effect"]


class ActionItemFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices, label=_("Status"))
    forum = django_filters.NumberFilter(field_name="meeting__forum")

    class Meta:
        model = ActionItem
        fields = ["meeting", "forum", "organization", "status"]


class ComplianceCheckFilterSet(ScopedFilterSet):
    class Meta:
        model = ComplianceCheck
        fields = ["agreement", "key", "checked"]
