from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.core.choices import Role
from samverkan.core.models import ScopedModel

from .choices import OrganizationKind, PoliceAreaLevel


class County(models.Model):
    """A county (län), SCB's two-digit code."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (kommuner), keyed by SCB's four-digit code.

    Reference data: every installation has all of them; tenancy starts when an organisation of
    the municipality gets members."""

    code = models.CharField(_("municipality code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, verbose_name=_("county"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True,
                                                       blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class PoliceArea(models.Model):
    """A police region, police area (polisområde) or local police area (lokalpolisområde)."""

    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(_("code"), max_length=10, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=PoliceAreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("part of"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="police_areas", verbose_name=_("municipalities")
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("police area")
        verbose_name_plural = _("police areas")
        constraints = [
            models.UniqueConstraint(fields=["level", "name"], name="policearea_level_name_unique")
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.name}"


class Organization(ScopedModel):
    """An organisation taking part in a municipality's collaboration: the municipality itself,
    its committees and departments (KS, BUN, SN, ...), the police area, housing companies,
    associations and other authorities."""

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True,
                                    help_text=_("E.g. KS, BUN, SN, KFN, SBN, MRN."))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("part of"),
    )
    police_area = models.ForeignKey(
        PoliceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("police area"),
    )
    aliases = models.CharField(
        _("other names"), max_length=500, blank=True,
        help_text=_("Comma-separated words that name this organisation in plan texts, "
                    "e.g. 'polis, polisen'."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"],
                                    name="organization_municipality_name_unique")
        ]

    def __str__(self):
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:organization_detail", args=[self.pk])

    @property
    def alias_list(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.aliases.split(",") if a.strip())


class Membership(models.Model):
    """A user's role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="memberships", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    title = models.CharField(_("title"), max_length=150, blank=True,
                             help_text=_("E.g. kommunpolis, brottsförebyggande samordnare."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    audit_exclude = ("created_at",)

    class Meta:
        ordering = ["organization", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"],
                                    name="membership_user_organization_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"

    @property
    def municipality_id(self):
        return self.organization.municipality_id
