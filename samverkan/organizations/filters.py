import django_filters
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet

from .choices import OrganizationKind
from .models import Organization


class OrganizationFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))

    class Meta:
        model = Organization
        fields = ["q", "kind"]
