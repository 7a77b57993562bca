"""Incident files of any size for the import tests and benchmarks: EST-like rows in one
municipality (points around its centre, the weekend-night pattern is not needed here), written
with numpy, as a coordinator's export would look (Swedish headers, ``;``, local times)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .choices import DEFAULT_CATEGORIES

#: Eskilstuna's town centre in SWEREF 99 TM (Järntorget).
ESKILSTUNA_CENTRE = (585_700.0, 6_582_300.0)
HEADER = "id;kategori;tid;lat;lon;adress;beskrivning"


def incident_rows(n: int, *, seed: int = 1, start: int = 0,
                  centre: tuple[float, float] = ESKILSTUNA_CENTRE, sigma: float = 1500.0,
                  prefix: str = "est-") -> np.ndarray:
    """``n`` CSV lines (without the header) as a numpy array of str."""
    from samverkan.analysis.projection import sweref99tm_to_wgs84

    rng = np.random.default_rng(seed)
    x = rng.normal(centre[0], sigma, n)
    y = rng.normal(centre[1], sigma, n)
    lat, lon = sweref99tm_to_wgs84(x, y)
    names = np.array([name for _slug, name, _colour in DEFAULT_CATEGORIES])
    category = names[rng.integers(0, len(names), n)]
    seconds = rng.integers(0, 5 * 365 * 86400, n)
    local = np.datetime64("2021-01-01T00:00") + seconds.astype("timedelta64[s]")
    when = np.char.replace(np.datetime_as_string(local, unit="m"), "T", " ")
    ids = np.char.add(prefix, np.arange(start, start + n).astype(str))
    street = np.char.add("Gatan ", (rng.integers(1, 400, n)).astype(str))
    text = np.array(["Klotter på fasaden", "Trasig belysning", "Ungdomar samlas",
                     "Nedskräpat vid återvinningen"])[rng.integers(0, 4, n)]
    parts = [ids, category, when, np.char.mod("%.6f", lat), np.char.mod("%.6f", lon), street,
             text]
    line = parts[0]
    for part in parts[1:]:
        line = np.char.add(np.char.add(line, ";"), part)
    return line


def write_incident_csv(path: Path, n: int, *, seed: int = 1, chunk: int = 200_000,
                       **kwargs) -> Path:
    """A CSV file of ``n`` incidents (UTF-8, ``;``), written in chunks (bounded memory)."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER + "\n")
        for start in range(0, n, chunk):
            rows = incident_rows(min(chunk, n - start), seed=seed + start, start=start,
                                 **kwargs)
            out.write("\n".join(rows.tolist()))
            out.write("\n")
    return path
