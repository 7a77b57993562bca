"""All writes of SSPF/SIG cases, with the acting user explicit (`*, actor`), validated, inside a
transaction and audited. Personal data never goes into the audit entries (the models'
`audit_exclude`): an entry says that the name changed, not what it was or became.

Who may do what (docs/sspf.md):
- open a case: an active member of the owning unit's organisation, logged in with two factors;
  they become its responsible person;
- change the case, its participants and consents, close it: participants of the owning unit;
- record team meetings and agreed actions, mark an action done: any participant who may read
  the case.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.choices import Action
from samverkan.core import access
from samverkan.core import services as core
from samverkan.core.choices import Role

from . import crypto
from .choices import Agency, CaseStatus, ConsentGiver, ConsentMethod, MemberRole, age_group
from .models import (
    AgreedAction,
    Case,
    CaseMember,
    Consent,
    Programme,
    TeamMeeting,
    is_verified,
    local_today,
)

PERSONAL_FIELDS = ("person_name", "personal_number", "birth_year")
DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


# -- who may ------------------------------------------------------------------------------------
def _require_verified(actor) -> None:
    if not is_verified(actor):
        raise PermissionDenied(_("Log in with two-factor authentication to work with cases."))


def participant(case: Case, user) -> CaseMember | None:
    """The user's current participation in the case, when they may read it now."""
    if not is_verified(user):
        return None
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        return None
    return (CaseMember.objects.filter(case=case, user=user, left_on__isnull=True)
            .order_by("pk").first())


def is_owning_participant(case: Case, user) -> bool:
    member = participant(case, user)
    return member is not None and member.organization_id == case.owning_unit_id


def require_owning_participant(case: Case, user) -> None:
    if not is_owning_participant(case, user):
        raise PermissionDenied(_("Only participants of the owning unit may do this."))


def owning_units(user):
    """Organisations in which `user` may open a case (active members, contributor or more)."""
    from samverkan.organizations.models import Membership, Organization

    if not is_verified(user):
        return Organization.objects.none()
    ids = Membership.objects.filter(user=user, active=True, role__in=[
        Role.CONTRIBUTOR, Role.COORDINATOR, Role.ADMINISTRATOR]).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("name")


# -- programmes (no personal data: the collaboration's coordinators keep them) ------------------
def create_programme(*, actor, municipality, **data) -> Programme:
    if not access.has_role(actor, municipality, Role.COORDINATOR):
        raise PermissionDenied
    return core.create(Programme, actor=actor, data=data, municipality=municipality)


def update_programme(programme: Programme, *, actor, **data) -> Programme:
    access.require_change(actor, programme)
    return core.update(programme, actor=actor, data=data)


def record_indicator(programme: Programme, *, actor, measured_on: dt.date | None = None):
    """Record the number of young people broken loose on the plan's indicator: a figure with
    the same suppression as everywhere, so a small number is not recorded."""
    from samverkan.plans import services as plans

    from .figures import build

    access.require_change(actor, programme)
    if programme.indicator is None:
        raise ValidationError(_("Choose the indicator in the action plan first."))
    figures = build(programme)
    if figures.broken_loose.suppressed:
        raise ValidationError(_("Fewer than %(n)d young people: the figure is recorded when "
                                "it can be shown without recognising anyone.")
                              % {"n": figures.threshold})
    return plans.add_measurement(
        actor=actor, indicator=programme.indicator, measured_on=measured_on or local_today(),
        value=figures.broken_loose.count, source=str(programme),
        note=_("Young people broken loose (SSPF/SIG), counted by Samverkan."))


# -- cases --------------------------------------------------------------------------------------
def _age_on(case: Case, day: dt.date) -> int | None:
    if case.personal_number:
        born = crypto.birth_date(crypto.normalise_pin(case.personal_number))
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if case.birth_year:
        return day.year - case.birth_year
    return None


def _is_minor(case: Case, day: dt.date) -> bool:
    """Under 18 on `day`. With only a year of birth, the whole year they turn 18 counts as
    under 18 (guardians' consent is then still asked for)."""
    if case.personal_number:
        age = _age_on(case, day)
        return age is not None and age < 18
    if case.birth_year:
        return day.year - case.birth_year <= 18
    return True


def _prepare_person(case: Case, changes: dict) -> list[str]:
    """Normalise the personal identity number, its hash, year of birth and age group; the names
    of the personal fields that changed (for the audit entry)."""
    changed = []
    if "personal_number" in changes:
        raw = (changes["personal_number"] or "").strip()
        if raw:
            try:
                pin = crypto.normalise_pin(raw)
            except ValidationError as error:
                raise ValidationError({"personal_number": error.messages}) from error
            case.personal_number = f"{pin[:8]}-{pin[8:]}"
            case.personal_number_hash = crypto.pin_hash(pin)
            born = crypto.birth_date(pin).year
            if changes.get("birth_year") and int(changes["birth_year"]) != born:
                raise ValidationError({"birth_year": _(
                    "The year of birth does not match the personal identity number.")})
            case.birth_year = born
        else:
            case.personal_number = ""
            case.personal_number_hash = ""
    for name in PERSONAL_FIELDS:
        if name in changes:
            changed.append(name)
    case.age_group = age_group(_age_on(case, case.started_on))
    return changed


@transaction.atomic
def create_case(*, actor, programme: Programme, owning_unit, person_name: str,
                personal_number: str = "", birth_year: int | None = None, sex: str = "other",
                area=None, guardian_count: int = 2, started_on: dt.date | None = None,
                is_example: bool = False) -> Case:
    """Open a case; the actor becomes its responsible person at the owning unit."""
    _require_verified(actor)
    if not owning_units(actor).filter(pk=owning_unit.pk).exists():
        raise PermissionDenied(_("Only a member of the owning unit may open its cases."))
    if owning_unit.municipality_id != programme.municipality_id:
        raise ValidationError({"owning_unit": _("This belongs to another municipality.")})
    if not (person_name or "").strip():
        raise ValidationError({"person_name": _("Write the young person's name.")})
    case = Case(programme=programme, municipality_id=programme.municipality_id,
                owning_unit=owning_unit, person_name=person_name.strip(),
                birth_year=birth_year, sex=sex, area=area, guardian_count=guardian_count,
                started_on=started_on or local_today(), is_example=is_example)
    changed = _prepare_person(case, {"person_name": person_name,
                                     "personal_number": personal_number,
                                     "birth_year": birth_year})
    if case.birth_year is None:
        raise ValidationError({"birth_year": _("Give the year of birth or the personal "
                                               "identity number.")})
    case.full_clean()
    case.save()
    after = audit.snapshot(case)
    after["personal_data_set"] = changed
    audit.record(actor=actor, action=Action.CREATE, obj=case, after=after)
    _add_member(case, actor=actor, user=actor, organization=owning_unit,
                agency=Agency.SOCIAL_SERVICES, role=MemberRole.RESPONSIBLE)
    return case


@transaction.atomic
def update_case(case: Case, *, actor, **changes) -> Case:
    """Change the case's facts (not its status: consent, closing and the outcome have their
    own actions). Personal fields are audited by name only."""
    require_owning_participant(case, actor)
    if case.anonymised_at:
        raise ValidationError(_("The case is anonymised and cannot be changed."))
    allowed = {"person_name", "personal_number", "birth_year", "sex", "area",
               "guardian_count", "started_on", "new_suspicion_12_months",
               "left_criminal_environment", "in_education_or_work"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in unknown})
    before = audit.snapshot(case)
    old_personal = {name: getattr(case, name) for name in PERSONAL_FIELDS}
    for name, value in changes.items():
        if name != "personal_number":
            setattr(case, name, value)
    _prepare_person(case, changes)
    changed_personal = [n for n in PERSONAL_FIELDS if getattr(case, n) != old_personal[n]]
    case.full_clean()
    case.save()
    after = audit.snapshot(case)
    if changed_personal or after != before:
        after["personal_data_changed"] = changed_personal
        audit.record(actor=actor, action=Action.UPDATE, obj=case, before=before, after=after)
    refresh_access(case, actor=actor)
    return case


@transaction.atomic
def close_case(case: Case, *, actor, closed_on: dt.date | None = None,
               left_criminal_environment: bool | None = None,
               in_education_or_work: bool | None = None) -> Case:
    """Close the case with its outcome. Other agencies' access ends with it."""
    require_owning_participant(case, actor)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is already closed."))
    closed_on = closed_on or local_today()
    if closed_on < case.started_on:
        raise ValidationError({"closed_on": _("A case cannot close before it started.")})
    before = audit.snapshot(case)
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.left_criminal_environment = left_criminal_environment
    case.in_education_or_work = in_education_or_work
    case.full_clean()
    case.save()
    audit.record(actor=actor, action=Action.UPDATE, obj=case, before=before,
                 after=audit.snapshot(case))
    refresh_access(case, actor=actor)
    return case


# -- participants -------------------------------------------------------------------------------
def _add_member(case, *, actor, user, organization, agency, role, note="") -> CaseMember:
    from samverkan.organizations.models import Membership

    if user.is_superuser:
        raise ValidationError({"user": _("An operator account cannot take part in a case.")})
    if not Membership.objects.filter(user=user, organization=organization,
                                     active=True).exists():
        raise ValidationError({"user": _("The person is not a member of that organisation.")})
    if organization.municipality_id != case.municipality_id:
        raise ValidationError({"organization": _("This belongs to another municipality.")})
    if role in (MemberRole.RESPONSIBLE, MemberRole.COORDINATOR) \
            and organization.pk != case.owning_unit_id:
        raise ValidationError({"role": _("The responsible person and the coordinator belong "
                                         "to the owning unit.")})
    if CaseMember.objects.filter(case=case, user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": _("The person already takes part in the case.")})
    member = core.create(CaseMember, actor=actor, data={
        "case": case, "user": user, "organization": organization, "agency": agency,
        "role": role, "note": note, "is_example": case.is_example})
    refresh_access(case, actor=actor)
    member.refresh_from_db()
    return member


@transaction.atomic
def add_member(case: Case, *, actor, user, organization, agency: str,
               role: str = MemberRole.TEAM, note: str = "") -> CaseMember:
    """Name a participant. A member of another agency reads the case only while a consent
    covers their agency."""
    require_owning_participant(case, actor)
    return _add_member(case, actor=actor, user=user, organization=organization,
                       agency=agency, role=role, note=note)


@transaction.atomic
def remove_member(member: CaseMember, *, actor, left_on: dt.date | None = None) -> CaseMember:
    require_owning_participant(member.case, actor)
    if member.role == MemberRole.RESPONSIBLE and not CaseMember.objects.filter(
            case=member.case, role=MemberRole.RESPONSIBLE, left_on__isnull=True).exclude(
            pk=member.pk).exists():
        raise ValidationError(_("Name another responsible person first."))
    return core.update(member, actor=actor, data={"left_on": left_on or local_today()})


# -- consent ------------------------------------------------------------------------------------
def coverage(case: Case, day: dt.date | None = None) -> dict[str, dt.date]:
    """For each agency that the consents cover on `day`, the last day they do: the young
    person's consent, and while they are under 18 the consents of as many different guardians
    as the case has, all valid and naming the agency."""
    day = day or local_today()
    consents = [c for c in case.consents.all() if c.is_valid_on(day)]
    minor = _is_minor(case, day)
    result = {}
    for agency in Agency.values:
        covering = [c for c in consents if agency in c.agencies]
        own = [c.ends_on for c in covering if c.given_by == ConsentGiver.YOUNG_PERSON]
        if not own:
            continue
        until = max(own)
        if minor and case.guardian_count:
            per_guardian: dict[str, dt.date] = {}
            for c in covering:
                if c.given_by == ConsentGiver.GUARDIAN:
                    key = (c.giver_name or "").strip().lower() or f"#{c.pk}"
                    per_guardian[key] = max(per_guardian.get(key, c.ends_on), c.ends_on)
            ends = sorted(per_guardian.values(), reverse=True)
            if len(ends) < case.guardian_count:
                continue
            until = min(until, ends[case.guardian_count - 1])
        result[agency] = until
    return result


def refresh_access(case: Case, *, actor=None) -> dict[str, dt.date]:
    """Recompute every participant's `access_until` from the consents (a closed or anonymised
    case is shared with nobody outside the owning unit) and move the status between consent
    pending and active."""
    covered = {} if case.status == CaseStatus.CLOSED or case.anonymised_at else coverage(case)
    for member in CaseMember.objects.filter(case=case):
        until = None if member.organization_id == case.owning_unit_id else covered.get(
            member.agency)
        if member.left_on is not None:
            until = None
        if member.access_until != until:
            CaseMember.objects.filter(pk=member.pk).update(access_until=until)
    status = case.status
    if status in (CaseStatus.REFERRED, CaseStatus.CONSENT_PENDING) and covered:
        status = CaseStatus.ACTIVE
    elif (status == CaseStatus.ACTIVE and not covered) or (
            status == CaseStatus.REFERRED and case.consents.exists()):
        status = CaseStatus.CONSENT_PENDING
    if status != case.status:
        before = audit.snapshot(case)
        Case.objects.filter(pk=case.pk).update(status=status)
        case.status = status
        audit.record(actor=actor, action=Action.UPDATE, obj=case, before=before,
                     after=audit.snapshot(case))
    return covered


def _store_document(upload) -> tuple[str, str]:
    content_type = getattr(upload, "content_type", "") or ""
    if content_type not in DOCUMENT_TYPES:
        raise ValidationError({"document": _("Upload the signed form as PDF, JPEG or PNG.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": _("The file is larger than 10 MB.")})
    data = b"".join(upload.chunks())
    path = default_storage.save(f"sspf/consents/{uuid.uuid4().hex}.bin",
                                _Encrypted(crypto.encrypt_bytes(data)))
    return path, upload.name[:200]


class _Encrypted:
    """A minimal File for storage.save of bytes already encrypted."""

    def __init__(self, data: bytes):
        from django.core.files.base import ContentFile

        self._file = ContentFile(data)

    def __getattr__(self, name):
        return getattr(self._file, name)


def read_document(consent: Consent) -> bytes:
    with default_storage.open(consent.document_path, "rb") as handle:
        return crypto.decrypt_bytes(handle.read())


@transaction.atomic
def record_consent(case: Case, *, actor, given_by: str, given_on: dt.date, method: str,
                   agencies: Iterable[str], ends_on: dt.date, giver_name: str = "",
                   note: str = "", document=None) -> Consent:
    """Record one person's consent. A signed form is uploaded (stored encrypted); consent given
    in a meeting is recorded with the meeting in the note."""
    require_owning_participant(case, actor)
    if case.status == CaseStatus.CLOSED or case.anonymised_at:
        raise ValidationError(_("The case is closed."))
    agencies = sorted(set(agencies or []))
    errors = {}
    if not agencies:
        errors["agencies"] = _("Choose the agencies the consent covers.")
    elif set(agencies) - set(Agency.values):
        errors["agencies"] = _("Unknown agency.")
    if given_on > local_today():
        errors["given_on"] = _("A consent cannot be recorded before it is given.")
    if ends_on < given_on:
        errors["ends_on"] = _("The end date is before the date it was given.")
    if given_by == ConsentGiver.GUARDIAN and not (giver_name or "").strip():
        errors["giver_name"] = _("Write the guardian's name.")
    if method == ConsentMethod.SIGNED_FORM and document is None:
        errors["document"] = _("Upload the signed form, or record that consent was given in "
                               "a meeting.")
    if method == ConsentMethod.MEETING and not (note or "").strip():
        errors["note"] = _("Say in which meeting the consent was given.")
    if errors:
        raise ValidationError(errors)
    path, name = ("", "")
    if document is not None:
        path, name = _store_document(document)
    try:
        consent = core.create(Consent, actor=actor, data={
            "case": case, "given_by": given_by, "giver_name": (giver_name or "").strip(),
            "given_on": given_on, "method": method, "agencies": agencies, "ends_on": ends_on,
            "note": note, "document_path": path, "document_name": name,
            "is_example": case.is_example})
    except Exception:
        if path:
            default_storage.delete(path)
        raise
    refresh_access(case, actor=actor)
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor) -> Consent:
    """Withdrawal is one action and takes effect at once: other agencies lose access now."""
    require_owning_participant(consent.case, actor)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("The consent is already withdrawn."))
    before = audit.snapshot(consent)
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit.record(actor=actor, action=Action.UPDATE, obj=consent, before=before,
                 after=audit.snapshot(consent))
    refresh_access(consent.case, actor=actor)
    return consent


# -- team meetings and agreed actions ---------------------------------------------------------
def _require_participant(case, actor) -> CaseMember:
    member = participant(case, actor)
    if member is None:
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case is closed."))
    return member


def add_meeting(case: Case, *, actor, held_on: dt.date, notes: str = "") -> TeamMeeting:
    _require_participant(case, actor)
    return core.create(TeamMeeting, actor=actor, data={
        "case": case, "held_on": held_on, "notes": notes, "is_example": case.is_example})


def add_action(meeting: TeamMeeting, *, actor, agency: str, description: str,
               deadline: dt.date | None = None, activity=None) -> AgreedAction:
    _require_participant(meeting.case, actor)
    if activity is not None and not activity.__class__.objects.visible_to(actor).filter(
            pk=activity.pk).exists():
        raise ValidationError({"activity": _("Choose an activity you can see.")})
    return core.create(AgreedAction, actor=actor, data={
        "meeting": meeting, "agency": agency, "description": description,
        "deadline": deadline, "activity": activity, "is_example": meeting.is_example})


def mark_action_done(action: AgreedAction, *, actor, done_on: dt.date | None = None):
    _require_participant(action.meeting.case, actor)
    return core.update(action, actor=actor, data={"done_on": done_on or local_today()})


# -- reads --------------------------------------------------------------------------------------
def record_read(case: Case, *, actor, purpose: str, channel: str, detail: str = "") -> None:
    """Every read of a case is in the audit log, with its purpose and channel (page, API,
    document)."""
    audit.record(actor=actor, action=Action.VIEW, obj=case,
                 after={"purpose": purpose, "channel": channel, "detail": detail})


def record_reads(cases: Iterable[Case], *, actor, purpose: str, channel: str) -> None:
    for case in cases:
        record_read(case, actor=actor, purpose=purpose, channel=channel, detail="list")


def read_log(case: Case, *, actor):
    """Who read the case, when and why: for the participants of the owning unit."""
    require_owning_participant(case, actor)
    from samverkan.audit.models import AuditEntry

    return AuditEntry.objects.for_object(case).select_related("actor")


def find_by_personal_number(user, value: str):
    """The cases `user` may read of the person with this personal identity number."""
    return Case.objects.visible_to(user).filter(personal_number_hash=crypto.pin_hash(value))


# -- retention ----------------------------------------------------------------------------------
def due_for_anonymisation(today: dt.date | None = None):
    today = today or local_today()
    rows = Case.objects.filter(status=CaseStatus.CLOSED, anonymised_at__isnull=True,
                               closed_on__isnull=False).select_related("programme")
    return [c for c in rows if _add_months(c.closed_on, c.programme.retention_months) <= today]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def anonymise_case(case: Case, *, actor=None) -> dict:
    """Remove the person from a closed case and everything said about them, keeping what the
    figures count (programme, area, sex, age group at start, dates, status, outcome)."""
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case is anonymised."))
    removed = {"consents": 0, "meetings": 0, "actions": 0, "members": 0}
    for action in AgreedAction.objects.filter(meeting__case=case):
        audit.record(actor=actor, action=Action.DELETE, obj=action,
                     before=audit.snapshot(action))
        removed["actions"] += 1
    for model, key in ((TeamMeeting, "meetings"), (Consent, "consents"),
                       (CaseMember, "members")):
        for obj in model.objects.filter(case=case):
            audit.record(actor=actor, action=Action.DELETE, obj=obj, before=audit.snapshot(obj))
            if key == "consents" and obj.document_path:
                default_storage.delete(obj.document_path)
            removed[key] += 1
    AgreedAction.objects.filter(meeting__case=case).delete()
    TeamMeeting.objects.filter(case=case).delete()
    Consent.objects.filter(case=case).delete()
    CaseMember.objects.filter(case=case).delete()
    before = audit.snapshot(case)
    Case.objects.filter(pk=case.pk).update(
        person_name=None, personal_number=None, personal_number_hash="", birth_year=None,
        anonymised_at=timezone.now())
    case.refresh_from_db()
    audit.record(actor=actor, action=Action.UPDATE, obj=case, before=before,
                 after={**audit.snapshot(case), "anonymised": removed})
    return removed


def anonymise_due(*, today: dt.date | None = None, actor=None, dry_run: bool = False):
    cases = due_for_anonymisation(today)
    if dry_run:
        return [(c, None) for c in cases]
    return [(c, anonymise_case(c, actor=actor)) for c in cases]
