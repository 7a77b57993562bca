from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    TERTIAL = "tertial", _("Tertial")
    YEAR = "year", _("Year")


class Measure(models.TextChoices):
    COUNT = "count", _("Number of incidents")
    RATE = "rate_per_1000", _("Incidents per 1,000 inhabitants")
