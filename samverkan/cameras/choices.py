from django.db import models
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    """Why recordings may be kept past the retention period (seed 001)."""

    DAMAGES_CLAIM = "damages_claim", _("Damages claim for vandalism")
    CRIME_REPORT = "crime_report", _("Crime report")
    POLICE_REQUEST = "police_request", _("Police request (evidence in an investigation)")


class PeriodStatus(models.TextChoices):
    STORED = "stored", _("Stored")
    DELETED = "deleted", _("Deleted")


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")


class StillRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    GRANTED = "granted", _("Granted, to be delivered")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused")


STILL_REQUEST_OPEN = (StillRequestStatus.RECEIVED, StillRequestStatus.GRANTED)
