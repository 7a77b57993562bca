import django_filters
from django.utils.translation import gettext_lazy as _

from samverkan.core.filters import ScopedFilterSet

from .choices import SurveySource
from .models import Survey, SurveyResult


class SurveyFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    source = django_filters.ChoiceFilter(choices=SurveySource.choices, label=_("Source"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Survey
        fields = ["q", "source", "year"]


class SurveyResultFilterSet(ScopedFilterSet):
    class Meta:
        model = SurveyResult
        fields = ["survey", "area", "dimension", "group", "question", "origin"]
