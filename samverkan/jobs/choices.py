from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


#: Statuses of a job that has not finished.
OPEN_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
