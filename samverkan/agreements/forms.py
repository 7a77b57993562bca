"""Page forms. Every related-record choice is limited to the municipality being worked on
(`ScopedModelForm`); the services validate again."""
from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedModelForm
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.models import Organization

from .choices import PartyRole, PriorityCriterion
from .models import (
    Agreement,
    Commitment,
    DataSource,
    Definition,
    FocusArea,
    FollowUpEntry,
    Forum,
    ForumMember,
    Party,
    Practice,
    PriorityArea,
    Signatory,
    SubGoal,
)

PERSONAL_DATA_HINT = _("Do not write personal identity numbers or names of private persons.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _rows(n):
    return forms.Textarea(attrs={"rows": n})


class AgreementForm(ScopedModelForm):
    """The agreement itself. When creating, the parties are chosen here too."""

    def clean_situation_picture_interval_months(self):
        value = self.cleaned_data.get("situation_picture_interval_months")
        if value is None:
            return self.instance.situation_picture_interval_months or 12
        if value < 1:
            raise forms.ValidationError(_("Give at least one month."))
        return value

    municipality_party = forms.ModelChoiceField(
        queryset=Organization.objects.all(), required=False, label=_("Municipality (party)"),
        help_text=_("The municipality that signs the agreement."))
    police_party = forms.ModelChoiceField(
        queryset=Organization.objects.all(), required=False, label=_("Police (party)"),
        help_text=_("The local police area that signs the agreement."))
    other_parties = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.all(), required=False, label=_("Other parties"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other organisations that sign, e.g. the housing company."))

    party_fields = ("municipality_party", "police_party", "other_parties")

    class Meta:
        model = Agreement
        fields = ["title", "start_date", "end_date", "status", "council_decision_date",
                  "signed_date", "executive_board_decision_date", "police_decision_date",
                  "communications_lead", "situation_picture_interval_months",
                  "situation_picture_interval_source", "overall_goal", "purpose", "background",
                  "communication_strategy", "commitments_intro", "followup_text",
                  "evaluation_year",
                  "confidentiality", "restricted_to"]
        widgets = {
            "start_date": DateInput(), "end_date": DateInput(),
            "council_decision_date": DateInput(), "signed_date": DateInput(),
            "executive_board_decision_date": DateInput(), "police_decision_date": DateInput(),
            "overall_goal": _rows(3), "purpose": _rows(5), "background": _rows(6),
            "communication_strategy": _rows(5), "commitments_intro": _rows(4),
            "followup_text": _rows(5),
        }
        help_texts = {
            "title": _("E.g. 'Samverkansöverenskommelse mellan Eskilstuna kommun och "
                       "Polismyndigheten'."),
            "overall_goal": _("The joint goal sentence of the agreement."),
            "evaluation_year": _("The year the agreement is evaluated."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situation_picture_interval_months"].required = False
        self.fields["situation_picture_interval_months"].min_value = 1
        if self.instance.pk:
            for name in self.party_fields:
                del self.fields[name]
            return
        orgs = self.fields["municipality_party"].queryset.order_by("name")
        self.fields["municipality_party"].queryset = orgs.filter(
            kind=OrganizationKind.MUNICIPALITY)
        self.fields["police_party"].queryset = orgs.filter(kind=OrganizationKind.POLICE)
        self.fields["other_parties"].queryset = orgs.exclude(
            kind__in=[OrganizationKind.MUNICIPALITY, OrganizationKind.POLICE])
        for name in ("municipality_party", "police_party"):
            choices = self.fields[name].queryset
            if not self.is_bound and choices.count() == 1:
                self.initial[name] = choices.first().pk
        if not self.fields["other_parties"].queryset.exists():
            del self.fields["other_parties"]
        # Title, period and parties first: what a coordinator has at hand when starting.
        self.order_fields(["title", "start_date", "end_date", *self.party_fields, "status",
                           "council_decision_date", "signed_date"])

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        parties = []
        if data.get("municipality_party"):
            parties.append((data["municipality_party"], PartyRole.MUNICIPALITY))
        if data.get("police_party"):
            parties.append((data["police_party"], PartyRole.POLICE))
        for org in data.get("other_parties") or ():
            parties.append((org, PartyRole.OTHER))
        for name in self.party_fields:
            data.pop(name, None)
        if not self.instance.pk:
            data["parties"] = parties
        return data


class PartyForm(ScopedModelForm):
    class Meta:
        model = Party
        fields = ["organization", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.agreement_id:
            # Only organisations that are not parties yet.
            taken = Party.objects.filter(agreement_id=self.instance.agreement_id).exclude(
                pk=self.instance.pk).values("organization_id")
            field = self.fields["organization"]
            field.queryset = field.queryset.exclude(pk__in=taken).order_by("name")


class SignatoryForm(ScopedModelForm):
    class Meta:
        model = Signatory
        fields = ["name", "title", "organization", "signed_on"]
        widgets = {"signed_on": DateInput()}
        help_texts = {"title": _("E.g. 'Kommunstyrelsens ordförande', "
                                 "'Lokalpolisområdeschef'.")}


class PriorityAreaForm(ScopedModelForm):
    class Meta:
        model = PriorityArea
        fields = ["name", "description"]
        widgets = {"description": _rows(3)}


class DataSourceForm(ScopedModelForm):
    class Meta:
        model = DataSource
        fields = ["name", "used", "organization", "note"]
        widgets = {"note": _rows(3)}
        help_texts = {
            "name": _("E.g. the Police's crime statistics, Brå's NTU, a safety survey."),
            "used": _("Leave unticked for a source that was considered but left out."),
        }


class FollowUpEntryForm(ScopedModelForm):
    class Meta:
        model = FollowUpEntry
        fields = ["text", "kind", "times_per_year", "forum", "year"]
        widgets = {"text": _rows(3)}
        help_texts = {"text": _("As the agreement says, e.g. 'Eventuella avvikelser följs upp "
                                "månadsvis'.")}

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is None and self.instance.agreement_id:
            agreement = self.instance.agreement
        if agreement is not None:
            self.fields["forum"].queryset = self.fields["forum"].queryset.filter(
                agreement=agreement)


class FocusAreaForm(ScopedModelForm):
    priority_criteria = forms.MultipleChoiceField(
        choices=PriorityCriterion.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Reasons for the priority"),
        help_text=_("Brå's criteria that made this problem a priority."))

    class Meta:
        model = FocusArea
        fields = ["number", "title", "track", "strategy", "goal", "problem_description",
                  "priority_criteria", "cause_analysis", "confidentiality", "restricted_to"]
        widgets = {"goal": _rows(3), "problem_description": _rows(10),
                   "cause_analysis": _rows(6)}
        help_texts = {
            "number": _("Leave empty to use the next number."),
            "problem_description": PERSONAL_DATA_HINT,
        }


class SubGoalForm(ScopedModelForm):
    class Meta:
        model = SubGoal
        fields = ["number", "text"]
        widgets = {"text": _rows(2)}
        help_texts = {"number": _("Leave empty to use the next number.")}


class ForumForm(ScopedModelForm):
    class Meta:
        model = Forum
        fields = ["name", "abbreviation", "kind", "cadence_text", "meetings_per_year",
                  "mandate", "confidentiality", "restricted_to"]
        widgets = {"mandate": _rows(6)}


class ForumMemberForm(ScopedModelForm):
    class Meta:
        model = ForumMember
        fields = ["function", "name", "organization", "role"]
        help_texts = {
            "function": _("E.g. 'Direktör för social hållbarhet', 'Kommunpolis'."),
            "name": _("Optional. Name a function rather than a person where you can."),
        }


class _AgreementFocusAreaMixin:
    """The focus area may only be one of the agreement's."""

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is None and self.instance.agreement_id:
            agreement = self.instance.agreement
        if agreement is not None and "focus_area" in self.fields:
            self.fields["focus_area"].queryset = self.fields["focus_area"].queryset.filter(
                agreement=agreement)


class CommitmentForm(ScopedModelForm):
    class Meta:
        model = Commitment
        fields = ["number", "text", "explanation"]
        widgets = {"text": _rows(2), "explanation": _rows(6)}
        help_texts = {"number": _("Leave empty to use the next number.")}


class DefinitionForm(_AgreementFocusAreaMixin, ScopedModelForm):
    class Meta:
        model = Definition
        fields = ["term", "text", "focus_area", "source", "number"]
        widgets = {"text": _rows(4)}
        help_texts = {"term": _("E.g. 'välfärdsbrottslighet'."),
                      "text": _("Word for word as the source defines it.")}


class PracticeForm(_AgreementFocusAreaMixin, ScopedModelForm):
    class Meta:
        model = Practice
        fields = ["title", "responsible_text", "text", "focus_area", "source", "number"]
        widgets = {"text": _rows(8)}
        help_texts = {"title": _("E.g. 'Kamerabevakning', 'Klotter'."),
                      "text": _("Word for word as the source describes it.")}
