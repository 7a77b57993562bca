from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedForm, ScopedModelForm
from samverkan.core.uploads import upload_validator

from .choices import AreaKind
from .importers import FORMATS
from .models import Category, Incident


class ReportForm(ScopedForm):
    """The phone form of an EST report: category, place, short text, when."""

    category = forms.ModelChoiceField(queryset=Category.objects.none(), widget=forms.RadioSelect,
                                      empty_label=None, label=_("What happened?"),
                                      error_messages={"required": _("Choose what happened.")})
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput)
    place_name = forms.CharField(
        label=_("Address or place"), required=False, max_length=200,
        help_text=_("If you do not mark the map: e.g. “Fristadstorget” or “Årbyvägen 12”."))
    description = forms.CharField(
        label=_("Short description"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _(
            "E.g. “Bus shelter glass broken”. No names or personal identity numbers.")}))
    occurred_at = forms.DateTimeField(
        label=_("When"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))

    def __init__(self, *args, municipality=None, user=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Narrowed to what the user may see in the municipality by ScopedForm.
        self.fields["category"].queryset = Category.objects.filter(active=True) \
            if municipality else Category.objects.none()
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(
                second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None or lon is None) and not (data.get("place_name") or "").strip():
            raise forms.ValidationError(
                _("Mark the place on the map, use your position, or write an address or "
                  "place."), code="no_place")
        occurred_at = data.get("occurred_at")
        if occurred_at and occurred_at > timezone.now() + timezone.timedelta(minutes=10):
            self.add_error("occurred_at", _("The time is in the future."))
        return data


class IncidentForm(ScopedModelForm):
    class Meta:
        model = Incident
        fields = ["category", "occurred_at", "ended_at", "lat", "lon", "precision", "address",
                  "place_name", "description", "organization", "confidentiality",
                  "restricted_to"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                               format="%Y-%m-%dT%H:%M"),
            "ended_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                            format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ReviewForm(ScopedForm):
    ACTIONS = [("review", _("Mark reviewed")), ("merge", _("Merge into")),
               ("reject", _("Reject"))]
    action = forms.ChoiceField(choices=ACTIONS)
    category = forms.ModelChoiceField(queryset=Category.objects.none(), required=False,
                                      label=_("Category"))
    merge_into = forms.ModelChoiceField(queryset=Incident.objects.none(), required=False,
                                        label=_("Duplicate of"))

    def __init__(self, *args, incident=None, user=None, **kwargs):
        super().__init__(*args, user=user, municipality=getattr(incident, "municipality", None),
                         **kwargs)
        # Narrowed to what the user may see in the incident's municipality by ScopedForm.
        if incident is not None:
            self.fields["category"].queryset = Category.objects.all()
            self.fields["merge_into"].queryset = Incident.objects.exclude(pk=incident.pk)

    def clean(self):
        data = super().clean()
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Choose the report this one duplicates."))
        return data


IMPORT_KINDS = [
    ("incidents", _("Incidents")),
    ("areas", _("Areas (GeoJSON polygons)")),
]
FORMAT_LABELS = {"csv": _("CSV (Excel: save as CSV)"), "xlsx": _("Excel workbook (.xlsx)"),
                 "geojson": _("GeoJSON points"), "polisen": _("The Police's events (JSON)")}


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=_("What to import"), choices=IMPORT_KINDS,
                             initial="incidents")
    format = forms.ChoiceField(label=_("Format of incident files"),
                               choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
                               initial="csv", required=False)
    area_kind = forms.ChoiceField(label=_("Kind of areas"), choices=AreaKind.choices,
                                  initial=AreaKind.DISTRICT, required=False)
    only_inside = forms.BooleanField(
        label=_("Only areas inside the municipality (for national files such as the "
                "Police's vulnerable areas)"), required=False, initial=True)
    file = forms.FileField(label=_("File"), validators=[upload_validator()])

    def clean(self):
        data = super().clean()
        if data.get("what") == "incidents" and not data.get("format"):
            self.add_error("format", _("Choose the file's format."))
        return data
