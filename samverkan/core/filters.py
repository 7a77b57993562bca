"""The one filter base: every FilterSet of every app (pages and API) derives from
`ScopedFilterSet`, whose related-record filters offer and accept only records the requesting
user may read (`core.forms.scoped_choices`, the same rule as form choices), in the municipality
being worked on when the page names one. A hidden record's id is no valid choice: the page
shows an empty list with the form's error, the API answers 400."""
from __future__ import annotations

import django_filters
from django.conf import settings
from django_filters.filters import QuerySetRequestMixin
from django_filters.filterset import filterset_factory
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet

from .forms import scoped_choices


class ScopedFilterSet(django_filters.FilterSet):
    """Limits the choices of every related-record filter (declared, generated from
    `Meta.fields`, or given as a callable) to what the request's user may read."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None,
                 municipality=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.municipality = municipality
        user = getattr(request, "user", None)
        for filter_ in self.filters.values():
            if not isinstance(filter_, QuerySetRequestMixin):
                continue
            if isinstance(filter_, django_filters.ModelChoiceFilter):
                filter_.extra.setdefault("empty_label", settings.FILTERS_EMPTY_CHOICE_LABEL)
            choices = filter_.get_queryset(request)
            if choices is not None:
                filter_.queryset = scoped_choices(choices, user, municipality)


class ScopedRestFilterSet(ScopedFilterSet, RestFilterSet):
    """The base of the FilterSets DRF builds from a viewset's `filterset_fields`."""


class ScopedFilterBackend(DjangoFilterBackend):
    """The API's filter backend (settings.REST_FRAMEWORK): FilterSets generated from
    `filterset_fields` are scoped too."""

    filterset_base = ScopedRestFilterSet


def scoped_filterset_factory(model, fields):
    """A FilterSet for a page that names only `filterset_fields`."""
    return filterset_factory(model, filterset=ScopedFilterSet, fields=fields)
