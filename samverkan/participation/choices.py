from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    DAYLIGHT = "daylight", _("Daylight")
    DARK = "dark", _("Dark")


class WalkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Walked")
    PUBLISHED = "published", _("Protocol published")


class ObservationCategory(models.TextChoices):
    LIGHTING = "lighting", _("Lighting")
    VEGETATION = "vegetation", _("Vegetation and sight lines")
    GRAFFITI = "graffiti", _("Graffiti")
    LITTERING = "littering", _("Littering")
    VANDALISM = "vandalism", _("Vandalism")
    PATHS = "paths", _("Passability and paths")
    TRAFFIC = "traffic", _("Traffic")
    TUNNELS = "tunnels", _("Tunnels and underpasses")
    OTHER = "other", _("Other")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")


class ConcernCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence, robbery and assault")
    GANGS = "gangs", _("Young people gathering in gangs")
    THEFT = "theft", _("Theft and burglary")
    LITTERING = "littering", _("Littering")
    VANDALISM = "vandalism", _("Vandalism and graffiti")
    TRAFFIC = "traffic", _("Traffic")
    LIGHTING = "lighting", _("Lighting and dark places")
    DRUGS = "drugs", _("Drugs")
    NEIGHBOURS = "neighbours", _("Conflicts between residents")
    POLICE = "police", _("Visible police")
    OTHER = "other", _("Other")


class PledgeProgress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    PARTLY = "partly", _("Partly")
    NOT_STARTED = "not_started", _("Not started")
    DONE = "done", _("Fulfilled")
