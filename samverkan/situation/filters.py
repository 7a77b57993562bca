"""One FilterSet per list, used by the pages and the API."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet

from .choices import AreaKind, IncidentSource, IncidentStatus, Precision
from .models import (
    Area,
    Category,
    CrimeStatistic,
    EstMeasure,
    EstWeekNote,
    FocusAreaWatch,
    Incident,
    NothingToReport,
)


def _scoped(model):
    """Related-record choices limited to what the requesting user sees."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.visible_to(request.user)

    return queryset


class IncidentFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = django_filters.ModelMultipleChoiceFilter(queryset=_scoped(Category),
                                                        label=_("Category"))
    area = django_filters.ModelChoiceFilter(queryset=_scoped(Area), field_name="areas",
                                            label=_("Area"))
    source = django_filters.ChoiceFilter(choices=IncidentSource.choices, label=_("Source"))
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("Status"))
    precision = django_filters.ChoiceFilter(choices=Precision.choices, label=_("Precision"))
    date_from = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte",
                                          label=_("From"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte",
                                        label=_("To"),
                                        widget=forms.DateInput(attrs={"type": "date"}))
    include_summaries = django_filters.BooleanFilter(
        method="summaries", label=_("Include summaries"), widget=forms.CheckboxInput)

    class Meta:
        model = Incident
        fields = ["q", "category", "area", "source", "status", "precision"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(description__icontains=value) | Q(address__icontains=value)
                               | Q(place_name__icontains=value))

    def summaries(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        qs = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("include_summaries"):
            qs = qs.filter(is_summary=False)
        return qs


# The query parameters are `from` and `to` (Python keywords, so renamed after the class).
IncidentFilterSet.base_filters = {
    {"date_from": "from", "date_to": "to"}.get(name, name): f
    for name, f in IncidentFilterSet.base_filters.items()}


class CategoryFilterSet(ScopedFilterSet):
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Category
        fields = ["active", "slug"]


class AreaFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=AreaKind.choices, label=_("Kind"))

    class Meta:
        model = Area
        fields = ["q", "kind"]


class WeekFilterSet(ScopedFilterSet):
    iso_year = django_filters.NumberFilter(label=_("Year"))
    iso_week = django_filters.NumberFilter(label=_("Week"))
    area = django_filters.ModelChoiceFilter(queryset=_scoped(Area), label=_("Area"))


class NothingToReportFilterSet(WeekFilterSet):
    class Meta:
        model = NothingToReport
        fields = ["iso_year", "iso_week", "area"]


class EstWeekNoteFilterSet(WeekFilterSet):
    class Meta:
        model = EstWeekNote
        fields = ["iso_year", "iso_week", "area"]


class EstMeasureFilterSet(WeekFilterSet):
    class Meta:
        model = EstMeasure
        fields = ["iso_year", "iso_week", "area", "status"]


class CrimeStatisticFilterSet(ScopedFilterSet):
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("Municipality"))
    year = django_filters.NumberFilter(label=_("Year"))
    category = django_filters.CharFilter(label=_("Crime category"))
    source = django_filters.CharFilter(label=_("Source"))

    class Meta:
        model = CrimeStatistic
        fields = ["municipality", "year", "category", "source"]


class FocusAreaWatchFilterSet(ScopedFilterSet):
    class Meta:
        model = FocusAreaWatch
        fields = ["focus_area"]
