"""Pages of the follow-up cycle: year wheel, rounds, reports, deviations and the dashboard.
Reads go through `visible_to`; writes through `services`."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.models import Agreement
from samverkan.core import access, examples
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    add_validation_error,
    audit_reads,
    safe_next,
)
from samverkan.organizations.models import Organization
from samverkan.plans.models import Activity, Indicator

from . import hooks, services
from .choices import ReportStatus
from .filters import DeviationFilterSet, RoundFilterSet
from .forms import DeviationForm, ReportForm, ResolveDeviationForm, RoundForm
from .models import ActivityReport, Deviation, FollowUpRound


def _is_coordinator(user, municipality_id) -> bool:
    return access.has_role(user, municipality_id, Role.COORDINATOR)


# ---------------------------------------------------------------------------- year wheel


@login_required
def yearwheel(request):
    municipality = current_municipality(request)
    if municipality is None:
        return render(request, "core/no_municipality.html", status=200)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1990), 2100)
    agreements = (Agreement.objects.visible_to(request.user)
                  .filter(municipality=municipality, start_date__lte=dt.date(year, 12, 31),
                          end_date__gte=dt.date(year, 1, 1)))
    chosen = request.GET.get("agreement")
    if chosen:
        agreements = agreements.filter(pk=chosen) if chosen.isdigit() else agreements.none()
    agreements = list(agreements)
    rounds = list(FollowUpRound.objects.visible_to(request.user)
                  .filter(agreement__in=agreements)
                  .filter(Q(due_date__year=year) | Q(period_end__year=year))
                  .select_related("agreement", "forum").order_by("due_date", "period_start"))
    meetings = hooks.year_wheel_meetings(agreements, year, request.user)
    months = [{"number": m, "name": capfirst(MONTHS[m]), "items": [], "checks": [],
               "current": (year, m) == (today.year, today.month)} for m in range(1, 13)]
    for round in rounds:
        if round.due_date.year != year:
            continue
        target = months[round.due_date.month - 1]
        if round.asks_reports:
            target["items"].append({"date": round.due_date, "kind": "round", "object": round})
        else:
            target["checks"].append(round)
    for meeting in meetings:
        months[meeting.date.month - 1]["items"].append(
            {"date": meeting.date, "kind": "meeting", "object": meeting})
    for month in months:
        month["items"].sort(key=lambda item: (item["date"], item["kind"]))
    without_rounds = [a for a in agreements
                      if not FollowUpRound.objects.filter(agreement=a).exists()]
    return render(request, "followup/yearwheel.html", {
        "year": year, "months": months, "agreements": agreements,
        "all_agreements": Agreement.objects.visible_to(request.user).filter(
            municipality=municipality),
        "chosen": chosen or "", "today": today, "without_rounds": without_rounds,
        "is_coordinator": _is_coordinator(request.user, municipality.pk),
        "has_meetings_app": hooks.meetings_available(),
    })


@login_required
@require_POST
def lay_out_rounds(request, pk):
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    access.require_change(request.user, agreement)
    proposed = []
    if not agreement.followup_entries.exists():
        proposed = services.propose_entries_from_text(agreement, actor=request.user)
    created = services.lay_out_rounds(agreement, actor=request.user)
    if proposed:
        messages.info(request, _("%(count)s follow-up plan entries were read from the "
                                 "agreement's follow-up text.") % {"count": len(proposed)})
    if created:
        messages.success(request, _("%(count)s follow-up rounds were laid out.")
                         % {"count": len(created)})
    else:
        messages.info(request, _("No rounds were missing. Add the follow-up plan to the "
                                 "agreement if it has none."))
    return redirect(safe_next(request, reverse("followup:round_list")
                              + f"?agreement={agreement.pk}"))


# ---------------------------------------------------------------------------- rounds


class RoundListView(ScopedListView):
    model = FollowUpRound
    filterset_class = RoundFilterSet
    template_name = "followup/round_list.html"
    paginate_by = 60

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "forum")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agreement_pk = self.request.GET.get("agreement")
        ctx["agreement"] = None
        if agreement_pk and agreement_pk.isdigit():
            ctx["agreement"] = Agreement.objects.visible_to(self.request.user).filter(
                pk=agreement_pk).first()
        ctx["can_change_agreement"] = bool(ctx["agreement"]) and access.can_change(
            self.request.user, ctx["agreement"])
        return ctx


class RoundDetailView(ScopedDetailView):
    model = FollowUpRound
    template_name = "followup/round_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agreement", "forum", "closed_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        round = self.object
        user = self.request.user
        rows = services.expected_reports(round, reader=user)
        my_orgs = services.reporting_organization_ids(user, round.municipality_id)
        coordinator = _is_coordinator(user, round.municipality_id)
        groups = defaultdict(list)
        for row in rows:
            row.may_write = round.is_active and row.organization is not None and (
                coordinator or row.organization.pk in my_orgs)
            groups[row.activity.focus_area].append(row)
        deviations = Deviation.objects.visible_to(user).filter(
            activity__agreement=round.agreement).select_related("activity", "report")
        if round.asks_reports:
            deviations = deviations.filter(report__round=round)
        else:
            deviations = deviations.filter(opened_on__lte=round.period_end).filter(
                Q(resolved_on__isnull=True) | Q(resolved_on__gte=round.period_start))
        submitted = [r for r in rows if r.is_submitted]
        counts = Counter(r.report.status for r in submitted)
        ctx.update({
            "groups": sorted(groups.items(), key=lambda kv: (kv[0].number or 0, kv[0].pk)),
            "rows": rows, "submitted_count": len(submitted),
            "missing_count": len(rows) - len(submitted),
            "status_counts": [(key, label, counts[key]) for key, label in ReportStatus.choices
                              if counts[key]],
            "deviations": deviations, "is_coordinator": coordinator,
            "today": timezone.localdate(),
            # What the apps above add (the citizen pledges' follow-ups), for this reader.
            "extra_sections": hooks.round_sections(round, user),
        })
        return ctx


class RoundCreateView(ScopedCreateView):
    model = FollowUpRound
    form_class = RoundForm
    parent_model = Agreement
    parent_field = "agreement"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agreement"] = self.parent
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Add a follow-up round")
        return ctx

    def perform(self, form):
        return services.add_round(actor=self.request.user, agreement=self.parent,
                                  **form.service_data())


class RoundUpdateView(ScopedUpdateView):
    model = FollowUpRound
    form_class = RoundForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Change or move %(round)s") % {"round": self.object}
        return ctx

    def perform(self, form):
        return services.update_round(self.object, actor=self.request.user,
                                     **form.service_data())


ROUND_ACTIONS = {
    "open": (services.open_round, _("The round is open.")),
    "close": (services.close_round, _("The round is closed.")),
    "cancel": (services.cancel_round, _("The round is cancelled.")),
}


@login_required
@require_POST
def round_action(request, pk, action):
    if action not in ROUND_ACTIONS:
        raise Http404
    round = access.get_visible_or_404(FollowUpRound, request.user, pk=pk)
    access.require_change(request.user, round)
    function, message = ROUND_ACTIONS[action]
    try:
        function(round, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(message))
    return redirect(round.get_absolute_url())


@login_required
def round_export(request, pk):
    from samverkan.core.documents import file_response

    from .documents import followup_report
    from .jobs import report_filename

    round = access.get_visible_or_404(FollowUpRound, request.user, pk=pk)
    fmt = request.POST.get("format") or request.GET.get("format") or "docx"
    if fmt not in ("docx", "pdf"):
        raise Http404
    if request.method == "POST":
        # The page's buttons: the report (charts and all) is built by a background job and the
        # job page offers it for download when it is ready.
        from samverkan.jobs.documents import start_document

        job = start_document(builder="followup.round_report",
                             args={"round": round.pk, "fmt": fmt},
                             label=(_("Follow-up report %(round)s (PDF)") if fmt == "pdf"
                                    else _("Follow-up report %(round)s (Word)"))
                             % {"round": round.label},
                             actor=request.user, municipality=round.municipality)
        return redirect(job.get_absolute_url())
    document = followup_report(round, request.user)
    audit_reads(request.user, [round])
    data = document.to_docx() if fmt == "docx" else document.to_pdf()
    return file_response(data, report_filename(round, fmt), fmt)


# ---------------------------------------------------------------------------- reports


@login_required
def my_reports(request):
    today = timezone.localdate()
    rows = services.my_reports(request.user, today)
    to_write = [r for r in rows if not r.is_submitted]
    written = [r for r in rows if r.is_submitted]
    return render(request, "followup/my_reports.html", {
        "to_write": to_write, "written": written, "today": today,
        "soon": today + dt.timedelta(days=services.REMIND_DAYS_BEFORE),
    })


@login_required
def report_edit(request, round_pk, activity_pk, organization_pk):
    round = access.get_visible_or_404(FollowUpRound.objects.select_related("agreement"),
                                      request.user, pk=round_pk)
    activity = access.get_visible_or_404(Activity.objects.filter(agreement=round.agreement),
                                         request.user, pk=activity_pk)
    organization = access.get_visible_or_404(Organization, request.user, pk=organization_pk)
    if not services.may_write_report(request.user, activity, organization):
        raise PermissionDenied
    reports = ActivityReport.objects.filter(round=round, activity=activity,
                                            organization=organization)
    report = reports.visible_to(request.user).first()
    if report is None and reports.exists():
        raise Http404  # a report the writer cannot read is never overwritten through here
    indicators = Indicator.objects.visible_to(request.user).filter(activity=activity)
    initial = {}
    if report is not None:
        initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
        deviation = report.deviations.visible_to(request.user).filter(
            resolved_on__isnull=True).first()
        if deviation is not None:
            initial.update(deviation_kind=deviation.kind, deviation_reason=deviation.reason,
                           deviation_proposed_action=deviation.proposed_action)
    form = ReportForm(request.POST or None, initial=initial, indicators=indicators,
                      versioned=report)
    if request.method == "POST" and form.is_valid():
        if not round.is_active:
            form.add_error(None, _("The round is closed; no more reports can be written "
                                   "in it."))
        else:
            try:
                with form.locked_version():  # optimistic locking, under the row lock
                    services.submit_report(actor=request.user, round=round,
                                           activity=activity, organization=organization,
                                           deviation=form.deviation(),
                                           measurements=form.measurements(),
                                           **form.report_fields())
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Thank you, the report is saved."))
                return redirect(safe_next(request, reverse("followup:my_reports")))
    return render(request, "followup/report_form.html", {
        "form": form, "round": round, "activity": activity, "organization": organization,
        "report": report, "contributions": activity.contributions.visible_to(request.user),
        "next": safe_next(request),
    })


class ReportDetailView(ScopedDetailView):
    model = ActivityReport
    template_name = "followup/report_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("round", "activity", "organization",
                                                     "submitted_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_write"] = self.object.round.is_active and services.may_write_report(
            self.request.user, self.object.activity, self.object.organization)
        ctx["deviations"] = self.object.deviations.visible_to(self.request.user)
        return ctx


# ---------------------------------------------------------------------------- deviations


class DeviationListView(ScopedListView):
    model = Deviation
    filterset_class = DeviationFilterSet
    template_name = "followup/deviation_list.html"

    def get(self, request, *args, **kwargs):
        if "state" not in request.GET:
            query = request.GET.copy()
            query["state"] = "open"
            request.GET = query
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related(
            "activity__agreement", "activity__focus_area", "report__organization",
            "report__round").order_by("resolved_on", "opened_on", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        return ctx


class DeviationDetailView(ScopedDetailView):
    model = Deviation
    template_name = "followup/deviation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if ctx["can_change"] and self.object.is_open:
            ctx["resolve_form"] = ResolveDeviationForm()
        return ctx


class DeviationUpdateView(ScopedUpdateView):
    model = Deviation
    form_class = DeviationForm

    def perform(self, form):
        return services.update_deviation(self.object, actor=self.request.user,
                                         **form.service_data())


@login_required
def deviation_resolve(request, pk):
    deviation = access.get_visible_or_404(Deviation, request.user, pk=pk)
    access.require_change(request.user, deviation)
    form = ResolveDeviationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_deviation(deviation, actor=request.user,
                                       resolution=form.cleaned_data["resolution"],
                                       resolved_on=form.cleaned_data["resolved_on"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The deviation is resolved."))
            return redirect(deviation.get_absolute_url())
    return render(request, "core/form_page.html", {
        "form": form, "page_title": _("Resolve the deviation"), "object": deviation,
        "submit_label": _("Resolve"), "cancel_url": deviation.get_absolute_url()})


# ---------------------------------------------------------------------------- dashboard


@login_required
def dashboard(request, pk):
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    data = services.dashboard_data(agreement, request.user)
    chart = {
        "status": {"labels": [str(label) for _k, label, _n in data["by_status"]],
                   "keys": [key for key, _l, _n in data["by_status"]],
                   "values": [n for _k, _l, n in data["by_status"]]},
        "areas": {"labels": [str(row["area"]) for row in data["by_area"]],
                  "series": [{"label": str(label), "key": key,
                              "values": [row["counts"][i] for row in data["by_area"]]}
                             for i, (key, label) in enumerate(data["status_labels"].items())]},
        "indicators": {"labels": [row["indicator"].name[:60] for row in data["indicators"]
                                  if row["percent"] is not None],
                       "values": [row["percent"] for row in data["indicators"]
                                  if row["percent"] is not None]},
    }
    return render(request, "followup/dashboard.html", {
        **data, "chart": chart,
        "is_coordinator": _is_coordinator(request.user, agreement.municipality_id),
        "plan_has_examples": examples.any_example(
            Activity.objects.visible_to(request.user).filter(agreement=agreement)),
    })


@login_required
def round_status(request, pk):
    """A short redirect used by links that only know the agreement: its current round."""
    agreement = access.get_visible_or_404(Agreement, request.user, pk=pk)
    current = services.current_round(agreement, queryset=FollowUpRound.objects.visible_to(
        request.user))
    if current is None:
        messages.info(request, _("The agreement has no current follow-up round."))
        return redirect(reverse("followup:round_list") + f"?agreement={agreement.pk}")
    return redirect(current.get_absolute_url())

