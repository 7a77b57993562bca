"""Pages: define an indicator from the data (or type it in again), and set up an activity's
evaluation. Reads through ``get_visible_or_404``; writes through the services; coordinators
only (403 for others who may see the record)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.views import add_validation_error
from samverkan.plans.models import Activity, Indicator

from . import services
from .forms import DefinitionForm, EvaluationForm
from .models import ActivityEvaluation, IndicatorDefinition


def _require_coordinator(user, obj) -> None:
    if not access.has_role(user, obj.municipality_id, Role.COORDINATOR):
        raise PermissionDenied


@login_required
def definition_edit(request, pk: int):
    indicator = access.get_visible_or_404(Indicator, request.user, pk=pk)
    _require_coordinator(request.user, indicator)
    instance = IndicatorDefinition.objects.visible_to(request.user).filter(
        indicator=indicator).first()
    form = DefinitionForm(request.POST or None, instance=instance, user=request.user,
                          municipality=indicator.municipality,
                          initial={} if instance else {"sources": []})
    if instance is None:
        form.instance.indicator = indicator
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():
                services.save_definition(indicator, actor=request.user,
                                         **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The indicator is computed from the data."))
            return redirect(indicator.get_absolute_url())
    return render(request, "evaluation/definition_form.html", {
        "form": form, "indicator": indicator, "instance": instance,
        "cancel_url": indicator.get_absolute_url()})


@login_required
@require_POST
def definition_delete(request, pk: int):
    indicator = access.get_visible_or_404(Indicator, request.user, pk=pk)
    _require_coordinator(request.user, indicator)
    definition = access.get_visible_or_404(IndicatorDefinition, request.user,
                                           indicator=indicator)
    services.delete_definition(definition, actor=request.user)
    messages.success(request, _("The indicator is typed in again."))
    return redirect(indicator.get_absolute_url())


@login_required
def evaluation_edit(request, pk: int):
    activity = access.get_visible_or_404(Activity, request.user, pk=pk)
    _require_coordinator(request.user, activity)
    instance = ActivityEvaluation.objects.visible_to(request.user).filter(
        activity=activity).first()
    form = EvaluationForm(request.POST or None, instance=instance, user=request.user,
                          municipality=activity.municipality)
    if instance is None:
        form.instance.activity = activity
    if request.method == "POST" and form.is_valid():
        try:
            with form.locked_version():
                services.save_evaluation(activity, actor=request.user,
                                         **form.service_data())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect(activity.get_absolute_url() + "#effect")
    return render(request, "evaluation/evaluation_form.html", {
        "form": form, "activity": activity, "instance": instance,
        "cancel_url": activity.get_absolute_url()})


@login_required
@require_POST
def evaluation_delete(request, pk: int):
    activity = access.get_visible_or_404(Activity, request.user, pk=pk)
    _require_coordinator(request.user, activity)
    evaluation = access.get_visible_or_404(ActivityEvaluation, request.user,
                                           activity=activity)
    services.delete_evaluation(evaluation, actor=request.user)
    messages.success(request, _("The evaluation is removed."))
    return redirect(activity.get_absolute_url())
