from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def active_memberships(user):
    """(organization id, municipality code, role) of the user's active memberships: what the
    access rule in core reads roles from."""
    from .models import Membership  # models are not imported while the app registry loads

    return Membership.objects.filter(user=user, active=True).values_list(
        "organization_id", "organization__municipality_id", "role")


class OrganizationsConfig(AppConfig):
    name = "samverkan.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self):
        from samverkan.core import access, navigation

        access.register_membership_source(active_memberships)
        navigation.register(_("Organisations"), "organizations:organization_list", 90)
