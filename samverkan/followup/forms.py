from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedModelForm, VersionedFormMixin

from .choices import STATUSES_NEEDING_DEVIATION, DeviationKind, ReportStatus
from .models import Deviation, FollowUpRound


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class RoundForm(ScopedModelForm):
    """Add a round, or move one (change its dates)."""

    class Meta:
        model = FollowUpRound
        fields = ["label", "period_start", "period_end", "due_date", "forum", "note"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(),
                   "due_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"label": _("E.g. 'T1 2025' or 'Extra uppföljning inför KUG'."),
                      "due_date": _("When the activity reports must be written.")}

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = agreement or (self.instance.agreement if self.instance.agreement_id
                                  else None)
        if agreement is not None:
            self.fields["forum"].queryset = self.fields["forum"].queryset.filter(
                agreement=agreement)
        if not self.instance.pk:
            self.fields["due_date"].required = False
            self.fields["due_date"].help_text = _("Leave empty for 15 days after the period.")


class ReportForm(VersionedFormMixin, forms.Form):
    """A responsible organisation's report on one activity in one round, with a deviation
    when the activity is late, blocked or off target, and new indicator values."""

    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices,
                               widget=forms.RadioSelect)
    what_was_done = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or personal identity numbers."))
    collaborated_with = forms.CharField(
        label=_("Who collaborated"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Organisations and functions, e.g. 'Polisen, fältassistenter, Kfast'."))
    effects_seen = forms.CharField(label=_("Observed effects"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    deviation_kind = forms.ChoiceField(
        label=_("Deviation"), required=False,
        choices=[("", _("No deviation"))] + list(DeviationKind.choices),
        help_text=_("Required when the status is yellow or red."))
    deviation_reason = forms.CharField(label=_("Reason for the deviation"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    deviation_proposed_action = forms.CharField(label=_("Proposed action"), required=False,
                                                widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.DecimalField(label=_("Hours (optional)"), required=False, min_value=0,
                               max_digits=9, decimal_places=1)
    cost = forms.DecimalField(label=_("Cost in SEK (optional)"), required=False, min_value=0,
                              max_digits=12, decimal_places=0)
    measured_on = forms.DateField(label=_("Date of the new values"), required=False,
                                  widget=DateInput())

    def __init__(self, *args, indicators=(), versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_version(versioned)  # the stored report: a stale form is refused
        self.indicators = list(indicators)
        for indicator in self.indicators:
            parts = []
            if indicator.baseline_value is not None:
                parts.append(_("baseline %(value)s") % {"value": _fmt(indicator.baseline_value)})
            if indicator.target_value is not None:
                parts.append(_("target %(value)s") % {"value": _fmt(indicator.target_value)})
            latest = indicator.latest_measurement()
            if latest is not None:
                parts.append(_("latest %(value)s (%(date)s)") % {
                    "value": _fmt(latest.value), "date": latest.measured_on})
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name}{' (' + indicator.unit + ')' if indicator.unit else ''}",
                required=False, max_digits=14, decimal_places=4,
                help_text=", ".join(str(p) for p in parts))
        if not self.indicators:
            del self.fields["measured_on"]
        else:
            self.fields["measured_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("status") in STATUSES_NEEDING_DEVIATION:
            if not data.get("deviation_kind"):
                self.add_error("deviation_kind", _("A yellow or red status needs a deviation: "
                                                   "choose late, blocked or off target."))
            if not (data.get("deviation_reason") or "").strip():
                self.add_error("deviation_reason", _("Give the reason for the deviation."))
        return data

    def report_fields(self) -> dict:
        d = self.cleaned_data
        return {name: d.get(name) for name in ("status", "what_was_done", "collaborated_with",
                                                "effects_seen", "hours", "cost")}

    def deviation(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("deviation_kind"):
            return None
        return {"kind": d["deviation_kind"], "reason": d.get("deviation_reason", ""),
                "proposed_action": d.get("deviation_proposed_action", "")}

    def measurements(self) -> list[dict]:
        rows = []
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"indicator_{indicator.pk}")
            if value is not None:
                rows.append({"indicator": indicator, "value": value,
                             "measured_on": self.cleaned_data.get("measured_on")})
        return rows


def _fmt(value) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}".replace(".", ",")


class DeviationForm(ScopedModelForm):
    class Meta:
        model = Deviation
        fields = ["kind", "reason", "proposed_action", "opened_on"]
        widgets = {"opened_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3}),
                   "proposed_action": forms.Textarea(attrs={"rows": 3})}


class ResolveDeviationForm(forms.Form):
    resolution = forms.CharField(label=_("How was it resolved?"),
                                 widget=forms.Textarea(attrs={"rows": 3}))
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DateInput(),
                                  initial=timezone.localdate)
