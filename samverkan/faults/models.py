"""Residents' fault reports (felanmälan): categories, deadline and routing rules, the reports
with their photos and status history, and Open311 clients.

Zones are the situation picture's areas (`situation.Area`, a polygon such as the town centre),
so one boundary serves the map, the statistics and the deadlines. Every record is a
ScopedModel; a report's handler organisation (a property owner in the network or a municipal
department) may change it (`contributor_may_change`).
"""
from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel, ScopedQuerySet

from .choices import OPEN_STATUSES, DeadlineUnit, FaultChannel, FaultStatus


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FaultCategory(ScopedModel):
    """What a resident can report (an Open311 service). The municipality configures them;
    `incident_category` says where the report counts in the situation picture."""

    slug = models.SlugField(_("code"), max_length=50,
                            help_text=_("Short code, also the Open311 service_code."))
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Inactive categories cannot be chosen in new "
                                             "reports."))
    incident_category = models.ForeignKey(
        "situation.Category", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("category in the situation picture"),
        help_text=_("Reports are counted as incidents of this category in the situation "
                    "picture. Empty: they are not counted there."))

    class Meta:
        ordering = ["municipality", "order", "name"]
        verbose_name = _("fault category")
        verbose_name_plural = _("fault categories")
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"],
                                               name="faults_category_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("faults:category_detail", args=[self.pk])


class DeadlineRule(ScopedModel):
    """How long the handler has: per category and zone (both optional), in hours or working
    days. The most specific rule that matches a report wins (category and zone before category
    before zone before neither); among equally specific ones, the shortest."""

    category = models.ForeignKey(FaultCategory, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="deadline_rules", verbose_name=_("category"),
                                 help_text=_("Empty: every category."))
    zone = models.ForeignKey("situation.Area", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("zone"),
                             help_text=_("Empty: everywhere."))
    amount = models.PositiveIntegerField(_("deadline"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices,
                            default=DeadlineUnit.HOURS)
    note = models.CharField(_("note"), max_length=300, blank=True,
                            help_text=_("Where the promise comes from, e.g. the property "
                                        "owners' agreement."))

    class Meta:
        ordering = ["municipality", "category__name", "zone__name", "amount"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self):
        return "{}, {}: {} {}".format(self.category or _("all categories"),
                                  self.zone or _("everywhere"), self.amount,
                                  self.get_unit_display())

    def get_absolute_url(self):
        return reverse("faults:rules")


class RoutingRule(ScopedModel):
    """Who handles a report: a property owner in the network or a municipal department, per
    category and zone (both optional; the most specific match wins)."""

    category = models.ForeignKey(FaultCategory, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="routing_rules", verbose_name=_("category"),
                                 help_text=_("Empty: every category."))
    zone = models.ForeignKey("situation.Area", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("zone"),
                             help_text=_("Empty: everywhere."))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("handled by"))

    class Meta:
        ordering = ["municipality", "category__name", "zone__name"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self):
        return "{}, {} → {}".format(self.category or _("all categories"),
                                self.zone or _("everywhere"), self.organization)

    def get_absolute_url(self):
        return reverse("faults:rules")


class FaultReportQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class FaultReport(ScopedModel):
    """One resident's report. `token` is the unguessable link of the reporter's page (follow,
    reopen); `open311_token` is the token an Open311 client gets."""

    # A report names its category, zone and handling organisation: whoever may not see one of
    # them may not see the report (the access rule's parent chain).
    visible_through = ("category", "zone", "handler")

    category = models.ForeignKey(FaultCategory, on_delete=models.PROTECT,
                                 related_name="reports", verbose_name=_("category"))
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("What is wrong. Do not write names or personal identity numbers."))
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    zone = models.ForeignKey("situation.Area", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("zone"))
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    channel = models.CharField(_("received through"), max_length=10,
                               choices=FaultChannel.choices, default=FaultChannel.WEB)
    open311_client = models.ForeignKey("Open311Client", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="reports",
                                       verbose_name=_("Open311 client"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    deadline_rule = models.ForeignKey(DeadlineRule, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("deadline rule"))
    status = models.CharField(_("status"), max_length=20, choices=FaultStatus.choices,
                              default=FaultStatus.RECEIVED)
    handler = models.ForeignKey("organizations.Organization", on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("handled by"))
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=300, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    cost = models.DecimalField(_("clean-up cost (SEK)"), max_digits=10, decimal_places=0,
                               null=True, blank=True, validators=[MinValueValidator(0)])
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates",
                                     verbose_name=_("duplicate of"))
    incident = models.ForeignKey("situation.Incident", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("incident in the situation picture"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    open311_token = models.CharField(max_length=64, unique=True, default=new_token,
                                     editable=False)

    objects = FaultReportQuerySet.as_manager()
    audit_exclude = ("created_at", "updated_at", "token", "open311_token")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        indexes = [
            models.Index(fields=["municipality", "received_at"], name="faults_report_mun_time"),
            models.Index(fields=["municipality", "status", "due_at"],
                         name="faults_report_mun_due"),
        ]

    def __str__(self):
        return _("Fault report %(number)s: %(category)s") % {"number": self.pk,
                                                              "category": self.category}

    def get_absolute_url(self):
        return reverse("faults:report_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("faults:public_report", args=[self.token])

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.handler_id in organization_ids

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        if self.due_at is None:
            return False
        if self.is_open:
            return (now or timezone.now()) > self.due_at
        return self.status == FaultStatus.FIXED and self.fixed_at is not None \
            and self.fixed_at > self.due_at

    @property
    def fixed_in_time(self) -> bool | None:
        if self.status != FaultStatus.FIXED or self.fixed_at is None or self.due_at is None:
            return None
        return self.fixed_at <= self.due_at

    def clean(self):
        super().clean()
        if self.lat is not None and self.lon is not None:
            from samverkan.situation.models import in_sweden

            if not in_sweden(self.lat, self.lon):
                raise ValidationError({"lat": _("The place is not in Sweden.")})
        elif not self.address.strip():
            raise ValidationError({"address": _("Mark the place on the map or write the "
                                                "address.")})


class FaultPhoto(ScopedModel):
    """A photo of a report, re-encoded without its metadata (no location) by
    `photos.clean_photo` before it is stored."""

    report = models.ForeignKey(FaultReport, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("fault report"))
    image = models.BinaryField(_("image (JPEG)"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    scope_parent = "report"
    audit_exclude = ("created_at", "updated_at", "image")

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return _("Photo %(n)s") % {"n": self.pk}

    def get_absolute_url(self):
        return reverse("faults:photo", args=[self.pk])


class FaultEvent(ScopedModel):
    """One change of a report's status (kept for ever, shown to the reporter and e-mailed to
    them when they gave an address)."""

    report = models.ForeignKey(FaultReport, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("fault report"))
    status = models.CharField(_("status"), max_length=20, choices=FaultStatus.choices)
    note = models.TextField(_("message"), blank=True,
                            help_text=_("Shown to the reporter. Do not write names."))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    happened_at = models.DateTimeField(_("when"), default=timezone.now)

    scope_parent = "report"

    class Meta:
        ordering = ["report", "happened_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.report_id}: {self.get_status_display()}"

    def get_absolute_url(self):
        return self.report.get_absolute_url()


class Open311Client(ScopedModel):
    """An app allowed to file reports through Open311 (`api_key`)."""

    name = models.CharField(_("name"), max_length=200)
    api_key = models.CharField(_("API key"), max_length=64, unique=True, default=new_token,
                               editable=False)
    active = models.BooleanField(_("active"), default=True)
    contact = models.EmailField(_("contact e-mail"), blank=True)

    audit_exclude = ("created_at", "updated_at", "api_key")

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("faults:rules") + "#open311"
