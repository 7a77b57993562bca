"""Forms: an indicator computed from the data, and an activity's evaluation."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedModelForm

from .models import ActivityEvaluation, IndicatorDefinition, source_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _SourcesMixin:
    def _setup_sources(self):
        self.fields["sources"] = forms.MultipleChoiceField(
            label=_("Sources"), required=False, choices=source_choices(),
            widget=forms.CheckboxSelectMultiple,
            help_text=_("None chosen: every source."))
        self.fields["categories"].widget = forms.CheckboxSelectMultiple()
        self.fields["categories"].queryset = self.fields["categories"].queryset.order_by(
            "order", "name")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["sources"] = list(data.get("sources") or [])
        data["categories"] = list(data.get("categories") or [])
        return data


class DefinitionForm(_SourcesMixin, ScopedModelForm):
    class Meta:
        model = IndicatorDefinition
        fields = ["categories", "sources", "area", "period", "measure"]
        widgets = {"period": forms.RadioSelect, "measure": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_sources()
        self.fields["area"].queryset = self.fields["area"].queryset.order_by("kind", "name")
        self.fields["area"].empty_label = _("The whole municipality")


class EvaluationForm(_SourcesMixin, ScopedModelForm):
    class Meta:
        model = ActivityEvaluation
        fields = ["area", "comparison_area", "start_date", "end_date", "buffer_m",
                  "categories", "sources"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_sources()
        for name in ("area", "comparison_area"):
            self.fields[name].queryset = self.fields[name].queryset.order_by("kind", "name")
            self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("area") and cleaned.get("area") == cleaned.get("comparison_area"):
            self.add_error("comparison_area", _("Choose another area than the activity's own."))
        return cleaned
