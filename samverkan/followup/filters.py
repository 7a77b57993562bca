import django_filters
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Agreement
from samverkan.core.filters import ScopedFilterSet

from .choices import DeviationKind, ReportStatus, RoundKind, RoundStatus
from .models import ActivityReport, Deviation, FollowUpRound


class RoundFilterSet(ScopedFilterSet):
    agreement = django_filters.ModelChoiceFilter(queryset=Agreement.objects.all(),
                                                 label=_("Agreement"))
    kind = django_filters.ChoiceFilter(choices=RoundKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(field_name="due_date", lookup_expr="year",
                                       label=_("Year due"), min_value=1, max_value=9999)

    class Meta:
        model = FollowUpRound
        fields = ["agreement", "kind", "status", "year"]


class ActivityReportFilterSet(ScopedFilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("Activity"))
    organization = django_filters.NumberFilter(field_name="organization_id",
                                               label=_("Organisation"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = ActivityReport
        fields = ["round", "activity", "organization", "status"]


class DeviationFilterSet(ScopedFilterSet):
    OPEN_CHOICES = (("open", _("Open")), ("resolved", _("Resolved")))

    agreement = django_filters.ModelChoiceFilter(queryset=Agreement.objects.all(),
                                                 field_name="activity__agreement",
                                                 label=_("Agreement"))
    state = django_filters.ChoiceFilter(choices=OPEN_CHOICES, method="filter_state",
                                        label=_("Open or resolved"))
    kind = django_filters.ChoiceFilter(choices=DeviationKind.choices, label=_("Kind"))
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("Activity"))

    class Meta:
        model = Deviation
        fields = ["agreement", "state", "kind", "activity"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(resolved_on__isnull=True)
        if value == "resolved":
            return queryset.filter(resolved_on__isnull=False)
        return queryset
