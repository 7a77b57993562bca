"""Generic, access-checked views. Reads go through `visible_to`, writes through services."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from samverkan.audit.services import history, record_view
from samverkan.audit.services import record_reads as _record_reads

from . import access, services, versioning
from .choices import Role
from .filters import ScopedFilterSet, scoped_filterset_factory
from .tenancy import current_municipality, set_current_municipality


def safe_next(request, default: str = "") -> str:
    """The `next` URL of the request when it points into this site, else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return default


def not_found(request, exception=None):
    """The 404 page (`handler404`); under /api/ the API's JSON body, as the schema documents
    it for every operation, also for a URL no route matches (an id the route's converter does
    not take, e.g. a negative one: found by test_api_fuzz.py)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, per field where the field is on it.
    A refused stale version (optimistic locking) gives the form the new version, so that
    saving again is a deliberate choice."""
    if isinstance(error, versioning.StaleVersion) and hasattr(form, "take_version"):
        form.take_version(error.current)
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def audit_reads(user, objects) -> None:
    """Log the reads of restricted records (pages, edit forms, exports)."""
    _record_reads(actor=user, objects=objects)


class ScopedMixin(LoginRequiredMixin):
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    @property
    def municipality(self):
        return current_municipality(self.request)


class ScopedListView(ScopedMixin, FilterView):
    def get_filterset_class(self):
        if self.filterset_class is None and self.filterset_fields:
            return scoped_filterset_factory(self.model, self.filterset_fields)
        return super().get_filterset_class()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if issubclass(filterset_class, ScopedFilterSet):
            kwargs["municipality"] = self.municipality
        return kwargs

    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset()
        municipality = self.municipality
        return qs.filter(municipality=municipality) if municipality else qs.none()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.municipality is not None and access.can_create(
            self.request.user, self.municipality, self.model)
        return ctx


class ScopedDetailView(ScopedMixin, DetailView):
    def get_object(self, queryset=None):
        obj = access.get_visible_or_404(self.get_queryset(), self.request.user,
                                        pk=self.kwargs["pk"])
        if obj.confidentiality == "restricted":
            record_view(actor=self.request.user, obj=obj)
        return obj

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["can_change"] = access.can_change(user, self.object)
        if access.has_role(user, self.object.municipality_id, Role.COORDINATOR):
            ctx["history"] = access.filter_audit(history(self.object), user)[:50]
        return ctx


class ServiceFormView(LoginRequiredMixin, FormView):
    """A FormView whose form_valid calls a service and shows its errors on the form."""

    template_name = "core/form_page.html"
    page_title = ""
    submit_label = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["municipality"] = self.get_municipality()
        return kwargs

    def get_municipality(self):
        return current_municipality(self.request)

    def form_valid(self, form):
        try:
            self.object = self.write(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message())
        return HttpResponseRedirect(self.get_success_url())

    def write(self, form):
        """A form that edits a stored record (`VersionedFormMixin`, e.g. a ScopedModelForm
        given an instance) is checked again with the row locked, in the write's transaction
        (optimistic locking, `core.versioning`)."""
        if getattr(form, "submitted_version", ""):
            with transaction.atomic():
                form.check_version_locked()
                return self.perform(form)
        return self.perform(form)

    def success_message(self):
        return _("Saved.")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = self.page_title
        model = getattr(self, "model", None)
        ctx["model_name"] = model._meta.verbose_name if model is not None else ""
        ctx["submit_label"] = self.submit_label or _("Save")
        ctx["cancel_url"] = safe_next(self.request)
        return ctx


class ScopedCreateView(ServiceFormView):
    """Create a record, optionally under a parent found by `parent_model` and URL kwarg pk."""

    model = None
    parent_model = None
    parent_field = None  # the model field that points at the parent

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.parent = None
        if self.parent_model is not None:
            self.parent = access.get_visible_or_404(self.parent_model, request.user,
                                                    pk=kwargs["parent_pk"])
        municipality = self.get_municipality()
        if municipality is None:
            return render(request, "core/no_municipality.html", status=403)
        access.require_create(request.user, municipality, self.model)
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self):
        if getattr(self, "parent", None) is not None:
            return self.parent.municipality
        return current_municipality(self.request)

    def get_initial(self):
        initial = super().get_initial()
        parent = getattr(self, "parent", None)
        if parent is not None and getattr(parent, "confidentiality", None) == "restricted":
            # Created inside a restricted record: restricted to the same organisations.
            initial["confidentiality"] = "restricted"
            initial["restricted_to"] = list(parent.restricted_to.all())
        return initial

    def perform(self, form):
        extra = {self.parent_field: self.parent} if self.parent_field else {}
        data = form.service_data()
        municipality = self.get_municipality()
        access.check_fields(self.request.user, self.model, municipality.pk, data)
        instance = form.instance
        instance.municipality = municipality
        for name, value in extra.items():
            setattr(instance, name, value)
        if not access.can_create_record(self.request.user, instance):
            raise PermissionDenied
        return services.create(self.model, actor=self.request.user, data=data,
                               municipality=municipality, **extra)

    def success_message(self):
        return _("%(name)s was created.") % {"name": self.model._meta.verbose_name.capitalize()}


class ScopedUpdateView(ServiceFormView):
    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = access.get_visible_or_404(self.model, request.user, pk=kwargs["pk"])
        access.require_change(request.user, self.object)
        if request.method == "GET":
            audit_reads(request.user, [self.object])
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self):
        return self.object.municipality

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: validating a ModelForm writes the posted values onto its instance, and the
        # service must see the stored values to audit what changed.
        kwargs["instance"] = self.model._default_manager.get(pk=self.object.pk)
        return kwargs

    @transaction.atomic
    def write(self, form):
        """The form already refused a stale version (`VersionedFormMixin`); here the check is
        repeated with the row locked, in the write's transaction, so that a save that came in
        meanwhile is not overwritten either (optimistic locking, `core.versioning`)."""
        if getattr(form, "submitted_version", ""):
            form.check_version_locked(self.object)
            self.object.refresh_from_db()
        return self.perform(form)

    def perform(self, form):
        data = form.service_data()
        access.check_fields(self.request.user, self.model, self.object.municipality_id, data,
                            instance=self.object)
        return services.update(self.object, actor=self.request.user, data=data)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        return ctx


class ScopedDeleteView(LoginRequiredMixin, TemplateView):
    model = None
    template_name = "core/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = access.get_visible_or_404(self.model, request.user, pk=kwargs["pk"])
        access.require_change(request.user, self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return "/"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.object
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx

    def post(self, request, *args, **kwargs):
        url = self.get_success_url()
        name = str(self.object)
        try:
            self.perform(self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.object.get_absolute_url())
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(url)

    def perform(self, obj):
        services.delete(obj, actor=self.request.user)


@login_required
@require_POST
def switch_municipality(request):
    if not set_current_municipality(request, request.POST.get("municipality", "")):
        messages.error(request, _("You are not a member of that municipality."))
    return redirect(safe_next(request, "home"))
