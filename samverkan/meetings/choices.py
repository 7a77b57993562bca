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


class MeetingKind(models.TextChoices):
    """What kind of meeting it is, where Brå's model asks for a kind (staff dialogues)."""

    ORDINARY = "", _("Ordinary meeting")
    STAFF_DIALOGUE = "staff_dialogue", _("Staff dialogue")


class ComplianceSection(models.TextChoices):
    """The sections of the compliance page: the law's duties, then Brå's five steps."""

    LAW = "law", _("Lag (2023:196)")
    INITIATE = "initiate", _("1. Initiate")
    OWN_PREPARATIONS = "own_preparations", _("2. Own preparations")
    JOINT_PREPARATIONS = "joint_preparations", _("3. Joint preparations")
    IMPLEMENTATION = "implementation", _("4. Implementation")
    FOLLOWUP = "followup", _("5. Follow-up")


class ComplianceStatus(models.TextChoices):
    MET = "met", _("Done")
    NOT_MET = "not_met", _("Not done")
    BY_HAND = "by_hand", _("Done, ticked by hand")
    NOT_MEASURABLE = "not_measurable", _("Not measurable yet")


class ComplianceKey(models.TextChoices):
    """The checkpoints on an agreement's compliance page (see `compliance.py`). The keys of
    the first version are kept (hand ticks saved under them stay valid)."""

    # the law
    SITUATION_PICTURE = "situation_picture", _("A situation picture made within the period")
    ACTION_PLAN_ADOPTED = "action_plan_adopted", _(
        "An action plan is decided from the situation picture")
    FOLLOWUP_REPORTED = "followup_reported", _("The action plan is followed up")
    COORDINATOR_NAMED = "coordinator_named", _("A coordination function is in place")
    # 1. initiate
    JOINT_DECISION = "joint_decision", _(
        "The police leadership and the executive board have decided to collaborate")
    FORUM_MANDATES = "forum_mandates", _("Every forum has its role and mandate written down")
    FORUM_OWNERS = "forum_owners", _("Every forum has a named owner")
    COMMUNICATIONS = "communications", _("A communications lead and a communication plan")
    # 2. own preparations
    OWN_PREPARATIONS = "own_preparations", _("Each party has mapped its own picture")
    STAFF_DIALOGUES = "staff_dialogues", _("Staff dialogues have been held")
    LEADERSHIP_INFORMED = "leadership_informed", _(
        "Both leaderships have seen the material")
    # 3. joint preparations
    JOINT_SITUATION_PICTURE = "joint_situation_picture", _(
        "The joint situation picture, with its sources used and left out")
    PRIORITIES_REASONED = "priorities_reasoned", _(
        "The prioritised problems, with the reasons for the priority")
    CITIZEN_DIALOGUES = "citizen_dialogues", _("Citizen dialogues have been held")
    CAUSE_ANALYSIS = "cause_analysis", _("A cause analysis for each prioritised problem")
    AGREEMENT_SIGNED = "agreement_signed", _("The agreement is signed by both parties")
    # 4. implementation
    GOALS_MEASURABLE = "goals_measurable", _(
        "Goals of effect, process and production; effect goals measurable")
    PLAN_ADOPTED_BY_STEERING = "plan_adopted_by_steering", _(
        "The action plan is adopted by the steering group")
    PLEDGES_PUBLISHED = "pledges_published", _("Citizen pledges are signed and published")
    FOLLOWUP_PLANNED = "followup_planned", _("The follow-up is planned on the year wheel")
    MEASURES_DOCUMENTED = "measures_documented", _(
        "Measures are carried out and documented")
    STRATEGIC_COUNCIL_MET = "strategic_council_met", _("The strategic council has met")
    MINUTES_KEPT = "minutes_kept", _("The council's meetings have agenda and minutes")
    # 5. follow-up
    EFFECT_EXAMINED = "effect_examined", _("The effect on the problems is examined")
    COMMITMENTS_ASSESSED = "commitments_assessed", _(
        "Each party's commitments are assessed")
    PROCESS_REVIEWED = "process_reviewed", _("The process is reviewed: time and costs")
    RESULTS_TO_STEERING = "results_to_steering", _(
        "The results are reported to the steering group")
    PLEDGES_REPORTED = "pledges_reported", _(
        "Where citizen pledges are given: results reported back to residents")
