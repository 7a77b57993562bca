"""``manage.py hotspots --input FILE --cell-size METRES [--json]``
``manage.py hotspots --municipality CODE [CODE ...] | --country [--from DATE] [--to DATE]
--cell-size METRES [--json] [--user NAME]``

Getis-Ord Gi* hot spots for incident points in a CSV file (``--input``: reads only the file
and calls :mod:`samverkan.analysis`), or for the incidents in the database: of one or more
municipalities, or of every municipality (``--country``), optionally between two dates. From
the database the cells are counted with one SQL ``GROUP BY`` (``picture.cell_counts``) over
the hot-spot incidents (counted, with a real point) that the server operator -- or, with
``--user``, that user -- may see.

The CSV (UTF-8, with or without BOM; ``,`` or ``;`` separated, detected from the
header line) has columns ``lat`` and ``lon`` (WGS 84 degrees) and an optional
``weight`` (non-negative number). With ``;`` as separator a decimal comma is
accepted (``59,3706``). Column names are case-insensitive. Completely empty
lines are skipped; any other bad row stops the command with an error naming the
line number and column.

``--json`` prints one JSON object, the :meth:`HotspotResult.to_dict` contract
(cells in SWEREF 99 TM, EPSG:3006, south-west corners). Without it a short
table of the significant cells is printed.

Reading is columnar: pyarrow's CSV reader parses the three columns straight into float
arrays (multi-threaded, no Python object per row), the points are projected in one
vectorised call, and the analysis modules are imported only when the command runs. A file
that the fast reader refuses (a bad or missing value) is read again row by row, only to
name the first bad line and column exactly as before.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

CONFIDENCE = {3: "99 %", 2: "95 %", 1: "90 %"}


def _positive_float(value: str) -> float:
    import argparse

    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of metres: {value!r}")
    return number


def read_points(path: Path):
    """``lat``, ``lon`` [, ``weight``] as float arrays, read by columns (pyarrow); any value
    the fast path cannot accept sends the file to :func:`read_points_csv` for the exact
    error."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from samverkan.core.importing import first_line

    try:
        line = first_line(path, "utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: file not found") from None
    except OSError as exc:
        raise CommandError(f"{path}: {exc}") from None
    if not line.strip():
        return read_points_csv(path)
    delimiter = ";" if line.count(";") > line.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([line], delimiter=delimiter))]
    if len(set(header)) != len(header) or not {"lat", "lon"} <= set(header):
        return read_points_csv(path)  # names the problem with the header
    wanted = ["lat", "lon"] + (["weight"] if "weight" in header else [])
    names = [f"c{i}" for i in range(len(header))]
    chosen = {name: names[header.index(name)] for name in wanted}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1,
                                           block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(chosen.values()),
                column_types={c: pa.float64() for c in chosen.values()},
                decimal_point="," if delimiter == ";" else "."))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return read_points_csv(path)
    arrays = {}
    for name, column in chosen.items():
        values = table.column(column)
        if values.null_count:
            return read_points_csv(path)  # a missing value: say which line
        arrays[name] = np.concatenate([np.asarray(c) for c in values.chunks]) \
            if values.num_chunks else np.zeros(0)
    lat, lon = arrays["lat"], arrays["lon"]
    weight = arrays.get("weight")
    bad = ~np.isfinite(lat) | (lat < -90) | (lat > 90) | ~np.isfinite(lon) | (lon < -180) \
        | (lon > 180)
    if weight is not None:
        bad |= ~np.isfinite(weight) | (weight < 0)
    if bad.any():
        return read_points_csv(path)
    return lat, lon, weight


def read_points_csv(path: Path):
    """Read ``lat``, ``lon`` [, ``weight``] from a CSV file row by row; raise CommandError on
    bad input (naming the line and column)."""
    import numpy as np

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path}: not UTF-8 text ({exc})") from None
    except OSError as exc:
        raise CommandError(f"{path}: {exc}") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CommandError(f"{path}: empty file (expected a header line with lat,lon)")
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    columns: dict[str, int] = {}
    for idx, name in enumerate(header):
        if name in columns:
            raise CommandError(f"{path}: column {name!r} appears twice in the header")
        columns[name] = idx
    missing = [c for c in ("lat", "lon") if c not in columns]
    if missing:
        raise CommandError(
            f"{path}: missing column(s) {', '.join(missing)} in the header "
            f"(found: {', '.join(header) or 'nothing'}; separator {delimiter!r})"
        )
    wanted = ["lat", "lon"] + (["weight"] if "weight" in columns else [])
    limits = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0), "weight": (0.0, math.inf)}
    data: dict[str, list[float]] = {c: [] for c in wanted}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        for col in wanted:
            idx = columns[col]
            raw = row[idx].strip() if idx < len(row) else ""
            if not raw:
                raise CommandError(f"{path}: line {line}, column {col!r}: value is missing")
            value_text = raw.replace(",", ".") if delimiter == ";" else raw
            try:
                value = float(value_text)
            except ValueError:
                raise CommandError(
                    f"{path}: line {line}, column {col!r}: {raw!r} is not a number"
                ) from None
            low, high = limits[col]
            if not (math.isfinite(value) and low <= value <= high):
                raise CommandError(
                    f"{path}: line {line}, column {col!r}: {raw!r} is out of range "
                    f"({low:g} .. {high:g})"
                )
            data[col].append(value)
    lat = np.asarray(data["lat"], dtype=np.float64)
    lon = np.asarray(data["lon"], dtype=np.float64)
    weight = np.asarray(data["weight"], dtype=np.float64) if "weight" in data else None
    return lat, lon, weight


class Command(BaseCommand):
    help = (
        "Getis-Ord Gi* hot spots (FDR-corrected, ArcGIS-style confidence bins) for "
        "incident points in a CSV file with columns lat, lon and optional weight."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--input", metavar="FILE", help="CSV with lat, lon[, weight]")
        source.add_argument("--municipality", nargs="+", metavar="CODE",
                            help="incidents of these municipalities from the database")
        source.add_argument("--country", action="store_true",
                            help="incidents of every municipality from the database")
        parser.add_argument("--from", dest="date_from", metavar="DATE",
                            help="database: incidents from this date (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", metavar="DATE",
                            help="database: incidents up to and including this date")
        parser.add_argument("--user", help="database: only what this user may see")
        parser.add_argument(
            "--cell-size",
            required=True,
            type=_positive_float,
            metavar="METRES",
            dest="cell_size",
            help="grid cell size in metres (SWEREF 99 TM)",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the result as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cell_size = options["cell_size"]
        if isinstance(cell_size, str):  # call_command may bypass the type converter
            cell_size = _positive_float(cell_size)
        if float(cell_size).is_integer():
            cell_size = int(cell_size)
        if not options.get("input"):
            try:
                result = self._from_database(cell_size, options)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self._write(result, options)
            return
        from samverkan.core.progress import terminal_progress

        path = Path(options["input"])
        with terminal_progress(enabled=not options["json"], label=path.name) as progress:
            progress(0.0, "läser punkterna")
            lat, lon, weight = read_points(path)
            from samverkan.analysis.hotspots import gi_star_from_points
            from samverkan.analysis.projection import wgs84_to_sweref99tm

            progress(0.5, f"{lat.size} punkter, projicerar")
            x, y = wgs84_to_sweref99tm(lat, lon)
            progress(0.7, "Gi*")
            try:
                result = gi_star_from_points(x, y, cell_size, weights=weight)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        self._write(result, options)

    def _write(self, result, options) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, allow_nan=False))
        else:
            self._write_table(result)

    def _from_database(self, cell_size, options):
        import datetime

        from django.contrib.auth import get_user_model

        from samverkan.analysis import gi_star_from_cell_counts
        from samverkan.situation import picture
        from samverkan.situation.models import Incident

        from .emerging_hotspots import _Operator

        user = _Operator()
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        qs = Incident.objects.visible_to(user).counted()
        if options.get("municipality"):
            qs = qs.filter(municipality_id__in=options["municipality"])
        for name, op in (("date_from", "gte"), ("date_to", "lt")):
            if options.get(name):
                try:
                    day = datetime.date.fromisoformat(options[name])
                except ValueError:
                    raise CommandError(f"not a date (YYYY-MM-DD): {options[name]!r}") from None
                if op == "lt":
                    day += datetime.timedelta(days=1)
                start = datetime.datetime.combine(day, datetime.time(), tzinfo=picture.LOCAL_TZ)
                qs = qs.filter(**{f"occurred_at__{op}": start})
        ix, iy, n = picture.cell_counts(qs, cell_size)
        return gi_star_from_cell_counts(ix, iy, n, cell_size)

    def _write_table(self, result) -> None:
        import numpy as np

        from samverkan.analysis.projection import sweref99tm_to_wgs84

        ny, nx = result.shape
        size = result.cell_size
        self.stdout.write(
            f"{result.n_incidents} incidents, cell size {size} m, "
            f"study area {nx} x {ny} cells ({result.crs})"
        )
        self.stdout.write(
            f"meaningful: {'yes' if result.meaningful else 'no'}"
            + (f" - {result.message}" if result.message else "")
        )
        cells = result.significant_cells()
        if not result.meaningful:
            return
        if not cells:
            self.stdout.write("No significant hot or cold spots (FDR-corrected).")
            return
        self.stdout.write(
            f"{'type':<5} {'conf.':>5} {'x (SW)':>9} {'y (SW)':>9} {'count':>7} "
            f"{'z':>7} {'p':>9}  centre lat, lon"
        )
        xs = np.array([c.x for c in cells], dtype=np.float64) + size / 2
        ys = np.array([c.y for c in cells], dtype=np.float64) + size / 2
        lats, lons = sweref99tm_to_wgs84(xs, ys)
        for cell, clat, clon in zip(cells, lats.tolist(), lons.tolist(), strict=True):
            kind = "hot" if cell.bin > 0 else "cold"
            count = f"{cell.count:g}" if isinstance(cell.count, float) else str(cell.count)
            self.stdout.write(
                f"{kind:<5} {CONFIDENCE[abs(cell.bin)]:>5} {cell.x:>9} {cell.y:>9} "
                f"{count:>7} {cell.z:>7.2f} {cell.p:>9.2g}  {clat:.5f}, {clon:.5f}"
            )
