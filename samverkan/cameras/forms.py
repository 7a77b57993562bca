from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedModelForm

from .models import Camera, RecordingAccess, RetentionHold, StillRequest

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CameraForm(ScopedModelForm):
    class Meta:
        model = Camera
        fields = ["name", "place", "lat", "lon", "area", "owner", "purpose", "legal_basis",
                  "balancing_of_interests", "records_sound", "retention_days", "viewers",
                  "recording_since", "active", "confidentiality"]
        widgets = {"recording_since": DATE}


class HoldForm(ScopedModelForm):
    class Meta:
        model = RetentionHold
        fields = ["starts_at", "ends_at", "reason", "reference", "keep_until"]
        widgets = {"starts_at": DT, "ends_at": DT, "keep_until": DATE}


class AccessForm(ScopedModelForm):
    class Meta:
        model = RecordingAccess
        fields = ["kind", "starts_at", "ends_at", "reason", "reference", "recipient"]
        widgets = {"starts_at": DT, "ends_at": DT}


class StillRequestForm(ScopedModelForm):
    class Meta:
        model = StillRequest
        fields = ["camera", "received_on", "requester", "recorded_at", "place"]
        widgets = {"received_on": DATE, "recorded_at": DT}


class DecisionForm(forms.Form):
    grant = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                   choices=[("yes", _("Grant")), ("no", _("Refuse"))])
    refusal_reason = forms.CharField(label=_("Reason for refusal"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
