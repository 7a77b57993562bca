from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    PRIORITY_AREA = "priority_area", _("Priority area")
    VULNERABLE_AREA = "vulnerable_area", _("Vulnerable area (Police)")
    OTHER = "other", _("Other area")


class Precision(models.TextChoices):
    """How well an incident's point is known. Area centres (e.g. the Police events' municipality
    centre) count in statistics but never in hot spots."""

    EXACT = "exact", _("Exact place")
    ADDRESS = "address", _("Address")
    AREA_CENTRE = "area_centre", _("Area centre only")


class IncidentSource(models.TextChoices):
    EST_REPORT = "est_report", _("EST report")
    POLICE_EVENTS = "police_events", _("Police events")
    FAULT_REPORT = "fault_report", _("Fault report")
    SAFETY_WALK = "safety_walk", _("Safety walk")
    IMPORT = "import", _("Import")
    # The demo's synthetic reports: never to be mistaken for real EST reports.
    DEMO = "demo", _("Demo (invented)")


# Reports made by people in the EST group (and the demo's imitation of them): the coordinator
# reviews these.
REVIEWED_SOURCES = [IncidentSource.EST_REPORT, IncidentSource.DEMO]


class IncidentStatus(models.TextChoices):
    NEW = "new", _("New")
    REVIEWED = "reviewed", _("Reviewed")
    MERGED = "merged", _("Merged into another report")
    REJECTED = "rejected", _("Rejected")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class StatisticSource(models.TextChoices):
    BRA_CSV = "bra-csv", _("Brå: reported crimes per municipality")
    SOL = "sol", _("Brå: SOL export")
    OTHER = "other", _("Other")


# The default EST categories (slug, Swedish name, colour); slugs as in
# sources/polisen_categories.CATEGORIES, so imported Police events find their category.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("klotter", "Klotter", "#7b3294"),
    ("skadegorelse", "Skadegörelse", "#c2a5cf"),
    ("nedskrapning", "Nedskräpning", "#a6761d"),
    ("anlagd_brand", "Anlagd brand", "#e31a1c"),
    ("ungdomar_stor", "Ungdomar som samlas och stör", "#fd8d3c"),
    ("narkotika", "Misstänkt narkotikahandel", "#1b9e77"),
    ("hot_vald", "Hot och våld", "#b2182b"),
    ("stold_inbrott", "Stöld och inbrott", "#2166ac"),
    ("otrygg_trafik", "Otrygg trafik (mopeder)", "#e6ab02"),
    ("mork_plats", "Mörk eller otrygg plats", "#404040"),
    ("ordningsstorning", "Ordningsstörning", "#66a61e"),
    ("ovrigt", "Övrigt", "#878787"),
)
