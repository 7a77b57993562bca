import json

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedForm, ScopedModelForm
from samverkan.plans.models import Indicator

from .models import IndexBands, Survey


class SurveyForm(ScopedModelForm):
    scoring = forms.CharField(
        label=_("Scoring"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Empty: the police\'s problem scale. Otherwise JSON, e.g. {"answers": '
                    '{"Mycket stort problem": 6, "Ganska stort problem": 4, "Ganska litet '
                    'problem": 2, "Inget problem alls": 0}, "missing": ["Vet ej"], '
                    '"scale_min": 0, "scale_max": 6}.'))

    class Meta:
        model = Survey
        fields = ["name", "source", "year", "areas", "invited", "answered", "is_index",
                  "description", "scoring", "confidentiality", "restricted_to"]
        widgets = {"areas": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.scoring:
            self.initial["scoring"] = json.dumps(self.instance.scoring, ensure_ascii=False)

    def clean_scoring(self):
        text = (self.cleaned_data.get("scoring") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("The scoring is not valid JSON.")) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The scoring is not valid JSON."))
        return value


class SurveyImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=[
        ("respondents", _("Respondents' answers (one row per respondent)")),
        ("aggregated", _("Aggregated results (index per question and area)"))])
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class RecordMeasurementForm(ScopedForm):
    result = forms.IntegerField(widget=forms.HiddenInput)
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    measured_on = forms.DateField(label=_("Date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Narrowed to what the user may see in the municipality by ScopedForm.
        self.fields["indicator"].queryset = Indicator.objects.order_by("name")


class IndexBandsForm(ScopedModelForm):
    class Meta:
        model = IndexBands
        fields = ["attention_from", "act_from"]
