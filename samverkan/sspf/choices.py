from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.TextChoices):
    """The agencies of an operative team; consent names the ones it lifts secrecy towards."""

    SOCIAL_SERVICES = "social_services", _("Social services")
    POLICE = "police", _("Police")
    SCHOOL = "school", _("School")
    CHILD_PSYCHIATRY = "child_psychiatry", _("Child and adolescent psychiatry (BUP)")
    LEISURE = "leisure", _("Leisure (Ung fritid)")
    EMPLOYMENT = "employment", _("Employment services")


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    CONSENT_PENDING = "consent_pending", _("Consent pending")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Sex(models.TextChoices):
    GIRL = "girl", _("Girl")
    BOY = "boy", _("Boy")
    OTHER = "other", _("Other or not stated")


class MemberRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible at the owning unit")
    COORDINATOR = "coordinator", _("Coordinator")
    TEAM = "team", _("Team member")


class ConsentGiver(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    GUARDIAN = "guardian", _("Guardian")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    MEETING = "meeting", _("Recorded in a meeting")


class ReadPurpose(models.TextChoices):
    """Why a case was opened: asked before a case is shown, kept in the read log."""

    HANDLING = "handling", _("Handling the case")
    TEAM_MEETING = "team_meeting", _("Team meeting")
    ACTION = "action", _("Carrying out an agreed action")
    CONSENT = "consent", _("Consent")
    FOLLOW_UP = "follow_up", _("Follow-up")
    REVIEW = "review", _("Review of the read log")
    OVERVIEW = "overview", _("List of my cases")
    SEARCH = "search", _("Search by personal identity number")


# What a user picks when opening a case (the last two are set by the list and the search).
PICKABLE_PURPOSES = [c for c in ReadPurpose.choices if c[0] not in ("overview", "search")]


AGE_GROUPS = ((0, 14, "-14"), (15, 17, "15-17"), (18, 20, "18-20"), (21, 200, "21-"))


def age_group(age: int | None) -> str:
    if age is None:
        return ""
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return ""
