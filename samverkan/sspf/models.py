"""Individual-level collaboration (SSPF and social insatsgrupper, SIG) with consent.

The most protected records of Samverkan: personal data about young people, shared between
social services, police, school, child psychiatry, leisure and employment services only as far
as the young person's and guardians' consent lifts the secrecy between them (docs/sspf.md).

- `Programme`: the municipality's SSPF/SIG work (areas, the plan's target "bryta loss minst 15
  unga individer", retention, the small-number threshold). No personal data: the whole
  collaboration reads it and its figures.
- `Case`, `CaseMember`, `Consent`, `TeamMeeting`, `AgreedAction`: one young person's case. Only
  the case's named participants read them (`CaseQuerySet.visible_to`): members of the owning
  unit always, members of other agencies only while a valid consent covers their agency, and
  never anyone else: not the collaboration's coordinators, not superusers.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import ScopedModel

from .choices import Agency, CaseStatus, ConsentGiver, ConsentMethod, MemberRole, Sex
from .crypto import SecretCharField, SecretTextField


def is_verified(user) -> bool:
    """Logged in with a confirmed second factor (samverkan.accounts): required for every read
    of a case, whatever the installation's TWO_FACTOR_REQUIRED_FOR."""
    from samverkan.accounts.otp import is_verified as verified

    return verified(user)


def local_today() -> dt.date:
    return timezone.localdate()


class Programme(ScopedModel):
    """The municipality's SSPF/SIG work: what the collaboration follows up, without people."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField("situation.Area", blank=True, related_name="+",
                                   verbose_name=_("areas"))
    target_broken_loose = models.PositiveIntegerField(
        _("target: young people broken loose"), null=True, blank=True,
        help_text=_("From the action plan, e.g. 15 for \"bryta loss minst 15 unga "
                    "individer\"."))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    retention_months = models.PositiveIntegerField(
        _("retention after closure (months)"), default=60,
        help_text=_("A closed case is anonymised this long after it closed; only the "
                    "figures remain. Default: five years, as social services' records "
                    "(12 kap. 1 § socialtjänstlagen)."))
    suppression_threshold = models.PositiveIntegerField(
        _("smallest group shown"), default=5,
        help_text=_("Figures for groups smaller than this are not shown, so that no young "
                    "person can be recognised."))
    indicator = models.ForeignKey(
        "plans.Indicator", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("indicator in the action plan"),
        help_text=_("The number broken loose is recorded on this indicator (a figure, no "
                    "personal data)."))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("SSPF/SIG programme")
        verbose_name_plural = _("SSPF/SIG programmes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sspf:programme_detail", args=[self.pk])


def _case_rule(user, prefix: str = "") -> Q:
    """The record whose case is at `prefix` (a lookup path, "" for the case itself) is read by
    `user` as a named participant: a member of the owning unit, or a member of another agency
    while a consent covers it (`CaseMember.access_until`), and still a member of the
    organisation they were named for."""
    from samverkan.core import access

    if not is_verified(user):
        return Q(pk__in=[])
    org_ids = list(access.organization_ids(user))
    if not org_ids:
        return Q(pk__in=[])
    members = CaseMember.objects.filter(
        case=OuterRef(f"{prefix}pk" if prefix else "pk"), user=user, left_on__isnull=True,
        organization_id__in=org_ids,
    ).filter(Q(organization_id=OuterRef(f"{prefix}owning_unit_id"))
             | Q(access_until__gte=local_today()))
    return Q(Exists(members))


class CaseScoped:
    """Mixin of the case models: `core.access.filter_visible` (every read path) adds the case
    rule to the common one (municipality, access level), for superusers too."""

    case_path = ""  # the lookup path to the case ("" for Case itself)

    @classmethod
    def narrow_visible(cls, qs, user):
        prefix = f"{cls.case_path}__" if cls.case_path else ""
        return qs.filter(_case_rule(user, prefix))


class Case(CaseScoped, ScopedModel):
    """One young person's SSPF/SIG case. Names and numbers are encrypted at rest; the person is
    found by the keyed hash of the personal identity number."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases",
                                  verbose_name=_("programme"))
    person_name = SecretCharField(_("name of the young person"), max_length=200, blank=True,
                                  null=True)
    personal_number = SecretCharField(_("personal identity number"), max_length=20,
                                      blank=True, null=True)
    personal_number_hash = models.CharField(_("search hash"), max_length=64, blank=True,
                                            db_index=True, editable=False)
    birth_year = models.PositiveIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.OTHER)
    age_group = models.CharField(_("age group at start"), max_length=8, blank=True,
                                 editable=False)
    area = models.ForeignKey("situation.Area", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("area"))
    owning_unit = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("owning unit"),
        help_text=_("The social services unit that holds the ultimate responsibility."))
    guardian_count = models.PositiveSmallIntegerField(
        _("number of guardians"), default=2,
        help_text=_("Guardians whose consent is needed while the young person is under 18."))
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.REFERRED)
    started_on = models.DateField(_("started"), default=local_today)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    left_criminal_environment = models.BooleanField(
        _("left the criminal environment"), null=True, blank=True)
    in_education_or_work = models.BooleanField(_("in education or work"), null=True,
                                               blank=True)
    new_suspicion_12_months = models.BooleanField(
        _("new suspicion of crime within 12 months"), null=True, blank=True,
        help_text=_("Recorded when known, at the latest 12 months after closure."))
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True,
                                         editable=False)

    scope_parent = "programme"
    # Personal data never goes into the audit log (which coordinators read): only the fact
    # that it changed (`services`).
    audit_exclude = ("created_at", "updated_at", "person_name", "personal_number",
                     "personal_number_hash", "birth_year")
    audit_private = True
    # ... yet a change of it is a new version (optimistic locking, core.versioning: a keyed
    # digest, never the values).
    version_private_fields = ("person_name", "personal_number", "birth_year")

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("SSPF/SIG case")
        verbose_name_plural = _("SSPF/SIG cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(status=CaseStatus.CLOSED),
                name="sspf_case_closed_date_only_when_closed"),
        ]

    def __str__(self):
        # Never the person: this is what the audit log and messages show.
        return f"{_('Case')} {self.reference}"

    @property
    def reference(self) -> str:
        return f"SIG-{self.started_on:%Y}-{self.pk or 0:04d}"

    def get_absolute_url(self):
        return reverse("sspf:case_detail", args=[self.pk])

    @property
    def broken_loose(self) -> bool:
        return self.status == CaseStatus.CLOSED and bool(self.left_criminal_environment)


class CaseMember(CaseScoped, ScopedModel):
    """A named participant of a case: the responsible person and the coordinator of the owning
    unit, and the operative team's members from the other agencies."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("case"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("person"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices)
    role = models.CharField(_("role"), max_length=12, choices=MemberRole.choices,
                            default=MemberRole.TEAM)
    note = models.CharField(_("task in the team"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined"), default=local_today)
    left_on = models.DateField(_("left"), null=True, blank=True)
    # Derived from the consents (`services.refresh_access`): the last day a member of another
    # agency may read the case; None when no valid consent covers their agency.
    access_until = models.DateField(_("access until"), null=True, blank=True, editable=False)

    case_path = "case"
    scope_parent = "case"
    audit_exclude = ("created_at", "updated_at", "access_until")
    audit_private = True

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name = _("case participant")
        verbose_name_plural = _("case participants")
        constraints = [models.UniqueConstraint(
            fields=["case", "user"], condition=Q(left_on__isnull=True),
            name="sspf_member_once_per_case")]

    def __str__(self):
        return f"{self.get_role_display()} ({self.get_agency_display()})"

    @property
    def in_owning_unit(self) -> bool:
        return self.organization_id == self.case.owning_unit_id


class Consent(CaseScoped, ScopedModel):
    """One person's consent (the young person's or a guardian's) that lifts the secrecy between
    the named agencies for the period of the group. Withdrawing it is one action."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("case"))
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    giver_name = SecretCharField(_("name of the guardian"), max_length=200, blank=True,
                                null=True)
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how"), max_length=16, choices=ConsentMethod.choices)
    agencies = models.JSONField(_("agencies covered"), default=list)
    ends_on = models.DateField(_("valid until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    document_path = models.CharField(max_length=200, blank=True, editable=False)
    document_name = SecretCharField(_("signed form"), max_length=200, blank=True, null=True,
                                    editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)

    case_path = "case"
    scope_parent = "case"
    audit_exclude = ("created_at", "updated_at", "giver_name", "document_name")
    audit_private = True

    class Meta:
        ordering = ["case", "-given_on", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_given_by_display()} {self.given_on:%Y-%m-%d}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.withdrawn_at is None and self.given_on <= day <= self.ends_on

    def agency_labels(self) -> list[str]:
        labels = dict(Agency.choices)
        return [str(labels.get(a, a)) for a in self.agencies]


class TeamMeeting(CaseScoped, ScopedModel):
    """A meeting of the operative team, with short notes (encrypted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings",
                             verbose_name=_("case"))
    held_on = models.DateField(_("date"))
    notes = SecretTextField(_("short notes"), blank=True, null=True)

    case_path = "case"
    scope_parent = "case"
    audit_exclude = ("created_at", "updated_at", "notes")
    audit_private = True

    class Meta:
        ordering = ["case", "-held_on", "-pk"]
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")

    def __str__(self):
        return f"{_('Team meeting')} {self.held_on:%Y-%m-%d}"


class AgreedAction(CaseScoped, ScopedModel):
    """An action agreed in a team meeting, for one agency, with a deadline. It may point at an
    activity of the action plan; nothing of the case reaches the plan."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("team meeting"))
    agency = models.CharField(_("agency"), max_length=20, choices=Agency.choices)
    description = SecretTextField(_("action"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    activity = models.ForeignKey("plans.Activity", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("activity in the action plan"))

    case_path = "meeting__case"
    scope_parent = "meeting"
    audit_exclude = ("created_at", "updated_at", "description")
    audit_private = True

    class Meta:
        ordering = ["meeting", "deadline", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")

    def __str__(self):
        return f"{self.get_agency_display()} {self.deadline or ''}".strip()
