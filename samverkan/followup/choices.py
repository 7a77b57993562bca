from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly deviation check")
    TERTIAL = "tertial", _("Tertial")
    QUARTERLY = "quarterly", _("Quarter")
    INTERIM = "interim", _("Interim report (delår 2)")
    ANNUAL = "annual", _("Full year (helår)")
    TIMES_PER_YEAR = "times_per_year", _("Follow-up (times per year)")
    EVALUATION = "evaluation", _("Evaluation")
    END_OF_PERIOD = "end_of_period", _("End of the period")
    CUSTOM = "custom", _("Other follow-up")


# Monthly deviation checks look at deviations only; every other round asks each
# activity's responsible organisations for an activity report.
KINDS_WITHOUT_REPORTS = frozenset({RoundKind.MONTHLY})


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_ROUND_STATUSES = (RoundStatus.PLANNED, RoundStatus.OPEN)


class ReportStatus(models.TextChoices):
    GREEN = "green", _("Green: on track")
    YELLOW = "yellow", _("Yellow: at risk")
    RED = "red", _("Red: late or blocked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# A report with one of these statuses must carry a deviation.
STATUSES_NEEDING_DEVIATION = frozenset({ReportStatus.YELLOW, ReportStatus.RED})


class DeviationKind(models.TextChoices):
    LATE = "late", _("Late")
    BLOCKED = "blocked", _("Blocked")
    OFF_TARGET = "off_target", _("Off target")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    COORDINATOR_SUMMARY = "coordinator_summary", _("Summary to the coordinator")
