"""Pages of the camera register, and the public page of where the municipality films."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import access
from samverkan.core.choices import Confidentiality
from samverkan.core.tenancy import current_municipality
from samverkan.core.views import ScopedCreateView, ScopedDetailView, ScopedListView
from samverkan.organizations.models import Municipality

from . import services
from .forms import AccessForm, CameraForm, DecisionForm, HoldForm, StillRequestForm
from .models import Camera, CameraPolicy, RetentionHold, RetentionRun, StillRequest


class CameraListView(ScopedListView):
    model = Camera
    template_name = "cameras/camera_list.html"
    filterset_fields = ["active"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        municipality = self.municipality
        ctx["public_url"] = municipality and f"/cameras/public/{municipality.code}/"
        ctx["holds"] = services.active_holds(RetentionHold.objects.visible_to(
            self.request.user).filter(municipality=municipality)).select_related("camera")
        return ctx


class CameraDetailView(ScopedDetailView):
    model = Camera
    template_name = "cameras/camera_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        camera, user = self.object, self.request.user
        ctx["holds"] = camera.holds.visible_to(user)
        ctx["periods"] = camera.periods.visible_to(user)[:14]
        ctx["accesses"] = camera.accesses.visible_to(user).select_related("user")[:50]
        ctx["hold_form"] = HoldForm(user=user, municipality=camera.municipality)
        ctx["access_form"] = AccessForm(user=user, municipality=camera.municipality)
        return ctx


class CameraCreateView(ScopedCreateView):
    model = Camera
    form_class = CameraForm
    page_title = _("New camera")


def _camera_for_change(request, pk) -> Camera:
    camera = access.get_visible_or_404(Camera, request.user, pk=pk)
    access.require_change(request.user, camera)
    return camera


@login_required
@require_POST
def hold_create(request, pk):
    camera = _camera_for_change(request, pk)
    form = HoldForm(request.POST, user=request.user, municipality=camera.municipality)
    if form.is_valid():
        try:
            services.place_hold(actor=request.user, camera=camera, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The recordings are kept."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(camera.get_absolute_url())


@login_required
@require_POST
def hold_release(request, pk):
    hold = access.get_visible_or_404(RetentionHold, request.user, pk=pk)
    access.require_change(request.user, hold)
    try:
        services.release_hold(hold, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hold is released: the recordings are deleted at the "
                                    "next retention run."))
    return redirect(hold.camera.get_absolute_url())


@login_required
@require_POST
def access_log(request, pk):
    """Viewing and export are recorded by the person who does them: anyone in the
    municipality who may see the camera and is allowed to view by the camera's rules."""
    camera = _camera_for_change(request, pk)
    form = AccessForm(request.POST, user=request.user, municipality=camera.municipality)
    if form.is_valid():
        try:
            services.log_access(actor=request.user, camera=camera, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(camera.get_absolute_url())


@login_required
def retention(request):
    municipality = current_municipality(request)
    runs = RetentionRun.objects.visible_to(request.user).filter(municipality=municipality)[:60]
    return render(request, "cameras/retention.html", {"runs": runs})


class StillRequestListView(ScopedListView):
    model = StillRequest
    template_name = "cameras/still_list.html"
    filterset_fields = ["status"]


class StillRequestDetailView(ScopedDetailView):
    model = StillRequest
    template_name = "cameras/still_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["decision_form"] = DecisionForm()
        return ctx


class StillRequestCreateView(ScopedCreateView):
    model = StillRequest
    form_class = StillRequestForm
    page_title = _("New request for stills")

    def perform(self, form):
        return services.receive_still_request(actor=self.request.user,
                                              municipality=self.get_municipality(),
                                              **form.service_data())


@login_required
@require_POST
def still_decide(request, pk):
    item = access.get_visible_or_404(StillRequest, request.user, pk=pk)
    access.require_change(request.user, item)
    try:
        if request.POST.get("deliver"):
            services.deliver_stills(item, actor=request.user)
        else:
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose grant or refuse."))
            services.decide_still_request(item, actor=request.user,
                                          grant=form.cleaned_data["grant"],
                                          reason=form.cleaned_data["refusal_reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item.get_absolute_url())


def public(request, code):
    """Where the municipality films and why; how to ask for stills or contact the data
    protection officer. No account needed; only cameras with a public access level."""
    municipality = get_object_or_404(Municipality, code=code)
    cameras = Camera.objects.filter(municipality=municipality, active=True,
                                    confidentiality=Confidentiality.PUBLIC)
    policy = CameraPolicy.objects.filter(municipality=municipality).first()
    return render(request, "cameras/public.html", {"municipality": municipality,
                                                   "cameras": cameras, "policy": policy})
