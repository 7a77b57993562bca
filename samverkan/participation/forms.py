import json

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedModelForm

from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SafetyWalkForm(ScopedModelForm):
    route = forms.CharField(
        label=_("Route"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Click the map to add the route's points, or write them as "
                    "[[lat, lon], ...]."))

    class Meta:
        model = SafetyWalk
        fields = ["title", "area", "starts_at", "light", "organisers", "invited",
                  "participant_count", "pre_meeting", "activity", "route", "status", "summary",
                  "confidentiality", "restricted_to"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M"),
                   "invited": forms.Textarea(attrs={"rows": 4}),
                   "pre_meeting": forms.Textarea(attrs={"rows": 2}),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["route"] = json.dumps(self.instance.route)

    def clean_route(self):
        text = (self.cleaned_data.get("route") or "").strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("The route is a list of [lat, lon] points.")) \
                from error
        return value


class ObservationForm(ScopedModelForm):
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*",
                                                                   "capture": "environment"}))
    client_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Observation
        fields = ["category", "text", "place", "lat", "lon"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}),
                   "lat": forms.HiddenInput, "lon": forms.HiddenInput}


class MeasureForm(ScopedModelForm):
    class Meta:
        model = Observation
        fields = ["category", "text", "place", "measure", "responsible_organization",
                  "responsible_text", "deadline", "status", "rejection_reason"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}),
                   "measure": forms.Textarea(attrs={"rows": 2}),
                   "rejection_reason": forms.Textarea(attrs={"rows": 2}),
                   "deadline": DATE}


class DialogueForm(ScopedModelForm):
    class Meta:
        model = Dialogue
        fields = ["title", "held_on", "area", "participants", "organiser", "summary",
                  "confidentiality", "restricted_to"]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class ConcernForm(ScopedModelForm):
    class Meta:
        model = Concern
        fields = ["category", "text", "place", "lat", "lon"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class PledgeForm(ScopedModelForm):
    class Meta:
        model = Pledge
        fields = ["title", "period_start", "period_end", "problem", "police_promise",
                  "municipality_promise", "focus_areas", "activities", "signatories",
                  "signed_on", "source", "confidentiality", "restricted_to"]
        widgets = {"period_start": DATE, "period_end": DATE, "signed_on": DATE,
                   "problem": forms.Textarea(attrs={"rows": 3}),
                   "police_promise": forms.Textarea(attrs={"rows": 3}),
                   "municipality_promise": forms.Textarea(attrs={"rows": 3}),
                   "signatories": forms.Textarea(attrs={"rows": 3})}


class PledgeFollowUpForm(ScopedModelForm):
    class Meta:
        model = PledgeFollowUp
        fields = ["period", "round", "reported_on", "progress", "text",
                  "reported_to_residents", "confidentiality"]
        widgets = {"reported_on": DATE, "text": forms.Textarea(attrs={"rows": 3})}
