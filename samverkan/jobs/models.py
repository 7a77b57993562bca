"""A background job as people see it: what runs, for whom, how far it has come, and how it
ended. The task framework (django-tasks) only carries the job's id to a worker; everything a
person reads is here, in the project's own database, whichever task backend runs it."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_STATUSES, JobStatus


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs a user started, and for coordinators and administrators every job of
        their municipalities (the one rule for the job pages)."""
        from samverkan.core import access
        from samverkan.core.choices import Role

        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        managed = [code for code in access.municipality_ids(user)
                   if access.has_role(user, code, Role.COORDINATOR)]
        return self.filter(models.Q(started_by=user) | models.Q(municipality_id__in=managed))


class Job(models.Model):
    """One run of a registered job function (`samverkan.jobs.registry`) with its parameters.

    `key` is an idempotency key: starting a job with a key that already exists returns the
    existing job instead (e-mails use it so that nothing is sent twice)."""

    kind = models.CharField(_("kind"), max_length=100)
    label = models.CharField(_("what"), max_length=300)
    municipality = models.ForeignKey("organizations.Municipality", on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("municipality"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("started by"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True,
                           unique=True)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=1)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["municipality", "-created_at"], name="jobs_mun_created"),
                   models.Index(fields=["started_by", "-created_at"], name="jobs_user_created")]

    def __str__(self):
        return self.label or self.kind

    def get_absolute_url(self):
        return reverse("jobs:job_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def percent(self) -> int:
        return int(round(100 * max(0.0, min(1.0, self.progress))))

    @property
    def duration(self):
        """How long it ran (or has been running), or None before it started."""
        if self.started_at is None:
            return None
        from django.utils import timezone

        return (self.finished_at or timezone.now()) - self.started_at
