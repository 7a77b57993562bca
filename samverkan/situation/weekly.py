"""The weekly situation picture (EST): the page's data, its DOCX/PDF document and sending it to
the EST group by e-mail.

``build_weekly`` runs the queries of :mod:`samverkan.situation.picture` for one municipality
(or one area) and week; the page, the exports and the e-mail all use its result, so they show
the same figures.
"""
from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.analysis import HotspotResult, sweref99tm_to_wgs84
from samverkan.core import access, examples, numbers, services
from samverkan.core.choices import Confidentiality

from . import picture
from . import services as situation_services
from .choices import MeasureStatus
from .models import Area, EstMeasure, EstWeekNote, WeeklyPictureMailing
from .picture import Week


def weekday_names() -> list[str]:
    return [str(WEEKDAYS[d]) for d in range(7)]


@dataclass
class WeeklyPicture:
    municipality: object
    area: Area | None
    week: Week
    counts: picture.WeeklyCounts
    hotspot_weeks: int
    hotspot_first_week: Week
    cell_size: int
    hotspot: HotspotResult
    hotspot_geojson: dict
    hotspot_summary: dict
    time_of_week: picture.TimeOfWeek
    places: list[dict]
    #: The incidents drawn on the map (the points are the map's own request: `map_data`).
    n_points: int
    n_centre_points: int
    n_points_left_out: int
    notes: list[EstWeekNote]
    measures: list[EstMeasure]
    #: The key of the figures in the picture cache ("" when there is no cache): the page's
    #: template caches the HTML of the figures under it too.
    cache_key: str = ""
    #: Whether it shows records the demo made up (`samverkan.core.examples`); read fresh.
    has_examples: bool = False

    @property
    def place_label(self) -> str:
        return self.area.name if self.area else self.municipality.name

    @property
    def title(self) -> str:
        return _("Weekly situation picture, week %(week)s %(year)s") % {
            "week": self.week.week, "year": self.week.year}

    @property
    def period_label(self) -> str:
        return f"{self.week.monday:%Y-%m-%d} – {self.week.sunday:%Y-%m-%d}"

    @property
    def flagged_rows(self) -> list[picture.CategoryRow]:
        return [r for r in self.counts.rows if r.flagged]


@dataclass
class _Figures:
    """The computed part of a weekly picture (what the cache keeps)."""

    counts: picture.WeeklyCounts
    hotspot: HotspotResult
    hotspot_geojson: dict
    hotspot_summary: dict
    time_of_week: picture.TimeOfWeek
    places: list[dict]
    n_points: int
    n_centre_points: int
    n_points_left_out: int
    #: Whether the incidents include ones the demo made up (`samverkan.core.examples`).
    has_example_incidents: bool = False


#: How long a built picture is kept. Writes make it unreachable at once (the municipality's
#: picture version is part of the key); this only bounds the memory.
PICTURE_CACHE_SECONDS = 6 * 3600


def picture_cache():
    """The cache for built weekly pictures, or None.

    Only a cache that every server process shares (Redis, Memcached, the database or files:
    ``CACHE_URL``) is used by default: with the per-process memory cache (the default), a write
    handled by one process could not make another process's pictures stale. The setting
    ``SITUATION_PICTURE_CACHE`` (True/False) overrides this, e.g. True for one process."""
    setting = getattr(settings, "SITUATION_PICTURE_CACHE", None)
    if setting is False:
        return None
    backend = settings.CACHES["default"]["BACKEND"]
    if setting is None and backend.rsplit(".", 1)[-1] in ("LocMemCache", "DummyCache"):
        return None
    return caches["default"]


class _Recent:
    """The last pictures this process used, unpickled (the shared cache stores them pickled and
    compressed: reading one back costs more than the rest of a cached page). Safe across
    processes because the key holds the picture version, which is read from the shared cache
    on every request: a write in any process changes the key."""

    def __init__(self, size: int = 32):
        self.size = size
        self.items: OrderedDict[str, _Figures] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> _Figures | None:
        with self.lock:
            figures = self.items.get(key)
            if figures is not None:
                self.items.move_to_end(key)
            return figures

    def put(self, key: str, figures: _Figures) -> None:
        with self.lock:
            self.items[key] = figures
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


_recent = _Recent()


#: The shape of the cached `_Figures`: a change of its fields changes the keys, so a shared
#: cache (Redis, files) never hands this code pictures pickled by the code before (2: the map's
#: points left the figures for the map's own request).
_FIGURES_FORMAT = 2


def _cache_key(user, municipality, week: Week, area: Area | None, cell_size: int,
               hotspot_weeks: int) -> str:
    """What the figures depend on: the municipality and its picture version (bumped by every
    write of incidents, categories and areas), the week, area and options, the language (the
    labels), and what the user may see -- restricted incidents are visible to the members of
    the named organisations, so users with the same organisations see the same figures."""
    visible = "all" if user.is_superuser else ",".join(
        str(pk) for pk in sorted(access.organization_ids(user)))
    raw = "|".join(str(part) for part in (
        _FIGURES_FORMAT, municipality.pk, situation_services.picture_version(municipality),
        week.param, area.pk if area is not None else "-", cell_size, hotspot_weeks, get_language(),
        settings.MAP_TILE_URL, visible))
    return "situation:weekly:" + hashlib.sha256(raw.encode()).hexdigest()


def _figures(user, municipality, week: Week, area: Area | None, cell_size: int,
             hotspot_weeks: int) -> _Figures:
    # One transaction with the aggregation settings (PostgreSQL: no JIT, whose compile time of
    # 20-30 ms a query cost more than these index-range queries, and work_mem for the cells'
    # sort): docs/performance.md, "The weekly page without a warm cache".
    with picture.aggregation_settings():
        return _compute_figures(user, municipality, week, area, cell_size, hotspot_weeks)


def _compute_figures(user, municipality, week: Week, area: Area | None, cell_size: int,
                     hotspot_weeks: int) -> _Figures:
    base = picture.incidents_for(user, municipality, area)
    counts = picture.weekly_counts(base, municipality, week, reader=user,
                                   total_label=_("All categories"))
    first = week.shift(-(hotspot_weeks - 1))
    window = picture.in_period(base, first.start, week.end)
    hot = picture.hotspots(window, cell_size)
    tow = picture.time_of_week_picture(window, weekday_names())
    places = picture.recurring_places(window, [first.shift(k) for k in range(hotspot_weeks)])
    n_points, n_centre, n_cut = picture.map_point_counts(
        picture.in_period(base, week.start, week.end))
    return _Figures(counts=counts, hotspot=hot, hotspot_geojson=picture.hotspot_cells_geojson(hot),
                    hotspot_summary=picture.hotspot_summary(hot), time_of_week=tow,
                    places=places, n_points=n_points, n_centre_points=n_centre,
                    n_points_left_out=n_cut,
                    has_example_incidents=picture.has_example_incidents(user, municipality))


def build_weekly(user, municipality, week: Week, area: Area | None = None, *,
                 cell_size: int = picture.DEFAULT_CELL_SIZE,
                 hotspot_weeks: int = picture.DEFAULT_HOTSPOT_WEEKS) -> WeeklyPicture:
    """Everything the weekly page shows, for what ``user`` may see. The figures come from the
    picture cache when it has them (see :func:`picture_cache`); the notes and measures are
    always read fresh."""
    cache = picture_cache()
    figures, key = None, ""
    if cache is not None:
        key = _cache_key(user, municipality, week, area, cell_size, hotspot_weeks)
        figures = _recent.get(key)
        if figures is None:
            figures = cache.get(key)
            if figures is not None:
                _recent.put(key, figures)
    if figures is None:
        figures = _figures(user, municipality, week, area, cell_size, hotspot_weeks)
        if cache is not None:
            cache.set(key, figures, PICTURE_CACHE_SECONDS)
            _recent.put(key, figures)

    notes = EstWeekNote.objects.visible_to(user).filter(
        municipality=municipality, iso_year=week.year, iso_week=week.week, area=area)
    measures = EstMeasure.objects.visible_to(user).filter(municipality=municipality)
    if area is not None:
        measures = measures.filter(area=area)
    # This week's measures, and the ones of earlier weeks that are still open.
    earlier = Q(iso_year__lt=week.year) | Q(iso_year=week.year, iso_week__lt=week.week)
    measures = measures.filter(
        Q(iso_year=week.year, iso_week=week.week)
        | (earlier & Q(status__in=[MeasureStatus.PLANNED, MeasureStatus.ONGOING]))
    ).select_related("organization", "area", "category").order_by(
        "due_date", "iso_year", "iso_week", "pk")
    notes, measures = list(notes.select_related("author")), list(measures)
    has_examples = (figures.has_example_incidents
                    or any(r.is_example for r in [*notes, *measures]))
    return WeeklyPicture(
        municipality=municipality, area=area, week=week, counts=figures.counts,
        hotspot_weeks=hotspot_weeks, hotspot_first_week=week.shift(-(hotspot_weeks - 1)),
        cell_size=cell_size, hotspot=figures.hotspot, hotspot_geojson=figures.hotspot_geojson,
        hotspot_summary=figures.hotspot_summary, time_of_week=figures.time_of_week,
        places=figures.places, n_points=figures.n_points,
        n_centre_points=figures.n_centre_points,
        n_points_left_out=figures.n_points_left_out,
        notes=notes, measures=measures, cache_key=key, has_examples=has_examples)


def map_points(user, municipality, week: Week, area: Area | None = None) -> list[dict]:
    """The week's incidents as the map draws them (`picture.map_points`), for what ``user`` may
    see: the map's own request (the page renders without them). Kept in the picture cache
    under the figures' key without the options (the points depend on none of them)."""
    cache = picture_cache()
    key = ""
    if cache is not None:
        key = _cache_key(user, municipality, week, area, 0, 0) + ":points"
        points = cache.get(key)
        if points is not None:
            return points
    with picture.aggregation_settings():
        points, _n_centre, _n_cut = picture.map_points(picture.in_period(
            picture.incidents_for(user, municipality, area), week.start, week.end))
    if cache is not None:
        cache.set(key, points, PICTURE_CACHE_SECONDS)
    return points


# -- wording shared by page and documents ------------------------------------------------------


def change_text(change) -> str:
    """'z = 2.4, more than expected' / 'z = 0.3' -- never a bare percentage."""
    text = f"z = {numbers.signed(change.z, 1)}"
    if change.significant:
        text += ", " + (_("clearly more") if change.z > 0 else _("clearly fewer"))
    return text


def hotspot_message(pic: WeeklyPicture) -> str:
    hot = pic.hotspot
    if not hot.meaningful:
        return _("Only %(n)s incidents with a known place in these weeks: at least 30 are "
                 "needed, so a hot spot map is not meaningful.") % {"n": hot.n_incidents}
    s = pic.hotspot_summary
    if not any(s.values()):
        return _("%(n)s incidents with a known place: no statistically significant hot or "
                 "cold spots.") % {"n": hot.n_incidents}
    return _("%(n)s incidents with a known place: %(hot)s hot spot cells and %(cold)s cold "
             "spot cells (90–99 %% confidence, corrected for multiple testing).") % {
        "n": hot.n_incidents, "hot": s["hot99"] + s["hot95"] + s["hot90"],
        "cold": s["cold99"] + s["cold95"] + s["cold90"]}


def standout_text(pic: WeeklyPicture) -> list[str]:
    names = weekday_names()
    return [_("%(day)s %(start)02d–%(end)02d: %(n)s incidents (expected %(e)s, z = %(z)s)") % {
        "day": names[s.weekday], "start": s.hour, "end": (s.hour + 1) % 24, "n": int(s.count),
        "e": numbers.decimal(s.expected, 1), "z": numbers.decimal(s.z, 1)}
        for s in pic.time_of_week.standout[:8]]


def significance_sentence() -> str:
    return _("Flagged only when the difference is statistically significant (|z| ≥ 2).")


# -- the document (DOCX and PDF) ---------------------------------------------------------------


def weekly_document(pic: WeeklyPicture):
    from samverkan.core import charts
    from samverkan.core.documents import Document

    doc = Document(pic.title, subtitle=f"{pic.place_label} · {pic.period_label}")
    examples.note_document(doc, show=pic.has_examples)
    c = pic.counts
    doc.heading(_("Incidents by category"))
    doc.paragraph(_("This week compared with the mean of the four weeks before (weeks "
                    "%(first)s–%(last)s) and with week %(ly_week)s %(ly_year)s.") % {
        "first": c.previous_weeks[0].week, "last": c.previous_weeks[-1].week,
        "ly_week": c.last_year_week.week, "ly_year": c.last_year_week.year})
    doc.paragraph(significance_sentence(), italic=True)
    rows = []
    for r in [*c.rows, c.total]:
        rows.append([r.name, r.current, numbers.decimal(r.mean_previous, 1), change_text(r.vs_mean),
                     r.last_year, change_text(r.vs_last_year)])
    doc.table([_("Category"), _("This week"), _("Mean of 4 weeks"), _("Change"),
               _("Same week last year"), _("Change")], rows, widths=[3, 1.2, 1.4, 2.2, 1.4, 2.2])
    if pic.flagged_rows:
        doc.bullets([_("%(name)s: %(vs)s against the last four weeks, %(ly)s against last "
                       "year.") % {"name": r.name, "vs": change_text(r.vs_mean),
                                   "ly": change_text(r.vs_last_year)}
                     for r in pic.flagged_rows])
    else:
        doc.paragraph(_("No category differs clearly from the earlier weeks or from last "
                        "year."))

    doc.heading(_("Hot spots, weeks %(first)s–%(last)s") % {
        "first": pic.hotspot_first_week.week, "last": pic.week.week})
    doc.paragraph(hotspot_message(pic))
    cells = pic.hotspot.significant_cells()[:15] if pic.hotspot.meaningful else []
    if cells:
        lat, lon = sweref99tm_to_wgs84(np.array([x.x for x in cells]) + pic.cell_size / 2,
                                       np.array([x.y for x in cells]) + pic.cell_size / 2)
        doc.table([_("Kind"), _("Confidence"), _("Incidents"), "z", _("Centre (lat, lon)")], [
            [_("Hot spot") if x.bin > 0 else _("Cold spot"), f"{[90, 95, 99][abs(x.bin) - 1]} %",
             f"{x.count:g}", numbers.decimal(x.z, 1), f"{la:.5f}, {lo:.5f}"]
            for x, la, lo in zip(cells, lat.tolist(), lon.tolist(), strict=True)],
            widths=[1.5, 1.2, 1, 1, 2.5],
            caption=_("Cells of %(size)s × %(size)s m") % {"size": pic.cell_size})

    doc.heading(_("Time of week"))
    tow = pic.time_of_week
    if tow.total:
        doc.image(charts.heatmap(tow.matrix, row_labels=[n[:3] for n in weekday_names()],
                                 col_labels=[f"{h:02d}" for h in range(24)]),
                  caption=_("Incidents per weekday and hour (local time), weeks "
                            "%(first)s–%(last)s.") % {"first": pic.hotspot_first_week.week,
                                                       "last": pic.week.week})
        lines = standout_text(pic)
        if lines:
            doc.paragraph(_("Hours that stand out:"))
            doc.bullets(lines)
    else:
        doc.paragraph(_("No incidents in these weeks."))

    doc.heading(_("Places that recur"))
    if pic.places:
        doc.table([_("Place"), _("Weeks"), _("Incidents")],
                  [[p["label"] or _("100 m square near %(lat).4f, %(lon).4f") % p, p["weeks"],
                    p["incidents"]] for p in pic.places], widths=[4, 1, 1])
    else:
        doc.paragraph(_("No place has incidents in more than one week."))

    doc.heading(_("Coordinators' notes"))
    if pic.notes:
        for note in pic.notes:
            doc.paragraph(examples.marked(note.text, note))
    else:
        doc.paragraph(_("No note for this week."))

    doc.heading(_("Measures agreed at the EST meeting"))
    if pic.measures:
        doc.table([_("What"), _("Who"), _("By when"), _("Status")], [
            [examples.marked(m.what, m),
             m.responsible or (m.organization.name if m.organization else ""),
             f"{m.due_date:%Y-%m-%d}" if m.due_date else "", m.get_status_display()]
            for m in pic.measures], widths=[4, 2, 1.3, 1.3])
    else:
        doc.paragraph(_("No measures recorded."))
    return doc


def export_filename(pic: WeeklyPicture, fmt: str) -> str:
    place = pic.place_label.replace(" ", "_")
    return f"lagesbild_{place}_{pic.week.year}-v{pic.week.week:02d}.{fmt}"


# -- e-mail ------------------------------------------------------------------------------------


def forum_recipients(forum) -> list[str]:
    """E-mail addresses of the active members of the organisations in ``forum`` (and the
    organisations' own addresses), sorted, without duplicates."""
    from samverkan.organizations.models import Membership

    org_ids = [m.organization_id for m in forum.members.all() if m.organization_id]
    addresses = set(Membership.objects.filter(organization_id__in=org_ids, active=True)
                    .exclude(user__email="").values_list("user__email", flat=True))
    from samverkan.organizations.models import Organization

    addresses |= set(Organization.objects.filter(pk__in=org_ids).exclude(email="")
                     .values_list("email", flat=True))
    return sorted(a.strip().lower() for a in addresses if a.strip())


def parse_addresses(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or new lines; ValidationError for a
    bad one."""
    out = []
    for part in text.replace(";", ",").replace("\n", ",").replace(" ", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        try:
            validate_email(part)
        except ValidationError:
            raise ValidationError({"addresses": _("“%(address)s” is not an e-mail address.")
                                   % {"address": part}}) from None
        if part not in out:
            out.append(part)
    return out


@transaction.atomic
def send_weekly_picture(pic: WeeklyPicture, *, actor, recipients: list[str], forum=None,
                        message: str = "") -> WeeklyPictureMailing:
    """Record the mailing (one audit entry) and queue the weekly picture as a PDF e-mail to
    each recipient: one background job per recipient (samverkan.jobs.email), queued when the
    transaction commits and built when it is sent. Raises ValidationError without
    recipients."""
    from samverkan.jobs.email import queue_email

    if not recipients:
        raise ValidationError({"addresses": _("Give at least one recipient.")})
    subject = f"{pic.title} – {pic.place_label}"
    mailing = services.create(WeeklyPictureMailing, actor=actor, municipality=pic.municipality,
                              data={"iso_year": pic.week.year, "iso_week": pic.week.week,
                                    "area": pic.area, "forum": forum,
                                    "recipients": ", ".join(recipients), "subject": subject,
                                    "sent_by": actor,
                                    "confidentiality": Confidentiality.INTERNAL})
    for recipient in recipients:
        queue_email(key=f"weekly-picture:{mailing.pk}:{recipient}", recipient=recipient,
                    builder="situation.weekly_picture", args={
                        "mailing": mailing.pk, "cell_size": pic.cell_size,
                        "hotspot_weeks": pic.hotspot_weeks, "message": message},
                    label=_("Weekly picture week %(week)s to %(to)s") % {
                        "week": pic.week.week, "to": recipient},
                    actor=actor, municipality=pic.municipality)
    return mailing


def weekly_picture_email(recipient: str, *, mailing: int, cell_size: int, hotspot_weeks: int,
                         message: str = "") -> EmailMessage:
    """The e-mail of one recipient of a mailing: the picture as that recipient may read it
    (their own rights when the address is a user's, else nothing restricted) as a PDF
    attachment. Built by the e-mail job when it is sent."""
    record = WeeklyPictureMailing.objects.select_related("sent_by", "municipality", "area").get(
        pk=mailing)
    actor = record.sent_by
    reader = access.reader_for_address(recipient, record.municipality_id)
    area = record.area
    if area is not None and not Area.objects.visible_to(reader).filter(pk=area.pk).exists():
        area = None  # an area the recipient may not read: the municipality's picture instead
    pic = build_weekly(reader, record.municipality, Week(record.iso_year, record.iso_week),
                       area, cell_size=cell_size, hotspot_weeks=hotspot_weeks)
    body = (message.strip() + "\n\n" if message.strip() else "") + _(
        "The weekly situation picture for %(place)s, %(period)s, is attached as a PDF.") % {
        "place": pic.place_label, "period": pic.period_label}
    email = EmailMessage(subject=f"{pic.title} – {pic.place_label}", body=body,
                         from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient],
                         reply_to=[actor.email] if getattr(actor, "email", "") else None)
    email.attach(export_filename(pic, "pdf"), weekly_document(pic).to_pdf(), "application/pdf")
    return email


def default_week(today: datetime.date | None = None) -> Week:
    """The last complete week: the EST meeting looks back on it."""
    today = today or Week.current().monday
    return Week.of(today).shift(-1)
