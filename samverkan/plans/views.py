"""Pages of the action plan: the activity list, an activity with each party's contribution,
the one-step activity form, indicators with their measurements."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.agreements.choices import AgreementStatus
from samverkan.agreements.models import Agreement, FocusArea, SubGoal
from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from . import services
from .choices import ActivityStatus
from .filters import ActivityFilterSet
from .forms import ActivityForm, IndicatorForm, MeasurementForm
from .models import Activity, Contribution, Indicator, Measurement


def with_plan_details(queryset):
    """What the activity table shows, in a fixed number of queries."""
    return queryset.select_related("focus_area", "sub_goal", "agreement").prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("organization")
                 .prefetch_related("committees")),
        "responsible_organizations", "priority_areas")


def default_agreement(user, municipality):
    """The municipality's active agreement, else its most recent one."""
    if municipality is None:
        return None
    return (Agreement.objects.visible_to(user).filter(municipality=municipality)
            .annotate(active_first=Case(When(status=AgreementStatus.ACTIVE, then=Value(0)),
                                        default=Value(1), output_field=IntegerField()))
            .order_by("active_first", "-start_date", "-pk").first())


def export_links(agreement) -> list[dict]:
    """CSV/XLSX links to the plan export (this app's own page: no guard needed)."""
    if agreement is None:
        return []
    url = reverse("plans:plan_export", args=[agreement.pk])
    return [{"label": label, "url": f"{url}?format={fmt}"}
            for label, fmt in (("CSV", "csv"), ("XLSX", "xlsx"))]


# ---------------------------------------------------------------------------- activities


class ActivityListView(ScopedListView):
    model = Activity
    filterset_class = ActivityFilterSet
    template_name = "plans/activity_list.html"
    paginate_by = 100

    def get_queryset(self):
        return with_plan_details(super().get_queryset())

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["municipality"] = self.municipality
        data = self.request.GET.copy()
        if "agreement" not in data:
            agreement = default_agreement(self.request.user, self.municipality)
            if agreement is not None:
                data["agreement"] = str(agreement.pk)
        kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = self.filterset.form
        agreement = form.cleaned_data.get("agreement") if form.is_valid() else None
        ctx["agreement"] = agreement
        ctx["export_links"] = export_links(agreement)
        ctx["filtered"] = any(v for k, v in self.request.GET.items()
                              if k not in ("agreement", "page"))
        return ctx


class ActivityDetailView(ScopedDetailView):
    model = Activity
    template_name = "plans/activity_detail.html"

    def get_queryset(self):
        return with_plan_details(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        activity = self.object
        ctx["contributions"] = list(activity.contributions.all())
        ctx["indicators"] = Indicator.objects.visible_to(user).filter(activity=activity) \
            .prefetch_related("measurements")
        ctx["can_delete"] = access.has_role(user, activity.municipality_id, Role.COORDINATOR)
        ctx["can_add_indicator"] = access.can_create(user, activity.municipality_id, Indicator)
        ctx["status_choices"] = ActivityStatus.choices
        return ctx


class ActivityFormMixin:
    form_class = ActivityForm
    template_name = "plans/activity_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["focus_area"] = getattr(self, "focus_area", None)
        return ctx


class ActivityCreateView(ActivityFormMixin, ScopedCreateView):
    model = Activity

    def dispatch(self, request, *args, **kwargs):
        self.focus_area = None
        if request.user.is_authenticated and request.GET.get("focus_area"):
            self.focus_area = access.get_visible_or_404(FocusArea, request.user,
                                                        pk=request.GET["focus_area"])
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self):
        if getattr(self, "focus_area", None) is not None:
            return self.focus_area.municipality
        return super().get_municipality()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["focus_area"] = self.focus_area
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New activity")
        if not ctx["cancel_url"] and self.focus_area is not None:
            ctx["cancel_url"] = self.focus_area.get_absolute_url()
        return ctx

    def perform(self, form):
        data = form.service_data()
        return services.create_activity(actor=self.request.user,
                                        focus_area=data.pop("focus_area"),
                                        title=data.pop("title"), **data)

    def success_message(self):
        return _("The activity was created.")


class ActivityUpdateView(ActivityFormMixin, ScopedUpdateView):
    model = Activity

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form works on its own copy so that the service sees the stored values.
        kwargs["instance"] = Activity.objects.get(pk=self.object.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Edit activity")
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.update_activity(self.object, actor=self.request.user,
                                        **form.service_data())

    def success_message(self):
        return _("The activity was saved.")


class CoordinatorDeleteView(ScopedDeleteView):
    """Deleting is for coordinators, even where contributors may edit."""

    def get(self, request, *args, **kwargs):
        self.require_coordinator()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_coordinator()
        return super().post(request, *args, **kwargs)

    def require_coordinator(self):
        if not access.has_role(self.request.user, self.object.municipality_id,
                               Role.COORDINATOR):
            raise PermissionDenied


class ActivityDeleteView(CoordinatorDeleteView):
    model = Activity

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_type"] = _("activity")
        ctx["delete_warning"] = _("Its contributions and indicators are deleted too. "
                                  "This cannot be undone.")
        return ctx

    def get_success_url(self):
        return reverse("plans:activity_list")

    def perform(self, obj):
        services.delete_activity(obj, actor=self.request.user)


@login_required
@require_POST
def activity_status(request, pk):
    """Change only the status (a quick button on the activity page)."""
    activity = access.get_visible_or_404(Activity, request.user, pk=pk)
    access.require_change(request.user, activity)
    try:
        services.set_activity_status(activity, actor=request.user,
                                     status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status is now “%(status)s”.") % {
            "status": activity.get_status_display()})
    return redirect(activity.get_absolute_url())


# ---------------------------------------------------------------------------- indicators


class IndicatorDetailView(ScopedDetailView):
    model = Indicator
    template_name = "plans/indicator_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("focus_area", "sub_goal__focus_area",
                                                     "activity", "agreement")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        indicator = self.object
        measurements = list(Measurement.objects.visible_to(user).filter(indicator=indicator)
                            .order_by("measured_on", "pk"))
        for measurement in measurements:
            share = indicator.progress(measurement.value)
            measurement.share = round(share * 100) if share is not None else None
        ctx["measurements"] = measurements
        latest = measurements[-1] if measurements else None
        ctx["latest"] = latest
        ctx["progress"] = indicator.progress(latest.value) if latest else None
        ctx["can_measure"] = services.may_add_measurement(user, indicator)
        ctx["can_delete"] = access.has_role(user, indicator.municipality_id, Role.COORDINATOR)
        if ctx["can_measure"]:
            ctx["measurement_form"] = MeasurementForm(user=user,
                                                      municipality=indicator.municipality)
        ctx["chart"] = chart_data(indicator, measurements)
        return ctx


def chart_data(indicator: Indicator, measurements: list[Measurement]) -> dict | None:
    """Labels and series for the indicator's line chart (values against baseline/target)."""
    if not measurements and indicator.baseline_value is None:
        return None
    points: list[tuple[str, float | None]] = []
    if indicator.baseline_value is not None and indicator.baseline_date is not None and (
            not measurements or indicator.baseline_date < measurements[0].measured_on):
        points.append((indicator.baseline_date.isoformat(), float(indicator.baseline_value)))
    points += [(m.measured_on.isoformat(), float(m.value)) for m in measurements]
    labels = [label for label, _value in points]
    if indicator.target_date is not None and (not labels
                                              or indicator.target_date.isoformat() > labels[-1]):
        labels.append(indicator.target_date.isoformat())
        points.append((labels[-1], None))
    values = [value for _label, value in points]
    return {
        "labels": labels,
        "values": values,
        "baseline": (float(indicator.baseline_value)
                     if indicator.baseline_value is not None else None),
        "target": float(indicator.target_value) if indicator.target_value is not None else None,
        "labelValue": _("Measured"),
        "labelBaseline": _("Baseline"),
        "labelTarget": _("Target"),
        "unit": indicator.unit,
    }


class IndicatorCreateView(ScopedCreateView):
    model = Indicator
    form_class = IndicatorForm
    template_name = "plans/indicator_form.html"

    SUBJECTS = (("activity", Activity), ("sub_goal", SubGoal), ("focus_area", FocusArea))

    def dispatch(self, request, *args, **kwargs):
        self.subject_field, self.subject = None, None
        if request.user.is_authenticated:
            for name, model in self.SUBJECTS:
                if request.GET.get(name):
                    self.subject_field = name
                    self.subject = access.get_visible_or_404(model, request.user,
                                                             pk=request.GET[name])
                    break
            if self.subject is None:
                raise Http404(_("Open this page from a focus area, sub-goal or activity."))
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self):
        if getattr(self, "subject", None) is not None:
            return self.subject.municipality
        return super().get_municipality()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(subject_field=self.subject_field, subject=self.subject)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New indicator")
        ctx["subject"] = self.subject
        if not ctx["cancel_url"]:
            ctx["cancel_url"] = self.subject.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.create_indicator(actor=self.request.user,
                                         **{self.subject_field: self.subject},
                                         **form.service_data())

    def success_message(self):
        return _("The indicator was created.")


class IndicatorUpdateView(ScopedUpdateView):
    model = Indicator
    form_class = IndicatorForm
    template_name = "plans/indicator_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Indicator.objects.get(pk=self.object.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Edit indicator")
        ctx["subject"] = self.object.subject
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.update_indicator(self.object, actor=self.request.user,
                                         **form.service_data())

    def success_message(self):
        return _("The indicator was saved.")


class IndicatorDeleteView(CoordinatorDeleteView):
    model = Indicator

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_type"] = _("indicator")
        ctx["delete_warning"] = _("Its measurements are deleted too. This cannot be undone.")
        return ctx

    def get_success_url(self):
        # A sub-goal has no page of its own: back to the list then.
        get_url = getattr(self.object.subject, "get_absolute_url", None)
        return get_url() if get_url is not None else reverse("plans:activity_list")

    def perform(self, obj):
        services.delete_indicator(obj, actor=self.request.user)


# -------------------------------------------------------------------------- measurements


class MeasurementCreateView(ScopedCreateView):
    model = Measurement
    form_class = MeasurementForm
    parent_model = Indicator
    parent_field = "indicator"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            indicator = access.get_visible_or_404(Indicator, request.user,
                                                  pk=kwargs["parent_pk"])
            if not services.may_add_measurement(request.user, indicator):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("New measurement: %(indicator)s") % {"indicator": self.parent}
        ctx["cancel_url"] = self.parent.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.add_measurement(actor=self.request.user, indicator=self.parent,
                                        **form.service_data())

    def success_message(self):
        return _("The measurement was added.")


class MeasurementUpdateView(ScopedUpdateView):
    model = Measurement
    form_class = MeasurementForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Measurement.objects.get(pk=self.object.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Edit measurement: %(indicator)s") % {
            "indicator": self.object.indicator}
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.update_measurement(self.object, actor=self.request.user,
                                           **form.service_data())


class MeasurementDeleteView(ScopedDeleteView):
    model = Measurement

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_type"] = _("measurement")
        return ctx

    def get_success_url(self):
        return self.object.indicator.get_absolute_url()

    def perform(self, obj):
        services.delete_measurement(obj, actor=self.request.user)
