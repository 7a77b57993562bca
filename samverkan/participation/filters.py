import django_filters
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet

from .choices import MeasureStatus, ObservationCategory, WalkStatus
from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk


class SafetyWalkFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains",
                                  label=_("Search"))
    area = django_filters.CharFilter(lookup_expr="icontains", label=_("Area"))
    status = django_filters.ChoiceFilter(choices=WalkStatus.choices, label=_("Status"))

    class Meta:
        model = SafetyWalk
        fields = ["q", "area", "status"]


class ObservationFilterSet(ScopedFilterSet):
    category = django_filters.ChoiceFilter(choices=ObservationCategory.choices)
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)

    class Meta:
        model = Observation
        fields = ["walk", "category", "status", "responsible_organization"]


class DialogueFilterSet(ScopedFilterSet):
    class Meta:
        model = Dialogue
        fields = ["area"]


class ConcernFilterSet(ScopedFilterSet):
    class Meta:
        model = Concern
        fields = ["dialogue", "category"]


class PledgeFilterSet(ScopedFilterSet):
    class Meta:
        model = Pledge
        fields = ["confidentiality"]


class PledgeFollowUpFilterSet(ScopedFilterSet):
    class Meta:
        model = PledgeFollowUp
        fields = ["pledge", "progress", "round"]
