"""The situation picture's records: categories, areas, incidents, weekly EST notes and
measures, "nothing to report" check-ins, Brå crime statistics and focus-area watches.

Every record is a ScopedModel (municipality + confidentiality). Incidents store both WGS 84
(lat/lon, what the map shows) and SWEREF 99 TM metres (x/y, computed on write by
`samverkan.analysis.projection`) so that hot spots can bin in SQL without reprojecting.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.core.choices import Confidentiality
from samverkan.core.models import ScopedModel, ScopedQuerySet

from .choices import (
    AreaKind,
    IncidentSource,
    IncidentStatus,
    MeasureStatus,
    Precision,
    StatisticSource,
)

# Sweden's extent with a margin (WGS 84): a point outside is a typing error or a wrong CRS.
SWEDEN_LAT = (55.0, 69.2)
SWEDEN_LON = (10.5, 24.3)


def in_sweden(lat: float, lon: float) -> bool:
    return SWEDEN_LAT[0] <= lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= lon <= SWEDEN_LON[1]


class Category(ScopedModel):
    """An incident category of one municipality (configurable; a default EST set is created
    by `services.ensure_default_categories`). The slug links imports to a category."""

    slug = models.SlugField(_("short name"), max_length=50, allow_unicode=False)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Inactive categories are kept for old incidents "
                                             "but cannot be chosen in new reports."))
    colour = models.CharField(_("colour"), max_length=7, default="#878787",
                              help_text=_("Map colour, e.g. #b2182b."))

    class Meta:
        ordering = ["municipality", "order", "name"]
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"],
                                    name="situation_category_slug_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("situation:incident_list") + f"?category={self.pk}"


class Area(ScopedModel):
    """A polygon area: a district, a priority area, one of the Police's vulnerable areas.

    The geometry is GeoJSON text in WGS 84 (lon/lat); the bounding box is stored so that
    point-in-polygon candidates can be found in SQL, `area_km2` is planar in SWEREF 99 TM."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices,
                            default=AreaKind.DISTRICT)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Where the boundary comes from, e.g. the file name."))
    external_id = models.CharField(_("id in the source"), max_length=100, blank=True)
    geometry = models.TextField(_("geometry (GeoJSON, WGS 84)"))
    min_lat = models.FloatField(_("southernmost latitude"))
    max_lat = models.FloatField(_("northernmost latitude"))
    min_lon = models.FloatField(_("westernmost longitude"))
    max_lon = models.FloatField(_("easternmost longitude"))
    area_km2 = models.FloatField(_("area (km²)"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    priority_area = models.ForeignKey(
        "agreements.PriorityArea", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="situation_areas", verbose_name=_("priority area of the agreement"))
    properties = models.JSONField(_("properties from the source"), default=dict, blank=True)

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("priority_area",)

    class Meta:
        ordering = ["municipality", "kind", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "name"],
                                    name="situation_area_kind_name_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("situation:area_detail", args=[self.pk])


class IncidentQuerySet(ScopedQuerySet):
    def counted(self):
        """Incidents that count in statistics: no summaries, no merged or rejected reports."""
        return self.filter(is_summary=False).exclude(
            status__in=[IncidentStatus.MERGED, IncidentStatus.REJECTED])

    def for_hotspots(self):
        """Counted incidents with a real point (area centres never make hot spots)."""
        return self.counted().exclude(precision=Precision.AREA_CENTRE).filter(
            x__isnull=False, y__isnull=False)


class Incident(ScopedModel):
    """One insecurity-creating event: an EST report, a Police event, a fault report, a
    safety-walk finding or an imported row. `source` + `source_id` is the idempotency key."""

    # The foreign keys below have no single-column index of their own (db_index=False): every
    # index costs time on each row of a bulk import (docs/performance.md). Municipality is the
    # first column of the unique source key and of the covering time index; category the first
    # of (category, occurred_at); the rarely set organisation, reporter and merge target have
    # partial indexes over the rows that have them (see Meta.indexes).
    # Nor do they have PostgreSQL's per-row foreign-key triggers (db_constraint=False): those
    # cost five lookups per imported row, more than the rows' own indexes. The database still
    # refuses a dangling reference: migration 0007 checks every INSERT and UPDATE statement's
    # distinct references at once (and locks them FOR KEY SHARE, as a foreign key does), and
    # refuses deleting a category, municipality, organisation, user or incident that is still
    # referenced (see INTEGRITY_SQL there). Django's on_delete (PROTECT, SET_NULL) is unchanged.
    municipality = models.ForeignKey(
        "organizations.Municipality", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("municipality"), db_index=False,
        db_constraint=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="incidents",
                                 verbose_name=_("category"), db_index=False,
                                 db_constraint=False)
    occurred_at = models.DateTimeField(_("happened"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    x = models.FloatField(_("easting (SWEREF 99 TM)"), null=True, blank=True, editable=False)
    y = models.FloatField(_("northing (SWEREF 99 TM)"), null=True, blank=True, editable=False)
    precision = models.CharField(_("precision"), max_length=16, choices=Precision.choices,
                                 default=Precision.EXACT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("What happened. Do not write names or personal identity numbers."))
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reporting organisation"), db_index=False,
        db_constraint=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reported by"), db_index=False,
        db_constraint=False)
    source = models.CharField(_("source"), max_length=20, choices=IncidentSource.choices,
                              default=IncidentSource.EST_REPORT)
    source_id = models.CharField(_("id in the source"), max_length=100)
    source_type = models.CharField(_("type in the source"), max_length=150, blank=True)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=IncidentStatus.choices,
                              default=IncidentStatus.NEW)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"), db_index=False,
        db_constraint=False)
    is_summary = models.BooleanField(
        _("summary"), default=False,
        help_text=_("A summary report (e.g. the Police's night summary): readable, never "
                    "counted."))
    areas = models.ManyToManyField(Area, through="IncidentArea", blank=True,
                                   related_name="incidents", verbose_name=_("areas"))

    objects = IncidentQuerySet.as_manager()

    contributors_may_create = True
    # Area links are derived data (assign_areas), not audited: leaving them out of the
    # snapshot also saves one query per incident in bulk imports.
    audit_exclude = ("created_at", "updated_at", "areas")

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("category",)

    # Only coordinators set these (core.access.check_fields): the review status and where a
    # report comes from; a reporter's report is new and their own.
    coordinator_fields = ("status", "source", "source_type", "source_id", "source_url",
                          "merged_into", "is_summary")

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            # The pages' time windows. On PostgreSQL the index also carries the columns that
            # the weekly and yearly aggregates, the hot spot GROUP BY and the access filter
            # read, so those queries are index-only scans (no heap visits; needs a vacuumed
            # table, see bulk.load_incidents). SQLite has no INCLUDE: a plain index there.
            models.Index(fields=["municipality", "occurred_at"],
                         include=["id", "category", "x", "y", "precision", "status",
                                  "is_summary", "confidentiality"],
                         name="situation_inc_mun_time_cov"),
            # A category belongs to one municipality: (category, time) serves the category
            # filters and the foreign key (PROTECT on deleting a category).
            models.Index(fields=["category", "occurred_at"], name="situation_inc_cat_time"),
            models.Index(fields=["reported_by"], condition=models.Q(reported_by__isnull=False),
                         name="situation_inc_reporter"),
            models.Index(fields=["organization"],
                         condition=models.Q(organization__isnull=False),
                         name="situation_inc_org"),
            models.Index(fields=["merged_into"], condition=models.Q(merged_into__isnull=False),
                         name="situation_inc_merged_into"),
            # "Does the picture count made-up incidents?" on every picture page: tiny, as a
            # real installation has none (samverkan.core.examples).
            models.Index(fields=["municipality"], condition=models.Q(is_example=True),
                         name="situation_inc_example"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "source", "source_id"],
                                    name="situation_incident_source_unique"),
        ]

    def __str__(self):
        when = timezone.localtime(self.occurred_at).strftime("%Y-%m-%d %H:%M") \
            if self.occurred_at else ""
        place = self.place_name or self.address
        return " – ".join(p for p in (str(self.category) if self.category_id else "", when,
                                      place) if p)

    def get_absolute_url(self):
        return reverse("situation:incident_detail", args=[self.pk])

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        """A reporter may correct their own report until a coordinator has reviewed it."""
        return self.reported_by_id == user.pk and self.status == IncidentStatus.NEW

    def compute_projection(self) -> None:
        """x/y (SWEREF 99 TM metres) from lat/lon."""
        if self.lat is None or self.lon is None:
            self.x = self.y = None
            return
        from samverkan.analysis.projection import wgs84_to_sweref99tm

        x, y = wgs84_to_sweref99tm(self.lat, self.lon)
        self.x, self.y = float(x), float(y)

    def clean(self):
        errors = {}
        if (self.lat is None) != (self.lon is None):
            errors["lon"] = _("Give both latitude and longitude, or neither.")
        elif self.lat is not None and not in_sweden(self.lat, self.lon):
            errors["lat"] = _("The place is outside Sweden.")
        if self.lat is None and not (self.address or self.place_name):
            errors["address"] = _("Mark the place on the map or write an address or place.")
        if self.ended_at and self.occurred_at and self.ended_at < self.occurred_at:
            errors["ended_at"] = _("The end is before the start.")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("A report cannot be merged into itself.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.compute_projection()
        super().save(*args, **kwargs)

    @property
    def counts(self) -> bool:
        return not self.is_summary and self.status not in (IncidentStatus.MERGED,
                                                           IncidentStatus.REJECTED)


class IncidentArea(models.Model):
    """An incident lies in an area (assigned by point-in-polygon)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("incident"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("area"))

    class Meta:
        ordering = ["incident", "area"]
        verbose_name = _("incident in area")
        verbose_name_plural = _("incidents in areas")
        constraints = [
            models.UniqueConstraint(fields=["incident", "area"],
                                    name="situation_incidentarea_unique"),
        ]

    def __str__(self):
        return f"{self.incident_id} in {self.area_id}"


class WeekMixin(models.Model):
    iso_year = models.PositiveSmallIntegerField(_("year (ISO week)"))
    iso_week = models.PositiveSmallIntegerField(_("week"))

    class Meta:
        abstract = True

    def clean_week(self):
        try:
            datetime.date.fromisocalendar(self.iso_year, self.iso_week, 1)
        except (TypeError, ValueError):
            raise ValidationError({"iso_week": _("No such week.")}) from None

    @property
    def week_label(self) -> str:
        return f"{self.iso_year}-V{self.iso_week:02d}"

    @property
    def week_start(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.iso_year, self.iso_week, 1)


class NothingToReport(WeekMixin, ScopedModel):
    """A reporter's weekly check-in: "nothing to report in my area this week" is a report."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reporting organisation"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reported by"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="nothing_to_report", verbose_name=_("area"))
    place_text = models.CharField(_("place"), max_length=200, blank=True,
                                  help_text=_("When the place is not one of the areas."))
    note = models.CharField(_("note"), max_length=500, blank=True)

    contributors_may_create = True

    class Meta:
        ordering = ["-iso_year", "-iso_week", "pk"]
        verbose_name = _("nothing to report")
        verbose_name_plural = _("nothing to report")
        indexes = [models.Index(fields=["municipality", "iso_year", "iso_week"],
                                name="situation_ntr_week")]

    def __str__(self):
        where = self.area.name if self.area_id else self.place_text
        return f"{self.week_label}: {where}"

    def get_absolute_url(self):
        return reverse("situation:checklist") + f"?week={self.iso_year}-{self.iso_week}"

    def clean(self):
        self.clean_week()
        if not self.area_id and not self.place_text.strip():
            raise ValidationError({"area": _("Choose an area or write the place.")})

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.reported_by_id == user.pk


class CrimeStatisticQuerySet(ScopedQuerySet):
    def for_comparison(self):
        """Every public row of every municipality, for aggregates only (county totals,
        national comparison). Never list these rows to a user as records: use visible_to."""
        return self.filter(confidentiality=Confidentiality.PUBLIC)


class CrimeStatistic(ScopedModel):
    """A yearly figure from Brå's official statistics for one municipality and category.

    Kept as a tenant record (so corrections are audited and belong to a municipality) but
    stored for all 290 municipalities with confidentiality *public*: these are public
    reference statistics. `visible_to` therefore shows a user their own municipality's rows;
    comparisons with the county or the country use the documented
    `CrimeStatistic.objects.for_comparison()`, which returns only public rows of every
    municipality and is meant for aggregates (sums, rates), never for record lists."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("crime category"), max_length=200)
    count = models.PositiveIntegerField(_("reported crimes"), null=True, blank=True)
    per_100k = models.FloatField(_("per 100,000 inhabitants"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=StatisticSource.choices,
                              default=StatisticSource.OTHER)

    objects = CrimeStatisticQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "category", "-year"]
        verbose_name = _("crime statistic")
        verbose_name_plural = _("crime statistics")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "category", "source"],
                                    name="situation_crimestatistic_unique"),
        ]

    def __str__(self):
        return f"{self.municipality_id} {self.year} {self.category}"

    def get_absolute_url(self):
        return reverse("situation:statistics")


class EstWeekNote(WeekMixin, ScopedModel):
    """The coordinators' note on a week's situation picture (for the whole municipality or
    one area)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="week_notes", verbose_name=_("area"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("written by"))

    class Meta:
        ordering = ["-iso_year", "-iso_week", "area", "pk"]
        verbose_name = _("EST week note")
        verbose_name_plural = _("EST week notes")
        indexes = [models.Index(fields=["municipality", "iso_year", "iso_week"],
                                name="situation_note_week")]

    def __str__(self):
        return f"{self.week_label}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("situation:incident_list")

    def clean(self):
        self.clean_week()


class EstMeasure(WeekMixin, ScopedModel):
    """A measure agreed at the weekly EST meeting: who does what by when."""

    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="measures", verbose_name=_("area"))
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="measures", verbose_name=_("category"))
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("responsible organisation"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True,
                                   help_text=_("Who does it, e.g. “Fastighetsvärd Årby”."))
    what = models.TextField(_("what"))
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    result = models.TextField(_("result"), blank=True)

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("category", "area")

    class Meta:
        ordering = ["-iso_year", "-iso_week", "due_date", "pk"]
        verbose_name = _("EST measure")
        verbose_name_plural = _("EST measures")
        indexes = [models.Index(fields=["municipality", "iso_year", "iso_week"],
                                name="situation_measure_week")]

    def __str__(self):
        return self.what[:80]

    def get_absolute_url(self):
        return reverse("situation:incident_list")

    def clean(self):
        self.clean_week()
        if not self.organization_id and not self.responsible.strip():
            raise ValidationError({"responsible": _("Say who is responsible.")})

    def contributor_may_change(self, user, organization_ids: set[int]) -> bool:
        return self.organization_id in organization_ids


class FocusAreaWatch(ScopedModel):
    """The categories and areas a focus area of the agreement watches: its page shows their
    trend."""

    focus_area = models.OneToOneField(
        "agreements.FocusArea", on_delete=models.CASCADE, related_name="situation_watch",
        verbose_name=_("focus area"))
    categories = models.ManyToManyField(Category, blank=True, related_name="watches",
                                        verbose_name=_("categories"))
    areas = models.ManyToManyField(Area, blank=True, related_name="watches",
                                   verbose_name=_("areas"))

    scope_parent = "focus_area"

    class Meta:
        ordering = ["focus_area"]
        verbose_name = _("focus area watch")
        verbose_name_plural = _("focus area watches")

    def __str__(self):
        return str(self.focus_area)

    def get_absolute_url(self):
        return self.focus_area.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Situation picture pages (weekly and yearly picture): YearlyPicture and WeeklyPictureMailing.
# Maintained with samverkan/situation/{picture,weekly,yearly}.py.
# ---------------------------------------------------------------------------------------------


class YearlyPicture(ScopedModel):
    """The yearly situation picture of crime (Lag 2023:196, 4 §): the texts a coordinator
    writes beside the figures the system computes (extent, development, where, when)."""

    year = models.PositiveSmallIntegerField(_("year"))
    who_is_affected = models.TextField(
        _("consequences and who is affected"), blank=True,
        help_text=_("The consequences of crime: victims, groups and places affected. Do not "
                    "write names or personal identity numbers."))
    other_information = models.TextField(
        _("other information of importance"), blank=True,
        help_text=_("Safety surveys, citizen dialogues, safety walks and other relevant "
                    "information."))
    analysis = models.TextField(
        _("analysis of the mapping"), blank=True,
        help_text=_("The analysis of the mapping and the other information: causes, "
                    "developments and what should be done."))
    sources_note = models.TextField(
        _("data sources, note"), blank=True,
        help_text=_("Data sources used or left out beyond those of the agreement, and why."))

    class Meta:
        ordering = ["municipality", "-year"]
        verbose_name = _("yearly situation picture")
        verbose_name_plural = _("yearly situation pictures")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"],
                                    name="situation_yearlypicture_unique"),
        ]

    def __str__(self):
        return f"{self.year}"

    def get_absolute_url(self):
        return reverse("situation:yearly") + f"?year={self.year}"


class WeeklyPictureMailing(WeekMixin, ScopedModel):
    """A record that the weekly situation picture was sent by e-mail (to whom, by whom)."""

    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("area"))
    forum = models.ForeignKey("agreements.Forum", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("forum"))
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("sent by"))

    # Records this one is about: it is visible only when they are (core.access).
    visible_through = ("area", "forum")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("weekly picture e-mail")
        verbose_name_plural = _("weekly picture e-mails")

    def __str__(self):
        return f"{self.week_label}: {self.subject}"

    def get_absolute_url(self):
        return reverse("situation:weekly") + f"?week={self.iso_year}-W{self.iso_week:02d}"

    def clean(self):
        self.clean_week()
