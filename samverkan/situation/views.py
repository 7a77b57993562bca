"""EST reporting (the phone form and the weekly checklist), the coordinators' review, the
incident and area pages and the import page. Reads via visible_to, writes via services."""
from __future__ import annotations

import datetime
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import (
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    add_validation_error,
    safe_next,
)

from . import services
from .choices import REVIEWED_SOURCES, IncidentStatus, Precision
from .filters import AreaFilterSet, IncidentFilterSet
from .forms import IncidentForm, ReportForm, ReviewForm
from .models import Area, CrimeStatistic, Incident, NothingToReport

IMPORT_DIR = Path(tempfile.gettempdir()) / "samverkan-imports"
SESSION_IMPORT = "situation_import"


def _municipality_or_403(request):
    municipality = current_municipality(request)
    if municipality is None:
        return None, render(request, "core/no_municipality.html", status=403)
    return municipality, None


def _require_coordinator(user, municipality):
    if not access.has_role(user, municipality, Role.COORDINATOR):
        raise PermissionDenied


def _map_context(user, municipality=None):
    from .importers.polisen_format import municipality_centres

    code = getattr(municipality, "code", municipality)
    centre = municipality_centres().get(code, (59.3710, 16.5090)) if code else (59.3710, 16.5090)
    # Where this municipality's reports usually are (its town) beats the boundary's centre.
    recent = list(Incident.objects.visible_to(user).filter(municipality_id=code,
                                                          lat__isnull=False).exclude(
        precision=Precision.AREA_CENTRE).order_by("-occurred_at").values_list(
        "lat", "lon")[:200]) if code else []
    if recent:
        lats, lons = sorted(p[0] for p in recent), sorted(p[1] for p in recent)
        centre = (lats[len(lats) // 2], lons[len(lons) // 2])
    return {"tile_url": settings.MAP_TILE_URL,
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
            "map_centre": list(centre)}


def _week(request) -> tuple[int, int]:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        year, week = (int(p) for p in raw.split("-"))
        datetime.date.fromisocalendar(year, week, 1)
        return year, week
    except (ValueError, TypeError):
        return services.iso_week_of()


# -- EST reporting ---------------------------------------------------------------------------


@login_required
def report(request):
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    access.require_create(request.user, municipality, Incident)
    form = ReportForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        has_point = data["lat"] is not None and data["lon"] is not None
        try:
            incident = services.report_incident(
                actor=request.user, municipality=municipality, category=data["category"],
                occurred_at=data["occurred_at"], lat=data["lat"], lon=data["lon"],
                description=data["description"].strip(),
                place_name=data["place_name"].strip(),
                precision=Precision.EXACT if has_point else Precision.ADDRESS)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("situation:report_done", pk=incident.pk)
    return render(request, "situation/report_form.html", {
        "form": form, "municipality": municipality, **_map_context(request.user, municipality)})


@login_required
def report_done(request, pk):
    incident = access.get_visible_or_404(Incident, request.user, pk=pk)
    return render(request, "situation/report_done.html", {"incident": incident})


@login_required
def checklist(request):
    """This week's areas: "nothing to report" per area, or a link to report."""
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    access.require_create(request.user, municipality, NothingToReport)
    year, week = _week(request)
    if request.method == "POST":
        area = None
        if request.POST.get("area"):
            area = access.get_visible_or_404(Area, request.user, pk=request.POST["area"],
                                             municipality=municipality)
        place_text = request.POST.get("place_text", "").strip()[:200]
        if request.POST.get("undo"):
            entry = access.get_visible_or_404(NothingToReport, request.user,
                                              pk=request.POST["undo"])
            access.require_change(request.user, entry)
            services.withdraw_nothing_to_report(entry, actor=request.user)
            messages.success(request, _("Removed."))
        else:
            try:
                services.record_nothing_to_report(
                    actor=request.user, municipality=municipality, iso_year=year,
                    iso_week=week, area=area, place_text="" if area else place_text)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you: noted that there is nothing to report."))
        return redirect(f"{reverse('situation:checklist')}?week={year}-{week}")
    start = datetime.date.fromisocalendar(year, week, 1)
    start_dt = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    end_dt = start_dt + datetime.timedelta(days=7)
    areas = Area.objects.visible_to(request.user).filter(municipality=municipality).annotate(
        my_reports=Count("incidents", filter=Q(
            incidents__reported_by=request.user, incidents__occurred_at__gte=start_dt,
            incidents__occurred_at__lt=end_dt)))
    mine = NothingToReport.objects.visible_to(request.user).filter(
        municipality=municipality, reported_by=request.user, iso_year=year, iso_week=week)
    by_area = {entry.area_id: entry for entry in mine if entry.area_id}
    rows = [{"area": a, "entry": by_area.get(a.pk), "reports": a.my_reports} for a in areas]
    previous = start - datetime.timedelta(days=7)
    following = start + datetime.timedelta(days=7)
    return render(request, "situation/report_checklist.html", {
        "rows": rows, "free_entries": [e for e in mine if not e.area_id],
        "year": year, "week": week, "week_start": start,
        "week_end": start + datetime.timedelta(days=6),
        "previous": "{}-{}".format(*previous.isocalendar()[:2]),
        "next": "{}-{}".format(*following.isocalendar()[:2])
        if following <= timezone.localdate() else None,
        "my_reports_this_week": Incident.objects.visible_to(request.user).filter(
            municipality=municipality, reported_by=request.user, occurred_at__gte=start_dt,
            occurred_at__lt=end_dt).count(),
    })


@login_required
def my_reports(request):
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    incidents = Incident.objects.visible_to(request.user).filter(
        municipality=municipality, reported_by=request.user).select_related("category")[:200]
    nothing = NothingToReport.objects.visible_to(request.user).filter(
        municipality=municipality, reported_by=request.user).select_related("area")[:50]
    return render(request, "situation/report_mine.html", {
        "incidents": incidents, "nothing": nothing})


# -- review ----------------------------------------------------------------------------------


@login_required
def review(request):
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    _require_coordinator(request.user, municipality)
    pending = list(Incident.objects.visible_to(request.user).filter(
        municipality=municipality, status=IncidentStatus.NEW, is_summary=False,
        source__in=REVIEWED_SOURCES).select_related(
        "category", "organization", "reported_by").order_by("occurred_at")[:100])
    rows = []
    for incident in pending:
        window = datetime.timedelta(days=2)
        candidates = Incident.objects.visible_to(request.user).filter(
            municipality=municipality, occurred_at__gte=incident.occurred_at - window,
            occurred_at__lte=incident.occurred_at + window, is_summary=False).exclude(
            pk=incident.pk).exclude(status=IncidentStatus.MERGED).select_related(
            "category")[:20]
        form = ReviewForm(incident=incident, user=request.user,
                          initial={"category": incident.category_id})
        form.fields["merge_into"].queryset = Incident.objects.filter(
            pk__in=[c.pk for c in candidates]).select_related("category")
        rows.append({"incident": incident, "form": form, "candidates": candidates})
    return render(request, "situation/review_list.html", {"rows": rows})


@login_required
@require_POST
def review_action(request, pk):
    incident = access.get_visible_or_404(Incident, request.user, pk=pk)
    _require_coordinator(request.user, incident.municipality_id)
    form = ReviewForm(request.POST, incident=incident, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("situation:review")
    data = form.cleaned_data
    try:
        if data["action"] == "merge":
            services.merge_incident(incident, into=data["merge_into"], actor=request.user)
            messages.success(request, _("Merged as a duplicate."))
        elif data["action"] == "reject":
            services.reject_incident(incident, actor=request.user)
            messages.success(request, _("Rejected."))
        else:
            services.review_incident(incident, actor=request.user, category=data["category"])
            messages.success(request, _("Marked reviewed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(safe_next(request, reverse("situation:review")))


# -- incidents -------------------------------------------------------------------------------


class IncidentListView(ScopedListView):
    model = Incident
    filterset_class = IncidentFilterSet
    template_name = "situation/incident_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "organization")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        municipality = self.municipality
        ctx["is_coordinator"] = municipality is not None and access.has_role(
            self.request.user, municipality, Role.COORDINATOR)
        ctx["form"] = ctx["filter"].form  # core/_filters.html resolves `form` as a fallback
        return ctx


class IncidentDetailView(ScopedDetailView):
    model = Incident
    template_name = "situation/incident_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("category", "organization",
                                                     "reported_by", "merged_into")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_map_context(self.request.user, self.object.municipality_id))
        ctx["areas"] = self.object.areas.visible_to(self.request.user)
        ctx["duplicates"] = self.object.duplicates.visible_to(self.request.user)
        ctx["is_coordinator"] = access.has_role(self.request.user,
                                                self.object.municipality_id, Role.COORDINATOR)
        if ctx["is_coordinator"] and self.object.status == IncidentStatus.NEW:
            ctx["review_form"] = ReviewForm(incident=self.object, user=self.request.user,
                                            initial={"category": self.object.category_id})
        return ctx


class IncidentUpdateView(ScopedUpdateView):
    model = Incident
    form_class = IncidentForm

    @property
    def page_title(self):
        return _("Edit incident")

    def perform(self, form):
        return services.update_incident(self.object, actor=self.request.user,
                                        **form.service_data())


class IncidentDeleteView(ScopedDeleteView):
    model = Incident

    def get_success_url(self):
        return reverse("situation:incident_list")

    def perform(self, obj):
        services.delete_incident(obj, actor=self.request.user)


# -- areas -----------------------------------------------------------------------------------


class AreaListView(ScopedListView):
    model = Area
    filterset_class = AreaFilterSet
    template_name = "situation/area_list.html"

    def get_queryset(self):
        # Explicit order: Meta.ordering is not applied to a grouped (annotated) query, and the
        # pages would then be in no stable order.
        return super().get_queryset().annotate(
            incident_count=Count("incidents", filter=Q(incidents__is_summary=False)),
        ).order_by("municipality", "kind", "name", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = ctx["filter"].form  # core/_filters.html resolves `form` as a fallback
        return ctx


class AreaDetailView(ScopedDetailView):
    model = Area
    template_name = "situation/area_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_map_context(self.request.user, self.object.municipality_id))
        incidents = Incident.objects.visible_to(self.request.user).filter(areas=self.object)
        counted = incidents.counted()
        ctx["incident_count"] = counted.count()
        ctx["by_category"] = counted.values("category__name", "category__colour").annotate(
            n=Count("pk")).order_by("-n")
        ctx["recent"] = incidents.select_related("category")[:20]
        # Data for the map script as JSON blocks (json_script escapes "</script>" in names).
        try:
            ctx["geometry"] = json.loads(self.object.geometry)
        except ValueError:
            ctx["geometry"] = None
        ctx["points"] = [
            [i.lat, i.lon, i.category.colour, str(i)] for i in
            counted.select_related("category").filter(lat__isnull=False)[:2000]]
        return ctx


# -- statistics ------------------------------------------------------------------------------


@login_required
def statistics(request):
    """Brå's figures for the municipality beside the county (sum of its municipalities)."""
    municipality, denied = _municipality_or_403(request)
    if denied:
        return denied
    own = list(CrimeStatistic.objects.visible_to(request.user).filter(
        municipality=municipality).order_by("category", "-year"))
    county = {
        (row["year"], row["category"], row["source"]): row for row in
        CrimeStatistic.objects.for_comparison().filter(
            municipality__county=municipality.county).values("year", "category", "source")
        .annotate(count=Sum("count"), population=Sum("population"))}
    rows = []
    for stat in own:
        c = county.get((stat.year, stat.category, stat.source), {})
        county_rate = None
        if c.get("count") and c.get("population"):
            county_rate = round(c["count"] * 100_000 / c["population"], 1)
        rows.append({"stat": stat, "county_count": c.get("count"),
                     "county_rate": county_rate})
    return render(request, "situation/area_statistics.html", {
        "rows": rows, "municipality": municipality})
