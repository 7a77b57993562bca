"""Pages of the situation picture: the weekly EST picture (with notes, measures, exports and
e-mail), the yearly picture and the focus areas' trend partial. Reads go through
``visible_to``/``get_visible_or_404``; writes through the services."""
from __future__ import annotations

import datetime
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.agreements.models import Forum
from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.documents import file_response
from samverkan.core.forms import ScopedForm, ScopedModelForm, VersionedFormMixin
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import add_validation_error

from . import map_layers, picture, services, weekly, yearly
from .choices import MeasureStatus
from .models import Area, EstMeasure, EstWeekNote, YearlyPicture
from .picture import Week

# -- helpers -----------------------------------------------------------------------------------


def _area(request, municipality) -> Area | None:
    pk = request.GET.get("area") or request.POST.get("area") or ""
    if not pk:
        return None
    return access.get_visible_or_404(
        Area.objects.filter(municipality=municipality), request.user, pk=pk)


def _week(request) -> Week:
    text = request.GET.get("week") or request.POST.get("week")
    if text:
        week = Week.parse(text)
        if week is None:
            raise Http404(_("No such week."))
        return week
    return weekly.default_week()


def _int_choice(value, choices, default):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in choices else default


def _is_coordinator(user, municipality) -> bool:
    return access.has_role(user, municipality, Role.COORDINATOR)


def _weekly_url(week: Week, area: Area | None, **extra) -> str:
    params = {"week": week.param}
    if area is not None:
        params["area"] = area.pk
    params.update({k: v for k, v in extra.items() if v})
    return reverse("situation:weekly") + "?" + urlencode(params)


def _build(request, municipality):
    area = _area(request, municipality)
    week = _week(request)
    cell = _int_choice(request.GET.get("cell"), picture.CELL_SIZES, picture.DEFAULT_CELL_SIZE)
    n_weeks = _int_choice(request.GET.get("weeks"), (4, 8, 12, 26, 52),
                          picture.DEFAULT_HOTSPOT_WEEKS)
    return weekly.build_weekly(request.user, municipality, week, area, cell_size=cell,
                               hotspot_weeks=n_weeks)


def _no_municipality(request):
    return render(request, "core/no_municipality.html", status=403)


# -- weekly page -------------------------------------------------------------------------------


def _residents_points(user, municipality, area: Area | None = None) -> list[dict]:
    """Safety-walk observations and dialogue concerns of the last 12 months with a place: a
    layer of the weekly map (`contributions.collect_points`). With ``area`` (the page's
    ``?area=``) only those inside the area's polygon, the same test as the incidents' areas
    and the other layers (`services.inside_area`)."""
    from . import contributions

    today = timezone.localdate()
    return contributions.collect_points(
        user, municipality, today - datetime.timedelta(days=365), today, area=area)


def _map_labels() -> dict:
    return {"hot": [_("Hot spot 99 %"), _("Hot spot 95 %"), _("Hot spot 90 %")],
            "cold": [_("Cold spot 99 %"), _("Cold spot 95 %"), _("Cold spot 90 %")],
            "incidents": _("incidents"), "weeks": _("weeks"),
            "residents": _("Residents' voice (last 12 months)"),
            "hotspots": _("Hot spots"), "points": _("Incidents this week"),
            "places": _("Places that recur"),
            "failed": _("The map's incidents and layers could not be loaded. "
                        "Reload the page to try again.")}


@login_required
def weekly_page(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    pic = _build(request, municipality)
    areas = Area.objects.visible_to(request.user).filter(municipality=municipality).order_by(
        "kind", "name")
    coordinator = _is_coordinator(request.user, municipality)
    # The hot spot cells and the places come with the page's figures; the week's incidents,
    # the residents' voice and the other apps' layers are the map's own request (weekly_map),
    # so the page renders without its thousands of points.
    map_data = {
        "cells": pic.hotspot_geojson,
        "places": [p for p in pic.places if p.get("lat") is not None],
        "pointsUrl": reverse("situation:weekly_map") + "?" + urlencode(
            {"week": pic.week.param, **({"area": pic.area.pk} if pic.area else {})}),
        "tileUrl": settings.MAP_TILE_URL, "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": _map_labels(),
    }
    return render(request, "situation/weekly.html", {
        "pic": pic, "areas": areas, "municipality": municipality,
        "coordinator": coordinator,
        "prev_url": _weekly_url(pic.week.shift(-1), pic.area),
        "next_url": _weekly_url(pic.week.shift(1), pic.area),
        "export_docx": reverse("situation:weekly_export") + "?" + urlencode(
            {"week": pic.week.param, "format": "docx",
             **({"area": pic.area.pk} if pic.area else {})}),
        "export_pdf": reverse("situation:weekly_export") + "?" + urlencode(
            {"week": pic.week.param, "format": "pdf",
             **({"area": pic.area.pk} if pic.area else {})}),
        "send_url": reverse("situation:weekly_send") + "?" + urlencode(
            {"week": pic.week.param, **({"area": pic.area.pk} if pic.area else {})}),
        "significance_sentence": weekly.significance_sentence(),
        "hotspot_message": weekly.hotspot_message(pic),
        "standout": weekly.standout_text(pic),
        "map_data": map_data,
        "cell_sizes": picture.CELL_SIZES, "week_choices": (4, 8, 12, 26, 52),
        "note_form": NoteForm(initial={"text": pic.notes[0].text if pic.notes else ""},
                              versioned=pic.notes[0] if pic.notes else None),
        "hours": range(24),
        # The HTML of the figures (tables, map data) is cached under the figures' key; 0 (no
        # caching) without a picture cache.
        "picture_cache_seconds": weekly.PICTURE_CACHE_SECONDS if pic.cache_key else 0,
    })


@login_required
def weekly_map(request):
    """The weekly map's points as JSON, fetched by the page's map (weekly_map.js): the week's
    incidents, the residents' voice and the layers of the apps above (fault reports), built for
    the requesting user exactly as the page is (the same municipality, ``?week=`` and
    ``?area=``, read through ``visible_to``). 404 without a municipality or for an area the
    user may not see."""
    municipality = current_municipality(request)
    if municipality is None:
        raise Http404(_("No municipality"))
    area = _area(request, municipality)
    week = _week(request)
    layers = map_layers.collect(request.user, municipality, week, area)
    response = JsonResponse({
        "points": weekly.map_points(request.user, municipality, week, area),
        "residents": _residents_points(request.user, municipality, area),
        # Layers of the apps above (fault reports), each with its switch (map_layers).
        "layers": [layer.as_dict() for layer in layers],
    })
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def weekly_export(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "docx"):
        raise Http404
    pic = _build(request, municipality)
    doc = weekly.weekly_document(pic)
    data = doc.to_pdf() if fmt == "pdf" else doc.to_docx()
    return file_response(data, weekly.export_filename(pic, fmt), fmt)


# -- notes and measures ------------------------------------------------------------------------


class NoteForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=gettext_lazy("What the coordinators see in this week's "
                                                  "picture. Do not write names or personal "
                                                  "identity numbers."))

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_version(versioned)  # the stored note: a stale form is refused


@login_required
def weekly_note(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    if request.method != "POST":
        raise Http404
    if not _is_coordinator(request.user, municipality):
        raise PermissionDenied
    area = _area(request, municipality)
    week = _week(request)
    stored = EstWeekNote.objects.visible_to(request.user).filter(
        municipality=municipality, iso_year=week.year, iso_week=week.week, area=area).first()
    form = NoteForm(request.POST, versioned=stored)
    if form.is_valid():
        try:
            with form.locked_version():  # optimistic locking, under the row lock
                services.save_week_note(actor=request.user, municipality=municipality,
                                        iso_year=week.year, iso_week=week.week,
                                        text=form.cleaned_data["text"], area=area)
            messages.success(request, _("The note was saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    elif form.non_field_errors():  # a stale form says what changed
        for message in form.non_field_errors():
            messages.error(request, message)
    else:
        messages.error(request, _("Write a note before saving."))
    return HttpResponseRedirect(_weekly_url(week, area) + "#notes")


class MeasureForm(ScopedModelForm):
    class Meta:
        model = EstMeasure
        fields = ["what", "organization", "responsible", "due_date", "status", "area",
                  "category", "result"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}),
                   "what": forms.Textarea(attrs={"rows": 3}),
                   "result": forms.Textarea(attrs={"rows": 3})}


def _measure_form_page(request, form, title, cancel_url):
    return render(request, "core/form_page.html", {
        "form": form, "page_title": title, "submit_label": _("Save"),
        "cancel_url": cancel_url})


@login_required
def measure_create(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    if not _is_coordinator(request.user, municipality):
        raise PermissionDenied
    area = _area(request, municipality)
    week = _week(request)
    back = _weekly_url(week, area) + "#measures"
    form = MeasureForm(request.POST or None, user=request.user, municipality=municipality,
                       instance=EstMeasure(iso_year=week.year, iso_week=week.week),
                       initial={"area": area, "status": MeasureStatus.PLANNED})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_measure(actor=request.user, municipality=municipality,
                                    iso_year=week.year, iso_week=week.week,
                                    **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The measure was saved."))
            return HttpResponseRedirect(back)
    return _measure_form_page(request, form, _("New measure, week %(week)s") % {
        "week": week.week}, back)


@login_required
def measure_update(request, pk: int):
    measure = access.get_visible_or_404(EstMeasure, request.user, pk=pk)
    access.require_change(request.user, measure)
    week = Week(measure.iso_year, measure.iso_week)
    back = _weekly_url(week, measure.area) + "#measures"
    form = MeasureForm(request.POST or None, instance=measure, user=request.user,
                       municipality=measure.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():
                services.update_measure(measure, actor=request.user, **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The measure was saved."))
            return HttpResponseRedirect(back)
    return _measure_form_page(request, form, _("Edit measure"), back)


# -- e-mail ------------------------------------------------------------------------------------


class SendForm(ScopedForm):
    forum = forms.ModelChoiceField(
        label=gettext_lazy("EST group (forum)"), queryset=None, required=False,
        help_text=gettext_lazy("The e-mail goes to the members of the forum's organisations."))
    addresses = forms.CharField(
        label=gettext_lazy("Other recipients"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("E-mail addresses separated by commas or new lines."))
    message = forms.CharField(label=gettext_lazy("Message"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, municipality=None, **kwargs):
        super().__init__(*args, user=user, municipality=municipality, **kwargs)
        # Narrowed to what the user may see in the municipality by ScopedForm.
        self.fields["forum"].queryset = Forum.objects.all()

    def clean(self):
        data = super().clean()
        try:
            typed = weekly.parse_addresses(data.get("addresses", ""))
        except ValidationError as error:
            raise ValidationError(error.message_dict["addresses"]) from None
        forum_addresses = weekly.forum_recipients(data["forum"]) if data.get("forum") else []
        data["recipients"] = sorted(set(typed) | set(forum_addresses))
        if not data["recipients"]:
            raise ValidationError(_("Choose a forum whose members have e-mail addresses, or "
                                    "type at least one address."))
        return data


@login_required
def weekly_send(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    if not _is_coordinator(request.user, municipality):
        raise PermissionDenied
    pic = _build(request, municipality)
    back = _weekly_url(pic.week, pic.area)
    form = SendForm(request.POST or None, user=request.user, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            weekly.send_weekly_picture(pic, actor=request.user,
                                       recipients=form.cleaned_data["recipients"],
                                       forum=form.cleaned_data.get("forum"),
                                       message=form.cleaned_data.get("message", ""))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The weekly picture is being sent to %(n)s recipients, "
                                        "one e-mail each: the list of jobs shows when each "
                                        "one has gone.")
                             % {"n": len(form.cleaned_data["recipients"])})
            return HttpResponseRedirect(back)
    return render(request, "situation/weekly_send.html", {
        "form": form, "pic": pic, "cancel_url": back})


# -- yearly picture ----------------------------------------------------------------------------


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        raise Http404 from None
    if not year:
        return datetime.date.today().year - 1
    if not 1990 <= year <= 2100:
        raise Http404
    return year


class YearlyForm(ScopedModelForm):
    class Meta:
        model = YearlyPicture
        fields = ["who_is_affected", "other_information", "analysis", "sources_note"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


@login_required
def yearly_page(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    year = _year(request)
    data = yearly.build_yearly(request.user, municipality, year)
    tow = data.time_of_week
    return render(request, "situation/yearly.html", {
        "data": data, "municipality": municipality,
        "coordinator": _is_coordinator(request.user, municipality),
        "prev_url": reverse("situation:yearly") + f"?year={year - 1}",
        "next_url": reverse("situation:yearly") + f"?year={year + 1}",
        "export_url": reverse("situation:yearly_export") + f"?year={year}",
        "export_pdf_url": reverse("situation:yearly_export") + f"?year={year}&format=pdf",
        "edit_url": reverse("situation:yearly_edit") + f"?year={year}",
        "total_trend": yearly.trend_text(data.total_trend),
        "law_sentence": yearly.law_sentence(),
        "category_rows": [{"c": c, "trend": yearly.trend_text(c.trend),
                           "change": weekly.change_text(c.vs_last_year)}
                          for c in data.categories],
        "stat_rows": [{"s": s, "trend": yearly.trend_text(s.trend)} for s in data.statistics],
        "hotspot_line": yearly._hotspot_line(data.hotspot),
        "tow": tow, "hours": range(24),
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "chart": json.dumps({"labels": [str(y) for y in data.years],
                             "values": data.total_counts}),
    })


@login_required
def yearly_edit(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    if not _is_coordinator(request.user, municipality):
        raise PermissionDenied
    year = _year(request)
    instance = YearlyPicture.objects.visible_to(request.user).filter(
        municipality=municipality, year=year).first()
    back = reverse("situation:yearly") + f"?year={year}"
    form = YearlyForm(request.POST or None, instance=instance, user=request.user,
                      municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():
                yearly.save_yearly_picture(actor=request.user, municipality=municipality,
                                           year=year, **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The situation picture was saved."))
            return HttpResponseRedirect(back)
    return render(request, "core/form_page.html", {
        "form": form, "submit_label": _("Save"), "cancel_url": back,
        "page_title": _("Situation picture %(year)s: texts") % {"year": year}})


@login_required
def yearly_export(request):
    municipality = current_municipality(request)
    if municipality is None:
        return _no_municipality(request)
    year = _year(request)
    fmt = request.POST.get("format") or request.GET.get("format") or "docx"
    if fmt not in ("docx", "pdf"):
        raise Http404
    if request.method == "POST":
        # The page's button: the document (charts and all) is built by a background job; the
        # job page offers it for download when it is ready.
        from samverkan.jobs.documents import start_document

        job = start_document(builder="situation.yearly_picture",
                             args={"municipality": municipality.pk, "year": year, "fmt": fmt},
                             label=(_("Situation picture %(year)s (PDF)") if fmt == "pdf"
                                    else _("Situation picture %(year)s (Word)"))
                             % {"year": year},
                             actor=request.user, municipality=municipality)
        return HttpResponseRedirect(job.get_absolute_url())
    data = yearly.build_yearly(request.user, municipality, year)
    doc = yearly.yearly_document(data)
    name = f"lagesbild_{municipality.name.replace(' ', '_')}_{year}.{fmt}"
    return file_response(doc.to_pdf() if fmt == "pdf" else doc.to_docx(), name, fmt)


# -- focus area trend --------------------------------------------------------------------------


@login_required
def focus_trend(request, pk: int):
    from samverkan.agreements.models import FocusArea

    focus_area = access.get_visible_or_404(FocusArea, request.user, pk=pk)
    trend = yearly.focus_area_trend(focus_area, request.user)
    return render(request, "situation/_focus_trend.html", {
        "focus_area": focus_area, "trend": trend,
        "weekly_url": reverse("situation:weekly"),
        "max_week": max(trend.weekly_total or [0]) or 1,
        "has_examples": bool(trend.watch and trend.watch.is_example)
        or picture.has_example_incidents(request.user, focus_area.municipality),
    })
