"""Survey pages: the list, a survey's results by area and group with bands, the imports and a
result recorded as an indicator's measurement."""
from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.analysis import safety_index
from samverkan.audit.services import history
from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormView,
)
from samverkan.jobs.models import Job

from . import jobs as survey_jobs
from . import services
from .choices import Dimension
from .filters import SurveyFilterSet
from .forms import IndexBandsForm, RecordMeasurementForm, SurveyForm, SurveyImportForm
from .models import IndexBands, Survey, SurveyResult, band_limits


class SurveyListView(ScopedListView):
    model = Survey
    filterset_class = SurveyFilterSet
    template_name = "surveys/survey_list.html"


class SurveyCreateView(ScopedCreateView):
    model = Survey
    form_class = SurveyForm

    def perform(self, form):
        return services.create_survey(actor=self.request.user,
                                      municipality=self.get_municipality(),
                                      **form.service_data())


class SurveyUpdateView(ScopedUpdateView):
    model = Survey
    form_class = SurveyForm

    def perform(self, form):
        return services.update_survey(self.object, actor=self.request.user,
                                      **form.service_data())


class SurveyDeleteView(ScopedDeleteView):
    model = Survey

    def get_success_url(self):
        return reverse("surveys:survey_list")

    def perform(self, obj):
        services.delete_survey(obj, actor=self.request.user)


def results_table(survey: Survey, results: list[SurveyResult], dimension: str,
                  limits) -> dict:
    """Rows: the total, then each question; columns: each area (and group)."""
    chosen = [r for r in results if r.dimension == dimension]
    columns = sorted({(r.area, r.group) for r in chosen})
    questions = []
    for r in chosen:
        if r.question and r.question not in questions:
            questions.append(r.question)
    cells = {(r.question, r.area, r.group): r for r in chosen}
    rows = []
    for question in ["", *questions]:
        row = []
        for area, group in columns:
            r = cells.get((question, area, group))
            if r is not None:
                r.band_value = r.band(limits)
                r.shares = _shares(r)
            row.append(r)
        rows.append({"question": question, "cells": row})
    return {"columns": columns, "rows": rows}


def _shares(result: SurveyResult) -> list[tuple[str, float]]:
    total = sum(result.distribution.values()) if result.distribution else 0
    if not total:
        return []
    return [(k, 100 * v / total) for k, v in sorted(result.distribution.items(),
                                                     key=lambda kv: float(kv[0]))]


@login_required
def survey_detail(request, pk):
    survey = access.get_visible_or_404(Survey.objects.select_related("municipality"),
                                       request.user, pk=pk)
    can_change = access.can_change(request.user, survey)
    import_form = SurveyImportForm()
    measurement_form = RecordMeasurementForm(user=request.user,
                                             municipality=survey.municipality)
    if request.method == "POST":
        if request.POST.get("action") == "import":
            # The file is stored and checked by a background job; the job's page follows it.
            if not can_change:
                raise PermissionDenied
            import_form = SurveyImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                job = survey_jobs.start_import(
                    actor=request.user, survey=survey,
                    path=survey_jobs.store_upload(upload), name=upload.name[:200],
                    kind=import_form.cleaned_data["kind"], dry_run=True)
                return redirect("surveys:import_job", survey.pk, job.pk)
        elif request.POST.get("action") == "measurement":
            measurement_form = RecordMeasurementForm(request.POST, user=request.user,
                                                     municipality=survey.municipality)
            if measurement_form.is_valid():
                from samverkan.plans import services as plans

                result = access.get_visible_or_404(
                    SurveyResult, request.user, pk=measurement_form.cleaned_data["result"],
                    survey=survey)
                indicator = measurement_form.cleaned_data["indicator"]
                if not plans.may_add_measurement(request.user, indicator):
                    raise PermissionDenied
                try:
                    services.record_as_measurement(
                        result, actor=request.user, indicator=indicator,
                        measured_on=measurement_form.cleaned_data["measured_on"])
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    messages.success(request, _("Recorded as a measurement of “%(name)s”.")
                                     % {"name": indicator})
                    return redirect(indicator.get_absolute_url())
    dimension = request.GET.get("by", Dimension.ALL)
    if dimension not in Dimension.values:
        dimension = Dimension.ALL
    results = list(SurveyResult.objects.visible_to(request.user).filter(survey=survey)
                   .select_related("survey"))
    limits = band_limits(survey.municipality_id)
    comparison = services.comparison(survey)
    years = sorted({y for row in comparison for y in row["values"]})
    for row in comparison:
        row["cells"] = [(row["values"].get(y), safety_index.band(
            round(row["values"][y], 2), limits) if y in row["values"] and survey.is_index
            else None) for y in years]
    return render(request, "surveys/survey_detail.html", {
        "object": survey, "survey": survey, "can_change": can_change,
        "table": results_table(survey, results, dimension, limits),
        "dimension": dimension, "dimensions": Dimension.choices,
        "limits": limits, "min_answers": safety_index.MIN_ANSWERS,
        "comparison": comparison, "years": years,
        "import_form": import_form,
        "recent_imports": Job.objects.visible_to(request.user).filter(
            kind=survey_jobs.KIND, params__survey=survey.pk)[:5] if can_change else [],
        "measurement_form": measurement_form,
        "everyone_results": [r for r in results if r.dimension == Dimension.ALL],
        "may_measure": access.has_role(request.user, survey.municipality_id,
                                       Role.CONTRIBUTOR),
        "scoring": survey.scoring_rules,
        "history": history(survey)[:30] if access.has_role(
            request.user, survey.municipality_id, Role.COORDINATOR) else None,
    })


# -- imports as background jobs ------------------------------------------------------------------


def _import_job(request, survey_pk: int, pk: int) -> tuple[Survey, Job]:
    """The survey (which the user may change) and one of its import jobs the user may see."""
    survey = access.get_visible_or_404(Survey, request.user, pk=survey_pk)
    access.require_change(request.user, survey)
    job = get_object_or_404(Job.objects.visible_to(request.user).filter(
        kind=survey_jobs.KIND, municipality=survey.municipality_id,
        params__survey=survey.pk), pk=pk)
    return survey, job


@login_required
def import_job(request, survey_pk: int, pk: int):
    """The check or the import of one file: progress (htmx polling), then the result with
    its row errors."""
    survey, job = _import_job(request, survey_pk, pk)
    return render(request, "surveys/import_job.html", {
        "survey": survey, "job": job, "result_template": "surveys/_import_result.html"})


@login_required
@require_POST
def import_confirm(request, survey_pk: int, pk: int):
    """Import the file that a successful check (dry run) has read: one import per check,
    however often the button is pressed."""
    survey, checked = _import_job(request, survey_pk, pk)
    params, result = checked.params, checked.result or {}
    key = f"surveys-import:{checked.pk}"
    existing = Job.objects.filter(key=key).first()
    if existing is not None:
        return redirect("surveys:import_job", survey.pk, existing.pk)
    if (checked.status != "succeeded" or not params.get("dry_run") or result.get("errors")
            or result.get("unchanged") or not Path(params["path"]).is_file()):
        messages.error(request, _("The uploaded file is gone: upload it again."))
        return redirect(survey.get_absolute_url() + "#import-h")
    job = survey_jobs.start_import(actor=request.user, survey=survey, path=params["path"],
                                   name=params["name"], kind=params["kind"], dry_run=False,
                                   key=key)
    return redirect("surveys:import_job", survey.pk, job.pk)


class IndexBandsView(ServiceFormView):
    form_class = IndexBandsForm
    model = IndexBands
    page_title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        municipality = current_municipality(request)
        if municipality is None or not access.has_role(request.user, municipality,
                                                       Role.COORDINATOR):
            raise PermissionDenied
        self.page_title = _("Index bands")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = IndexBands.objects.visible_to(self.request.user).filter(
            municipality=self.get_municipality()).first() or IndexBands(
            municipality=self.get_municipality())
        return kwargs

    def perform(self, form):
        return services.set_bands(actor=self.request.user,
                                  municipality=self.get_municipality(),
                                  **form.service_data())

    def get_success_url(self):
        return reverse("surveys:survey_list")
