"""Synthetic incidents for the benchmarks: a city (Eskilstuna) and the whole country.

Everything is vectorised with numpy and generated in chunks (bounded memory for 10 million).
Each chunk is a dict of columns for :func:`samverkan.situation.bulk.load_incidents`.

* Places -- city: the clustered points of ``bench_hotspots.synthetic_incidents`` (five
  centres in Eskilstuna plus a uniform background in a 32 x 32 km box); country: every
  municipality gets incidents in proportion to its population, around a pseudo-random centre
  (seeded by the municipality code) inside Sweden's SWEREF 99 TM extent, normal with
  sigma 2 km. The country positions are not real places: they only give the database and the
  grid realistic sizes. 3 % of the incidents have only an area centre (like the Police events).
* Times -- five years (2021-2025), uniform over the weeks, weekday and hour from a
  time-of-week profile with the weekend-night peak the seeds describe (Friday and Saturday
  23-04), converted from Swedish local time (with summer time) to UTC.
* Categories -- the twelve default EST categories with fixed shares.
"""
from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_hotspots import synthetic_incidents  # noqa: E402

from samverkan.analysis.projection import sweref99tm_to_wgs84  # noqa: E402

FIRST_MONDAY = np.datetime64("2021-01-04")
WEEKS = 260
YEARS = range(2021, 2026)
CATEGORY_SLUGS = ("klotter", "skadegorelse", "nedskrapning", "anlagd_brand", "ungdomar_stor",
                  "narkotika", "hot_vald", "stold_inbrott", "otrygg_trafik", "mork_plats",
                  "ordningsstorning", "ovrigt")
CATEGORY_SHARES = np.array([18, 16, 8, 3, 10, 6, 9, 12, 6, 3, 6, 3], dtype=np.float64)
AREA_CENTRE_SHARE = 0.03
# Sweden's populated extent in SWEREF 99 TM (metres).
SWEDEN_X = (330_000.0, 880_000.0)
SWEDEN_Y = (6_150_000.0, 7_400_000.0)


def time_of_week_profile() -> np.ndarray:
    """168 probabilities (Monday 00:00 first): a day profile, busier evenings, and the
    weekend-night peak (Friday and Saturday 23:00 to Saturday and Sunday 04:00)."""
    hours = np.array([3, 2, 2, 1, 1, 1, 1, 2, 3, 4, 4, 5, 5, 5, 6, 7, 8, 8, 8, 8, 7, 6, 5, 4],
                     dtype=np.float64)
    p = np.tile(hours, (7, 1))
    for night in (4, 5):  # Friday, Saturday evening 23
        p[night, 23] *= 4
        p[night + 1, 0:5] *= 5
    p = p.ravel()
    return p / p.sum()


def _dst_bounds(years) -> dict[int, tuple[np.datetime64, np.datetime64]]:
    """Local wall-clock start and end of summer time: last Sunday of March 02:00, last Sunday
    of October 03:00."""
    out = {}
    for y in years:
        def last_sunday(month, year=y):
            d = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
            return d - datetime.timedelta(days=(d.weekday() + 1) % 7)
        out[y] = (np.datetime64(f"{last_sunday(3)}T02:00"),
                  np.datetime64(f"{last_sunday(10)}T03:00"))
    return out


_DST = _dst_bounds(range(2015, 2028))


def local_times(n: int, rng: np.random.Generator, *, first_monday=FIRST_MONDAY,
                weeks: int = WEEKS) -> np.ndarray:
    """``n`` UTC datetime64[s] with the local time-of-week profile, in ``weeks`` weeks from
    ``first_monday``."""
    cell = rng.choice(168, size=n, p=time_of_week_profile())
    week = rng.integers(0, weeks, size=n)
    seconds = (week * 7 * 86400 + (cell // 24) * 86400 + (cell % 24) * 3600
               + rng.integers(0, 3600, size=n))
    local = first_monday.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    years = local.astype("datetime64[Y]").astype(int) + 1970
    start = np.array([_DST[y][0] for y in range(2015, 2028)], dtype="datetime64[s]")
    end = np.array([_DST[y][1] for y in range(2015, 2028)], dtype="datetime64[s]")
    summer = (local >= start[years - 2015]) & (local < end[years - 2015])
    return local - np.where(summer, 7200, 3600).astype("timedelta64[s]")


def _categories(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.choice(len(CATEGORY_SLUGS), size=n, p=CATEGORY_SHARES / CATEGORY_SHARES.sum())


def _columns(x, y, times, cat_ids, municipality_ids, centre_x, centre_y, start, rng):
    n = x.size
    centre = rng.random(n) < AREA_CENTRE_SHARE
    x = np.where(centre, centre_x, x)
    y = np.where(centre, centre_y, y)
    lat, lon = sweref99tm_to_wgs84(x, y)
    return {
        "municipality_id": municipality_ids,
        "category_id": cat_ids,
        "occurred_at": times,
        "reported_at": times,
        "lat": np.round(lat, 6),
        "lon": np.round(lon, 6),
        "precision": np.where(centre, "area_centre", "exact"),
        "source": np.full(n, "import"),
        "source_id": np.char.add("bench-", np.arange(start, start + n).astype(str)),
    }


def city_chunks(n: int, categories: dict[str, int], *, municipality: str = "0484",
                seed: int = 1, chunk: int = 1_000_000, start: int = 0) -> Iterator[dict]:
    """Incidents in Eskilstuna; ``categories`` maps slug -> category id. ``start`` offsets
    the source ids (to add more incidents to a loaded set)."""
    rng = np.random.default_rng(seed)
    ids = np.array([categories[s] for s in CATEGORY_SLUGS], dtype=np.int64)
    done = 0
    while done < n:
        k = min(chunk, n - done)
        x, y = synthetic_incidents(int(k * 1.05) + 100, rng)  # some fall outside the box
        x, y = x[:k], y[:k]
        k = x.size
        yield _columns(x, y, local_times(k, rng), ids[_categories(k, rng)],
                       np.full(k, municipality), 585_700.0, 6_582_300.0, start + done, rng)
        done += k


def municipality_centres(codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for code in codes:
        r = np.random.default_rng(int(code))
        xs.append(r.uniform(*SWEDEN_X))
        ys.append(r.uniform(*SWEDEN_Y))
    return np.array(xs), np.array(ys)


def country_chunks(n: int, municipalities: list[tuple[str, int]],
                   categories: dict[tuple[str, str], int], *, seed: int = 2,
                   chunk: int = 1_000_000, start: int = 0, first_monday=FIRST_MONDAY,
                   weeks: int = WEEKS) -> Iterator[dict]:
    """Incidents in every municipality in proportion to its population; ``categories`` maps
    (municipality code, slug) -> category id. ``start`` offsets the source ids; ``weeks``
    from ``first_monday`` is the time span (five years by default)."""
    rng = np.random.default_rng(seed)
    codes = [c for c, _p in municipalities]
    weights = np.array([max(p or 1, 1) for _c, p in municipalities], dtype=np.float64)
    cx, cy = municipality_centres(codes)
    table = np.array([[categories[(c, s)] for s in CATEGORY_SLUGS] for c in codes],
                     dtype=np.int64)
    code_arr = np.array(codes)
    done = 0
    while done < n:
        k = min(chunk, n - done)
        m = rng.choice(len(codes), size=k, p=weights / weights.sum())
        x = rng.normal(cx[m], 2000.0)
        y = rng.normal(cy[m], 2000.0)
        yield _columns(x, y, local_times(k, rng, first_monday=first_monday, weeks=weeks),
                       table[m, _categories(k, rng)], code_arr[m], cx[m], cy[m], start + done,
                       rng)
        done += k
