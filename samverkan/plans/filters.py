"""One filter definition per list, used by the page and the API alike.

Every related-record choice is limited to what the requesting user can see (and, on the
pages, to the municipality being worked on), so the filter bar never names another
municipality's records."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from samverkan.agreements.models import Agreement, FocusArea, PriorityArea, SubGoal
from samverkan.core.filters import ScopedFilterSet
from samverkan.organizations.models import Organization

from .choices import ActivityStatus, ContributionParty, GoalKind
from .models import Activity, Contribution, Indicator, Measurement


class ActivityFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        queryset=Agreement.objects.all(), label=_("Agreement"))
    focus_area = django_filters.ModelChoiceFilter(
        queryset=FocusArea.objects.select_related("agreement"), label=_("Focus area"))
    sub_goal = django_filters.ModelChoiceFilter(queryset=SubGoal.objects.all(),
                                                label=_("Sub-goal"))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    party = django_filters.ChoiceFilter(
        choices=ContributionParty.choices, method="filter_party",
        label=_("Contribution by"))
    committee = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.exclude(abbreviation="").order_by("abbreviation"),
        method="filter_committee", label=_("Committee"))
    area = django_filters.ModelChoiceFilter(
        field_name="priority_areas", queryset=PriorityArea.objects.all(),
        label=_("Area"), distinct=True)
    responsible = django_filters.ModelChoiceFilter(
        field_name="responsible_organizations", queryset=Organization.objects.order_by("name"),
        label=_("Responsible"), distinct=True)
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))

    class Meta:
        model = Activity
        fields = ["agreement", "focus_area", "sub_goal", "status", "party", "committee", "area",
                  "responsible", "q"]

    def filter_party(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Activity.objects.filter(contributions__party=value)
                               .values("pk"))

    @extend_schema_field(OpenApiTypes.INT)
    def filter_committee(self, queryset, name, value):
        if not value:
            return queryset
        ids = Activity.objects.filter(
            Q(responsible_organizations=value) | Q(contributions__committees=value)
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        matching = Activity.objects.filter(
            Q(title__icontains=value) | Q(description__icontains=value)
            | Q(responsible_text__icontains=value) | Q(expected_effect__icontains=value)
            | Q(contributions__text__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)


class ContributionFilterSet(ScopedFilterSet):
    activity = django_filters.ModelChoiceFilter(queryset=Activity.objects.all(),
                                                label=_("Activity"))
    party = django_filters.ChoiceFilter(choices=ContributionParty.choices, label=_("Party"))
    committee = django_filters.ModelChoiceFilter(
        field_name="committees", queryset=Organization.objects.all(), label=_("Committee"),
        distinct=True)

    class Meta:
        model = Contribution
        fields = ["activity", "party", "committee"]


class IndicatorFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(queryset=Agreement.objects.all(),
                                                 label=_("Agreement"))
    focus_area = django_filters.ModelChoiceFilter(queryset=FocusArea.objects.all(),
                                                  label=_("Focus area"))
    sub_goal = django_filters.ModelChoiceFilter(queryset=SubGoal.objects.all(),
                                                label=_("Sub-goal"))
    activity = django_filters.ModelChoiceFilter(queryset=Activity.objects.all(),
                                                label=_("Activity"))
    goal_kind = django_filters.ChoiceFilter(choices=GoalKind.choices, label=_("Kind of goal"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Indicator
        fields = ["agreement", "focus_area", "sub_goal", "activity", "goal_kind", "q"]


class MeasurementFilterSet(ScopedFilterSet):
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all(),
                                                 label=_("Indicator"))
    measured_after = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte",
                                               label=_("From"))
    measured_before = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte",
                                                label=_("To"))

    class Meta:
        model = Measurement
        fields = ["indicator", "measured_after", "measured_before"]
