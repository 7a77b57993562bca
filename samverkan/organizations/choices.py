from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    COMMITTEE = "committee", _("Municipal committee")
    DEPARTMENT = "department", _("Municipal department")
    POLICE = "police", _("Police")
    HOUSING_COMPANY = "housing_company", _("Housing company")
    ASSOCIATION = "association", _("Association")
    AUTHORITY = "authority", _("Other authority")
    BUSINESS = "business", _("Business")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class PoliceAreaLevel(models.TextChoices):
    REGION = "region", _("Police region")
    POLICE_AREA = "police_area", _("Police area")
    LOCAL_POLICE_AREA = "local_police_area", _("Local police area")
