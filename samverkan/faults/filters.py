"""One filter definition per list, used by the page and the API."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet
from samverkan.organizations.models import Organization
from samverkan.situation.models import Area

from .choices import OPEN_STATUSES, FaultStatus
from .models import DeadlineRule, FaultCategory, FaultReport, RoutingRule


def _zones(request):
    """The areas that the deadline and routing rules the user may read name as zones (the
    scoped base then keeps the areas they may read)."""
    user = getattr(request, "user", None)
    if user is None:
        return Area.objects.none()
    return Area.objects.filter(
        Q(pk__in=DeadlineRule.objects.visible_to(user).filter(zone__isnull=False)
          .values("zone_id"))
        | Q(pk__in=RoutingRule.objects.visible_to(user).filter(zone__isnull=False)
            .values("zone_id")))


def _date_input():
    return forms.DateInput(attrs={"type": "date"})


class FaultReportFilter(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=FaultStatus.choices, label=_("Status"))
    state = django_filters.ChoiceFilter(
        method="filter_state", label=_("Deadline"),
        choices=[("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed"))])
    # Lists of names, not id boxes; the API takes the same ids (`?category=3`).
    category = django_filters.ModelChoiceFilter(queryset=FaultCategory.objects.all(),
                                                label=_("Category"))
    handler = django_filters.ModelChoiceFilter(queryset=Organization.objects.all(),
                                               label=_("Handled by"))
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label=_("Zone"))
    received_after = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte",
                                               label=_("Received from"), widget=_date_input())
    received_before = django_filters.DateFilter(field_name="received_at",
                                                lookup_expr="date__lte", label=_("Received to"),
                                                widget=_date_input())

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
