"""Forms of the SSPF/SIG pages. They collect input for the services, which validate again."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedForm, ScopedModelForm, VersionedFormMixin
from samverkan.organizations.models import Membership, Organization
from samverkan.plans.models import Activity
from samverkan.situation.models import Area

from .choices import PICKABLE_PURPOSES, Agency, ConsentGiver, ConsentMethod, MemberRole, Sex
from .models import Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _areas(municipality):
    return Area.objects.filter(municipality=municipality).order_by("name")


class ProgrammeForm(ScopedModelForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "areas", "target_broken_loose", "period_start",
                  "period_end", "retention_months", "suppression_threshold", "indicator"]
        widgets = {"period_start": DATE, "period_end": DATE,
                   "areas": forms.CheckboxSelectMultiple}

    def clean_suppression_threshold(self):
        value = self.cleaned_data["suppression_threshold"]
        if value < 3:
            raise forms.ValidationError(_("Use at least 3, so that no young person can be "
                                          "recognised."))
        return value


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Why are you opening the case?"),
                                choices=PICKABLE_PURPOSES)


class CaseForm(VersionedFormMixin, ScopedForm):
    """A case's facts. Editing a stored case (`versioned=case`): a stale form is refused
    (`VersionedFormMixin`; the name, number and year of birth count through a keyed digest,
    `Case.version_private_fields`)."""

    person_name = forms.CharField(label=_("Name of the young person"), max_length=200)
    personal_number = forms.CharField(
        label=_("Personal identity number"), max_length=20, required=False,
        help_text=_("YYYYMMDD-NNNN. Stored encrypted; the case can be found by it."))
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False,
                                    min_value=1990, max_value=2100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.OTHER)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(),
                                  required=False)
    guardian_count = forms.IntegerField(label=_("Number of guardians"), min_value=0,
                                        max_value=4, initial=2,
                                        help_text=_("Whose consent is needed while the young "
                                                    "person is under 18."))
    started_on = forms.DateField(label=_("Started"), widget=DATE)

    def __init__(self, *args, user=None, municipality=None, versioned=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        self.fields["area"].queryset = _areas(municipality)
        self.setup_version(versioned)


class NewCaseForm(CaseForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    owning_unit = forms.ModelChoiceField(label=_("Owning unit"),
                                         queryset=Organization.objects.none(),
                                         help_text=_("You become the case's responsible "
                                                     "person."))
    field_order = ["programme", "owning_unit"]

    def __init__(self, *args, user=None, municipality=None, owning_units=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(municipality=municipality)
        self.fields["owning_unit"].queryset = owning_units.filter(municipality=municipality)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed"), widget=DATE)
    left_criminal_environment = forms.NullBooleanField(
        label=_("Left the criminal environment"), widget=forms.NullBooleanSelect)
    in_education_or_work = forms.NullBooleanField(label=_("In education or work"),
                                                  widget=forms.NullBooleanSelect)


class OutcomeForm(VersionedFormMixin, forms.Form):
    new_suspicion_12_months = forms.NullBooleanField(
        label=_("New suspicion of crime within 12 months"), widget=forms.NullBooleanSelect)

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_version(versioned)  # the stored case: a stale form is refused


class MemberForm(ScopedForm):
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    organization = forms.ModelChoiceField(label=_("Organisation"),
                                          queryset=Organization.objects.none())
    agency = forms.ChoiceField(label=_("Agency"), choices=Agency.choices)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices,
                             initial=MemberRole.TEAM)
    note = forms.CharField(label=_("Task in the team"), max_length=200, required=False)

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Only organisations the user may read (a restricted unit's name stays hidden); the
        # people offered are members of those.
        orgs = Organization.objects.visible_to(user).filter(
            municipality=municipality).order_by("name")
        self.fields["organization"].queryset = orgs
        users = Membership.objects.filter(organization__in=orgs, active=True,
                                          user__is_superuser=False).values("user_id")
        self.fields["user"].queryset = get_user_model().objects.filter(
            pk__in=users).order_by("first_name", "last_name", "username")
        self.fields["user"].label_from_instance = (
            lambda u: u.get_full_name() or u.get_username())


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    giver_name = forms.CharField(label=_("Name of the guardian"), max_length=200,
                                 required=False)
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    document = forms.FileField(label=_("Signed form (PDF, JPEG or PNG)"), required=False)
    agencies = forms.MultipleChoiceField(label=_("Agencies covered"), choices=Agency.choices,
                                         widget=forms.CheckboxSelectMultiple)
    ends_on = forms.DateField(label=_("Valid until"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("For consent given in a meeting: which meeting."))


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Short notes"), widget=forms.Textarea(attrs={"rows": 4}),
                            required=False,
                            help_text=_("Only what the team needs. Stored encrypted."))


class ActionForm(ScopedForm):
    agency = forms.ChoiceField(label=_("Agency"), choices=Agency.choices)
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    activity = forms.ModelChoiceField(
        label=_("Activity in the action plan"), queryset=Activity.objects.none(),
        required=False, help_text=_("Optional. Nothing about the case is shown on the "
                                    "activity."))

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Narrowed to what the user may see in the municipality by ScopedForm.
        self.fields["activity"].queryset = Activity.objects.order_by("title")


class SearchForm(forms.Form):
    personal_number = forms.CharField(label=_("Personal identity number"), max_length=20)
