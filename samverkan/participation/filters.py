import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import MeasureStatus, ObservationCategory, WalkStatus
from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk


class SafetyWalkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains",
                                  label=_("Search"))
    area = django_filters.CharFilter(lookup_expr="icontains", label=_("Area"))
    status = django_filters.ChoiceFilter(choices=WalkStatus.choices, label=_("Status"))

    class Meta:
        model = SafetyWalk
        fields = ["q", "area", "status"]


class ObservationFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=ObservationCategory.choices)
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)

    class Meta:
        model = Observation
        fields = ["walk", "category", "status", "responsible_organization"]


class DialogueFilterSet(django_filters.FilterSet):
    class Meta:
        model = Dialogue
        fields = ["area"]


class ConcernFilterSet(django_filters.FilterSet):
    class Meta:
        model = Concern
        fields = ["dialogue", "category"]


class PledgeFilterSet(django_filters.FilterSet):
    class Meta:
        model = Pledge
        fields = ["confidentiality"]


class PledgeFollowUpFilterSet(django_filters.FilterSet):
    class Meta:
        model = PledgeFollowUp
        fields = ["pledge", "progress", "round"]
