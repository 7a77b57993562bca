from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    POSSIBLE = "possible", _("Possible")
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off effort")
    ORDINARY = "ordinary", _("Part of ordinary work")


class ContributionParty(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class GoalKind(models.TextChoices):
    """Brå distinguishes goals of effect, process and production (prestation)."""

    EFFECT = "effect", _("Effect")
    PROCESS = "process", _("Process")
    PRODUCTION = "production", _("Production")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
