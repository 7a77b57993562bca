from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samverkan.core.forms import ScopedForm, ScopedModelForm, VersionedFormMixin

from .choices import DecisionEffect
from .models import ActionItem, AgendaItem, Attendance, ComplianceCheck, Decision, Meeting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(ScopedModelForm):
    prefill_attendance = forms.BooleanField(
        label=_("List the forum's members as attendees"), required=False, initial=True)
    with_proposed_agenda = forms.BooleanField(
        label=_("Start from the proposed agenda"), required=False, initial=True,
        help_text=_("Action items left from earlier meetings, the follow-up round that is due "
                    "and the open deviations. You can change the agenda afterwards."))

    class Meta:
        model = Meeting
        fields = ["forum", "title", "kind", "date", "start_time", "end_time", "place",
                  "confidentiality", "restricted_to"]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = self.fields["forum"].queryset.select_related(
            "agreement").order_by("agreement__title", "pk")
        self.fields["forum"].label_from_instance = lambda f: f"{f} – {f.agreement.title}"


class MeetingUpdateForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "kind", "date", "start_time", "end_time", "place", "status",
                  "confidentiality", "restricted_to"]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}


class MeetingChildForm(ScopedModelForm):
    """A form for a record inside `meeting`: links are limited to the meeting's agreement."""

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if getattr(self.instance, "meeting_id", 0) is None:
            self.instance.meeting = meeting  # so that the model's checks see the meeting
        agreement_id = meeting.forum.agreement_id
        limits = {"focus_area": {"agreement_id": agreement_id},
                  "activity": {"agreement_id": agreement_id},
                  "deviation": {"activity__agreement_id": agreement_id,
                                "resolved_on__isnull": True},
                  "followup_round": {"agreement_id": agreement_id},
                  "agenda_item": {"meeting": meeting}}
        for name, lookup in limits.items():
            if name in self.fields:
                self.fields[name].queryset = self.fields[name].queryset.filter(**lookup)
        if "agenda_item" in self.fields:
            self.fields["agenda_item"].label_from_instance = lambda i: f"{i.order}. {i.title}"


class AgendaItemForm(MeetingChildForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "focus_area", "activity", "deviation",
                  "followup_round", "minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AgendaItemQuickForm(MeetingChildForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class MinutesForm(VersionedFormMixin, forms.Form):
    """An agenda item's minutes: a stale form (someone saved the minutes meanwhile) is
    refused (`VersionedFormMixin`)."""

    minutes = forms.CharField(label=_("Minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_version(versioned)


class GuestForm(MeetingChildForm):
    class Meta:
        model = Attendance
        fields = ["guest_name", "organization", "present"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guest_name"].required = True
        self.fields["present"].initial = True


class ActionItemForm(MeetingChildForm):
    class Meta:
        model = ActionItem
        fields = ["what", "organization", "person", "due_date", "agenda_item", "status"]
        widgets = {"due_date": DATE, "what": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(ScopedForm):
    """A decision, and what it does to the plan: nothing, a new activity or a change to an
    existing one."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects
                                         .none(), required=False)
    effect = forms.ChoiceField(label=_("Effect on the action plan"),
                               choices=[(DecisionEffect.NONE, _("No change to the plan")),
                                        (DecisionEffect.CREATED, _("Create a new activity")),
                                        (DecisionEffect.CHANGED,
                                         _("Change an existing activity"))], required=False,
                               widget=forms.RadioSelect, initial=DecisionEffect.NONE)
    # a new activity
    new_focus_area = forms.ModelChoiceField(label=_("Focus area"), queryset=None,
                                            required=False)
    new_sub_goal = forms.ModelChoiceField(label=_("Sub-goal"), queryset=None, required=False)
    new_title = forms.CharField(label=_("Activity"), max_length=500, required=False)
    new_description = forms.CharField(label=_("Description"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    new_responsible_organizations = forms.ModelMultipleChoiceField(
        label=_("Responsible organisations"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    new_timing_text = forms.CharField(label=_("When"), max_length=500, required=False,
                                      help_text=_("As you would write it, e.g. 'Hösten 2025'."))
    # a change to an existing activity
    change_activity = forms.ModelChoiceField(label=_("Activity to change"), queryset=None,
                                             required=False)
    change_status = forms.ChoiceField(label=_("New status"), required=False, choices=())
    change_start_date = forms.DateField(label=_("New start date"), required=False,
                                        widget=DATE)
    change_end_date = forms.DateField(label=_("New end date"), required=False, widget=DATE)

    NEW_FIELDS = ("new_focus_area", "new_sub_goal", "new_title", "new_description",
                  "new_responsible_organizations", "new_timing_text")
    CHANGE_FIELDS = ("change_activity", "change_status", "change_start_date",
                     "change_end_date")

    def __init__(self, *args, user=None, municipality=None, meeting=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        from samverkan.agreements.models import FocusArea, SubGoal
        from samverkan.organizations.models import Organization
        from samverkan.plans.choices import ActivityStatus
        from samverkan.plans.models import Activity

        self.meeting = meeting
        agreement_id = meeting.forum.agreement_id
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["agenda_item"].label_from_instance = lambda i: f"{i.order}. {i.title}"
        self.fields["new_focus_area"].queryset = FocusArea.objects.visible_to(user).filter(
            agreement_id=agreement_id)
        self.fields["new_sub_goal"].queryset = SubGoal.objects.visible_to(user).filter(
            focus_area__agreement_id=agreement_id).select_related("focus_area")
        self.fields["new_sub_goal"].label_from_instance = (
            lambda s: f"{s.focus_area.number or ''}.{s.number or ''} {s}")
        self.fields["new_responsible_organizations"].queryset = Organization.objects \
            .visible_to(user).filter(municipality=meeting.municipality).order_by("name")
        self.fields["change_activity"].queryset = Activity.objects.visible_to(user).filter(
            agreement_id=agreement_id)
        self.fields["change_status"].choices = [("", _("(unchanged)"))] + list(
            ActivityStatus.choices)

    def clean(self):
        data = super().clean()
        effect = data.get("effect") or ""
        errors = {}
        if effect == DecisionEffect.CREATED:
            if not data.get("new_focus_area"):
                errors["new_focus_area"] = _("Choose the focus area of the new activity.")
            if not (data.get("new_title") or "").strip():
                errors["new_title"] = _("Give the new activity a name.")
            sub_goal = data.get("new_sub_goal")
            if sub_goal and data.get("new_focus_area") and (
                    sub_goal.focus_area_id != data["new_focus_area"].pk):
                errors["new_sub_goal"] = _("The sub-goal belongs to another focus area.")
        elif effect == DecisionEffect.CHANGED:
            if not data.get("change_activity"):
                errors["change_activity"] = _("Choose the activity the decision changes.")
            elif not any(data.get(f) for f in self.CHANGE_FIELDS[1:]):
                errors["change_status"] = _("Say what the decision changes in the activity.")
        if errors:
            raise ValidationError(errors)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"text": data["text"], "agenda_item": data.get("agenda_item")}
        effect = data.get("effect") or ""
        if effect == DecisionEffect.CREATED:
            kwargs["create_activity"] = {
                "focus_area": data["new_focus_area"], "title": data["new_title"].strip(),
                "sub_goal": data.get("new_sub_goal"),
                "description": data.get("new_description", ""),
                "timing_text": data.get("new_timing_text", ""),
                "responsible_organizations": list(data.get("new_responsible_organizations")
                                                  or []) or None,
            }
        elif effect == DecisionEffect.CHANGED:
            changes = {"status": data.get("change_status"),
                       "start_date": data.get("change_start_date"),
                       "end_date": data.get("change_end_date")}
            kwargs["change_activity"] = (data["change_activity"],
                                         {k: v for k, v in changes.items() if v})
        return kwargs


class DecisionUpdateForm(MeetingChildForm):
    class Meta:
        model = Decision
        fields = ["text", "agenda_item"]


class ComplianceCheckForm(ScopedModelForm):
    class Meta:
        model = ComplianceCheck
        fields = ["checked", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
