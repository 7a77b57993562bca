"""Pages of fault reports: the residents' public form and report page (no account), and the
handlers' list, report page, rules and statistics (logged in; a property owner sees and
changes the reports routed to them)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    add_validation_error,
)
from samverkan.organizations.models import Municipality

from . import services, throttle
from .choices import FaultChannel
from .filters import FaultReportFilter
from .forms import (
    AssignForm,
    DeadlineRuleForm,
    FaultCategoryForm,
    Open311ClientForm,
    PublicReportForm,
    RoutingRuleForm,
    StatusForm,
)
from .models import (
    DeadlineRule,
    FaultCategory,
    FaultPhoto,
    FaultReport,
    Open311Client,
    RoutingRule,
)


def _map_context(municipality=None):
    return {"tile_url": settings.MAP_TILE_URL,
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
            "map_centre": [59.3712, 16.5098] if municipality is None
            or municipality.code == "0484" else [62.0, 15.0]}


# -- public ------------------------------------------------------------------------------------


def public_start(request):
    """The municipalities that take fault reports."""
    codes = FaultCategory.objects.filter(active=True).values_list("municipality", flat=True)
    municipalities = Municipality.objects.filter(pk__in=set(codes)).order_by("name")
    if len(municipalities) == 1:
        return redirect("faults:public_new", code=municipalities[0].code)
    return render(request, "faults/public_start.html", {"municipalities": municipalities})


def public_new(request, code):
    """The residents' form: usable on a phone, no account, throttled per address, with a
    spam trap, and suggestions of likely duplicates before a new report is filed."""
    municipality = get_object_or_404(Municipality, code=code)
    if not FaultCategory.objects.filter(municipality=municipality, active=True).exists():
        raise Http404
    duplicates = []
    if request.method == "POST":
        form = PublicReportForm(request.POST, request.FILES, municipality=municipality)
        if not throttle.allow(request, "report"):
            return render(request, "faults/public_throttled.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # The spam trap was filled in: answer as if all went well, store nothing.
                return redirect("faults:public_thanks_trap")
            if not data["confirm_new"]:
                duplicates = services.likely_duplicates(
                    municipality, lat=data["lat"], lon=data["lon"], category=data["category"])
            if duplicates:
                form.data = form.data.copy()
                form.data["confirm_new"] = "on"
            else:
                try:
                    report = services.submit_report(
                        municipality=municipality, category=data["category"],
                        description=data["description"], lat=data["lat"], lon=data["lon"],
                        address=data["address"], reporter_name=data["reporter_name"],
                        reporter_email=data["reporter_email"], photos=data["photos"],
                        channel=FaultChannel.WEB)
                except ValidationError as error:
                    add_validation_error(form, error)
                else:
                    return redirect(reverse("faults:public_report", args=[report.token])
                                    + "?new=1")
    else:
        form = PublicReportForm(municipality=municipality)
    return render(request, "faults/public_form.html", {
        "form": form, "municipality": municipality, "duplicates": duplicates,
        **_map_context(municipality)})


def public_thanks_trap(request):
    return render(request, "faults/public_thanks.html")


def _report_by_token(token) -> FaultReport:
    report = FaultReport.objects.select_related("category", "municipality", "handler").filter(
        token=token).first()
    if report is None:
        raise Http404
    return report


def public_report(request, token):
    """The reporter's page (an unguessable link): status history, due time, reopening."""
    report = _report_by_token(token)
    if request.method == "POST":
        if not throttle.allow(request, "reopen"):
            return render(request, "faults/public_throttled.html", status=429)
        try:
            services.reopen_by_reporter(report, note=request.POST.get("note", "")[:2000])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is reopened."))
        return redirect("faults:public_report", token=token)
    response = render(request, "faults/public_report.html", {
        "report": report, "events": report.events.all(), "photos": report.photos.all(),
        "new": request.GET.get("new") == "1", "reopen_days": services.REOPEN_DAYS,
        **_map_context(report.municipality)})
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def public_photo(request, token, pk):
    report = _report_by_token(token)
    photo = get_object_or_404(FaultPhoto, pk=pk, report=report)
    return _photo_response(photo)


def _photo_response(photo):
    response = HttpResponse(bytes(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- handlers ----------------------------------------------------------------------------------


class ReportListView(ScopedListView):
    model = FaultReport
    filterset_class = FaultReportFilter
    template_name = "faults/report_list.html"

    def get_queryset(self):
        qs = super().get_queryset().select_related("category", "handler", "zone")
        if self.request.GET.get("mine") == "1":
            qs = qs.filter(handler_id__in=access.organization_ids(self.request.user))
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        municipality = self.municipality
        ctx["categories"] = FaultCategory.objects.visible_to(self.request.user).filter(
            municipality=municipality)
        ctx["is_coordinator"] = municipality is not None and access.has_role(
            self.request.user, municipality, Role.COORDINATOR)
        return ctx


class ReportDetailView(ScopedDetailView):
    model = FaultReport
    template_name = "faults/report_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = self.object
        ctx["events"] = access.filter_visible(report.events.select_related("actor"),
                                              self.request.user)
        ctx["photos"] = report.photos.all()
        ctx["status_form"] = StatusForm(report=report)
        ctx["assign_form"] = AssignForm(municipality=report.municipality, user=self.request.user,
                                        initial={"handler": report.handler_id})
        ctx["is_coordinator"] = access.has_role(self.request.user, report.municipality_id,
                                                Role.COORDINATOR)
        ctx["duplicates"] = [r for r in services.likely_duplicates(
            report.municipality, lat=report.lat, lon=report.lon, at=report.received_at,
            exclude=report) if access.can_view(self.request.user, r)]
        ctx.update(_map_context(report.municipality))
        return ctx


def _changeable(request, pk) -> FaultReport:
    report = access.get_visible_or_404(FaultReport, request.user, pk=pk)
    access.require_change(request.user, report)
    return report


@login_required
@require_POST
def report_status(request, pk):
    report = _changeable(request, pk)
    form = StatusForm(request.POST, report=report)
    if form.is_valid():
        try:
            services.change_status(report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status is changed; the reporter is told."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_assign(request, pk):
    report = access.get_visible_or_404(FaultReport, request.user, pk=pk)
    if not access.has_role(request.user, report.municipality_id, Role.COORDINATOR):
        raise PermissionDenied
    form = AssignForm(request.POST, municipality=report.municipality, user=request.user)
    if form.is_valid():
        services.assign(report, actor=request.user, handler=form.cleaned_data["handler"])
        messages.success(request, _("The report is routed."))
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_duplicate(request, pk):
    report = _changeable(request, pk)
    try:
        other = access.get_visible_or_404(FaultReport, request.user,
                                          pk=int(request.POST.get("of", "")))
    except ValueError as exc:
        raise Http404 from exc
    try:
        services.mark_duplicate(report, of=other, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as a duplicate."))
    return redirect(report.get_absolute_url())


@login_required
def photo(request, pk):
    item = access.get_visible_or_404(FaultPhoto, request.user, pk=pk)
    return _photo_response(item)


@login_required
def statistics(request):
    municipality = current_municipality(request)
    if municipality is None:
        return render(request, "core/no_municipality.html", status=403)
    reports = FaultReport.objects.visible_to(request.user).filter(municipality=municipality)
    by = request.GET.get("by", "handler")
    if by not in services.STAT_DIMENSIONS:
        by = "handler"
    rows = services.deadline_statistics(reports, by=by)
    total = services.DeadlineRow(key="", label=_("All"))
    for row in rows:
        for name in ("total", "fixed_in_time", "fixed_late", "open_overdue", "open_in_time",
                     "closed_not_fixed", "not_ours", "cost", "costed"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return render(request, "faults/statistics.html", {
        "rows": rows, "total": total, "by": by, "dimensions": [
            ("handler", _("Handled by")), ("category", _("Category")), ("zone", _("Zone")),
            ("month", _("Month"))]})


@login_required
def rules(request):
    municipality = current_municipality(request)
    if municipality is None:
        return render(request, "core/no_municipality.html", status=403)
    user = request.user

    def visible(model):
        return model.objects.visible_to(user).filter(municipality=municipality)

    return render(request, "faults/rules.html", {
        "categories": visible(FaultCategory).select_related("incident_category"),
        "deadline_rules": visible(DeadlineRule).select_related("category", "zone"),
        "routing_rules": visible(RoutingRule).select_related("category", "zone",
                                                             "organization"),
        "clients": visible(Open311Client),
        "can_create": access.can_create(user, municipality, DeadlineRule),
        "public_url": reverse("faults:public_new", args=[municipality.code]),
    })


class CategoryDetailView(ScopedDetailView):
    model = FaultCategory
    template_name = "faults/category_detail.html"


class CategoryCreateView(ScopedCreateView):
    model = FaultCategory
    form_class = FaultCategoryForm
    page_title = _("New fault category")


class CategoryUpdateView(ScopedUpdateView):
    model = FaultCategory
    form_class = FaultCategoryForm
    page_title = _("Change fault category")


class _RuleCreate(ScopedCreateView):
    def get_success_url(self):
        return reverse("faults:rules")


class DeadlineRuleCreateView(_RuleCreate):
    model = DeadlineRule
    form_class = DeadlineRuleForm
    page_title = _("New deadline rule")


class RoutingRuleCreateView(_RuleCreate):
    model = RoutingRule
    form_class = RoutingRuleForm
    page_title = _("New routing rule")


class Open311ClientCreateView(_RuleCreate):
    model = Open311Client
    form_class = Open311ClientForm
    page_title = _("New Open311 client")
