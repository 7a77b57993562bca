from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySource(models.TextChoices):
    POLICE = "police", _("Police safety survey")
    CITIZEN = "citizen", _("Municipal citizen survey")
    SCHOOL = "school", _("School survey")
    PROPERTY_OWNERS = "property_owners", _("Property owners' survey")
    OTHER = "other", _("Other")


class Dimension(models.TextChoices):
    ALL = "all", _("Everyone")
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")


class ResultOrigin(models.TextChoices):
    RESPONDENTS = "respondents", _("Computed from respondents' answers")
    AGGREGATED = "aggregated", _("Aggregated results as delivered")


class Band(models.TextChoices):
    NORMAL = "normal", _("normal or better")
    ATTENTION = "attention", _("should be noticed")
    ACT = "act", _("must be acted on")
