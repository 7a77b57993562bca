"""Bulk loading of incidents: PostgreSQL ``COPY`` (psycopg 3 ``cursor.copy``), not one INSERT
per row.

Importers call :func:`load_incidents` for large files once they have validated every row (the
import is all-or-nothing: call it inside ``transaction.atomic()``). It writes no audit entry per
row; the caller records one audit entry for the import as a whole. On databases other than
PostgreSQL (SQLite in the demo and in tests) the same call falls back to ``bulk_create`` in
batches, so code using it runs everywhere.

Columns are given as sequences (lists or numpy arrays) of equal length, keyed by model field
names; foreign keys by their attname (``category_id``) or field name with ids. Fields that are
not given get the model's default (``auto_now``/``auto_now_add`` fields get the current time);
``x``/``y`` (SWEREF 99 TM) are computed from ``lat``/``lon`` with one vectorised projection.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from django.db import connections, models, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

#: Rows per COPY batch / bulk_create batch (bounds memory for 10-million-row loads).
CHUNK = 200_000


def _column_name(model: type[models.Model], key: str) -> tuple[models.Field, str]:
    field = model._meta.get_field(key)  # a field name or a foreign key's attname
    if not field.concrete or field.many_to_many:
        raise ValueError(f"{key}: not a concrete column of {model.__name__}")
    return field, field.column


def _default(field: models.Field, now: datetime.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED:
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    raise ValueError(f"{field.name}: no value given and the field has no default")


def _to_list(values: Any) -> list[Any]:
    """A plain Python list; numpy datetime64 (UTC) become ISO strings with +00 offset, NaN
    floats become None (SQL NULL)."""
    if isinstance(values, np.ndarray):
        if np.issubdtype(values.dtype, np.datetime64):
            text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
            return [t + "+00" for t in text.tolist()]
        if np.issubdtype(values.dtype, np.floating):
            out = values.astype(object)
            out[np.isnan(values)] = None
            return out.tolist()
        return values.tolist()
    return list(values)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text_value(value: Any) -> str:
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return _NULL
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value).translate(_ESCAPES)
    return str(value)


def _text_column(values: Any) -> list[str]:
    """One column in COPY text format (escaped, NULL as \\N), vectorised for numpy arrays."""
    if isinstance(values, np.ndarray):
        if np.issubdtype(values.dtype, np.datetime64):
            text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
            return np.char.add(text, "+00").tolist()
        if np.issubdtype(values.dtype, np.floating):
            text = values.astype(str)
            text[np.isnan(values)] = _NULL
            return text.tolist()
        if np.issubdtype(values.dtype, np.bool_):
            return np.where(values, "t", "f").tolist()
        if np.issubdtype(values.dtype, np.integer):
            return values.astype(str).tolist()
        if values.dtype.kind == "U":
            return [v.translate(_ESCAPES) for v in values.tolist()]
        values = values.tolist()
    return [_text_value(v) for v in values]


def _with_projection(columns: Mapping[str, Any]) -> dict[str, Any]:
    cols = dict(columns)
    if "lat" in cols and "lon" in cols and "x" not in cols:
        from samverkan.analysis.projection import wgs84_to_sweref99tm

        lat = np.asarray(cols["lat"], dtype=np.float64)
        lon = np.asarray(cols["lon"], dtype=np.float64)
        x, y = wgs84_to_sweref99tm(lat, lon)
        cols["x"], cols["y"] = x, y  # NaN in -> NaN out -> NULL
    return cols


def copy_columns(model: type[models.Model], columns: Mapping[str, Any], *,
                 using: str = "default") -> int:
    """Insert the rows described by ``columns`` into ``model``'s table; returns the number of
    rows. PostgreSQL: ``COPY ... FROM STDIN`` in chunks of :data:`CHUNK` rows; otherwise
    ``bulk_create``. No model validation and no ``save()``: validate before."""
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError("all columns must have the same length")
    n = lengths.pop() if lengths else 0
    if n == 0:
        return 0
    now = timezone.now()
    given = {}
    for key, values in columns.items():
        field, column = _column_name(model, key)
        given[field.name] = (field, column, values)
    constant = {}
    for field in model._meta.concrete_fields:
        if field.name in given or field.primary_key:
            continue
        constant[field.name] = (field, field.column, _default(field, now))

    connection = connections[using]
    if connection.vendor == "postgresql":
        names = [c for _f, c, _v in given.values()] + [c for _f, c, _v in constant.values()]
        quote = connection.ops.quote_name
        sql = (f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in names)}) "
               "FROM STDIN")
        # Constant columns are formatted once; each chunk is formatted column by column
        # (numpy) and written as one block of COPY text, not row by row.
        constants = [_text_value(v) for _f, _c, v in constant.values()]
        tail = ("\t" + "\t".join(constants)) if constants else ""
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for start in range(0, n, CHUNK):
                stop = min(n, start + CHUNK)
                parts = [_text_column(v[start:stop]) for _f, _c, v in given.values()]
                rows = map("\t".join, zip(*parts, strict=True))
                block = "".join([row + tail + "\n" for row in rows])
                with cursor.copy(sql) as copy:
                    copy.write(block.encode())
        return n

    # Other databases: bulk_create in batches.
    attnames = [f.attname for f, _c, _v in given.values()]
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        parts = [_to_list(v[start:stop]) for _f, _c, v in given.values()]
        objs = []
        for row in zip(*parts, strict=True):
            values = {f.attname: v for f, _c, v in constant.values()}
            for name, value in zip(attnames, row, strict=True):
                if isinstance(value, str) and value.endswith("+00") and name.endswith("_at"):
                    value = datetime.datetime.fromisoformat(value[:-3]).replace(
                        tzinfo=datetime.UTC)
                values[name] = value
            objs.append(model(**values))
        model._default_manager.using(using).bulk_create(objs, batch_size=1000)
    return n


def reserve_ids(model: type[models.Model], n: int, *, using: str = "default") -> list[int]:
    """``n`` new primary keys from the table's sequence (PostgreSQL), so that rows that
    point at the new rows (e.g. :class:`IncidentArea`) can be copied in the same load.
    Other databases: ids above the current maximum (the caller holds the write lock)."""
    connection = connections[using]
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM "
                       f"{connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + n))


def load_incidents(municipality, columns: Mapping[str, Sequence | np.ndarray], *,
                   using: str = "default") -> int:
    """Bulk-load incidents of one municipality from column arrays (see the module docstring).

    Required: ``category_id``, ``occurred_at`` (aware datetimes, or numpy ``datetime64`` in
    UTC), ``source_id``; ``municipality`` may be None when a ``municipality_id`` column gives
    each row's municipality code; usually ``lat``/``lon`` (WGS 84, NaN for none) and ``precision``,
    ``source``. ``x``/``y`` are computed. Returns the number of incidents written."""
    from .models import Incident

    cols = _with_projection(columns)
    n = len(next(iter(cols.values()))) if cols else 0
    if municipality is not None:
        cols["municipality_id"] = [getattr(municipality, "pk", municipality)] * n
    elif "municipality_id" not in cols:
        raise ValueError("give the municipality, or a municipality_id column")
    for required in ("category_id", "occurred_at", "source_id"):
        if required not in cols:
            raise ValueError(f"{required} is required")
    return copy_columns(Incident, cols, using=using)


def load_incident_areas(pairs: Iterable[tuple[int, int]], *, using: str = "default") -> int:
    """Link incidents to areas: ``(incident_id, area_id)`` pairs, copied in bulk."""
    from .models import IncidentArea

    pairs = list(pairs)
    if not pairs:
        return 0
    incident_ids, area_ids = zip(*pairs, strict=True)
    return copy_columns(IncidentArea, {"incident_id": incident_ids, "area_id": area_ids},
                        using=using)
