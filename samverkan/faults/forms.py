"""Forms of fault reports: the residents' public form and the handlers' forms."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import PublicForm, ScopedForm, ScopedModelForm
from samverkan.core.personal_data import no_personal_identity_number
from samverkan.organizations.models import Organization

from .choices import FaultStatus
from .models import DeadlineRule, FaultCategory, FaultReport, Open311Client, RoutingRule
from .photos import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*",
                                                             "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PublicReportForm(PublicForm):
    """What a resident fills in on a phone, without an account."""

    category = forms.ModelChoiceField(queryset=FaultCategory.objects.none(),
                                      widget=forms.RadioSelect, label=_("What is wrong?"),
                                      empty_label=None)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False,
                              help_text=_("E.g. “Fristadstorget, the wall by the bus stop”."))
    description = forms.CharField(label=_("Describe the fault"), required=False,
                                  max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("The description and the place may be shown "
                                              "publicly. Do not write names."))
    photos = MultiplePhotoField(label=_("Photos (at most three)"), required=False)
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=200,
                                    required=False)
    reporter_email = forms.EmailField(label=_("Your e-mail (optional)"), required=False,
                                      help_text=_("We send you each change of the report's "
                                                  "status, with a link to follow it."))
    # A spam trap: hidden from people; a script that fills in every field fills it in.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, municipality=municipality, **kwargs)
        self.fields["category"].queryset = FaultCategory.objects.filter(active=True)

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        return photos

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("lat"), cleaned.get("lon")
        if (lat is None or lon is None) and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Mark the place on the map or write the address."))
        for name in ("description", "address"):
            try:
                no_personal_identity_number(cleaned.get(name) or "")
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(label=_("Message to the reporter"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Shown to the reporter. Do not write names."))
    reason = forms.CharField(label=_("Reason (when closed without fixing)"), required=False,
                             max_length=300)
    forwarded_to = forms.CharField(label=_("Forwarded to (when not ours)"), required=False,
                                   max_length=200)
    cost = forms.DecimalField(label=_("Clean-up cost (SEK)"), required=False, min_value=0,
                              decimal_places=0, max_digits=10)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import TRANSITIONS

        allowed = TRANSITIONS.get(report.status, set()) if report else set()
        self.fields["status"].choices = [(s.value, s.label) for s in FaultStatus
                                         if s in allowed]


class AssignForm(ScopedForm):
    handler = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                     label=_("Handled by"), required=False)

    def __init__(self, *args, municipality=None, user=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Narrowed to what the user may see in the municipality by ScopedForm.
        self.fields["handler"].queryset = Organization.objects.order_by("name")


class FaultCategoryForm(ScopedModelForm):
    class Meta:
        model = FaultCategory
        fields = ["name", "slug", "description", "order", "active", "incident_category",
                  "confidentiality"]


class DeadlineRuleForm(ScopedModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["category", "zone", "amount", "unit", "note"]


class RoutingRuleForm(ScopedModelForm):
    class Meta:
        model = RoutingRule
        fields = ["category", "zone", "organization"]


class Open311ClientForm(ScopedModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "contact", "active"]


class StaffReportForm(ScopedModelForm):
    """A report entered by staff (e.g. from a phone call)."""

    class Meta:
        model = FaultReport
        fields = ["category", "address", "lat", "lon", "description", "reporter_name",
                  "reporter_email"]
