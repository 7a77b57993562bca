"""The situation picture's demo data for Eskilstuna (municipality 0484).

Called by `samverkan.demo.loader.load_demo` after the agreements and the demo users exist:
`load(*, actor, stdout=None)`. Everything goes through the situation services and importers,
and the load is idempotent: areas are found by (kind, name), incidents by their stable source
id, statistics by (municipality, year, category, source), check-ins, notes and measures by
their week, so running it twice creates nothing new.

What it loads:

1. Areas: the Police's vulnerable areas Skiftinge, Fröslunda and Årby (the 2025 file, area
   importer with only-inside), linked to the 2024-2027 agreement's priority areas of the same
   names; two hand-drawn, *approximate* polygons: the town centre ("Eskilstuna centrum") and
   Lagersberg (a priority area of the 2016 agreement).
2. The default EST categories.
3. About a year of synthetic EST reports (default 2,000) with the patterns the seed
   agreements describe: hot spots at Järntorget, Fristadstorget and J.A. Selanders gata
   (seed 000); violence and disorder on Friday and Saturday nights 23-04 in the centre
   (seed 004); graffiti, vandalism, littering, dark places, youths gathering, mopeds and car
   fires in Skiftinge, Fröslunda, Årby and Lagersberg, with daily rhythms and seasons; a wave
   of graffiti in Fröslunda in the week the weekly page opens on (and the current week), a few
   duplicate reports left for the coordinator to merge.
4. "Nothing to report" check-ins by the caretaker `vardare`.
5. The Police's real events for Södermanland (Eskilstuna's only).
6. Brå's reported-crime figures (the CSV, taken as 2021, and the SOL export 2021), for all
   municipalities.
7. What two focus areas of the 2024-2027 agreement watch.
8. The EST meeting's notes and measures for the week the weekly page opens on.

Everything the demo makes up is marked as an example (`is_example`, shown as "Exempel – inte
ur överenskommelsen"): the synthetic EST reports, the "nothing to report" check-ins, the two
hand-drawn areas, what the focus areas watch and the EST meeting's notes and measures. The
Police's vulnerable areas and events and Brå's statistics are real public data and are not.

Randomness: every ISO week has its own generator, ``numpy.random.default_rng([2024, year,
week])``, so a week's incidents are the same on every run and on every machine, whatever day
the demo is loaded; loading again later only adds the weeks (and hours) that have passed since.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from shapely.geometry import Polygon

from samverkan.core.choices import Confidentiality
from samverkan.organizations.models import Municipality, Organization

from . import services
from .choices import AreaKind, IncidentSource, IncidentStatus, MeasureStatus, Precision
from .models import Area, EstMeasure, Incident, NothingToReport

DATA = Path(__file__).resolve().parent / "data"
LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)
MUNICIPALITY = "0484"
SOURCE_PREFIX = "demo-est-"
#: Incidents per year at the default scale (the test may ask for fewer, same patterns).
DEFAULT_INCIDENTS_PER_YEAR = 2000
#: Weeks of synthetic reports before the current one: a year, plus enough for the weekly page
#: of last week to have "the same week last year" inside the demo.
WEEKS_BACK = 54
#: Brå's CSV states no year; its README says 2020 or 2021. The demo takes 2021, the year of the
#: SOL export beside it.
BRA_CSV_YEAR = 2021

KFAST = "Kfast"
KOMMUN = "Eskilstuna kommun"
POLICE = "Lokalpolisområde Eskilstuna"

# -- places ---------------------------------------------------------------------------------
# (name, lat, lon, is_street). Coordinates are APPROXIMATE (WGS 84), placed by hand for the
# demo from the public descriptions of the places; street names are used as the address
# (precision "address"), the others as place names (precision "exact"). The three hot spots
# are the ones Brå located (seed 000).

HOT_SPOTS = (
    ("Järntorget", 59.3706, 16.5077, False, 0.40),
    ("Fristadstorget", 59.3714, 16.5098, False, 0.35),
    # J.A. Selanders gata: approximate, a point on the street west of Järntorget.
    ("J.A. Selanders gata", 59.3697, 16.5036, True, 0.25),
)

CENTRE_PLACES = (
    ("Kungsgatan", 59.3718, 16.5062, True),
    ("Rademachergatan", 59.3725, 16.5086, True),
    ("Kungsplan", 59.3720, 16.5106, False),
    ("Gallerian", 59.3722, 16.5078, False),
    ("Eskilstuna resecentrum", 59.3687, 16.5074, False),
    ("Järntorget", 59.3706, 16.5077, False),
    ("Fristadstorget", 59.3714, 16.5098, False),
)

AREA_PLACES = {
    "Skiftinge": (
        ("Skiftinge centrum", 59.3915, 16.5365, False),
        ("Skiftinge grundskola", 59.3935, 16.5322, False),
        ("Gången under Skiftinge grundskola", 59.3931, 16.5331, False),
        ("Skiftinge förskola", 59.3897, 16.5418, False),
        ("Parkeringen vid Skiftinge centrum", 59.3905, 16.5386, False),
    ),
    "Fröslunda": (
        ("Fröslunda centrum", 59.3555, 16.4950, False),
        ("Gångtunneln vid Fröslunda centrum", 59.3562, 16.4966, False),
        ("Sturegatan", 59.3541, 16.4902, True),
        ("Mötesplats Fröet", 59.3550, 16.4935, False),
        ("Parkeringen vid Fröslunda centrum", 59.3548, 16.4976, False),
    ),
    "Årby": (
        ("Årby centrum", 59.3822, 16.5195, False),
        ("Årbygatan", 59.3832, 16.5170, True),
        ("Parkeringen i Årby norra", 59.3840, 16.5214, False),
        ("Gångvägen mot Årby IP", 59.3837, 16.5234, False),
    ),
    "Lagersberg": (
        ("Lagersbergsskolan", 59.3655, 16.4560, False),
        ("Gårdarna i Lagersberg", 59.3660, 16.4512, False),
        ("Busshållplatsen Lagersberg", 59.3670, 16.4600, False),
        ("Parkeringen vid Lagersbergs säteri", 59.3633, 16.4505, False),
    ),
}

# Hand-drawn polygons (lon, lat rings, WGS 84). APPROXIMATE, for the demo only, not official
# boundaries.
#
# Eskilstuna centrum: the town-centre grid on both banks of Eskilstunaån between the railway
# and Eskilstuna resecentrum in the south and the Gamla staden side in the north, taking in
# Järntorget, J.A. Selanders gata, Fristadstorget, Kungsplan, Kungsgatan and Rademachergatan.
CENTRE_POLYGON = Polygon([
    (16.5000, 59.3680), (16.5000, 59.3758), (16.5095, 59.3762), (16.5180, 59.3750),
    (16.5180, 59.3680), (16.5000, 59.3680)])
# Lagersberg: the late-1960s Kfast estate south-west of the centre (about 3 km from the
# station, beside Lagersbergs säteri and its twin Råbergstorp across the road). The polygon
# is a rough outline; it lies well away from the Police's vulnerable areas (the nearest,
# Fröslunda, starts some 1.2 km to the east).
LAGERSBERG_POLYGON = Polygon([
    (16.4465, 59.3618), (16.4462, 59.3680), (16.4560, 59.3693), (16.4635, 59.3673),
    (16.4622, 59.3622), (16.4465, 59.3618)])
HAND_DRAWN = (
    ("Eskilstuna centrum", AreaKind.DISTRICT, CENTRE_POLYGON, None),
    ("Lagersberg", AreaKind.PRIORITY_AREA, LAGERSBERG_POLYGON, 2016),
)
VULNERABLE = ("Skiftinge", "Fröslunda", "Årby")
# How the residential streams divide between the four areas.
AREA_SHARE = {"Skiftinge": 0.31, "Fröslunda": 0.31, "Årby": 0.22, "Lagersberg": 0.16}

# -- what happens: short reports as caretakers, night hosts and police write them ------------

DESCRIPTIONS = {
    "klotter": (
        "Nytt klotter (taggar) på fasaden vid entrén.",
        "Klotter på elskåp och busskur.",
        "Taggar i trapphuset och på brevlådorna.",
        "Klotter på väggarna i gångtunneln, målat under natten.",
        "Stora taggar på gavelväggen, syns från gatan.",
    ),
    "skadegorelse": (
        "Sönderslagen ruta i entrédörren.",
        "Belysningsarmatur sönderslagen.",
        "Papperskorg sparkad av sitt fäste.",
        "Trasigt lås till cykelrummet, uppbrutet.",
        "Glaset i busskuren krossat.",
    ),
    "nedskrapning": (
        "Mycket skräp och glasflaskor efter natten.",
        "Sopsäckar ställda utanför soprummet.",
        "Nedskräpat vid bänkarna, pizzakartonger och burkar.",
        "Grovsopor dumpade vid parkeringen.",
    ),
    "anlagd_brand": (
        "Bilbrand på parkeringen, räddningstjänsten släckte.",
        "Brand i container, troligen anlagd.",
        "Brand i papperskorg vid gångvägen.",
        "Bilbrand under natten, en bil utbrunnen.",
    ),
    "ungdomar_stor": (
        "Grupp ungdomar samlas i entrén sent på kvällen, boende känner sig otrygga.",
        "Ungdomar samlas vid centrumet, högljudda och kastar saker.",
        "Gäng samlas i trapphuset, boende vågar inte gå förbi.",
        "Ungdomar samlas på skolgården efter stängning, musik och bråk.",
    ),
    "narkotika": (
        "Misstänkt langning vid gången bakom centrum, samma bil återkommer.",
        "Personer som verkar sälja något vid busshållplatsen, kort kontakt med förbipasserande.",
        "Stark cannabislukt i trapphuset, folk kommer och går.",
    ),
    "hot_vald": (
        "Slagsmål utanför krogen, polis på plats.",
        "Person misshandlad i kön till nattklubben, ambulans tillkallad.",
        "Hot mot ordningsvakt vid stängning.",
        "Bråk mellan två grupper på torget, en person skadad.",
        "Knuffar och slag vid taxikön.",
    ),
    "hot_vald_omr": (
        "Hot mot bovärd vid soprummet.",
        "Bråk mellan grannar på gården, hot uttalade.",
        "Person knivhotad vid gångvägen, polisanmält.",
    ),
    "stold_inbrott": (
        "Inbrott i källarförråd, flera förråd uppbrutna.",
        "Cykelstöld från cykelrummet.",
        "Snatteri i butik, personalen hotad.",
        "Inbrott i bil på parkeringen, ruta krossad.",
    ),
    "otrygg_trafik": (
        "Mopeder kör i hög fart på gång- och cykelbanan.",
        "Mopeder kör runt på gården där barn leker.",
        "Mopedåkning på trottoaren vid centrumet, nära olycka.",
        "Ungdomar på mopeder utan hjälm kör i cirklar på parkeringen.",
    ),
    "mork_plats": (
        "Belysningen i gångtunneln är trasig, mörkt och otryggt.",
        "Flera lampor ur funktion längs gångvägen.",
        "Mörkt vid busshållplatsen, belysningen släckt.",
        "Buskage har vuxit över gångvägen, mörkt och oöverskådligt.",
    ),
    "ordningsstorning": (
        "Berusade personer bråkar högljutt på torget.",
        "Glasflaskor krossas, stökigt vid krogkön.",
        "Högljudda grupper efter stängning, ordningsvakter ingriper.",
        "Kö vid nattklubb, knuffar och skrik.",
    ),
}

# -- time profiles (7 x 24 weights, Monday first, local time) --------------------------------


def _profile(weekdays, hours) -> np.ndarray:
    return np.outer(np.asarray(weekdays, float), np.asarray(hours, float))


def _hours(spec: dict[tuple[int, int], float], base: float = 0.0) -> list[float]:
    """Hour weights from {(first, last): weight} (inclusive ranges, may wrap at midnight)."""
    h = [base] * 24
    for (first, last), weight in spec.items():
        hour = first
        while True:
            h[hour] = weight
            if hour == last:
                break
            hour = (hour + 1) % 24
    return h


def _weekend_nights() -> np.ndarray:
    """Friday and Saturday nights 23-04 (seed 004): the night of Friday runs Friday 23:00 to
    Saturday 04:00, the night of Saturday Saturday 23:00 to Sunday 04:00."""
    m = np.zeros((7, 24))
    by_hour = {23: 1.0, 0: 1.3, 1: 1.6, 2: 1.7, 3: 1.0}
    for evening in (4, 5):  # Friday, Saturday
        m[evening, 23] = by_hour[23]
        for hour in (0, 1, 2, 3):
            m[evening + 1, hour] = by_hour[hour]
    return m


EVERY_DAY = (1, 1, 1, 1, 1, 1, 1)
WEEKEND_HEAVY = (0.8, 0.8, 0.9, 1.0, 1.4, 1.6, 1.1)
WORKDAYS = (1.2, 1.2, 1.2, 1.2, 1.1, 0.6, 0.5)

PROFILES = {
    "weekend_nights": _weekend_nights(),
    # Town-centre evenings and the rest of the nights: background to the weekend peak.
    "centre_evenings": _profile(WEEKEND_HEAVY, _hours({(12, 18): 0.5, (19, 22): 1.0,
                                                       (23, 2): 0.8})),
    # Mornings after the weekend nights: the litter is found by the street cleaners.
    "weekend_mornings": _profile((0.6, 0.3, 0.3, 0.3, 0.4, 1.6, 1.8),
                                 _hours({(5, 7): 1.0, (8, 11): 0.8})),
    "shop_hours": _profile((1, 1, 1, 1, 1.2, 1.3, 0.7), _hours({(10, 19): 1.0})),
    "evenings": _profile(WEEKEND_HEAVY, _hours({(16, 18): 0.6, (19, 23): 1.0})),
    "nights": _profile(WEEKEND_HEAVY, _hours({(21, 22): 0.6, (23, 3): 1.0, (4, 4): 0.4})),
    "late_evenings": _profile(WEEKEND_HEAVY, _hours({(18, 19): 0.5, (20, 23): 1.0,
                                                     (0, 1): 0.6})),
    # Caretakers find litter and damage on their rounds.
    "rounds": _profile(WORKDAYS, _hours({(7, 7): 0.6, (8, 15): 1.0, (16, 16): 0.4})),
    "afternoons": _profile((1, 1, 1, 1, 1.2, 1.3, 1.1), _hours({(14, 16): 0.7, (17, 21): 1.0,
                                                                (22, 22): 0.5})),
    # Dark places are reported when it is dark: afternoons and evenings, early mornings.
    "dark_hours": _profile(EVERY_DAY, _hours({(6, 7): 0.6, (15, 16): 0.7, (17, 22): 1.0})),
    "daytime_evening": _profile(EVERY_DAY, _hours({(8, 15): 0.6, (16, 22): 1.0,
                                                   (23, 23): 0.5})),
    "any_time": _profile(EVERY_DAY, _hours({(0, 5): 0.6, (6, 23): 1.0})),
}


@dataclass(frozen=True)
class Stream:
    """One kind of report: category, where (zone), when (profile), how often (per week at
    scale 1, before the season), who reports it."""

    key: str
    category: str
    rate: float
    zone: str  # "hot" (Brå's hot spots), "centre", "areas" or an area name
    profile: str
    orgs: tuple[tuple[str, float], ...]
    season_amplitude: float = 0.0
    season_peak: tuple[int, int] = (7, 15)  # (month, day) of the highest rate
    descriptions: str | None = None  # key in DESCRIPTIONS (default: the category)


STREAMS = (
    # Town centre, Friday and Saturday nights 23-04 (seed 004), at Brå's hot spots (seed 000).
    Stream("vn", "hot_vald", 3.0, "hot", "weekend_nights", ((POLICE, 0.7), (KOMMUN, 0.3))),
    Stream("on", "ordningsstorning", 4.0, "hot", "weekend_nights",
           ((POLICE, 0.6), (KOMMUN, 0.4))),
    Stream("oc", "ordningsstorning", 1.2, "centre", "centre_evenings",
           ((POLICE, 0.5), (KOMMUN, 0.5))),
    Stream("nc", "nedskrapning", 1.5, "centre", "weekend_mornings", ((KOMMUN, 1.0),)),
    Stream("sc", "stold_inbrott", 1.5, "centre", "shop_hours", ((POLICE, 0.8), (KOMMUN, 0.2))),
    Stream("dc", "narkotika", 0.8, "centre", "evenings", ((POLICE, 0.7), (KOMMUN, 0.3))),
    Stream("kc", "klotter", 0.8, "centre", "nights", ((KOMMUN, 1.0),)),
    Stream("vo", "hot_vald", 0.8, "areas", "daytime_evening", ((POLICE, 0.6), (KFAST, 0.4)),
           descriptions="hot_vald_omr"),
    # Skiftinge, Fröslunda, Årby and Lagersberg.
    Stream("ka", "klotter", 4.0, "areas", "late_evenings", ((KFAST, 0.8), (KOMMUN, 0.2))),
    Stream("sa", "skadegorelse", 4.0, "areas", "nights", ((KFAST, 0.8), (KOMMUN, 0.2))),
    Stream("na", "nedskrapning", 3.0, "areas", "rounds", ((KFAST, 0.8), (KOMMUN, 0.2)),
           season_amplitude=0.25, season_peak=(6, 15)),
    Stream("ma", "mork_plats", 3.0, "areas", "dark_hours", ((KFAST, 0.5), (KOMMUN, 0.5)),
           season_amplitude=0.45, season_peak=(12, 21)),
    Stream("ua", "ungdomar_stor", 3.0, "areas", "evenings", ((KFAST, 0.5), (KOMMUN, 0.5)),
           season_amplitude=0.3, season_peak=(7, 1)),
    Stream("ta", "otrygg_trafik", 3.5, "areas", "afternoons", ((POLICE, 0.4), (KFAST, 0.3),
                                                               (KOMMUN, 0.3)),
           season_amplitude=0.55, season_peak=(7, 15)),
    Stream("ba", "anlagd_brand", 1.8, "areas", "nights", ((POLICE, 0.7), (KFAST, 0.3)),
           season_amplitude=0.1, season_peak=(8, 1)),
    Stream("da", "narkotika", 1.0, "areas", "evenings", ((POLICE, 0.6), (KFAST, 0.4))),
    Stream("ia", "stold_inbrott", 1.5, "areas", "any_time", ((KFAST, 0.6), (POLICE, 0.4))),
)
#: The wave of graffiti in Fröslunda (a clear, significant rise in the weekly picture).
WAVE = Stream("kv", "klotter", 14.0, "Fröslunda", "late_evenings", ((KFAST, 0.85),
                                                                   (KOMMUN, 0.15)))
WAVE_MIN_PER_WEEK = 8
#: Where the wave's graffiti turns up (the tunnel, the centre, Sturegatan).
WAVE_PLACES = ("Gångtunneln vid Fröslunda centrum", "Fröslunda centrum", "Sturegatan",
               "Parkeringen vid Fröslunda centrum")


# -- weeks and seasons ----------------------------------------------------------------------


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _iso(day: datetime.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def _season(day: datetime.date, amplitude: float, peak: tuple[int, int]) -> float:
    if not amplitude:
        return 1.0
    peak_day = datetime.date(day.year, *peak)
    delta = (day - peak_day).days
    return 1.0 + amplitude * math.cos(2 * math.pi * delta / 365.25)


def _week_count(rng: np.random.Generator, expected: float) -> int:
    """About `expected` incidents, varying less than Poisson (±0.4 standard deviations, with
    stochastic rounding) so that ordinary weeks stay flat in the significance test and only
    the intended wave is flagged. (At the default scale every category expects at least 1.5
    a week in the whole municipality, so an ordinary week is never empty: 0 against a mean of
    1 would be flagged.)"""
    if expected <= 0:
        return 0
    x = max(0.0, expected + rng.uniform(-1.0, 1.0) * 0.4 * math.sqrt(expected))
    base = math.floor(x)
    return int(base + (rng.random() < x - base))


# -- the generator --------------------------------------------------------------------------


@dataclass
class Planned:
    """One synthetic report before it becomes an Incident."""

    source_id: str
    category: str
    occurred_at: datetime.datetime
    reported_at: datetime.datetime
    lat: float
    lon: float
    precision: str
    address: str
    place_name: str
    description: str
    org: str
    user: str | None
    area: str  # "centre" or an area name
    duplicate_of: str | None = None


def _jitter(rng, lat, lon, metres):
    dlat = rng.normal(0.0, metres) / 111_320.0
    dlon = rng.normal(0.0, metres) / (111_320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


class Generator:
    """Plans the synthetic EST reports of the weeks up to `now` (deterministic per week)."""

    def __init__(self, *, now: datetime.datetime, scale: float,
                 polygons: dict[str, shapely.Geometry]):
        self.now = now
        self.scale = scale
        self.polygons = polygons
        for geometry in polygons.values():
            shapely.prepare(geometry)
        today = timezone.localtime(now, LOCAL_TZ).date()
        self.current_monday = _monday(today)
        # The weekly page opens on the last complete week (weekly.default_week): the EST
        # meeting looks back on it. The wave runs from its Monday to now.
        self.picture_monday = self.current_monday - datetime.timedelta(weeks=1)

    def weeks(self) -> list[datetime.date]:
        return [self.current_monday - datetime.timedelta(weeks=k)
                for k in range(WEEKS_BACK, -1, -1)]

    def plan(self) -> list[Planned]:
        planned: list[Planned] = []
        for monday in self.weeks():
            planned.extend(self._week(monday))
        return [p for p in planned if p.occurred_at <= self.now]

    def _week(self, monday: datetime.date) -> list[Planned]:
        year, week = _iso(monday)
        rng = np.random.default_rng([2024, year, week])
        middle = monday + datetime.timedelta(days=3)
        out: list[Planned] = []
        # The week's count per category (what the weekly table compares), then shared out
        # between the category's streams (where and when).
        by_category: dict[str, list[Stream]] = {}
        for stream in STREAMS:
            by_category.setdefault(stream.category, []).append(stream)
        for streams in by_category.values():
            expected = np.array([s.rate * self.scale * _season(middle, s.season_amplitude,
                                                               s.season_peak)
                                 for s in streams])
            total = _week_count(rng, float(expected.sum()))
            counts = rng.multinomial(total, expected / expected.sum())
            for stream, n in zip(streams, counts, strict=True):
                out.extend(self._stream(rng, stream, monday, int(n)))
        if monday >= self.picture_monday:
            n = max(WAVE_MIN_PER_WEEK, round(WAVE.rate * self.scale))
            out.extend(self._stream(rng, WAVE, monday, n, places=WAVE_PLACES))
        if monday >= self.picture_monday:
            out.extend(self._duplicates(rng, out, n=max(2, round(3 * self.scale))))
        return out

    def _stream(self, rng, stream: Stream, monday: datetime.date, n: int,
                places: tuple[str, ...] | None = None) -> list[Planned]:
        if n <= 0:
            return []
        year, week = _iso(monday)
        weights = PROFILES[stream.profile].ravel()
        cells = rng.choice(168, size=n, p=weights / weights.sum())
        minutes = rng.integers(0, 60, size=n)
        out = []
        for k in range(n):
            weekday, hour = divmod(int(cells[k]), 24)
            local = datetime.datetime.combine(monday + datetime.timedelta(days=weekday),
                                              datetime.time(hour, int(minutes[k])),
                                              tzinfo=LOCAL_TZ)
            occurred = local.astimezone(datetime.UTC)
            area, name, lat, lon, is_street = self._place(rng, stream.zone, places)
            if is_street:
                precision, address, place_name = Precision.ADDRESS, name, ""
                lat, lon = self._inside(rng, area, lat, lon, 15)
            else:
                precision, address, place_name = Precision.EXACT, "", name
                lat, lon = self._inside(rng, area, lat, lon, 25 if stream.zone == "hot"
                                        else 45)
            org = self._pick(rng, stream.orgs)
            user = self._user(rng, org, area)
            texts = DESCRIPTIONS[stream.descriptions or stream.category]
            delay = datetime.timedelta(minutes=int(rng.integers(5, 60 * (
                10 if stream.profile in ("nights", "weekend_nights", "late_evenings") else 3))))
            out.append(Planned(
                source_id=f"{SOURCE_PREFIX}{year}-W{week:02d}-{stream.key}-{k:03d}",
                category=stream.category, occurred_at=occurred,
                reported_at=min(occurred + delay, self.now), lat=round(lat, 6),
                lon=round(lon, 6), precision=precision, address=address, place_name=place_name,
                description=texts[int(rng.integers(len(texts)))], org=org, user=user,
                area=area))
        return out

    def _place(self, rng, zone: str, places: tuple[str, ...] | None):
        if zone == "hot":
            weights = np.array([h[4] for h in HOT_SPOTS])
            name, lat, lon, is_street, _w = HOT_SPOTS[int(rng.choice(len(HOT_SPOTS),
                                                                     p=weights / weights.sum()))]
            return "centre", name, lat, lon, is_street
        if zone == "centre":
            name, lat, lon, is_street = CENTRE_PLACES[int(rng.integers(len(CENTRE_PLACES)))]
            return "centre", name, lat, lon, is_street
        if zone == "areas":
            names = list(AREA_SHARE)
            shares = np.array([AREA_SHARE[a] for a in names])
            area = names[int(rng.choice(len(names), p=shares / shares.sum()))]
        else:
            area = zone
        options = AREA_PLACES[area]
        if places:
            options = tuple(p for p in options if p[0] in places)
        name, lat, lon, is_street = options[int(rng.integers(len(options)))]
        return area, name, lat, lon, is_street

    def _inside(self, rng, area: str, lat: float, lon: float, metres: float):
        """A point near the place, inside the area's polygon (a few tries, else the place)."""
        polygon = self.polygons.get(area)
        for _try in range(8):
            jlat, jlon = _jitter(rng, lat, lon, metres)
            if polygon is None or shapely.contains_xy(polygon, jlon, jlat):
                return jlat, jlon
        return lat, lon

    @staticmethod
    def _pick(rng, options):
        weights = np.array([w for _o, w in options])
        return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]

    @staticmethod
    def _user(rng, org: str, area: str) -> str | None:
        """The demo users report some of their organisation's incidents: the caretaker
        `vardare` in Fröslunda and Lagersberg (her beat), the coordinator a few of the
        municipality's. Other reports come from reporters without demo accounts."""
        draw = rng.random()
        if org == KFAST and area in ("Fröslunda", "Lagersberg"):
            return "vardare" if draw < 0.3 else None
        if org == KOMMUN:
            return "samordnare" if draw < 0.2 else None
        return None

    def _duplicates(self, rng, planned: list[Planned], n: int) -> list[Planned]:
        """The same event reported twice, minutes apart, by another reporter: left "new"
        for the coordinator to merge."""
        candidates = [p for p in planned if p.precision == Precision.EXACT
                      and p.occurred_at + datetime.timedelta(hours=1) <= self.now]
        if not candidates:
            return []
        picks = rng.choice(len(candidates), size=min(n, len(candidates)), replace=False)
        out = []
        for index in sorted(int(i) for i in picks):
            original = candidates[index]
            lat, lon = _jitter(rng, original.lat, original.lon, 8)
            later = datetime.timedelta(minutes=int(rng.integers(4, 35)))
            other = KOMMUN if original.org != KOMMUN else KFAST
            texts = DESCRIPTIONS.get(original.category, (original.description,))
            out.append(Planned(
                source_id=original.source_id + "-d", category=original.category,
                occurred_at=original.occurred_at + later,
                reported_at=min(original.reported_at + later, self.now),
                lat=round(lat, 6), lon=round(lon, 6), precision=Precision.EXACT, address="",
                place_name=original.place_name,
                description=texts[int(rng.integers(len(texts)))], org=other,
                user="samordnare" if other == KOMMUN else None, area=original.area,
                duplicate_of=original.source_id))
        return out


# -- loading --------------------------------------------------------------------------------


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _scale(incidents_per_year: int) -> float:
    per_week = sum(s.rate for s in STREAMS)
    return incidents_per_year / (per_week * 365.25 / 7)


def load(*, actor, stdout=None, incidents_per_year: int = DEFAULT_INCIDENTS_PER_YEAR,
         now: datetime.datetime | None = None) -> dict:
    """Load the situation picture's demo for Eskilstuna (idempotent). `now` (default: the
    start of the current hour) is where the synthetic year ends. Returns what was created."""
    municipality = Municipality.objects.get(code=MUNICIPALITY)
    now = now or timezone.now().replace(minute=0, second=0, microsecond=0)
    summary: dict = {}
    _say(stdout, "  Lägesbild (Eskilstuna):")

    categories = {c.slug: c for c in services.ensure_default_categories(municipality,
                                                                       actor=actor)}
    areas = _load_areas(municipality, actor=actor, stdout=stdout)
    summary["police_events"] = _load_police_events(municipality, actor=actor, stdout=stdout)
    summary["statistics"] = _load_statistics(actor=actor, stdout=stdout)

    orgs = {o.name: o for o in Organization.objects.filter(
        municipality=municipality, name__in=[KFAST, KOMMUN, POLICE])}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["vardare", "samordnare"])}
    generator = Generator(now=now, scale=_scale(incidents_per_year), polygons={
        name: services.area_geometry(area) for name, area in areas.items()})
    planned = generator.plan()
    summary["incidents"] = _load_incidents(municipality, planned, generator, categories,
                                           orgs, users, actor=actor, stdout=stdout)
    summary["nothing_to_report"] = _load_checkins(municipality, planned, generator, areas,
                                                  users, stdout=stdout)
    _load_watches(municipality, categories, areas, actor=actor, stdout=stdout)
    _load_week(municipality, generator, categories, areas, orgs, users, actor=actor,
               stdout=stdout)
    return summary


def _load_areas(municipality, *, actor, stdout) -> dict[str, Area]:
    from samverkan.agreements.models import PriorityArea

    from .importers.areas import import_areas

    path = DATA / "polisen_utsatta_omraden_2025.geojson"
    result = import_areas(path.read_bytes(), municipality=municipality, actor=actor,
                          kind=AreaKind.VULNERABLE_AREA, only_inside=True, source=path.name)
    if result.errors:
        raise ValueError(f"{path.name}: {[e.as_dict() for e in result.errors]}")
    _say(stdout, f"    utsatta områden: {', '.join(result.areas)} ({result.created} nya)")
    areas = {a.name: a for a in Area.objects.filter(
        municipality=municipality, kind=AreaKind.VULNERABLE_AREA, name__in=VULNERABLE)}
    created = []
    for name, kind, polygon, _year in HAND_DRAWN:
        area, was_created = services.save_area(
            actor=actor, municipality=municipality, name=name, kind=kind,
            geometry_wgs84=polygon, source="Demo: ungefärlig gräns ritad för hand",
            properties={"note": "Ungefärlig gräns, ritad för demon."}, is_example=True)
        areas[name] = area
        if was_created:
            created.append(area)
    if created:
        services.assign_areas(municipality, areas=created)
    # Link each area to the agreement's priority area of the same name (2024-2027 for the
    # vulnerable areas, 2016 for Lagersberg).
    years = dict.fromkeys(VULNERABLE, 2024)
    years.update({name: year for name, _k, _p, year in HAND_DRAWN if year})
    for name, year in years.items():
        area = areas.get(name)
        priority = PriorityArea.objects.filter(
            agreement__municipality=municipality, agreement__start_date__year=year,
            name=name).first()
        if area is not None and priority is not None and area.priority_area_id != priority.pk:
            services.update_area(area, actor=actor, priority_area=priority)
    return areas


def _load_police_events(municipality, *, actor, stdout) -> int:
    from .importers import import_incidents

    path = DATA / "polisen_events_sodermanland_2022-2026.json"
    result = import_incidents(path.read_bytes(), fmt="polisen", municipality=municipality,
                              actor=actor)
    if result.errors:
        raise ValueError(f"{path.name}: {[e.as_dict() for e in result.errors]}")
    _say(stdout, f"    polisens händelser (Södermanland, endast Eskilstuna): "
                 f"{result.created} nya, {result.duplicates} fanns redan, "
                 f"{result.skipped} andra kommuner")
    return result.created


def _load_statistics(*, actor, stdout) -> int:
    from .importers.statistics import import_crime_statistics
    from .models import CrimeStatistic
    from .sources import bra

    created = 0
    files = (
        ("bra_anmalda_brott_per_kommun.csv", "bra-csv", BRA_CSV_YEAR),
        ("bra_sol_export_2021_brott_mot_person_cp1252.txt", "sol", None),
    )
    for name, fmt, year in files:
        data = (DATA / name).read_bytes()
        # The import is idempotent but re-checks every row (870 of them); when all the file's
        # rows are stored already, say so and skip it.
        rows = (bra.parse_reported_crimes_csv(data, year) if fmt == "bra-csv"
                else bra.parse_sol_export(data))
        keys = {(r.code, r.year, getattr(r, "category", None)) for r in rows}
        stored = CrimeStatistic.objects.filter(source=fmt, year__in={k[1] for k in keys})
        note = (f" (filen anger inget år; enligt källan 2020 eller 2021: demon använder "
                f"{BRA_CSV_YEAR})" if fmt == "bra-csv" else "")
        if keys and not rows.errors and stored.count() >= len(keys):
            _say(stdout, f"    Brå {name}: år {min(k[1] for k in keys)}{note}: alla "
                         f"{len(keys)} rader fanns redan")
            continue
        result = import_crime_statistics(data, fmt=fmt, actor=actor, year=year)
        if result.errors:
            raise ValueError(f"{name}: {[e.as_dict() for e in result.errors]}")
        created += result.created
        _say(stdout, f"    Brå {name}: år {result.year}{note}: {result.created} nya, "
                     f"{result.unchanged + result.updated} fanns redan")
    return created


def _load_incidents(municipality, planned: list[Planned], generator: Generator, categories,
                    orgs, users, *, actor, stdout) -> int:
    existing = set(Incident.objects.filter(
        municipality=municipality, source=IncidentSource.DEMO,
        source_id__startswith=SOURCE_PREFIX).values_list("source_id", flat=True))
    in_pairs = {p.duplicate_of for p in planned if p.duplicate_of}
    in_pairs |= {p.source_id for p in planned if p.duplicate_of}
    current_start = datetime.datetime.combine(generator.current_monday, datetime.time(),
                                              tzinfo=LOCAL_TZ)
    new = []
    for p in planned:
        if p.source_id in existing:
            continue
        # Older reports have been reviewed; this week's, and the duplicates, wait for the
        # coordinator.
        status = (IncidentStatus.NEW if p.occurred_at >= current_start
                  or p.source_id in in_pairs else IncidentStatus.REVIEWED)
        incident = Incident(
            municipality=municipality, category=categories[p.category],
            occurred_at=p.occurred_at, reported_at=p.reported_at, lat=p.lat, lon=p.lon,
            precision=p.precision, address=p.address, place_name=p.place_name,
            description=p.description, organization=orgs.get(p.org),
            reported_by=users.get(p.user) if p.user else None,
            source=IncidentSource.DEMO, source_id=p.source_id, status=status,
            confidentiality=Confidentiality.INTERNAL,
            is_example=True)  # synthetic: marked on every page, export and API record
        # Related records were looked up here: skip their per-row existence queries.
        incident.full_clean(exclude=["municipality", "category", "organization", "reported_by",
                                     "merged_into"], validate_unique=False,
                            validate_constraints=False)
        new.append(incident)
    services.bulk_create_incidents(new, actor=actor)
    duplicates = sum(1 for p in planned if p.duplicate_of)
    _say(stdout, f"    EST-rapporter (syntetiska, {generator.weeks()[0]} – "
                 f"{timezone.localtime(generator.now, LOCAL_TZ):%Y-%m-%d %H:%M}): "
                 f"{len(new)} nya av {len(planned)}, varav {duplicates} dubbletter att "
                 f"slå ihop")
    return len(new)


def _load_checkins(municipality, planned: list[Planned], generator: Generator, areas, users,
                   *, stdout) -> int:
    """`vardare` checks in "nothing to report" for her areas in the weeks she had nothing to
    report there (the twelve weeks before the current one)."""
    user = users.get("vardare")
    if user is None:
        return 0
    reported = {(_iso(timezone.localtime(p.occurred_at, LOCAL_TZ).date()), p.area)
                for p in planned if p.user == "vardare"}
    created = 0
    for k in range(12, 0, -1):
        monday = generator.current_monday - datetime.timedelta(weeks=k)
        year, week = _iso(monday)
        for name in ("Fröslunda", "Lagersberg"):
            area = areas.get(name)
            if area is None or ((year, week), name) in reported:
                continue
            if NothingToReport.objects.filter(municipality=municipality, reported_by=user,
                                              iso_year=year, iso_week=week,
                                              area=area).exists():
                continue
            services.record_nothing_to_report(
                actor=user, municipality=municipality, iso_year=year, iso_week=week,
                area=area, note="Rond gjord på gårdarna och i entréerna, inget att rapportera.",
                is_example=True)
            created += 1
    _say(stdout, f"    \"inget att rapportera\" (vardare): {created} nya")
    return created


def _load_watches(municipality, categories, areas, *, actor, stdout) -> None:
    from samverkan.agreements.models import FocusArea

    from .models import FocusAreaWatch

    watches = (
        ("Trygga det offentliga rummet",
         ("klotter", "skadegorelse", "mork_plats", "ungdomar_stor"), VULNERABLE),
        ("Stoppa skjutningar och grovt våld", ("hot_vald",), ()),
    )
    for title, slugs, area_names in watches:
        focus_area = FocusArea.objects.filter(
            agreement__municipality=municipality, agreement__start_date__year=2024,
            title=title).first()
        if focus_area is None:
            _say(stdout, f"    fokusområdet {title!r} saknas: ingen bevakning")
            continue
        wanted_categories = [categories[s] for s in slugs]
        wanted_areas = [areas[n] for n in area_names if n in areas]
        watch = FocusAreaWatch.objects.filter(focus_area=focus_area).first()
        if watch is not None and (
                {c.pk for c in watch.categories.all()} == {c.pk for c in wanted_categories}
                and {a.pk for a in watch.areas.all()} == {a.pk for a in wanted_areas}):
            continue
        services.set_focus_area_watch(focus_area, actor=actor, categories=wanted_categories,
                                      areas=wanted_areas, is_example=True)
        _say(stdout, f"    fokusområdet {title!r} bevakar {', '.join(slugs)}")


def _load_week(municipality, generator: Generator, categories, areas, orgs, users, *, actor,
               stdout) -> None:
    """The EST meeting's note and measures on the week the weekly page opens on (the last
    complete week), written by the coordinator."""
    author = users.get("samordnare") or actor
    monday = generator.picture_monday
    year, week = _iso(monday)
    next_monday = generator.current_monday
    today = timezone.localtime(generator.now, LOCAL_TZ).date()
    froslunda = areas.get("Fröslunda")
    services.save_week_note(
        actor=author, municipality=municipality, iso_year=year, iso_week=week, text=(
            f"Vecka {week}: tydlig ökning av klotter i Fröslunda, framför allt i gångtunneln "
            "vid Fröslunda centrum och längs Sturegatan, nästan varje kväll och natt. Övriga "
            "kategorier ligger på sin vanliga nivå. I centrum står helgnätterna kl. 23–04 "
            "vid Järntorget, Fristadstorget och J.A. Selanders gata som vanligt för det mesta "
            "av våldet och ordningsstörningarna. Åtgärder enligt listan nedan; vi följer upp "
            "på nästa EST-möte."), is_example=True)
    if froslunda is not None:
        services.save_week_note(
            actor=author, municipality=municipality, iso_year=year, iso_week=week,
            area=froslunda, text=(
                "Fröslunda: bovärdarna rapporterar nytt klotter sedan måndag, mest taggar på "
                "väggarna i gångtunneln och på fasaderna vid centrumet. Belysningen i tunneln "
                "är delvis trasig, vilket gör platsen mörk och lockar till klotter. Kommunen "
                "sanerar klottret i tunneln och Kfast på sina fasader; polisen lägger extra "
                "närvaro under helgkvällarna."), is_example=True)
    measures = (
        (KFAST, "Bovärdarna, Kfast Fröslunda",
         "Byta trasig belysning i gångtunneln vid Fröslunda centrum.", "mork_plats",
         next_monday + datetime.timedelta(days=4),
         "Belysningen bytt; nya armaturer med skydd mot skadegörelse."),
        (KOMMUN, "Samhällsbyggnads- och miljöförvaltningen",
         "Sanera klottret i gångtunneln och vid Fröslunda centrum, dokumentera med foto och "
         "polisanmäla.", "klotter",
         next_monday + datetime.timedelta(days=2),
         "Sanerat; 11 polisanmälningar gjorda med foto."),
        (POLICE, "Kommunpolisen, lokalpolisområde Eskilstuna",
         "Riktad närvaro vid Fröslunda centrum och gångtunneln fredag och lördag "
         "kl. 19–01.", "klotter", next_monday + datetime.timedelta(days=5),
         "Närvaro båda kvällarna; inga nya taggar under helgen."),
    )
    created = 0
    for org_name, responsible, what, slug, due, result in measures:
        if EstMeasure.objects.filter(municipality=municipality, iso_year=year, iso_week=week,
                                     what=what).exists():
            continue
        done = due < today
        services.create_measure(
            actor=author, municipality=municipality, iso_year=year, iso_week=week,
            area=froslunda, category=categories.get(slug), organization=orgs.get(org_name),
            responsible=responsible, what=what, due_date=due,
            status=MeasureStatus.DONE if done else MeasureStatus.PLANNED,
            result=result if done else "", is_example=True)
        created += 1
    _say(stdout, f"    EST-möte vecka {week}: anteckningar och {created} nya åtgärder")


def planned_places() -> dict[str, list[tuple[str, float, float]]]:
    """The demo's named places per area (for checks and documentation)."""
    places = {name: [(p[0], p[1], p[2]) for p in items] for name, items in AREA_PLACES.items()}
    places["centre"] = [(p[0], p[1], p[2]) for p in CENTRE_PLACES] + [
        (h[0], h[1], h[2]) for h in HOT_SPOTS]
    return places

