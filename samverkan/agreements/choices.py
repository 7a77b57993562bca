from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    DECIDED = "decided", _("Decided")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    EVALUATED = "evaluated", _("Evaluated")


class PartyRole(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other party")


class Track(models.TextChoices):
    CRIME_PREVENTION = "crime_prevention", _("Crime prevention")
    SAFETY_CREATING = "safety_creating", _("Safety creating")


class Strategy(models.TextChoices):
    SOCIAL = "social", _("Social prevention")
    SITUATIONAL = "situational", _("Situational prevention")
    BOTH = "both", _("Social and situational")


class FollowUpKind(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuously")
    MONTHLY = "monthly", _("Monthly (deviations)")
    QUARTERLY = "quarterly", _("Quarterly")
    TERTIAL = "tertial", _("Per tertial")
    INTERIM = "interim", _("Interim report (delår 2)")
    ANNUAL = "annual", _("Full year (helår)")
    TIMES_PER_YEAR = "times_per_year", _("Times per year")
    EVALUATION = "evaluation", _("Evaluation")
    END_OF_PERIOD = "end_of_period", _("At the end of the period")


class ForumKind(models.TextChoices):
    STRATEGIC_COUNCIL = "strategic_council", _("Strategic council")
    LOCAL_BRA = "local_bra", _("Local crime prevention council (lokala Brå)")
    STEERING_GROUP = "steering_group", _("Steering group")
    POLITICAL_STEERING_GROUP = "political_steering_group", _("Political steering group")
    MANAGEMENT_GROUP = "management_group", _("Management group")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Working committee (AU)")
    PROJECT_GROUP = "project_group", _("Project group")
    WORKING_GROUP = "working_group", _("Working group")
    AREA_GROUP = "area_group", _("Area group")
    SAFETY_COUNCIL = "safety_council", _("Safety council")
    COORDINATION_GROUP = "coordination_group", _("Coordination group")
    OTHER = "other", _("Other")


class ForumMemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CONVENER = "convener", _("Convener")
    MEMBER = "member", _("Member")
    CO_OPTED = "co_opted", _("Co-opted")


class PriorityCriterion(models.TextChoices):
    """Brå's criteria for prioritising a problem in the joint situation picture."""

    COMMON = "common", _("Most common")
    RISING = "rising", _("Rising")
    DEVIATING = "deviating", _("Deviates from comparable areas")
    EXPOSED = "exposed", _("Most exposed places or people")
    SIGNAL = "signal", _("Signal crime")
    HARM = "harm", _("Causes the most harm")
