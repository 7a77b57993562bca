from django.db import models
from django.utils.translation import gettext_lazy as _


class FaultStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    FIXED = "fixed", _("Fixed")
    CLOSED_NOT_FIXED = "closed_not_fixed", _("Closed, not fixed")
    NOT_OURS = "not_ours", _("Not ours (forwarded)")
    REOPENED = "reopened", _("Reopened")


# Statuses in which the fault is still to be dealt with (the deadline runs).
OPEN_STATUSES = (FaultStatus.RECEIVED, FaultStatus.ACKNOWLEDGED, FaultStatus.IN_PROGRESS,
                 FaultStatus.REOPENED)
CLOSED_STATUSES = (FaultStatus.FIXED, FaultStatus.CLOSED_NOT_FIXED, FaultStatus.NOT_OURS)

# Which status a handler may move a report to from each status.
TRANSITIONS = {
    FaultStatus.RECEIVED: {FaultStatus.ACKNOWLEDGED, FaultStatus.IN_PROGRESS, FaultStatus.FIXED,
                           FaultStatus.CLOSED_NOT_FIXED, FaultStatus.NOT_OURS},
    FaultStatus.ACKNOWLEDGED: {FaultStatus.IN_PROGRESS, FaultStatus.FIXED,
                               FaultStatus.CLOSED_NOT_FIXED, FaultStatus.NOT_OURS},
    FaultStatus.IN_PROGRESS: {FaultStatus.FIXED, FaultStatus.CLOSED_NOT_FIXED,
                              FaultStatus.NOT_OURS},
    FaultStatus.REOPENED: {FaultStatus.ACKNOWLEDGED, FaultStatus.IN_PROGRESS, FaultStatus.FIXED,
                           FaultStatus.CLOSED_NOT_FIXED, FaultStatus.NOT_OURS},
    FaultStatus.FIXED: {FaultStatus.REOPENED},
    FaultStatus.CLOSED_NOT_FIXED: {FaultStatus.REOPENED},
    FaultStatus.NOT_OURS: {FaultStatus.REOPENED},
}


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")


class FaultChannel(models.TextChoices):
    WEB = "web", _("Public form")
    OPEN311 = "open311", _("Open311")
    STAFF = "staff", _("Entered by staff")
    DEMO = "demo", _("Demo")


# The categories a municipality starts with (slug, Swedish name, description); seed 001 names
# graffiti, damage and littering; broken lighting is in the list.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("klotter", "Klotter", "Klotter och taggar på väggar, skyltar och annat.", "klotter"),
    ("klotter_krankande", "Kränkande klotter",
     "Klotter med rasistiskt, sexistiskt eller annat kränkande innehåll.", "klotter"),
    ("skadegorelse", "Skadegörelse", "Sönderslagna rutor, bänkar, lekplatser och annat.",
     "skadegorelse"),
    ("nedskrapning", "Nedskräpning", "Skräp, dumpat avfall, fulla papperskorgar.",
     "nedskrapning"),
    ("belysning", "Trasig belysning", "Gatlampor och belysning i parker och gångtunnlar.",
     "mork_plats"),
)
