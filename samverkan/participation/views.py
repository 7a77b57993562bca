"""Pages of residents' participation: safety walks (recorded on a phone), citizen dialogues,
citizen pledges, and the public pages residents read without logging in."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.audit.services import history
from samverkan.core import access
from samverkan.core.choices import Confidentiality, Role
from samverkan.core.documents import file_response
from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedListView,
    ScopedUpdateView,
    add_validation_error,
)
from samverkan.organizations.models import Municipality

from . import services
from .filters import SafetyWalkFilterSet
from .forms import (
    ConcernForm,
    DialogueForm,
    MeasureForm,
    ObservationForm,
    PledgeFollowUpForm,
    PledgeForm,
    SafetyWalkForm,
)
from .models import Concern, Dialogue, Observation, Pledge, PledgeFollowUp, SafetyWalk
from .protocol import build_protocol

# -- safety walks ----------------------------------------------------------------------------


class WalkListView(ScopedListView):
    model = SafetyWalk
    filterset_class = SafetyWalkFilterSet
    template_name = "participation/walk_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = "walks"
        return ctx


class _Tiles:
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tiles"] = settings.MAP_TILE_URL
        return ctx


class WalkCreateView(_Tiles, ScopedCreateView):
    model = SafetyWalk
    form_class = SafetyWalkForm
    template_name = "participation/walk_form.html"

    def perform(self, form):
        return services.create_walk(actor=self.request.user,
                                    municipality=self.get_municipality(),
                                    **form.service_data())


class WalkUpdateView(_Tiles, ScopedUpdateView):
    model = SafetyWalk
    form_class = SafetyWalkForm
    template_name = "participation/walk_form.html"

    def perform(self, form):
        return services.update_walk(self.object, actor=self.request.user,
                                    **form.service_data())


class WalkDeleteView(ScopedDeleteView):
    model = SafetyWalk

    def get_success_url(self):
        return reverse("participation:walk_list")

    def perform(self, obj):
        services.delete_walk(obj, actor=self.request.user)


def _observations(user, walk) -> list:
    # A restricted organisation named as responsible reads as empty for who may not read it
    # (`access.guard_loaded`).
    return list(Observation.objects.visible_to(user).filter(walk=walk).select_related(
        "responsible_organization"))


@login_required
def walk_detail(request, pk):
    walk = access.get_visible_or_404(SafetyWalk.objects.select_related("activity"),
                                     request.user, pk=pk)
    can_change = access.can_change(request.user, walk)
    observations = list(_observations(request.user, walk))
    points = [{"lat": o.lat, "lon": o.lon, "label": f"{n}. {o.get_category_display()}"}
              for n, o in enumerate(observations, start=1) if o.lat is not None]
    return render(request, "participation/walk_detail.html", {
        "object": walk, "walk": walk, "can_change": can_change,
        "observations": observations, "form": ObservationForm(user=request.user,
                                                              municipality=walk.municipality),
        "map_data": {"route": walk.route, "points": points,
                     "tiles": settings.MAP_TILE_URL,
                     "attribution": settings.MAP_TILE_ATTRIBUTION},
        "history": access.filter_audit(history(walk), request.user)[:30] if access.has_role(
            request.user, walk.municipality_id, Role.COORDINATOR) else None,
    })


@login_required
@require_POST
def observation_add(request, pk):
    """Record an observation (the phone's form; sent again with the same key it creates
    nothing). Answers JSON to the phone's script, a redirect to a plain form."""
    walk = access.get_visible_or_404(SafetyWalk, request.user, pk=pk)
    access.require_change(request.user, walk)
    form = ObservationForm(request.POST, request.FILES, user=request.user,
                           municipality=walk.municipality)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if form.is_valid():
        data = form.service_data()
        photo = data.pop("photo", None)
        try:
            observation = services.add_observation(
                actor=request.user, walk=walk, photo=photo.read() if photo else None, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if wants_json:
                return JsonResponse({"id": observation.pk}, status=201)
            messages.success(request, _("The observation was saved."))
            return redirect(walk.get_absolute_url() + "#observations")
    if wants_json:
        return JsonResponse({"errors": {k: [str(m) for m in v]
                                        for k, v in form.errors.items()}}, status=400)
    return render(request, "participation/walk_detail.html", {
        "object": walk, "walk": walk, "can_change": True,
        "observations": list(_observations(request.user, walk)), "form": form,
        "map_data": {"route": walk.route, "points": [], "tiles": settings.MAP_TILE_URL,
                     "attribution": settings.MAP_TILE_ATTRIBUTION}}, status=400)


class ObservationUpdateView(ScopedUpdateView):
    model = Observation
    form_class = MeasureForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = _("Measure for observation %(n)s") % {"n": self.object}
        ctx["cancel_url"] = self.object.walk.get_absolute_url()
        return ctx

    def perform(self, form):
        return services.update_observation(self.object, actor=self.request.user,
                                           **form.service_data())

    def get_success_url(self):
        return self.object.walk.get_absolute_url() + "#observations"


class ObservationDeleteView(ScopedDeleteView):
    model = Observation

    def get_success_url(self):
        return self.object.walk.get_absolute_url()

    def perform(self, obj):
        services.delete_observation(obj, actor=self.request.user)


@login_required
def observation_photo(request, pk):
    observation = access.get_visible_or_404(Observation, request.user, pk=pk)
    if not observation.photo:
        raise Http404
    return FileResponse(observation.photo.open("rb"), content_type="image/jpeg")


@login_required
def walk_protocol(request, pk):
    walk = access.get_visible_or_404(SafetyWalk.objects.select_related("activity"),
                                     request.user, pk=pk)
    fmt = request.GET.get("format", "docx")
    if fmt not in ("docx", "pdf"):
        raise Http404
    doc = build_protocol(walk, _observations(request.user, walk))
    data = doc.to_docx() if fmt == "docx" else doc.to_pdf()
    return file_response(data, f"trygghetsvandring-{walk.pk}.{fmt}", fmt)


@login_required
@require_POST
def walk_publish(request, pk):
    walk = access.get_visible_or_404(SafetyWalk, request.user, pk=pk)
    access.require_change(request.user, walk)
    services.publish_protocol(walk, actor=request.user)
    messages.success(request, _("The protocol is marked as published."))
    return redirect(walk.get_absolute_url())


# -- dialogues -------------------------------------------------------------------------------


class DialogueListView(ScopedListView):
    model = Dialogue
    template_name = "participation/dialogue_list.html"
    filterset_class = None
    filterset_fields = ["area"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = "dialogues"
        return ctx


class DialogueCreateView(ScopedCreateView):
    model = Dialogue
    form_class = DialogueForm

    def perform(self, form):
        return services.create_dialogue(actor=self.request.user,
                                        municipality=self.get_municipality(),
                                        **form.service_data())


class DialogueUpdateView(ScopedUpdateView):
    model = Dialogue
    form_class = DialogueForm

    def perform(self, form):
        return services.update_dialogue(self.object, actor=self.request.user,
                                        **form.service_data())


class DialogueDeleteView(ScopedDeleteView):
    model = Dialogue

    def get_success_url(self):
        return reverse("participation:dialogue_list")

    def perform(self, obj):
        services.delete_dialogue(obj, actor=self.request.user)


@login_required
def dialogue_detail(request, pk):
    dialogue = access.get_visible_or_404(Dialogue, request.user, pk=pk)
    can_change = access.can_change(request.user, dialogue)
    form = ConcernForm(user=request.user, municipality=dialogue.municipality)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = ConcernForm(request.POST, user=request.user, municipality=dialogue.municipality)
        if form.is_valid():
            try:
                services.add_concern(actor=request.user, dialogue=dialogue,
                                     **form.service_data())
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The concern was saved."))
                return redirect(dialogue.get_absolute_url())
    from samverkan.agreements.models import FocusArea

    return render(request, "participation/dialogue_detail.html", {
        "object": dialogue, "dialogue": dialogue, "can_change": can_change, "form": form,
        "concerns": Concern.objects.visible_to(request.user).filter(dialogue=dialogue)
        .select_related("activity"),
        "focus_areas": FocusArea.objects.visible_to(request.user).filter(
            municipality=dialogue.municipality).select_related("agreement"),
        "history": history(dialogue)[:30] if access.has_role(
            request.user, dialogue.municipality_id, Role.COORDINATOR) else None,
    })


@login_required
@require_POST
def concern_to_activity(request, pk):
    from samverkan.agreements.models import FocusArea

    concern = access.get_visible_or_404(Concern, request.user, pk=pk)
    access.require_change(request.user, concern)
    focus_area = access.get_visible_or_404(FocusArea, request.user,
                                           pk=request.POST.get("focus_area"),
                                           municipality=concern.municipality)
    activity = services.concern_to_activity(concern, actor=request.user, focus_area=focus_area,
                                            title=request.POST.get("title", ""))
    messages.success(request, _("The concern became an activity of the plan."))
    return redirect(activity.get_absolute_url())


# -- pledges ---------------------------------------------------------------------------------


class PledgeListView(ScopedListView):
    model = Pledge
    template_name = "participation/pledge_list.html"
    filterset_class = None
    filterset_fields = ["confidentiality"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = "pledges"
        return ctx


class PledgeCreateView(ScopedCreateView):
    model = Pledge
    form_class = PledgeForm

    def perform(self, form):
        return services.create_pledge(actor=self.request.user,
                                      municipality=self.get_municipality(),
                                      **form.service_data())


class PledgeUpdateView(ScopedUpdateView):
    model = Pledge
    form_class = PledgeForm

    def perform(self, form):
        return services.update_pledge(self.object, actor=self.request.user,
                                      **form.service_data())


class PledgeDeleteView(ScopedDeleteView):
    model = Pledge

    def get_success_url(self):
        return reverse("participation:pledge_list")

    def perform(self, obj):
        services.delete_pledge(obj, actor=self.request.user)


@login_required
def pledge_detail(request, pk):
    pledge = access.get_visible_or_404(Pledge, request.user, pk=pk)
    can_change = access.can_change(request.user, pledge)
    form = PledgeFollowUpForm(user=request.user, municipality=pledge.municipality,
                              initial={"reported_on": timezone.localdate(),
                                       "confidentiality": pledge.confidentiality})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = PledgeFollowUpForm(request.POST, user=request.user,
                                  municipality=pledge.municipality)
        if form.is_valid():
            try:
                services.add_followup(actor=request.user, pledge=pledge, **form.service_data())
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("The follow-up was saved."))
                return redirect(pledge.get_absolute_url())
    return render(request, "participation/pledge_detail.html", {
        "object": pledge, "pledge": pledge, "can_change": can_change, "form": form,
        "followups": PledgeFollowUp.objects.visible_to(request.user).filter(pledge=pledge),
        "activities": pledge.activities.visible_to(request.user),
        "focus_areas": pledge.focus_areas.visible_to(request.user),
        "public_url": reverse("participation:public", args=[pledge.municipality_id]),
        "history": history(pledge)[:30] if access.has_role(
            request.user, pledge.municipality_id, Role.COORDINATOR) else None,
    })


class FollowUpUpdateView(ScopedUpdateView):
    model = PledgeFollowUp
    form_class = PledgeFollowUpForm


class FollowUpDeleteView(ScopedDeleteView):
    model = PledgeFollowUp

    def get_success_url(self):
        return self.object.pledge.get_absolute_url()


# -- public pages (no login) -----------------------------------------------------------------

PUBLIC = Confidentiality.PUBLIC


def public_activities(municipality):
    """The plan's activities a resident may read: public, under a public focus area of a
    public agreement."""
    from samverkan.plans.models import Activity

    return Activity.objects.filter(
        municipality=municipality, confidentiality=PUBLIC,
        focus_area__confidentiality=PUBLIC, agreement__confidentiality=PUBLIC,
    ).select_related("focus_area").order_by("focus_area__number", "pk")


def public_page(request, code):
    """A municipality's page for residents: its pledges and their follow-up, the plan's
    published activities and their status, the next safety walks. Only public records."""
    municipality = get_object_or_404(Municipality, pk=code)
    pledges = list(Pledge.objects.filter(municipality=municipality, confidentiality=PUBLIC)
                   .prefetch_related("activities"))
    followups = PledgeFollowUp.objects.filter(pledge__in=pledges, confidentiality=PUBLIC,
                                              reported_to_residents=True)
    by_pledge: dict[int, list] = {}
    for f in followups:
        by_pledge.setdefault(f.pledge_id, []).append(f)
    activities = list(public_activities(municipality))
    public_ids = {a.pk for a in activities}
    for p in pledges:
        p.public_followups = by_pledge.get(p.pk, [])
        p.public_activities = [a for a in p.activities.all() if a.pk in public_ids]
    walks = SafetyWalk.objects.filter(municipality=municipality, confidentiality=PUBLIC,
                                      starts_at__gte=timezone.now()).order_by("starts_at")[:10]
    return render(request, "participation/public.html", {
        "municipality": municipality, "pledges": pledges, "activities": activities,
        "walks": walks,
    })
