"""The yearly situation picture (Lag 2023:196, 4 §) and the focus areas' trends.

4 § asks for "en kartläggning av brottsligheten, dess omfattning och konsekvenser", "annan
information av betydelse i sammanhanget" and an analysis (see `samverkan.core.law`); the page
adds where, when and the trend, and the data sources used and left out. ``build_yearly``
computes the figures from the incidents and Brå's statistics; the texts are the
coordinator's, saved in :class:`YearlyPicture` through :func:`save_yearly_picture`.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from samverkan.analysis import (
    compare_areas,
    compare_counts,
)
from samverkan.core import access, examples, law, numbers, services
from samverkan.core.choices import Confidentiality

from . import picture
from .models import (
    Area,
    Category,
    CrimeStatistic,
    FocusAreaWatch,
    IncidentArea,
    YearlyPicture,
)
from .picture import LOCAL_TZ

if TYPE_CHECKING:
    from samverkan.analysis import HotspotResult, TrendResult


def yearly_trend(*args, **kwargs):
    """:func:`samverkan.analysis.yearly_trend`, imported when first used (it imports scipy,
    which every process that registers a yearly section would otherwise pay for)."""
    from samverkan.analysis import yearly_trend as trend

    return trend(*args, **kwargs)

TREND_YEARS = 5


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return (datetime.datetime(year, 1, 1, tzinfo=LOCAL_TZ),
            datetime.datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ))


def counts_by_year(qs, years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """``(category_ids, counts[year, category])`` in one GROUP BY query."""
    return picture.counts_by_category_and_period(qs, [year_bounds(y) for y in years])


@dataclass
class CategoryYear:
    name: str
    counts: list[int]
    trend: TrendResult
    vs_last_year: object


@dataclass
class YearlySection:
    """A section that an app above this one adds to the yearly picture (under "2. Other
    information"), e.g. the SSPF/SIG figures. Only aggregated, non-identifying content."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    link: str = ""  # a page with more


#: Builders `(user, municipality, year) -> list[YearlySection]` registered by higher apps in
#: their AppConfig.ready (this app imports none of them).
SECTION_BUILDERS: list = []


def register_section(builder) -> None:
    if builder not in SECTION_BUILDERS:
        SECTION_BUILDERS.append(builder)


@dataclass
class StatisticRow:
    category: str
    years: list[int]
    per_100k: list[float | None]
    counts: list[int | None]
    county_per_100k: float | None
    trend: TrendResult | None


@dataclass
class YearlyData:
    municipality: object
    year: int
    years: list[int]
    record: YearlyPicture | None
    total_counts: list[int]
    total_trend: TrendResult
    categories: list[CategoryYear]
    areas: list
    area_basis: str | None
    hotspot: HotspotResult
    time_of_week: picture.TimeOfWeek
    statistics: list[StatisticRow]
    sources_used: list[str] = field(default_factory=list)
    sources_left_out: list[str] = field(default_factory=list)
    incidents_by_source: list[tuple[str, int]] = field(default_factory=list)
    #: Emerging hot spots and the map's accuracy (yearly_emerging.EmergingSection).
    emerging: object = None
    #: Whether it counts records the demo made up (`samverkan.core.examples`).
    has_examples: bool = False
    #: Sections other apps add (`contributions`): safety walks, dialogues, surveys.
    residents: list = field(default_factory=list)
    #: Sections added by other apps (`register_section`): fault reports, SSPF/SIG figures.
    sections: list[YearlySection] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Situation picture %(year)s") % {"year": self.year}


def build_yearly(user, municipality, year: int) -> YearlyData:
    from .weekly import weekday_names

    base = picture.incidents_for(user, municipality)
    years = list(range(year - TREND_YEARS + 1, year + 1))
    ids, counts = counts_by_year(base, years)
    by_id = {int(c): i for i, c in enumerate(ids)}
    totals = [int(v) for v in counts.sum(axis=1)] if counts.size else [0] * len(years)
    first_data_year = next((y for y, n in zip(years, totals, strict=True) if n), year)
    # Years before the first incident are missing data, not zero crime.
    trend_years = [y for y in years if y >= first_data_year]
    cut = len(years) - len(trend_years)
    total_trend = yearly_trend(trend_years, totals[cut:])
    categories = []
    for pk, name in Category.objects.visible_to(user).filter(municipality=municipality).order_by(
            "order", "name").values_list("pk", "name"):
        col = counts[:, by_id[pk]] if pk in by_id else np.zeros(len(years), dtype=np.int64)
        if not col.any():
            continue
        series = [int(v) for v in col]
        categories.append(CategoryYear(
            name=name, counts=series, trend=yearly_trend(trend_years, series[cut:]),
            vs_last_year=compare_counts(series[-1], [series[-2]])))

    start, end = year_bounds(year)
    in_year = picture.in_period(base, start, end)
    # Where: areas against the municipality as a whole.
    area_rows = list(Area.objects.visible_to(user).filter(municipality=municipality)
                     .order_by("kind", "name").values_list("pk", "name", "population",
                                                          "area_km2"))
    area_counts = dict(IncidentArea.objects.filter(incident__in=in_year)
                       .values_list("area_id").annotate(n=Count("id")).order_by())
    total_year = totals[-1]
    areas, basis = [], None
    if area_rows:
        names = [r[1] for r in area_rows]
        cnts = [area_counts.get(r[0], 0) for r in area_rows]
        pops = [r[2] for r in area_rows]
        if all(p for p in pops) and municipality.population:
            areas = compare_areas(names, cnts, pops, total_count=total_year,
                                  total_population=municipality.population)
            basis = "population"
        else:
            areas = compare_areas(names, cnts, total_count=total_year)
            basis = None
    hot = picture.hotspots(in_year, picture.DEFAULT_CELL_SIZE)
    tow = picture.time_of_week_picture(in_year, weekday_names())

    stats = bra_statistics(user, municipality)
    record = YearlyPicture.objects.visible_to(user).filter(
        municipality=municipality, year=year).first()
    used, left_out = data_sources(user, municipality, year)
    by_source = list(in_year.values_list("source").annotate(n=Count("id")).order_by("-n"))
    from .choices import IncidentSource

    labels = dict(IncidentSource.choices)
    from . import contributions, yearly_emerging

    residents = contributions.collect(user, municipality, datetime.date(year, 1, 1),
                                      datetime.date(year, 12, 31))
    return YearlyData(
        municipality=municipality, year=year, years=years, record=record,
        total_counts=totals, total_trend=total_trend, categories=categories, areas=areas,
        area_basis=basis, hotspot=hot, time_of_week=tow, statistics=stats,
        sources_used=used, sources_left_out=left_out,
        incidents_by_source=[(str(labels.get(s, s)), n) for s, n in by_source],
        emerging=yearly_emerging.build(user, municipality, year),
        has_examples=picture.has_example_incidents(user, municipality)
        or any(s.has_examples for s in residents),
        residents=residents,
        sections=[section for builder in SECTION_BUILDERS
                  for section in builder(user, municipality, year)])


def bra_statistics(user, municipality) -> list[StatisticRow]:
    """Brå's reported crimes for the municipality per category and year, with the county's
    rate per 100,000 for the latest year (aggregated over the public rows of the county)."""
    rows = list(CrimeStatistic.objects.visible_to(user).filter(municipality=municipality)
                .order_by("category", "year").values_list("category", "year", "count",
                                                          "per_100k", "population"))
    by_category: dict[str, list] = {}
    for category, year, count, per_100k, population in rows:
        by_category.setdefault(category, []).append((year, count, per_100k, population))
    out = []
    for category, values in by_category.items():
        years = [v[0] for v in values]
        latest = years[-1]
        county = (CrimeStatistic.objects.for_comparison()
                  .filter(municipality__county_id=municipality.county_id, year=latest,
                          category=category, count__isnull=False, population__isnull=False)
                  .aggregate(c=Sum("count"), p=Sum("population")))
        county_rate = county["c"] * 100_000 / county["p"] if county["p"] else None
        trend = None
        if len(values) >= 2 and all(v[1] is not None for v in values):
            pops = [v[3] for v in values]
            trend = yearly_trend(years, [v[1] for v in values],
                                 pops if all(pops) else None)
        out.append(StatisticRow(category=category, years=years,
                                per_100k=[v[2] for v in values],
                                counts=[v[1] for v in values], county_per_100k=county_rate,
                                trend=trend))
    return out


def data_sources(user, municipality, year: int | None = None) -> tuple[list[str], list[str]]:
    """The data sources of the municipality's agreements in force during `year` (all when
    None): (used, left out), with notes, each named once even when agreements repeat it."""
    from samverkan.agreements.models import DataSource

    sources = DataSource.objects.visible_to(user).filter(municipality=municipality)
    if year is not None:
        sources = sources.filter(agreement__start_date__year__lte=year,
                                 agreement__end_date__year__gte=year)
    used, left_out = [], []
    for source in sources.order_by("pk"):
        text = source.name + (f" – {source.note}" if source.note else "")
        listed = used if source.used else left_out
        if text not in listed:
            listed.append(text)
    return used, left_out


@transaction.atomic
def save_yearly_picture(*, actor, municipality, year: int, **texts) -> YearlyPicture:
    """Create or update the coordinator's texts of the yearly picture (one audit entry)."""
    allowed = {"who_is_affected", "other_information", "analysis", "sources_note"}
    data = {k: v for k, v in texts.items() if k in allowed}
    existing = YearlyPicture.objects.filter(municipality=municipality, year=year).first()
    if existing is not None and not access.can_view(actor, existing):
        # A write never touches what the writer cannot read (docs/security.md).
        raise ValidationError(_("This year's texts are restricted to organisations you do not "
                                "belong to: you cannot change them."))
    if existing is None:
        return services.create(YearlyPicture, actor=actor, municipality=municipality,
                               data={"year": year, "confidentiality": Confidentiality.INTERNAL,
                                     **data})
    return services.update(existing, actor=actor, data=data)


def trend_text(trend: TrendResult | None) -> str:
    if trend is None or trend.slope_per_year is None:
        return _("too few years for a trend")
    if trend.p is None:
        return _("only two years: no trend can be judged")
    if trend.significant:
        return (_("increasing (p = %(p)s)") if trend.direction == "increasing"
                else _("decreasing (p = %(p)s)")) % {"p": numbers.decimal(trend.p, 3)}
    return _("no clear trend (p = %(p)s)") % {"p": numbers.decimal(trend.p, 2)}


def yearly_document(data: YearlyData):
    from samverkan.core import charts
    from samverkan.core.documents import Document

    from .weekly import change_text, weekday_names

    doc = Document(data.title, subtitle=data.municipality.name, title_page=False)
    examples.note_document(doc, show=data.has_examples)
    doc.paragraph(law_sentence(), italic=True)
    doc.heading(_("1. A mapping of crime, its extent and consequences"))
    doc.heading(_("Extent and development"), 2)
    doc.paragraph(_("Incidents recorded in Samverkan per year, %(first)s–%(last)s: trend "
                    "%(trend)s.") % {"first": data.years[0], "last": data.years[-1],
                                     "trend": trend_text(data.total_trend)})
    doc.image(charts.bar_chart([str(y) for y in data.years], data.total_counts,
                               horizontal=False), width_cm=12,
              caption=_("Incidents per year"))
    doc.table([_("Category"), *[str(y) for y in data.years], _("Against last year"),
               _("Trend")],
              [[c.name, *c.counts, change_text(c.vs_last_year), trend_text(c.trend)]
               for c in data.categories])
    if data.statistics:
        doc.heading(_("Reported crimes (Brå)"), 2)
        doc.table([_("Category"), _("Year"), _("Per 100,000"), _("County per 100,000"),
                   _("Trend")],
                  [[s.category, s.years[-1], _fmt(s.per_100k[-1]), _fmt(s.county_per_100k),
                    trend_text(s.trend)] for s in data.statistics])
    doc.heading(_("Where"), 2)
    if data.areas:
        doc.table([_("Area"), _("Incidents"), _("Expected at the municipality's rate"), "z"],
                  [[a.name, f"{a.count:g}", _fmt(a.expected), _fmt(a.z)] for a in data.areas])
    doc.paragraph(_("Hot spots %(year)s: %(text)s") % {
        "year": data.year, "text": _hotspot_line(data.hotspot)})
    if data.emerging is not None:
        from . import yearly_emerging

        yearly_emerging.add_to_document(doc, data.emerging)
    doc.heading(_("When"), 2)
    if data.time_of_week.total:
        doc.image(charts.heatmap(data.time_of_week.matrix,
                                 row_labels=[n[:3] for n in weekday_names()],
                                 col_labels=[f"{h:02d}" for h in range(24)]),
                  caption=_("Incidents per weekday and hour (local time)"))
    doc.heading(_("Consequences and who is affected"), 2)
    doc.paragraph(data.record.who_is_affected if data.record and data.record.who_is_affected
                  else _("Not written yet."))
    doc.heading(_("2. Other information of importance in the context"))
    doc.paragraph(data.record.other_information if data.record and
                  data.record.other_information else _("Not written yet."))
    for section in data.residents:
        doc.heading(section.title, 2)
        doc.bullets(section.lines)
    for section in data.sections:
        doc.heading(section.title, 2)
        for text in section.paragraphs:
            doc.paragraph(text)
        if section.rows:
            doc.table(section.header, section.rows)
    doc.heading(_("3. Analysis of the mapping"))
    doc.paragraph(data.record.analysis if data.record and data.record.analysis
                  else _("Not written yet."))
    doc.heading(_("Data sources used and left out"))
    used = [*data.sources_used, *[
        _("Incidents in Samverkan, %(source)s: %(n)s") % {"source": s, "n": n}
        for s, n in data.incidents_by_source]]
    if data.statistics:
        used.append(_("Brå, reported crimes per municipality"))
    used += [s.source for s in data.residents]
    doc.paragraph(_("Used:"), bold=True)
    doc.bullets(used or [_("None recorded.")])
    doc.paragraph(_("Left out:"), bold=True)
    doc.bullets(data.sources_left_out or [_("None recorded.")])
    if data.record and data.record.sources_note:
        doc.paragraph(data.record.sources_note)
    return doc


def law_sentence() -> str:
    """What 4 § of Lag (2023:196) asks the picture to contain, quoting the checked words."""
    return _("Under section 4 of the Act (2023:196) on municipalities' responsibility for "
             "crime prevention the situation picture shall contain %(quote)s (a mapping of "
             "crime, its extent and consequences, and other information of importance in the "
             "context) and 3. an analysis of the mapping. The data sources used and left out "
             "follow at the end.") % {"quote": law.section_4_quote()}


def _fmt(value) -> str:
    return "–" if value is None else numbers.decimal(value, 1)


def _hotspot_line(hot: HotspotResult) -> str:
    if not hot.meaningful:
        return _("fewer than 30 incidents with a known place: not meaningful.")
    s = picture.hotspot_summary(hot)
    return _("%(hot)s hot spot cells, %(cold)s cold spot cells of %(size)s m.") % {
        "hot": s["hot99"] + s["hot95"] + s["hot90"],
        "cold": s["cold99"] + s["cold95"] + s["cold90"], "size": int(hot.cell_size)}


# -- focus areas -------------------------------------------------------------------------------


@dataclass
class FocusTrend:
    watch: FocusAreaWatch | None
    years: list[int]
    rows: list[dict]
    weeks: list[picture.Week]
    weekly_total: list[int]
    area_names: list[str]


def focus_area_trend(focus_area, user) -> FocusTrend:
    """The trend of the categories and areas a focus area watches: counts per year (with the
    yearly trend test) and per week for the last 12 weeks."""
    watch = (FocusAreaWatch.objects.visible_to(user).filter(focus_area=focus_area)
             .prefetch_related("categories", "areas").first())
    this_year = picture.Week.current().monday.year
    years = list(range(this_year - TREND_YEARS + 1, this_year + 1))
    week = picture.Week.current()
    weeks = [week.shift(-k) for k in range(11, -1, -1)]
    if watch is None:
        return FocusTrend(watch=None, years=years, rows=[], weeks=weeks, weekly_total=[],
                          area_names=[])
    qs = picture.incidents_for(user, focus_area.municipality)
    areas = list(watch.areas.all())
    if areas:
        qs = qs.filter(pk__in=IncidentArea.objects.filter(area__in=areas)
                       .values("incident_id"))
    categories = list(watch.categories.all())
    if categories:
        qs = qs.filter(category__in=categories)
    ids, counts = counts_by_year(qs, years)
    by_id = {int(c): i for i, c in enumerate(ids)}
    rows = []
    full_years = years[:-1]  # the current year is not complete: left out of the trend
    for category in categories or Category.objects.filter(
            pk__in=[int(i) for i in ids]).order_by("order", "name"):
        col = counts[:, by_id[category.pk]] if category.pk in by_id else np.zeros(
            len(years), dtype=np.int64)
        series = [int(v) for v in col]
        rows.append({"name": category.name, "counts": series,
                     "trend": trend_text(yearly_trend(full_years, series[:-1]))})
    weekly_total = picture.weekly_series(qs, weeks)
    return FocusTrend(watch=watch, years=years, rows=rows, weeks=weeks,
                      weekly_total=weekly_total, area_names=[a.name for a in areas])

