"""One FilterSet per list, shared by the pages and the API.

Choices of related records are limited to what the requesting user can see, so a filter never
lists another municipality's agreements or organisations."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet
from samverkan.organizations.models import Organization

from .choices import (
    AgreementStatus,
    FollowUpKind,
    ForumKind,
    ForumMemberRole,
    PartyRole,
    Strategy,
    Track,
)
from .models import (
    Agreement,
    Commitment,
    DataSource,
    Definition,
    FocusArea,
    FollowUpEntry,
    Forum,
    ForumMember,
    Party,
    Practice,
    PriorityArea,
    Signatory,
    SubGoal,
)


def agreement_filter():
    return django_filters.ModelChoiceFilter(queryset=Agreement.objects.all(), label=_("Agreement"))


def organization_filter():
    return django_filters.ModelChoiceFilter(queryset=Organization.objects.all(),
                                            label=_("Organisation"))


class AgreementFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Valid during year"),
                                       min_value=1, max_value=9999)

    class Meta:
        model = Agreement
        fields = ["q", "status", "year"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(overall_goal__icontains=value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)


class PartyFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    organization = organization_filter()
    role = django_filters.ChoiceFilter(choices=PartyRole.choices, label=_("Role"))

    class Meta:
        model = Party
        fields = ["agreement", "organization", "role"]


class SignatoryFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    organization = organization_filter()

    class Meta:
        model = Signatory
        fields = ["agreement", "organization"]


class PriorityAreaFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = PriorityArea
        fields = ["agreement", "q"]


class DataSourceFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    used = django_filters.BooleanFilter(label=_("Used"))

    class Meta:
        model = DataSource
        fields = ["agreement", "used"]


class FollowUpEntryFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    kind = django_filters.ChoiceFilter(choices=FollowUpKind.choices, label=_("Kind"))
    forum = django_filters.ModelChoiceFilter(queryset=Forum.objects.all(), label=_("Forum"))

    class Meta:
        model = FollowUpEntry
        fields = ["agreement", "kind", "forum"]


class FocusAreaFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    track = django_filters.ChoiceFilter(choices=Track.choices, label=_("Track"))
    strategy = django_filters.ChoiceFilter(choices=Strategy.choices, label=_("Strategy"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))

    class Meta:
        model = FocusArea
        fields = ["agreement", "track", "strategy", "q"]


class SubGoalFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        field_name="focus_area__agreement", queryset=Agreement.objects.all(), label=_("Agreement"))
    focus_area = django_filters.ModelChoiceFilter(queryset=FocusArea.objects.all(),
                                                  label=_("Focus area"))

    class Meta:
        model = SubGoal
        fields = ["agreement", "focus_area"]


class ForumFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    kind = django_filters.ChoiceFilter(choices=ForumKind.choices, label=_("Kind"))

    class Meta:
        model = Forum
        fields = ["agreement", "kind"]


class ForumMemberFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(
        field_name="forum__agreement", queryset=Agreement.objects.all(), label=_("Agreement"))
    forum = django_filters.ModelChoiceFilter(queryset=Forum.objects.all(), label=_("Forum"))
    organization = organization_filter()
    role = django_filters.ChoiceFilter(choices=ForumMemberRole.choices, label=_("Role"))

    class Meta:
        model = ForumMember
        fields = ["agreement", "forum", "organization", "role"]


class CommitmentFilterSet(ScopedFilterSet):
    agreement = agreement_filter()

    class Meta:
        model = Commitment
        fields = ["agreement"]


class DefinitionFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    focus_area = django_filters.ModelChoiceFilter(queryset=FocusArea.objects.all(),
                                                  label=_("Focus area"))
    q = django_filters.CharFilter(field_name="term", lookup_expr="icontains", label=_("Term"))

    class Meta:
        model = Definition
        fields = ["agreement", "focus_area", "q"]


class PracticeFilterSet(ScopedFilterSet):
    agreement = agreement_filter()
    focus_area = django_filters.ModelChoiceFilter(queryset=FocusArea.objects.all(),
                                                  label=_("Focus area"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Practice
        fields = ["agreement", "focus_area", "q"]
