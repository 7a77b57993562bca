from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaSource(models.TextChoices):
    """Where an agenda item came from: proposed by the system or added by hand."""

    MANUAL = "manual", _("Added by hand")
    DEVIATION = "deviation", _("Open deviation")
    ROUND = "round", _("Follow-up round")
    CARRIED_OVER = "carried_over", _("Left from an earlier meeting")


class DecisionEffect(models.TextChoices):
    NONE = "", _("No change to the plan")
    CREATED = "created", _("Created an activity")
    CHANGED = "changed", _("Changed an activity")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class BraStep(models.TextChoices):
    """The five steps of Brå's model for local crime prevention work."""

    INITIATE = "initiate", _("1. Initiate")
    OWN_PREPARATIONS = "own_preparations", _("2. Own preparations")
    JOINT_PREPARATIONS = "joint_preparations", _("3. Joint preparations")
    IMPLEMENTATION = "implementation", _("4. Implementation")
    FOLLOWUP = "followup", _("5. Follow-up")


class ComplianceKey(models.TextChoices):
    """The checkpoints on an agreement's compliance page (see `compliance.py`)."""

    COORDINATOR_NAMED = "coordinator_named", _("A coordination function is in place")
    OWN_PREPARATIONS = "own_preparations", _("Each party has mapped its own picture")
    SITUATION_PICTURE = "situation_picture", _("A situation picture made within the period")
    ACTION_PLAN_ADOPTED = "action_plan_adopted", _(
        "An action plan is decided from the situation picture")
    AGREEMENT_SIGNED = "agreement_signed", _("The agreement is signed by both parties")
    STRATEGIC_COUNCIL_MET = "strategic_council_met", _("The strategic council has met")
    MINUTES_KEPT = "minutes_kept", _("The council's meetings have agenda and minutes")
    FOLLOWUP_REPORTED = "followup_reported", _("Follow-up reported to the council")
    PLEDGES_REPORTED = "pledges_reported", _(
        "Where citizen pledges are given: results reported back to residents")
