import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import SurveySource
from .models import Survey, SurveyResult


class SurveyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    source = django_filters.ChoiceFilter(choices=SurveySource.choices, label=_("Source"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Survey
        fields = ["q", "source", "year"]


class SurveyResultFilterSet(django_filters.FilterSet):
    class Meta:
        model = SurveyResult
        fields = ["survey", "area", "dimension", "group", "question", "origin"]
