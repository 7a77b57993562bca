"""Compare areas (districts, neighbourhoods) with the municipality as a whole.

For each area: the count, the rate per 1,000 inhabitants (when populations are
given) and per km² (when areas are given), the municipality-wide rates, the
count the area would have at the municipality's rate (``expected``), and the
Poisson variance-stabilising score ``z = 2 * (sqrt(count) - sqrt(expected))``
(see :mod:`samverkan.analysis.change`, including its zero-expected rule);
``significant`` when ``|z| >= 2``.

``expected`` is based on population when populations are given, otherwise on
land area, otherwise it (and z) is ``None``. Totals default to the sums over the
listed areas; pass the municipality's totals when the areas do not cover it.
Show z / significance, not bare percentages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .change import SIGNIFICANCE_Z, poisson_z

__all__ = ["AreaComparison", "compare_areas"]

Basis = Literal["population", "area"]


@dataclass(frozen=True)
class AreaComparison:
    name: str
    count: float
    population: float | None
    area_km2: float | None
    rate_per_1000: float | None
    rate_per_km2: float | None
    municipal_rate_per_1000: float | None
    municipal_rate_per_km2: float | None
    expected: float | None
    z: float | None
    significant: bool
    direction: Literal["higher", "lower"] | None
    basis: Basis | None


def _opt_list(values: Sequence[float] | None, n: int, what: str) -> list[float] | None:
    if values is None:
        return None
    out = [float(v) for v in values]
    if len(out) != n:
        raise ValueError(f"{what} must have one value per area")
    if any(not np.isfinite(v) or v < 0 for v in out):
        raise ValueError(f"{what} must be finite and non-negative")
    return out


def compare_areas(
    names: Sequence[str],
    counts: Sequence[float],
    populations: Sequence[float] | None = None,
    areas_km2: Sequence[float] | None = None,
    *,
    total_count: float,
    total_population: float | None = None,
    total_area_km2: float | None = None,
) -> list[AreaComparison]:
    """One :class:`AreaComparison` per area, in input order."""
    n = len(names)
    cnt = _opt_list(counts, n, "counts")
    assert cnt is not None
    pops = _opt_list(populations, n, "populations")
    areas = _opt_list(areas_km2, n, "areas_km2")
    total_c = float(total_count)
    if total_c < 0:
        raise ValueError("total_count must be non-negative")
    total_p = (
        float(total_population)
        if total_population is not None
        else (sum(pops) if pops is not None else None)
    )
    total_a = (
        float(total_area_km2)
        if total_area_km2 is not None
        else (sum(areas) if areas is not None else None)
    )
    muni_1000 = total_c / total_p * 1000.0 if total_p else None
    muni_km2 = total_c / total_a if total_a else None

    basis: Basis | None = None
    expected: list[float] | None = None
    if pops is not None and total_p:
        basis = "population"
        expected = [p * total_c / total_p for p in pops]
    elif areas is not None and total_a:
        basis = "area"
        expected = [a * total_c / total_a for a in areas]
    z_all = poisson_z(cnt, expected) if expected is not None else None

    out: list[AreaComparison] = []
    for i, name in enumerate(names):
        pop = pops[i] if pops is not None else None
        area = areas[i] if areas is not None else None
        z = float(z_all[i]) if z_all is not None else None
        significant = z is not None and abs(z) >= SIGNIFICANCE_Z
        direction: Literal["higher", "lower"] | None = None
        if significant and z is not None:
            direction = "higher" if z > 0 else "lower"
        out.append(
            AreaComparison(
                name=str(name),
                count=cnt[i],
                population=pop,
                area_km2=area,
                rate_per_1000=cnt[i] / pop * 1000.0 if pop else None,
                rate_per_km2=cnt[i] / area if area else None,
                municipal_rate_per_1000=muni_1000,
                municipal_rate_per_km2=muni_km2,
                expected=expected[i] if expected is not None else None,
                z=z,
                significant=significant,
                direction=direction,
                basis=basis,
            )
        )
    return out
