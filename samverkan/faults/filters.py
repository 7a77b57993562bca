"""One filter definition per list, used by the page and the API."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet

from .choices import OPEN_STATUSES, FaultStatus
from .models import FaultReport


class FaultReportFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=FaultStatus.choices, label=_("Status"))
    state = django_filters.ChoiceFilter(
        method="filter_state", label=_("Deadline"),
        choices=[("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed"))])
    category = django_filters.NumberFilter(field_name="category_id", label=_("Category"))
    handler = django_filters.NumberFilter(field_name="handler_id", label=_("Handled by"))
    zone = django_filters.NumberFilter(field_name="zone_id", label=_("Zone"))
    received_after = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte",
                                               label=_("Received from"))
    received_before = django_filters.DateFilter(field_name="received_at",
                                                lookup_expr="date__lte", label=_("Received to"))

    class Meta:
        model = FaultReport
        fields = ["q", "status", "state", "category", "handler", "zone"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(address__icontains=value))

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
        if value == "closed":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset
