from samverkan.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from . import services
from .filters import OrganizationFilterSet
from .forms import OrganizationForm
from .models import Organization


class OrganizationListView(ScopedListView):
    model = Organization
    filterset_class = OrganizationFilterSet
    template_name = "organizations/organization_list.html"


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = self.object.memberships.select_related("user") \
            if ctx["can_change"] else []
        return ctx


class OrganizationCreateView(ScopedCreateView):
    model = Organization
    form_class = OrganizationForm

    def perform(self, form):
        return services.create_organization(actor=self.request.user,
                                            municipality=self.get_municipality(),
                                            **form.service_data())


class OrganizationUpdateView(ScopedUpdateView):
    model = Organization
    form_class = OrganizationForm

    def perform(self, form):
        return services.update_organization(self.object, actor=self.request.user,
                                            **form.service_data())


class OrganizationDeleteView(ScopedDeleteView):
    model = Organization

    def get_success_url(self):
        from django.urls import reverse

        return reverse("organizations:organization_list")

    def perform(self, obj):
        services.delete_organization(obj, actor=self.request.user)
