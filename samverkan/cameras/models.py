"""The camera surveillance register: cameras with purpose, legal basis and balancing of
interests, their recording periods and when each is deleted, retention holds, the log of
every viewing and export, and requests for stills from people who were filmed.

Recordings live in the video system, not here: the register records what exists, what is due
for deletion (`apply_retention`) and what is kept and why, so that the municipality can show
that deletion happens on time.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import AccessKind, HoldReason, PeriodStatus, StillRequestStatus


class CameraPolicy(ScopedModel):
    """A municipality's rules for its cameras and what the public page says."""

    data_protection_officer = models.EmailField(_("data protection officer's e-mail"))
    contact = models.TextField(_("how to ask for stills"), blank=True)
    still_request_days = models.PositiveSmallIntegerField(
        _("deadline for requests for stills (days)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("GDPR: without undue delay and at most one month."))
    introduction = models.TextField(_("introduction on the public page"), blank=True)

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("camera policy")
        verbose_name_plural = _("camera policies")
        constraints = [models.UniqueConstraint(fields=["municipality"],
                                               name="cameras_policy_one_per_municipality")]

    def __str__(self):
        return str(_("Camera policy"))

    def get_absolute_url(self):
        return reverse("cameras:camera_list")


class Camera(ScopedModel):
    """One surveillance camera. A public access level puts it on the public page."""

    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    area = models.ForeignKey("situation.Area", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("area"))
    owner = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("responsible organisation"))
    purpose = models.TextField(_("purpose"))
    legal_basis = models.TextField(_("legal basis"))
    balancing_of_interests = models.TextField(
        _("balancing of interests"),
        help_text=_("The documented weighing of the need for surveillance against the "
                    "privacy of those filmed."))
    records_sound = models.BooleanField(_("records sound"), default=False,
                                        help_text=_("Should be no."))
    retention_days = models.PositiveSmallIntegerField(
        _("retention (days)"), default=30, validators=[MinValueValidator(1)])
    viewers = models.TextField(_("who may view recordings"))
    recording_since = models.DateField(_("recording since"))
    active = models.BooleanField(_("recording"), default=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cameras:camera_detail", args=[self.pk])

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.owner_id in organization_ids

    def clean(self):
        super().clean()
        if self.records_sound and not self.balancing_of_interests.strip():
            raise ValidationError({"records_sound": _("Sound recording needs a documented "
                                                      "balancing of interests.")})


class RecordingPeriod(ScopedModel):
    """One day of a camera's recordings (local time), and when it was deleted."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="periods",
                               verbose_name=_("camera"))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    due_at = models.DateTimeField(_("due for deletion"))
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices,
                              default=PeriodStatus.STORED)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    retention_run = models.ForeignKey("RetentionRun", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="periods",
                                      verbose_name=_("retention run"))

    scope_parent = "camera"

    class Meta:
        ordering = ["camera", "-starts_at"]
        verbose_name = _("recording period")
        verbose_name_plural = _("recording periods")
        constraints = [models.UniqueConstraint(fields=["camera", "starts_at"],
                                               name="cameras_period_unique_start")]
        indexes = [models.Index(fields=["status", "due_at"], name="cameras_period_due")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.camera} {local:%Y-%m-%d}"

    def get_absolute_url(self):
        return self.camera.get_absolute_url()


class RetentionHold(ScopedModel):
    """Recordings of a camera kept past retention for a reason (damages claim, crime report,
    police request) with a reference, until an end date or until released."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="holds",
                               verbose_name=_("camera"))
    starts_at = models.DateTimeField(_("recordings from"))
    ends_at = models.DateTimeField(_("recordings to"))
    reason = models.CharField(_("reason"), max_length=20, choices=HoldReason.choices)
    reference = models.CharField(_("reference"), max_length=200,
                                 help_text=_("Case or report number, e.g. the police's "
                                             "diary number."))
    keep_until = models.DateField(_("keep until"),
                                  help_text=_("Check again by this date; the hold ends then."))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_note = models.CharField(_("why released"), max_length=300, blank=True)

    scope_parent = "camera"

    class Meta:
        ordering = ["camera", "-starts_at"]
        verbose_name = _("retention hold")
        verbose_name_plural = _("retention holds")
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F(
            "starts_at")), name="cameras_hold_ends_after_start")]

    def __str__(self):
        return f"{self.get_reason_display()} {self.reference}"

    def get_absolute_url(self):
        return self.camera.get_absolute_url()

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.released_at is None and self.keep_until >= today

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})


class RetentionRun(ScopedModel):
    """One run of `apply_retention`: when, and how many periods fell due and were deleted or
    kept by a hold."""

    ran_at = models.DateTimeField(_("run"), default=timezone.now)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    kept = models.PositiveIntegerField(_("kept by a hold"), default=0)
    late = models.PositiveIntegerField(_("deleted late"), default=0,
                                       help_text=_("Periods deleted more than a day after "
                                                   "they fell due."))

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return str(_("Retention run %(when)s") % {
            "when": timezone.localtime(self.ran_at).strftime("%Y-%m-%d %H:%M")})

    def get_absolute_url(self):
        return reverse("cameras:retention")


class RecordingAccess(ScopedModel):
    """Every viewing and export of recordings: who, when, which recordings and why."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="accesses",
                               verbose_name=_("camera"))
    kind = models.CharField(_("kind"), max_length=10, choices=AccessKind.choices)
    starts_at = models.DateTimeField(_("recordings from"))
    ends_at = models.DateTimeField(_("recordings to"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("by"))
    accessed_at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=300)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recipient = models.CharField(_("exported to"), max_length=200, blank=True)

    scope_parent = "camera"

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("viewing or export")
        verbose_name_plural = _("viewings and exports")

    def __str__(self):
        return f"{self.get_kind_display()} {self.camera}"

    def get_absolute_url(self):
        return self.camera.get_absolute_url()


class StillRequest(ScopedModel):
    """A request from a person who was filmed for stills of themselves."""

    camera = models.ForeignKey(Camera, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="still_requests", verbose_name=_("camera"))
    received_on = models.DateField(_("received"), default=timezone.localdate)
    requester = models.CharField(_("requester"), max_length=200,
                                 help_text=_("Name or reference; the contact details are kept "
                                             "in the registry, not here."))
    recorded_at = models.DateTimeField(_("time of the recording"))
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=StillRequestStatus.choices,
                              default=StillRequestStatus.RECEIVED)
    due_on = models.DateField(_("to be answered by"))
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("request for stills")
        verbose_name_plural = _("requests for stills")

    def __str__(self):
        return _("Request for stills %(n)s") % {"n": self.pk}

    def get_absolute_url(self):
        return reverse("cameras:still_detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        from .choices import STILL_REQUEST_OPEN

        return self.status in STILL_REQUEST_OPEN and (today or timezone.localdate()) > \
            self.due_on
