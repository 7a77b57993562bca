from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.TextChoices):
    """Who may read a record, its access level (DESIGN.md: data, tenancy and security). Not a
    secrecy assessment under the Public Access to Information and Secrecy Act."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted (named organisations only)")


class Role(models.TextChoices):
    """A user's role in one organisation; the highest role in a municipality counts there."""

    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CONTRIBUTOR = "contributor", _("Contributor")
    READER = "reader", _("Reader")


ROLE_RANK = {Role.READER: 1, Role.CONTRIBUTOR: 2, Role.COORDINATOR: 3, Role.ADMINISTRATOR: 4}
