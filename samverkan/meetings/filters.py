import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement, Forum

from .choices import ActionItemStatus, MeetingStatus
from .models import ActionItem, AgendaItem, Attendance, ComplianceCheck, Decision, Meeting


def _visible(model):
    def queryset(request):
        user = getattr(request, "user", None)
        return model.objects.visible_to(user) if user is not None else model.objects.none()
    return queryset


class MeetingFilterSet(django_filters.FilterSet):
    agreement = django_filters.ModelChoiceFilter(
        field_name="forum__agreement", queryset=_visible(Agreement), label=_("Agreement"))
    forum = django_filters.ModelChoiceFilter(queryset=_visible(Forum), label=_("Forum"))
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


class AgendaItemFilterSet(django_filters.FilterSet):
    class Meta:
        model = AgendaItem
        fields = ["meeting", "activity", "deviation", "followup_round"]


class AttendanceFilterSet(django_filters.FilterSet):
    forum = django_filters.NumberFilter(field_name="meeting__forum")

    class Meta:
        model = Attendance
        fields = ["meeting", "forum", "organization", "present"]


class DecisionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Decision
        fields = ["meeting", "activity", "effect"]


class ActionItemFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionItemStatus.choices, label=_("Status"))
    forum = django_filters.NumberFilter(field_name="meeting__forum")

    class Meta:
        model = ActionItem
        fields = ["meeting", "forum", "organization", "status"]


class ComplianceCheckFilterSet(django_filters.FilterSet):
    class Meta:
        model = ComplianceCheck
        fields = ["agreement", "key", "checked"]
