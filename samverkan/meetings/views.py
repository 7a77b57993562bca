"""Meeting pages. Reads go through `visible_to`, writes through `services`; a visible record
the user may not change answers 403. The coordinator uses the meeting page during the meeting:
agenda, minutes per item, decisions, action items and attendance are edited in place (htmx
where it helps; every form also works without JavaScript)."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.agreements.models import Agreement, Forum
from samverkan.audit.services import history
from samverkan.core import access, examples
from samverkan.core.choices import Role
from samverkan.core.documents import file_response
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormView,
    add_validation_error,
    audit_reads,
)

from . import services
from .agenda import propose_agenda
from .attendance import forum_attendance as attendance_rows
from .choices import ActionItemStatus, ComplianceKey, ComplianceStatus, MeetingStatus
from .compliance import compliance_by_section, compliance_lines
from .documents import agenda_document, compliance_document, minutes_document
from .filters import MeetingFilterSet
from .forms import (
    ActionItemForm,
    AgendaItemForm,
    AgendaItemQuickForm,
    ComplianceCheckForm,
    DecisionForm,
    DecisionUpdateForm,
    GuestForm,
    MeetingForm,
    MeetingUpdateForm,
    MinutesForm,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendance,
    ComplianceChange,
    ComplianceCheck,
    Decision,
    Meeting,
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _meeting(request, pk, *, change=False) -> Meeting:
    meeting = access.get_visible_or_404(
        Meeting.objects.select_related("forum", "forum__agreement", "municipality"),
        request.user, pk=pk)
    if change:
        access.require_change(request.user, meeting)
    return meeting


def _changeable(request, model, pk):
    obj = access.get_visible_or_404(model, request.user, pk=pk)
    access.require_change(request.user, obj)
    return obj


# -- list ---------------------------------------------------------------------------------------

class MeetingListView(ScopedListView):
    model = Meeting
    filterset_class = MeetingFilterSet
    template_name = "meetings/meeting_list.html"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().select_related("forum", "forum__agreement")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        qs = ctx["object_list"]
        ctx["upcoming"] = qs.filter(date__gte=today).order_by("date", "start_time", "pk")
        page = Paginator(qs.filter(date__lt=today).order_by("-date", "-start_time", "-pk"),
                         30).get_page(self.request.GET.get("page"))
        ctx["past"] = page
        ctx["page_obj"] = page
        forum = self.filterset.form.cleaned_data.get("forum") \
            if self.filterset.form.is_valid() else None
        ctx["forum"] = forum
        create_url = reverse("meetings:meeting_create")
        ctx["create_url"] = f"{create_url}?forum={forum.pk}" if forum else create_url
        return ctx


# -- meeting ------------------------------------------------------------------------------------

def _detail_context(request, meeting: Meeting) -> dict:
    user = request.user
    can_change = access.can_change(user, meeting)
    items = list(meeting.agenda_items.visible_to(user).select_related(
        "focus_area", "activity", "deviation", "deviation__activity", "followup_round",
        "carried_action_item", "carried_action_item__meeting").order_by("order", "pk"))
    decisions = list(meeting.decisions.visible_to(user).select_related("activity",
                                                                       "agenda_item"))
    actions = list(meeting.action_items.visible_to(user).select_related("organization",
                                                                        "agenda_item"))
    for item in items:
        item.item_decisions = [d for d in decisions if d.agenda_item_id == item.pk]
        item.item_actions = [a for a in actions if a.agenda_item_id == item.pk]
        item.minutes_form = MinutesForm(initial={"minutes": item.minutes},
                                        prefix=f"item{item.pk}", versioned=item)
    attendances = list(meeting.attendances.visible_to(user).select_related(
        "member", "organization"))
    ctx = {
        "meeting": meeting, "object": meeting, "forum": meeting.forum,
        "agreement": meeting.forum.agreement, "items": items, "decisions": decisions,
        "action_items": actions, "attendances": attendances,
        "present_count": sum(1 for a in attendances if a.present),
        "can_change": can_change, "today": timezone.localdate(),
        "statuses": MeetingStatus, "action_statuses": ActionItemStatus,
    }
    for action in actions:
        action.may_change = can_change or access.can_change(user, action)
    if can_change:
        ctx["agenda_form"] = AgendaItemQuickForm(user=user, municipality=meeting.municipality,
                                                 meeting=meeting)
        ctx["guest_form"] = GuestForm(user=user, municipality=meeting.municipality,
                                      meeting=meeting)
        ctx["proposals"] = propose_agenda(meeting)
    if access.has_role(user, meeting.municipality_id, Role.COORDINATOR):
        ctx["history"] = access.filter_audit(history(meeting), user)[:30]
    return ctx


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    if meeting.confidentiality == "restricted":
        from samverkan.audit.services import record_view

        record_view(actor=request.user, obj=meeting)
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _section(request, meeting, template: str, anchor: str):
    """After a write: the changed section for htmx, else back to the meeting page."""
    if _is_htmx(request):
        return render(request, template, _detail_context(request, meeting))
    return redirect(f"{meeting.get_absolute_url()}#{anchor}")


class MeetingCreateView(ScopedCreateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def get_initial(self):
        initial = super().get_initial()
        forum = self.request.GET.get("forum")
        if forum and forum.isdigit():
            initial["forum"] = int(forum)
        return initial

    def perform(self, form):
        data = form.service_data()
        return services.create_meeting(actor=self.request.user, **data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New meeting")
        ctx["submit_label"] = _("Create the meeting")
        return ctx

    def success_message(self):
        return _("The meeting was created. Check the agenda and add what is missing.")


class MeetingUpdateView(ScopedUpdateView):
    model = Meeting
    form_class = MeetingUpdateForm

    def perform(self, form):
        return services.update_meeting(self.object, actor=self.request.user,
                                       **form.service_data())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Edit meeting %(meeting)s") % {"meeting": self.object}
        return ctx


class MeetingDeleteView(ScopedDeleteView):
    model = Meeting

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["delete_warning"] = _("The agenda, minutes, decisions, action items and attendance "
                                  "are deleted with the meeting. Activities created by its "
                                  "decisions stay in the plan.")
        return ctx

    def get_success_url(self):
        return reverse("meetings:meeting_list")

    def perform(self, obj):
        services.delete_meeting(obj, actor=self.request.user)


@login_required
@require_POST
def meeting_status(request, pk):
    meeting = _meeting(request, pk, change=True)
    try:
        services.set_meeting_status(meeting, actor=request.user,
                                    status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is now marked “%(status)s”.") % {
            "status": meeting.get_status_display()})
    return redirect(meeting.get_absolute_url())


@login_required
@require_GET
def agenda_preview(request):
    """The agenda the system would propose for a forum and date (on the new-meeting page)."""
    forum_id, date = request.GET.get("forum", ""), request.GET.get("date", "")
    proposals, forum = [], None
    if forum_id.isdigit():
        forum = access.get_visible_or_404(Forum, request.user, pk=int(forum_id))
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            day = timezone.localdate()
        proposals = propose_agenda(Meeting(forum=forum, date=day,
                                           municipality_id=forum.municipality_id))
    return render(request, "meetings/_agenda_preview.html",
                  {"proposals": proposals, "forum": forum})


# -- agenda -------------------------------------------------------------------------------------

@login_required
@require_POST
def agenda_item_add(request, pk):
    meeting = _meeting(request, pk, change=True)
    form = AgendaItemQuickForm(request.POST, user=request.user,
                               municipality=meeting.municipality, meeting=meeting)
    if form.is_valid():
        try:
            services.add_agenda_item(actor=request.user, meeting=meeting,
                                     **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
    if form.errors:
        ctx = _detail_context(request, meeting)
        ctx["agenda_form"] = form
        return render(request, "meetings/_agenda.html" if _is_htmx(request)
                      else "meetings/meeting_detail.html", ctx, status=422 if not
                      _is_htmx(request) else 200)
    return _section(request, meeting, "meetings/_agenda.html", "agenda")


@login_required
@require_POST
def agenda_propose(request, pk):
    meeting = _meeting(request, pk, change=True)
    added = services.apply_proposed_agenda(meeting, actor=request.user)
    if not _is_htmx(request):
        messages.success(request, _("%(n)s proposed items were added to the agenda.") % {
            "n": len(added)})
    return _section(request, meeting, "meetings/_agenda.html", "agenda")


@login_required
@require_POST
def agenda_item_move(request, pk):
    item = _changeable(request, AgendaItem, pk)
    try:
        services.move_agenda_item(item, actor=request.user,
                                  direction=request.POST.get("direction", ""))
    except ValidationError:
        return HttpResponseBadRequest()
    return _section(request, item.meeting, "meetings/_agenda.html", f"item-{item.pk}")


@login_required
@require_POST
def agenda_item_minutes(request, pk):
    item = _changeable(request, AgendaItem, pk)
    form = MinutesForm(request.POST, prefix=f"item{item.pk}", versioned=item)
    saved = False
    if form.is_valid():
        try:
            with form.locked_version():
                item = services.record_minutes(item, actor=request.user,
                                               minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            saved = True
    if _is_htmx(request):
        item.minutes_form = form if not saved else MinutesForm(
            initial={"minutes": item.minutes}, prefix=f"item{item.pk}", versioned=item)
        return render(request, "meetings/_minutes.html",
                      {"item": item, "can_change": True,
                       "saved_at": timezone.localtime() if saved else None})
    if saved:
        messages.success(request, _("The minutes were saved."))
    else:
        for error in form.non_field_errors():
            messages.error(request, error)
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


class MeetingChildMixin:
    """Views of a record inside a meeting: the form is limited to the meeting's agreement and
    success goes back to the meeting page."""

    def get_meeting(self):
        return self.object.meeting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.get_meeting()
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()


class AgendaItemUpdateView(MeetingChildMixin, ScopedUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm

    def perform(self, form):
        return services.update_agenda_item(self.object, actor=self.request.user,
                                           **form.service_data())


class AgendaItemDeleteView(ScopedDeleteView):
    model = AgendaItem

    def get_success_url(self):
        return f"{self.object.meeting.get_absolute_url()}#agenda"

    def perform(self, obj):
        services.remove_agenda_item(obj, actor=self.request.user)


# -- attendance ---------------------------------------------------------------------------------

@login_required
@require_POST
def attendance_record(request, pk):
    meeting = _meeting(request, pk, change=True)
    visible = set(meeting.attendances.visible_to(request.user).values_list("pk", flat=True))
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()
               and int(v) in visible]
    services.record_attendance(meeting, actor=request.user, present=present)
    if not _is_htmx(request):
        messages.success(request, _("The attendance was saved."))
    return _section(request, meeting, "meetings/_attendance.html", "attendance")


@login_required
@require_POST
def attendance_guest(request, pk):
    meeting = _meeting(request, pk, change=True)
    form = GuestForm(request.POST, user=request.user, municipality=meeting.municipality,
                     meeting=meeting)
    if form.is_valid():
        try:
            services.add_attendance(actor=request.user, meeting=meeting,
                                    **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
    if form.errors:
        ctx = _detail_context(request, meeting)
        ctx["guest_form"] = form
        return render(request, "meetings/_attendance.html" if _is_htmx(request)
                      else "meetings/meeting_detail.html", ctx)
    return _section(request, meeting, "meetings/_attendance.html", "attendance")


@login_required
@require_POST
def attendance_members(request, pk):
    meeting = _meeting(request, pk, change=True)
    services.add_forum_members(meeting, actor=request.user)
    return _section(request, meeting, "meetings/_attendance.html", "attendance")


@login_required
@require_POST
def attendance_delete(request, pk):
    attendance = _changeable(request, Attendance, pk)
    meeting = attendance.meeting
    services.remove_attendance(attendance, actor=request.user)
    return _section(request, meeting, "meetings/_attendance.html", "attendance")


# -- decisions ----------------------------------------------------------------------------------

class MeetingChildCreateView(ServiceFormView):
    """Create a record inside the meeting named by the URL (changing the meeting)."""

    template_name = "core/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = _meeting(request, kwargs["pk"], change=True)
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self):
        return self.meeting.municipality

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        item = self.request.GET.get("item")
        if item and item.isdigit():
            initial["agenda_item"] = int(item)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meeting"] = self.meeting
        ctx["cancel_url"] = self.meeting.get_absolute_url()
        return ctx


class DecisionCreateView(MeetingChildCreateView):
    model = Decision
    form_class = DecisionForm
    template_name = "meetings/decision_form.html"

    def perform(self, form):
        from samverkan.plans.models import Activity

        kwargs = form.service_kwargs()
        user = self.request.user
        if "create_activity" in kwargs and not access.can_create(
                user, self.meeting.municipality, Activity):
            raise PermissionDenied
        if "change_activity" in kwargs:
            access.require_change(user, kwargs["change_activity"][0])
        return services.record_decision(actor=user, meeting=self.meeting, **kwargs)

    def success_message(self):
        if self.object.activity_id:
            return _("The decision was recorded and the activity “%(activity)s” updated in "
                     "the plan.") % {"activity": self.object.activity}
        return _("The decision was recorded.")

    def get_success_url(self):
        return f"{self.meeting.get_absolute_url()}#decisions"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New decision")
        return ctx


class DecisionUpdateView(MeetingChildMixin, ScopedUpdateView):
    model = Decision
    form_class = DecisionUpdateForm

    def perform(self, form):
        return services.update_decision(self.object, actor=self.request.user,
                                        **form.service_data())


class DecisionDeleteView(ScopedDeleteView):
    model = Decision

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object.activity_id:
            ctx["delete_warning"] = _("The activity “%(activity)s” stays in the plan.") % {
                "activity": self.object.activity}
        return ctx

    def get_success_url(self):
        return f"{self.object.meeting.get_absolute_url()}#decisions"

    def perform(self, obj):
        services.delete_decision(obj, actor=self.request.user)


# -- action items -------------------------------------------------------------------------------

class ActionItemCreateView(MeetingChildCreateView):
    model = ActionItem
    form_class = ActionItemForm

    def perform(self, form):
        return services.create_action_item(actor=self.request.user, meeting=self.meeting,
                                           **form.service_data())

    def get_success_url(self):
        return f"{self.meeting.get_absolute_url()}#action-items"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New action item")
        return ctx

    def success_message(self):
        return _("The action item was added.")


class ActionItemUpdateView(MeetingChildMixin, ScopedUpdateView):
    model = ActionItem
    form_class = ActionItemForm

    def perform(self, form):
        return services.update_action_item(self.object, actor=self.request.user,
                                           **form.service_data())


class ActionItemDeleteView(ScopedDeleteView):
    model = ActionItem

    def get_success_url(self):
        return f"{self.object.meeting.get_absolute_url()}#action-items"

    def perform(self, obj):
        services.delete_action_item(obj, actor=self.request.user)


@login_required
@require_POST
def action_item_status(request, pk):
    item = _changeable(request, ActionItem, pk)
    try:
        services.set_action_item_status(item, actor=request.user,
                                        status=request.POST.get("status", ""))
    except ValidationError:
        return HttpResponseBadRequest()
    return _section(request, item.meeting, "meetings/_action_items.html", "action-items")


# -- exports ------------------------------------------------------------------------------------

def _export(request, pk, build, name: str):
    meeting = _meeting(request, pk)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("docx", "pdf"):
        raise Http404
    document = build(meeting, request.user)
    audit_reads(request.user, [meeting])
    data = document.to_docx() if fmt == "docx" else document.to_pdf()
    forum = meeting.forum.abbreviation or meeting.forum.name
    filename = f"{slugify(name)}-{slugify(forum)}-{meeting.date:%Y-%m-%d}.{fmt}"
    return file_response(data, filename, fmt)


@login_required
@require_GET
def agenda_export(request, pk):
    return _export(request, pk, agenda_document, _("agenda"))


@login_required
@require_GET
def minutes_export(request, pk):
    return _export(request, pk, minutes_document, _("minutes"))


# -- forum attendance ---------------------------------------------------------------------------

@login_required
def forum_attendance(request, pk):
    forum = access.get_visible_or_404(Forum.objects.select_related("agreement"), request.user,
                                      pk=pk)
    ctx = {"forum": forum, "rows": attendance_rows(forum, request.user),
           "has_examples": examples.any_example(
               Meeting.objects.visible_to(request.user).filter(forum=forum))}
    template = "meetings/_forum_attendance_table.html" if _is_htmx(request) \
        else "meetings/forum_attendance.html"
    return render(request, template, ctx)


# -- compliance ---------------------------------------------------------------------------------

def _compliance_context(request, agreement):
    lines = compliance_lines(agreement, user=request.user)
    groups = compliance_by_section(lines)
    history = (ComplianceChange.objects.visible_to(request.user)
               .filter(agreement=agreement).select_related("changed_by")[:200])
    return {"agreement": agreement, "lines": lines, "groups": groups, "history": history,
            "met": sum(1 for line in lines if line.met),
            "measurable": sum(1 for line in lines
                              if line.status != ComplianceStatus.NOT_MEASURABLE),
            "total": len(lines), "interval_source": agreement.situation_picture_interval_source,
            "has_examples": any(e.is_example for line in lines for e in line.evidence)}


@login_required
def compliance(request, pk):
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    ctx = _compliance_context(request, agreement)
    can_tick = access.can_create(request.user, agreement.municipality, ComplianceCheck)
    for line in ctx["lines"]:
        line.form = ComplianceCheckForm(
            instance=line.check, user=request.user, municipality=agreement.municipality,
            prefix=line.key) if can_tick and line.may_tick else None
    return render(request, "meetings/compliance.html", {**ctx, "can_tick": can_tick})


@login_required
@require_GET
def compliance_export(request, pk):
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    fmt = request.GET.get("format", "docx")
    if fmt not in ("docx", "pdf"):
        raise Http404
    ctx = _compliance_context(request, agreement)
    document = compliance_document(agreement, ctx["groups"], ctx["history"],
                                   base_url=request.build_absolute_uri("/")[:-1])
    data = document.to_docx() if fmt == "docx" else document.to_pdf()
    filename = f"{slugify(_('compliance'))}-{slugify(agreement.municipality.name)}-" \
               f"{timezone.localdate():%Y-%m-%d}.{fmt}"
    return file_response(data, filename, fmt)


@login_required
@require_POST
def compliance_check(request, pk, key):
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    if key not in ComplianceKey.values:
        raise Http404
    existing = ComplianceCheck.objects.filter(agreement=agreement, key=key).first()
    if existing is not None:
        access.require_change(request.user, existing)
    else:
        access.require_create(request.user, agreement.municipality, ComplianceCheck)
    form = ComplianceCheckForm(request.POST, instance=existing, user=request.user,
                               municipality=agreement.municipality, prefix=key)
    if form.is_valid():
        try:
            # The version is checked again with the row locked, in the service's transaction.
            services.set_compliance_check(actor=request.user, agreement=agreement, key=key,
                                          checked=form.cleaned_data["checked"],
                                          note=form.cleaned_data["note"],
                                          version=form.submitted_version)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        for message in form.non_field_errors():  # a stale form says what changed
            messages.error(request, message)
        if any(name != "__all__" for name in form.errors):
            messages.error(request, _("Please correct the errors below."))
    return redirect(reverse("meetings:compliance", args=[agreement.pk]) + f"#{key}")
