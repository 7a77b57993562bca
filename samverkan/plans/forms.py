"""Forms of the action plan. The activity form holds the activity AND each party's
contribution, so a coordinator writes a whole plan row in one step."""
from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import FocusArea
from samverkan.core.forms import ScopedModelForm
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.models import Organization

from .choices import ContributionParty
from .models import Activity, Indicator, Measurement

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = {"rows": 3}

# (party, text field, extra field or None)
PARTY_FIELDS = [
    (ContributionParty.MUNICIPALITY, "municipality_action", "municipality_committees"),
    (ContributionParty.POLICE, "police_action", None),
    (ContributionParty.OTHER, "other_action", "other_organization"),
]


class FieldsetsMixin:
    """`form.fieldsets` gives (legend, part) pairs where each part can be rendered with
    core/_form_fields.html (`{% include "core/_form_fields.html" with form=part %}`)."""

    # (legend, field names, folded: shown closed unless one of its fields has an error or a
    # value; for what a coordinator rarely needs)
    fieldset_layout: list[tuple[str, list[str], bool]] = []

    @property
    def fieldsets(self):
        result = []
        for legend, names, folded in self.fieldset_layout:
            fields = [self[name] for name in names if name in self.fields]
            if not fields:
                continue
            has_errors = any(f.errors for f in fields)
            filled = bool(self.instance.pk) and any(
                f.value() not in (None, "", [], "internal") for f in fields)
            result.append((legend, SimpleNamespace(
                visible_fields=[f for f in fields if not f.is_hidden],
                hidden_fields=[f for f in fields if f.is_hidden], errors=None,
                folded=folded and not has_errors and not filled)))
        return result


class ActivityForm(FieldsetsMixin, ScopedModelForm):
    municipality_action = forms.CharField(
        label=_("Municipality action"), required=False,
        widget=forms.Textarea(attrs=SHORT_TEXT),
        help_text=_("What the municipality does. Committees in parentheses, e.g. (KS, BUN, SN), "
                    "are recognised."))
    municipality_committees = forms.ModelMultipleChoiceField(
        label=_("Responsible committees"), required=False,
        queryset=Organization.objects.all(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to recognise them from the abbreviations in the text."))
    police_action = forms.CharField(
        label=_("Police action"), required=False, widget=forms.Textarea(attrs=SHORT_TEXT),
        help_text=_("What the police does."))
    other_action = forms.CharField(
        label=_("Other parties' action"), required=False,
        widget=forms.Textarea(attrs=SHORT_TEXT),
        help_text=_("What another party does, e.g. the housing company or an association."))
    other_organization = forms.ModelChoiceField(
        label=_("Other party"), required=False, queryset=Organization.objects.all())

    fieldset_layout = [
        (_("Activity"), ["title", "focus_area", "sub_goal", "status", "kind"], False),
        (_("What each party does"), ["municipality_action", "municipality_committees",
                                     "police_action", "other_action", "other_organization"],
         False),
        (_("Responsibility and timing"), ["responsible_text", "responsible_organizations",
                                          "timing_text", "start_date", "end_date"], False),
        (_("Effect and communication"), ["expected_effect", "communication"], False),
        (_("Areas"), ["priority_areas", "areas_text"], False),
        (_("Description, cause and goal"), ["description", "cause", "goal"], True),
        (_("Access level"), ["confidentiality", "restricted_to"], True),
    ]

    class Meta:
        model = Activity
        fields = ["title", "focus_area", "sub_goal", "status", "kind", "description", "cause",
                  "goal", "responsible_text", "responsible_organizations", "timing_text",
                  "start_date", "end_date", "expected_effect", "communication",
                  "priority_areas", "areas_text", "confidentiality", "restricted_to"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs=SHORT_TEXT),
            "cause": forms.Textarea(attrs=SHORT_TEXT),
            "goal": forms.Textarea(attrs=SHORT_TEXT),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
            "expected_effect": forms.Textarea(attrs=SHORT_TEXT),
            "communication": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "responsible_organizations": forms.CheckboxSelectMultiple,
            "priority_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, focus_area: FocusArea | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if focus_area is None and instance.pk:
            focus_area = instance.focus_area
        self.focus_area = focus_area
        if focus_area is not None:
            agreement_id = focus_area.agreement_id
            self.fields["focus_area"].queryset = self.fields["focus_area"].queryset.filter(
                agreement_id=agreement_id)
            self.fields["sub_goal"].queryset = self.fields["sub_goal"].queryset.filter(
                focus_area__agreement_id=agreement_id)
            self.fields["priority_areas"].queryset = self.fields["priority_areas"].queryset \
                .filter(agreement_id=agreement_id)
            if not instance.pk:
                self.initial.setdefault("focus_area", focus_area.pk)
        orgs = self.fields["other_organization"].queryset
        visible = Organization.objects.visible_to(self.user) if self.user else orgs.none()
        if self.municipality is not None:
            visible = visible.filter(municipality=self.municipality)
        self.fields["other_organization"].queryset = visible.order_by("name")
        self.fields["municipality_committees"].queryset = visible.filter(
            kind=OrganizationKind.COMMITTEE).order_by("name")
        self.fields["responsible_organizations"].queryset = self.fields[
            "responsible_organizations"].queryset.order_by("name")
        self.fields["responsible_organizations"].help_text = _(
            "Leave empty to recognise them from “Responsible (as written)” and the committees.")
        self.fields["start_date"].help_text = _("Leave both dates empty to read them from "
                                                "“When”.")
        self.fields["sub_goal"].queryset = self.fields["sub_goal"].queryset.select_related(
            "focus_area")
        self.fields["focus_area"].queryset = self.fields["focus_area"].queryset.select_related(
            "agreement")
        if not self.fields["priority_areas"].queryset.exists():
            del self.fields["priority_areas"]
        elif focus_area is None:
            # Without a focus area the areas of every agreement are offered, and the same
            # place recurs from one agreement to the next: each is named with its period.
            field = self.fields["priority_areas"]
            field.queryset = field.queryset.select_related("agreement")
            field.label_from_instance = lambda area: (
                f"{area} ({area.agreement.start_date:%Y}–{area.agreement.end_date:%Y})")
        # Each party's first contribution is edited here; further ones are kept as they are.
        # Only those the user may read: one hidden from them is neither shown nor touched
        # (`services._replace_contributions`).
        self.existing: dict[str, object] = {}
        self.kept: list = []
        if instance.pk:
            # The contributions the user may read are part of the form's version: a change
            # made meanwhile only to one of them refuses the save too (optimistic locking).
            self.setup_version(instance, related=self._readable_contributions)
            for contribution in self._readable_contributions(instance).prefetch_related(
                    "committees"):
                if contribution.party in self.existing:
                    self.kept.append(contribution)
                else:
                    self.existing[contribution.party] = contribution
            for party, text_field, extra in PARTY_FIELDS:
                contribution = self.existing.get(party)
                if contribution is None:
                    continue
                self.initial.setdefault(text_field, contribution.text)
                if extra == "municipality_committees":
                    self.initial.setdefault(extra, [c.pk for c in contribution.committees.all()])
                elif extra == "other_organization":
                    self.initial.setdefault(extra, contribution.organization_id)

    def _readable_contributions(self, activity):
        return activity.contributions.visible_to(self.user).order_by("party", "pk")

    def clean(self):
        cleaned = super().clean()
        focus_area = cleaned.get("focus_area")
        sub_goal = cleaned.get("sub_goal")
        if focus_area and sub_goal and sub_goal.focus_area_id != focus_area.pk:
            self.add_error("sub_goal", _("The sub-goal belongs to another focus area."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The activity must end after it starts."))
        if cleaned.get("other_organization") and not cleaned.get("other_action"):
            self.add_error("other_action", _("Write what the other party does."))
        return cleaned

    def contributions(self) -> list[dict]:
        result = []
        for party, text_field, extra in PARTY_FIELDS:
            text = (self.cleaned_data.get(text_field) or "").strip()
            if not text:
                continue
            data = {"party": party, "text": text}
            existing = self.existing.get(party)
            if existing is not None:
                data["id"] = existing.pk
            if extra == "municipality_committees":
                committees = list(self.cleaned_data.get(extra) or [])
                data["committees"] = committees or None
            elif extra == "other_organization":
                data["organization"] = self.cleaned_data.get(extra)
            result.append(data)
        for contribution in self.kept:
            result.append({"id": contribution.pk, "party": contribution.party,
                           "text": contribution.text, "organization": contribution.organization,
                           "committees": list(contribution.committees.all())})
        return result

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields
                if name in self.cleaned_data}
        if not data.get("responsible_organizations"):
            data["responsible_organizations"] = None
        else:
            data["responsible_organizations"] = list(data["responsible_organizations"])
        data["contributions"] = self.contributions()
        return data


class IndicatorForm(FieldsetsMixin, ScopedModelForm):
    fieldset_layout = [
        (_("Indicator"), ["name", "goal_kind", "unit", "direction", "data_source"], False),
        (_("Baseline and target"), ["baseline_value", "baseline_text", "baseline_date",
                                    "target_value", "target_text", "target_date",
                                    "scale_min", "scale_max"], False),
        (_("Access level"), ["confidentiality", "restricted_to"], True),
    ]

    class Meta:
        model = Indicator
        fields = ["name", "goal_kind", "unit", "direction", "data_source", "baseline_value",
                  "baseline_text", "baseline_date", "target_value", "target_text",
                  "target_date", "scale_min", "scale_max", "confidentiality", "restricted_to"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": DATE_WIDGET,
            "target_date": DATE_WIDGET,
            "direction": forms.RadioSelect,
        }
        help_texts = {
            "goal_kind": _("Effect: what changes for people (less crime, more safety). "
                           "Process: how the work is done. Production: what is delivered "
                           "(number of walks, trainings)."),
            "baseline_text": _("As written in the plan, e.g. “4-6”."),
            "target_text": _("As written in the plan, e.g. “minst 8” or “0-2”."),
            "scale_min": _("For values on a scale, e.g. 1 to 6."),
        }

    def __init__(self, *args, subject_field: str | None = None, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subject_field and subject is not None and not self.instance.pk:
            # The model checks that an indicator has a subject while the form validates.
            setattr(self.instance, subject_field, subject)
        for name in ("baseline_value", "target_value", "scale_min", "scale_max"):
            self.fields[name].localize = True
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields[name].widget.is_localized = True

    def clean(self):
        cleaned = super().clean()
        baseline, target = cleaned.get("baseline_value"), cleaned.get("target_value")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target_value", _("The target must differ from the baseline."))
        return cleaned


class MeasurementForm(ScopedModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "note", "source"]
        widgets = {
            "measured_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "source": _("Where the value comes from, e.g. the survey of 2018."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].localize = True
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["value"].widget.is_localized = True

