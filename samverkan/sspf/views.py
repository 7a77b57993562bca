"""SSPF/SIG pages. Programmes and their figures are read by the whole collaboration; cases only
by their named participants, logged in with two factors, and every page showing a case is a
read in the audit log with its purpose (asked once per case and session)."""
from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.accounts.otp import verified_second_factor_required
from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.documents import file_response
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import add_validation_error

from . import figures as figures_module
from . import services
from .choices import Agency, ReadPurpose
from .forms import (
    ActionForm,
    CaseForm,
    CloseForm,
    ConsentForm,
    MeetingForm,
    MemberForm,
    NewCaseForm,
    OutcomeForm,
    ProgrammeForm,
    PurposeForm,
    SearchForm,
)
from .models import AgreedAction, Case, CaseMember, Consent, Programme, TeamMeeting, is_verified

PURPOSE_SESSION_KEY = "sspf_purposes"
AGENCY_LABELS = dict(Agency.choices)
PURPOSE_LABELS = dict(ReadPurpose.choices)


def verified_required(view):
    """Logged in, and with a second factor confirmed in this session (samverkan.accounts):
    otherwise the set-up or verify page. No case is looked up first, so nothing is said about
    whether it exists."""
    return login_required(verified_second_factor_required(view))


def _visible(model, request, pk, **related):
    qs = model.objects.visible_to(request.user)
    if related:
        qs = qs.select_related(*related["select"])
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _case(request, pk) -> Case:
    return _visible(Case, request, pk, select=["programme", "owning_unit", "area"])


def _form_page(request, form, title, case=None, submit=None):
    return render(request, "sspf/form_page.html", {
        "form": form, "page_title": title, "case": case,
        "submit_label": submit or _("Save"),
        "cancel_url": case.get_absolute_url() if case else reverse("sspf:home")})


# -- programmes and figures (no personal data) ------------------------------------------------
@login_required
def home(request):
    municipality = current_municipality(request)
    programmes = Programme.objects.visible_to(request.user)
    if municipality is not None:
        programmes = programmes.filter(municipality=municipality)
    return render(request, "sspf/home.html", {
        "programmes": programmes,
        "can_create": municipality is not None and access.has_role(
            request.user, municipality, Role.COORDINATOR),
        "verified": is_verified(request.user),
    })


@login_required
def programme_create(request):
    municipality = current_municipality(request)
    if municipality is None or not access.has_role(request.user, municipality,
                                                   Role.COORDINATOR):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, user=request.user, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            programme = services.create_programme(actor=request.user,
                                                  municipality=municipality, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(programme)
    return _form_page(request, form, _("New SSPF/SIG programme"))


@login_required
def programme_edit(request, pk):
    programme = access.get_visible_or_404(Programme, request.user, pk=pk)
    access.require_change(request.user, programme)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user,
                         municipality=programme.municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        programme.refresh_from_db()
        try:
            with form.locked_version():
                services.update_programme(programme, actor=request.user, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(programme)
    return _form_page(request, form, _("Edit %(name)s") % {"name": programme})


def _granularity(request) -> str:
    return "tertial" if request.GET.get("period") == "tertial" else "year"


@login_required
def programme_detail(request, pk):
    programme = access.get_visible_or_404(
        Programme.objects.prefetch_related("areas"), request.user, pk=pk)
    granularity = _granularity(request)
    return render(request, "sspf/programme_detail.html", {
        "programme": programme, "figures": figures_module.build(programme,
                                                                granularity=granularity),
        "granularity": granularity,
        "can_change": access.can_change(request.user, programme),
        "indicator_visible": programme.indicator_id and access.can_view(
            request.user, programme.indicator),
    })


@login_required
def figures_export(request, pk, fmt):
    if fmt not in ("csv", "docx", "pdf"):
        raise Http404
    programme = access.get_visible_or_404(Programme, request.user, pk=pk)
    figures = figures_module.build(programme, granularity=_granularity(request))
    name = f"sspf-siffror-{programme.pk}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow([_("Period"), _("Flow"), _("Breakdown"), _("Group"), _("Number")])
        writer.writerows(figures_module.as_rows(figures))
        response = HttpResponse(out.getvalue().encode("utf-8-sig"),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    doc = figures_module.document(figures)
    data = doc.to_docx() if fmt == "docx" else doc.to_pdf()
    return file_response(data, f"{name}.{fmt}", fmt)


@login_required
@require_POST
def record_indicator(request, pk):
    """Record the number broken loose on the plan's indicator (a figure, no personal data)."""
    programme = access.get_visible_or_404(Programme, request.user, pk=pk)
    access.require_change(request.user, programme)
    try:
        services.record_indicator(programme, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figure is recorded on the indicator."))
    return redirect(programme)


# -- cases --------------------------------------------------------------------------------------
@verified_required
def case_list(request):
    cases = list(Case.objects.visible_to(request.user).select_related("programme", "area")
                 .order_by("status", "-started_on")[:200])
    services.record_reads(cases, actor=request.user, purpose="overview", channel="page")
    search = SearchForm(request.POST or None)
    found = None
    if request.method == "POST" and search.is_valid():
        try:
            found = list(services.find_by_personal_number(
                request.user, search.cleaned_data["personal_number"]))
        except ValidationError as error:
            search.add_error("personal_number", error)
        else:
            services.record_reads(found, actor=request.user, purpose="search", channel="page")
    return render(request, "sspf/case_list.html", {
        "cases": cases, "search": search, "found": found,
        "can_open": services.owning_units(request.user).exists()})


@verified_required
def case_create(request):
    municipality = current_municipality(request)
    units = services.owning_units(request.user)
    if municipality is None or not units.filter(municipality=municipality).exists():
        raise PermissionDenied
    form = NewCaseForm(request.POST or None, user=request.user, municipality=municipality,
                       owning_units=units, initial={"started_on": services.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            _remember_purpose(request, case, "handling")
            messages.success(request, _("The case is opened. Record the consents before the "
                                        "team starts."))
            return redirect(case)
    return _form_page(request, form, _("Open a case"))


def _remember_purpose(request, case, purpose):
    purposes = request.session.get(PURPOSE_SESSION_KEY, {})
    purposes[str(case.pk)] = purpose
    request.session[PURPOSE_SESSION_KEY] = purposes


def _purpose(request, case) -> str | None:
    return request.session.get(PURPOSE_SESSION_KEY, {}).get(str(case.pk))


@verified_required
def case_detail(request, pk):
    case = _case(request, pk)
    if request.method == "POST" and "purpose" in request.POST:
        form = PurposeForm(request.POST)
        if form.is_valid():
            _remember_purpose(request, case, form.cleaned_data["purpose"])
            return redirect(case)
    purpose = _purpose(request, case)
    if purpose is None:
        return render(request, "sspf/purpose.html", {"case": case, "form": PurposeForm()})
    services.record_read(case, actor=request.user, purpose=purpose, channel="page")
    me = services.participant(case, request.user)
    owning = me is not None and me.organization_id == case.owning_unit_id
    meetings = list(TeamMeeting.objects.visible_to(request.user).filter(case=case)
                    .prefetch_related("actions"))
    # The plan's activity is named only when the reader may see it (it may be restricted).
    from samverkan.plans.models import Activity

    activity_ids = {a.activity_id for m in meetings for a in m.actions.all() if a.activity_id}
    titles = dict(Activity.objects.visible_to(request.user).filter(pk__in=activity_ids)
                  .values_list("pk", "title"))
    for meeting in meetings:
        for action in meeting.actions.all():
            action.activity_title = titles.get(action.activity_id, "")
    return render(request, "sspf/case_detail.html", {
        "case": case, "me": me, "owning": owning,
        "members": CaseMember.objects.visible_to(request.user).filter(case=case)
        .select_related("user", "organization"),
        "consents": Consent.objects.visible_to(request.user).filter(case=case),
        "coverage": [(AGENCY_LABELS.get(a, a), until)
                     for a, until in services.coverage(case).items()],
        "meetings": meetings, "purpose": PURPOSE_LABELS.get(purpose, purpose),
    })


def _owning_case(request, pk) -> Case:
    case = _case(request, pk)
    if not services.is_owning_participant(case, request.user):
        raise PermissionDenied
    return case


@verified_required
def case_edit(request, pk):
    case = _owning_case(request, pk)
    initial = {"person_name": case.person_name, "personal_number": case.personal_number,
               "birth_year": case.birth_year, "sex": case.sex, "area": case.area,
               "guardian_count": case.guardian_count, "started_on": case.started_on}
    form = CaseForm(request.POST or None, initial=initial, user=request.user,
                    municipality=case.municipality, versioned=case)
    if request.method != "POST":  # the form shows the name and number: a read
        services.record_read(case, actor=request.user,
                             purpose=_purpose(request, case) or "handling", channel="page",
                             detail="edit form")
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
        try:
            with form.locked_version():  # optimistic locking, under the row lock
                services.update_case(case, actor=request.user, **changes)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    return _form_page(request, form, _("Edit %(case)s") % {"case": case}, case)


@verified_required
def case_close(request, pk):
    case = _owning_case(request, pk)
    form = CloseForm(request.POST or None, initial={"closed_on": services.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The case is closed. Other agencies no longer see "
                                        "it."))
            return redirect(case)
    return _form_page(request, form, _("Close %(case)s") % {"case": case}, case,
                      _("Close the case"))


@verified_required
def case_outcome(request, pk):
    case = _owning_case(request, pk)
    form = OutcomeForm(request.POST or None, versioned=case,
                       initial={"new_suspicion_12_months": case.new_suspicion_12_months})
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():  # optimistic locking, under the row lock
                services.update_case(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    return _form_page(request, form, _("Outcome after 12 months"), case)


@verified_required
def member_add(request, pk):
    case = _owning_case(request, pk)
    form = MemberForm(request.POST or None, user=request.user, municipality=case.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    return _form_page(request, form, _("Add a participant"), case)


@verified_required
@require_POST
def member_remove(request, pk):
    member = _visible(CaseMember, request, pk, select=["case"])
    if not services.is_owning_participant(member.case, request.user):
        raise PermissionDenied
    try:
        services.remove_member(member, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(member.case)


@verified_required
def consent_add(request, pk):
    case = _owning_case(request, pk)
    form = ConsentForm(request.POST or None, request.FILES or None,
                       initial={"given_on": services.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect(case)
    return _form_page(request, form, _("Record consent"), case)


@verified_required
@require_POST
def consent_withdraw(request, pk):
    consent = _visible(Consent, request, pk, select=["case"])
    if not services.is_owning_participant(consent.case, request.user):
        raise PermissionDenied
    try:
        services.withdraw_consent(consent, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is withdrawn. Access that rested on it has "
                                    "ended."))
    return redirect(consent.case)


@verified_required
def consent_document(request, pk):
    consent = _visible(Consent, request, pk, select=["case"])
    if not consent.document_path:
        raise Http404
    services.record_read(consent.case, actor=request.user,
                         purpose=_purpose(request, consent.case) or "consent",
                         channel="document", detail=f"consent {consent.pk}")
    response = HttpResponse(services.read_document(consent),
                            content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="samtycke-{consent.pk}"'
    return response


@verified_required
def meeting_add(request, pk):
    case = _case(request, pk)
    form = MeetingForm(request.POST or None, initial={"held_on": services.local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_meeting(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(case)
    return _form_page(request, form, _("Team meeting"), case)


@verified_required
def action_add(request, pk):
    meeting = _visible(TeamMeeting, request, pk, select=["case"])
    form = ActionForm(request.POST or None, user=request.user,
                      municipality=meeting.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(meeting.case)
    return _form_page(request, form, _("Agreed action"), meeting.case)


@verified_required
@require_POST
def action_done(request, pk):
    action = _visible(AgreedAction, request, pk, select=["meeting__case"])
    try:
        services.mark_action_done(action, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(action.meeting.case)


@verified_required
def read_log(request, pk):
    case = _owning_case(request, pk)
    services.record_read(case, actor=request.user, purpose="review", channel="page",
                         detail="read log")
    entries = list(services.read_log(case, actor=request.user)[:500])
    for entry in entries:
        after = entry.changes.get("after") or {}
        entry.purpose_label = PURPOSE_LABELS.get(after.get("purpose"), "")
        entry.channel = after.get("channel", "") if entry.action == "view" else ""
    return render(request, "sspf/read_log.html", {"case": case, "entries": entries})
