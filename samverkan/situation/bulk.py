"""Bulk loading of incidents: PostgreSQL ``COPY`` in binary format, not one INSERT per row.

:func:`load_incidents` is for large loads (a national migration, a year of an EST system, the
benchmarks): millions of rows that the caller has validated. It is idempotent: a row whose
``(municipality, source, source_id)`` is already stored is skipped, so a load that was cut
short can be run again. Each call is one transaction (all-or-nothing) and writes **one audit
entry per municipality** for the whole load (what was loaded, by whom, how many rows, the range
of source ids), not one per row; small and interactive writes keep the per-row audit of
``services.bulk_create_incidents`` (the file importers use that). On databases other than
PostgreSQL (SQLite in the demo and in tests) the same call falls back to ``bulk_create`` in
batches, so code using it runs everywhere.

How a PostgreSQL load works (docs/performance.md has the measurements):

1. the columns are encoded with numpy into PostgreSQL's binary COPY format, one chunk of
   :data:`CHUNK` rows at a time, in a second thread, so that encoding the next chunk overlaps
   the database's work on this one (the database runs on the other core);
2. each chunk is copied into a temporary staging table (no indexes, no WAL) and moved into the
   incident table with ``INSERT ... SELECT ... ORDER BY municipality, occurred_at ON CONFLICT
   DO NOTHING`` -- sorted, so that the rows land next to each other in the table and in the
   time index (fewer pages touched, and the pages of a week are together for the weekly
   page's queries);
3. the foreign keys are checked after each chunk (``SET CONSTRAINTS ALL IMMEDIATE``), which
   bounds the memory of PostgreSQL's pending-trigger queue;
4. after a large load outside an enclosing transaction, ``VACUUM (ANALYZE)`` sets the
   visibility map (so the covering index gives index-only scans) and refreshes the planner's
   statistics; inside a transaction only ``ANALYZE`` runs and autovacuum follows.

Columns are given as sequences (lists or numpy arrays) of equal length, keyed by model field
names; foreign keys by their attname (``category_id``) or field name with ids. Fields that are
not given get the model's default (``auto_now``/``auto_now_add`` fields get the current time);
``x``/``y`` (SWEREF 99 TM) are computed from ``lat``/``lon`` with one vectorised projection.
"""
from __future__ import annotations

import datetime
import queue
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections, models, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

#: Rows per COPY batch / bulk_create batch (bounds memory for 10-million-row loads).
CHUNK = 100_000
#: A load of at least this many rows is followed by VACUUM (ANALYZE) (PostgreSQL).
VACUUM_AFTER = 50_000


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
    """A plain Python list; numpy datetime64 (UTC) become aware datetimes, NaN floats become
    None (SQL NULL)."""
    if _is_arrow(values):
        return values.to_pylist()
    if isinstance(values, np.ndarray):
        if np.issubdtype(values.dtype, np.datetime64):
            out = values.astype("datetime64[us]").astype(object).tolist()
            return [None if v is None else v.replace(tzinfo=datetime.UTC) for v in out]
        if np.issubdtype(values.dtype, np.floating):
            out = values.astype(object)
            out[np.isnan(values)] = None
            return out.tolist()
        return values.tolist()
    return list(values)


# -- PostgreSQL binary COPY, encoded with numpy ----------------------------------------------

#: Binary COPY kinds by the start of the column's database type.
_KINDS = (("bigint", "int8"), ("integer", "int4"), ("smallint", "int2"),
          ("double precision", "float8"), ("timestamp with time zone", "timestamptz"),
          ("boolean", "bool"), ("varchar", "text"), ("text", "text"), ("char", "text"))
_PG_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")
_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
_TRAILER = b"\xff\xff"


def _kind(field: models.Field, connection) -> str:
    db_type = field.db_type(connection) or ""
    for prefix, kind in _KINDS:
        if db_type.startswith(prefix):
            return kind
    raise ValueError(f"{field.name}: no binary COPY encoding for {db_type}")


def _null_mask(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "M":
        return np.isnat(values)
    if values.dtype.kind == "O":
        return np.fromiter((v is None for v in values), dtype=bool, count=values.size)
    return np.zeros(values.size, dtype=bool)


def _as_array(kind: str, values: Any) -> np.ndarray:
    """The column as a numpy array of its kind (datetimes as datetime64[us] UTC, NULL as NaN,
    NaT or None)."""
    if kind == "timestamptz" and not (isinstance(values, np.ndarray)
                                      and values.dtype.kind == "M"):
        values = np.array([None if v is None else v.astimezone(datetime.UTC).replace(
            tzinfo=None) for v in values], dtype="datetime64[us]")
    arr = np.asarray(values)
    if kind == "text" and arr.dtype.kind not in "UO":
        arr = arr.astype(str)
    return arr


def _encode_field(kind: str, arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(lengths, payload)``: the field length of each row (-1 for NULL) and an ``(n, width)``
    byte matrix whose first ``length`` bytes of each row are the value."""
    n = arr.size
    null = _null_mask(arr)
    if kind == "text":
        if arr.dtype.kind == "O":
            arr = np.array(["" if v is None else str(v) for v in arr], dtype=str)
        encoded = np.char.encode(arr, "utf-8") if arr.size else arr.astype("S1")
        width = max(encoded.dtype.itemsize, 1)
        payload = encoded.astype(f"S{width}").view(np.uint8).reshape(n, width)
        lengths = np.char.str_len(encoded).astype(np.int32) if n else np.zeros(0, np.int32)
    elif kind == "timestamptz":
        micro = (arr.astype("datetime64[us]") - _PG_EPOCH).astype(np.int64)
        micro[null] = 0
        payload = micro.astype(">i8").view(np.uint8).reshape(n, 8)
        lengths = np.full(n, 8, dtype=np.int32)
    elif kind == "float8":
        payload = np.nan_to_num(arr.astype(np.float64)).astype(">f8").view(
            np.uint8).reshape(n, 8)
        lengths = np.full(n, 8, dtype=np.int32)
    elif kind == "bool":
        payload = np.where(null, False, arr).astype(np.uint8).reshape(n, 1)
        lengths = np.full(n, 1, dtype=np.int32)
    else:  # int8, int4, int2
        size = {"int8": 8, "int4": 4, "int2": 2}[kind]
        ints = np.where(null, 0, arr).astype(np.int64)
        payload = ints.astype(f">i{size}").view(np.uint8).reshape(n, size)
        lengths = np.full(n, size, dtype=np.int32)
    lengths[null] = -1
    return lengths, payload


def _encode_arrow_text(array) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """A pyarrow string array as ``(lengths, ("flat", bytes))``: its UTF-8 bytes are already
    contiguous in row order (the data buffer between the first and last offset), so nothing
    is converted to Python strings."""
    import pyarrow as pa

    if array.type != pa.string():
        array = array.cast(pa.string())
    if array.null_count:
        import pyarrow.compute as pc

        nulls = array.is_null().to_numpy(zero_copy_only=False)
        array = pc.fill_null(array, "")
    else:
        nulls = None
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32,
                            count=len(array) + 1 + array.offset)[array.offset:]
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8) if array.buffers()[2] \
        else np.zeros(0, np.uint8)
    lengths = np.diff(offsets).astype(np.int32)
    if nulls is not None:
        lengths[nulls] = -1
    return lengths, ("flat", data[offsets[0]:offsets[-1]])


def _is_arrow(values: Any) -> bool:
    return type(values).__module__.startswith("pyarrow")


def encode_binary_copy(columns: Sequence[tuple[str, Any]]) -> bytes:
    """Rows in PostgreSQL's binary COPY format from ``[(kind, values), ...]`` columns, with
    numpy (no loop over rows in Python): each field is its 4-byte length and its bytes,
    scattered into one buffer at offsets computed from the lengths. Text columns may be
    pyarrow string arrays (their bytes are copied as they are)."""
    fields = [_encode_arrow_text(values) if kind == "text" and _is_arrow(values)
              else _encode_field(kind, _as_array(kind, values)) for kind, values in columns]
    n = fields[0][0].size if fields else 0
    if n == 0:
        return _HEADER + _TRAILER
    ncol = len(fields)
    lengths = np.stack([f[0] for f in fields], axis=1)
    sizes = np.maximum(lengths, 0).astype(np.int64)
    row_len = 2 + 4 * ncol + sizes.sum(axis=1)
    row_start = np.zeros(n, dtype=np.int64)
    np.cumsum(row_len[:-1], out=row_start[1:])
    buf = np.empty(int(row_len.sum()), dtype=np.uint8)
    count = np.array([ncol], dtype=">i2").view(np.uint8)
    buf[row_start] = count[0]
    buf[row_start + 1] = count[1]
    offset = row_start + 2
    four = np.arange(4)
    for j, (lens, payload) in enumerate(fields):
        buf[offset[:, None] + four] = lens.astype(">i4").view(np.uint8).reshape(n, 4)
        if isinstance(payload, tuple):  # ("flat", the rows' bytes one after the other)
            flat = payload[1]
            if flat.size:
                row_sizes = sizes[:, j]
                first = np.zeros(n, dtype=np.int64)
                np.cumsum(row_sizes[:-1], out=first[1:])
                positions = np.repeat(offset + 4 - first, row_sizes) + np.arange(flat.size)
                buf[positions] = flat
        else:
            width = payload.shape[1]
            positions = offset[:, None] + 4 + np.arange(width)
            mask = np.arange(width) < sizes[:, j][:, None]
            buf[positions[mask]] = payload[mask]
        offset = offset + 4 + sizes[:, j]
    return _HEADER + buf.tobytes() + _TRAILER


def _constant(values: Any) -> tuple[bool, Any]:
    """``(True, value)`` when a numpy column holds one value in every row (sent once as a
    literal, not in every row)."""
    if not isinstance(values, np.ndarray) or values.size == 0 or values.dtype.kind in "fMO":
        return False, None
    first = values[0]
    if bool((values == first).all()):
        return True, first.item()
    return False, None


# -- loading ---------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What goes into the table: columns sent per row (``sent``: (field, column, kind,
    values)) and columns with one value for every row (``constant``: (column, value))."""

    sent: list[tuple[models.Field, str, str, Any]]
    constant: list[tuple[str, Any]]
    n: int


def _plan(model, columns: Mapping[str, Any], connection, *, fold_constants: bool) -> _Plan:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError("all columns must have the same length")
    n = lengths.pop() if lengths else 0
    now = timezone.now()
    sent, constant, given = [], [], set()
    for key, values in columns.items():
        field, column = _column_name(model, key)
        given.add(field.name)
        is_constant, value = _constant(values) if fold_constants else (False, None)
        if is_constant:
            constant.append((column, value))
        else:
            sent.append((field, column, _kind(field, connection), values))
    for field in model._meta.concrete_fields:
        if field.name in given or field.primary_key:
            continue
        constant.append((field.column, _default(field, now)))
    return _Plan(sent=sent, constant=constant, n=n)


def _chunks(plan: _Plan) -> Iterable[bytes]:
    for start in range(0, plan.n, CHUNK):
        stop = min(plan.n, start + CHUNK)
        yield encode_binary_copy([(kind, values[start:stop])
                                  for _f, _c, kind, values in plan.sent])


def _encoded_ahead(plan: _Plan) -> Iterable[bytes]:
    """The encoded chunks, produced by a second thread one chunk ahead of the consumer (numpy
    and the socket release the GIL, so encoding overlaps the database's work)."""
    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce():
        try:
            for block in _chunks(plan):
                while not stop.is_set():
                    try:
                        q.put(("data", block), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("end", None))
        except BaseException as error:  # handed to the consumer
            q.put(("error", error))

    worker = threading.Thread(target=produce, name="samverkan-copy-encoder", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def copy_columns(model: type[models.Model], columns: Mapping[str, Any], *,
                 using: str = "default") -> int:
    """Insert the rows described by ``columns`` into ``model``'s table; returns the number of
    rows. PostgreSQL: binary ``COPY`` through the staging table in chunks of :data:`CHUNK`
    rows; otherwise ``bulk_create``. No model validation, no conflict handling and no
    ``save()``: validate before."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return _bulk_create(model, columns, using=using, ignore_conflicts=False)
    plan = _plan(model, columns, connection, fold_constants=False)
    if plan.n == 0:
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _staged_insert(cursor, connection, model, plan)
    return plan.n


_STAGING = "pg_temp.samverkan_load"
_KEYS = "pg_temp.samverkan_keys"


def _staged_insert(cursor, connection, model, plan: _Plan, *, order_by: Sequence[str] = (),
                   conflict: str = "", summary: str = "") -> list[tuple]:
    """COPY each chunk (binary) into a temporary staging table (no indexes, no WAL) and move
    it into the table with one ``INSERT ... SELECT`` (constant columns as parameters, rows in
    ``order_by`` order, then ``conflict``). With ``summary`` (a query over the CTE ``moved`` of
    the inserted rows; ``conflict`` must end in a RETURNING clause) the summary rows of every
    chunk are returned."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sent = [quote(c) for _f, c, _k, _v in plan.sent]
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGING}")
    cursor.execute(f"CREATE TEMPORARY TABLE samverkan_load ON COMMIT DROP AS "
                   f"SELECT {', '.join(sent)} FROM {table} WITH NO DATA")
    target = ", ".join(sent + [quote(c) for c, _v in plan.constant])
    select = ", ".join(sent + ["%s"] * len(plan.constant))
    # Columns with one value for the whole load are not in the staging table (nor needed to
    # sort).
    order_by = [c for c in order_by if quote(c) in sent]
    order = (" ORDER BY " + ", ".join(quote(c) for c in order_by)) if order_by else ""
    insert = f"INSERT INTO {table} ({target}) SELECT {select} FROM {_STAGING}{order} {conflict}"
    if summary:
        insert = f"WITH moved AS ({insert}) {summary}"
    params = [v for _c, v in plan.constant]
    copy_sql = f"COPY {_STAGING} ({', '.join(sent)}) FROM STDIN (FORMAT binary)"
    out: list[tuple] = []
    for block in _encoded_ahead(plan):
        with cursor.copy(copy_sql) as copy:
            copy.write(block)
        cursor.execute(insert, params)
        if summary:
            out.extend(cursor.fetchall())
        # This chunk's foreign keys are checked now, which bounds the memory of PostgreSQL's
        # queue of deferred checks; Django's constraints are deferred again afterwards.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"TRUNCATE {_STAGING}")
    cursor.execute(f"DROP TABLE {_STAGING}")
    return out


def _bulk_create(model, columns: Mapping[str, Any], *, using: str, ignore_conflicts: bool
                 ) -> int:
    """Other databases: bulk_create in batches. Returns the number of rows given."""
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError("all columns must have the same length")
    n = lengths.pop() if lengths else 0
    now = timezone.now()
    given = [(_column_name(model, key)[0], values) for key, values in columns.items()]
    names = {f.name for f, _v in given}
    constant = {f.attname: _default(f, now) for f in model._meta.concrete_fields
                if f.name not in names and not f.primary_key}
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        parts = [_to_list(v[start:stop]) for _f, v in given]
        objs = []
        for row in zip(*parts, strict=True):
            values = dict(constant)
            values.update({f.attname: v for (f, _v), v in zip(given, row, strict=True)})
            objs.append(model(**values))
        model._default_manager.using(using).bulk_create(objs, batch_size=1000,
                                                        ignore_conflicts=ignore_conflicts)
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


@dataclass
class _Loaded:
    municipality_id: str
    count: int
    first_id: int
    last_id: int
    first_source_id: str
    last_source_id: str
    sources: set[str]


def load_incidents(municipality, columns: Mapping[str, Sequence | np.ndarray], *,
                   actor=None, label: str = "", jobs: int = 1, using: str = "default") -> int:
    """Bulk-load incidents from column arrays (see the module docstring); returns the number of
    incidents written (rows already stored, by ``(municipality, source, source_id)``, are
    skipped).

    Required: ``category_id``, ``occurred_at`` (aware datetimes, or numpy ``datetime64`` in
    UTC), ``source_id``; ``municipality`` may be None when a ``municipality_id`` column gives
    each row's municipality code; usually ``lat``/``lon`` (WGS 84, NaN for none) and ``precision``,
    ``source``. ``x``/``y`` are computed. ``actor`` and ``label`` (e.g. the file name) go into
    the audit entry written for each municipality of the load, in the load's transaction.

    ``jobs`` > 1 (PostgreSQL, outside a transaction, at least two chunks): the rows are sorted
    by municipality and time and split into ``jobs`` contiguous parts loaded at the same time
    over separate connections, one transaction (with its own audit entries) per part. That
    uses more than one core of the database server, but the load is no longer all-or-nothing:
    if a part fails, the others may have been committed -- run the same load again to complete
    it (stored rows are skipped)."""
    from .models import Incident

    cols = _with_projection(columns)
    n = len(next(iter(cols.values()))) if cols else 0
    if municipality is not None:
        code = getattr(municipality, "pk", municipality)
        cols["municipality_id"] = np.full(n, code) if n else []
    elif "municipality_id" not in cols:
        raise ValueError("give the municipality, or a municipality_id column")
    for required in ("category_id", "occurred_at", "source_id"):
        if required not in cols:
            raise ValueError(f"{required} is required")
    if n == 0:
        return 0
    connection = connections[using]
    if connection.vendor != "postgresql":
        with transaction.atomic(using=using):
            loaded = _load_portable(Incident, cols, using=using)
            _audit(loaded, actor=actor, label=label, using=using)
    elif jobs > 1 and n >= 2 * CHUNK and not connection.in_atomic_block:
        loaded = _load_parallel(Incident, cols, jobs=jobs, actor=actor, label=label,
                                using=using)
    else:
        with transaction.atomic(using=using):
            loaded = _load_postgresql(Incident, cols, connection)
            _audit(loaded, actor=actor, label=label, using=using)
    written = sum(item.count for item in loaded)
    _after_load(Incident, written, using=using)
    from .services import bump_picture_version

    since = _earliest(cols["occurred_at"])
    for item in loaded:
        bump_picture_version(item.municipality_id, since)
    return written


def _earliest(times) -> datetime.datetime | None:
    """The earliest of the load's times (aware), for the subscribers of incidents_changed."""
    if isinstance(times, np.ndarray) and np.issubdtype(times.dtype, np.datetime64):
        if not times.size:
            return None
        first = times.min().astype("datetime64[us]").astype(datetime.datetime)
        return first.replace(tzinfo=datetime.UTC)
    values = [t for t in times if t is not None]
    return min(values) if values else None


def _load_parallel(model, cols: Mapping[str, Any], *, jobs: int, actor, label: str,
                   using: str) -> list[_Loaded]:
    """Sort by (municipality, time), split into ``jobs`` contiguous parts (each part's rows go
    to their own region of the time index, so the connections do not contend for the same
    index pages) and load the parts in threads, each over its own connection."""
    n = len(cols["occurred_at"])
    times = _as_array("timestamptz", cols["occurred_at"]).astype("datetime64[us]").astype(
        np.int64)
    order = np.lexsort((times, np.asarray(cols["municipality_id"]).astype(str)))
    sorted_cols = {k: np.asarray(v)[order] if not isinstance(v, np.ndarray) or v.ndim
                   else v for k, v in cols.items()}
    bounds = [round(k * n / jobs) for k in range(jobs + 1)]
    results: list[list[_Loaded] | BaseException] = [[] for _ in range(jobs)]

    def work(k: int) -> None:
        part = {key: values[bounds[k]:bounds[k + 1]] for key, values in sorted_cols.items()}
        try:
            connection = connections[using]
            with transaction.atomic(using=using):
                loaded = _load_postgresql(model, part, connection)
                _audit(loaded, actor=actor, label=(f"{label}, " if label else "")
                       + f"{k + 1}/{jobs}", using=using)
            results[k] = loaded
        except BaseException as error:  # re-raised by the caller's thread
            results[k] = error
        finally:
            connections[using].close()

    threads = [threading.Thread(target=work, args=(k,), name=f"samverkan-load-{k}")
               for k in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    return [item for r in results for item in r]


def _load_postgresql(model, cols: Mapping[str, Any], connection) -> list[_Loaded]:
    plan = _plan(model, cols, connection, fold_constants=True)
    # Rows already stored are skipped (idempotent); the inserted rows are summarised per
    # municipality in the database (one row per municipality and chunk) for the audit.
    conflict = ("ON CONFLICT (municipality_id, source, source_id) DO NOTHING "
                "RETURNING municipality_id, id, source, source_id")
    summary = ("SELECT municipality_id, count(*), min(id), max(id), min(source_id), "
               "max(source_id), array_agg(DISTINCT source) FROM moved GROUP BY municipality_id")
    by_municipality: dict[str, _Loaded] = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        rows = _staged_insert(cursor, connection, model, plan,
                              order_by=("municipality_id", "occurred_at"), conflict=conflict,
                              summary=summary)
    for code, count, first, last, first_sid, last_sid, sources in rows:
        item = by_municipality.get(code)
        if item is None:
            by_municipality[code] = _Loaded(code, count, first, last, first_sid, last_sid,
                                            set(sources))
            continue
        item.count += count
        item.first_id, item.last_id = min(item.first_id, first), max(item.last_id, last)
        item.first_source_id = min(item.first_source_id, first_sid)
        item.last_source_id = max(item.last_source_id, last_sid)
        item.sources.update(sources)
    return list(by_municipality.values())


def _load_portable(model, cols: Mapping[str, Any], *, using: str) -> list[_Loaded]:
    """Other databases: bulk_create ignoring rows already stored; the summary from a query of
    the rows of this load."""
    codes = sorted({str(c) for c in _to_list(cols["municipality_id"])})
    before = {c: set(model.objects.using(using).filter(municipality_id=c)
                     .values_list("pk", flat=True)) for c in codes}
    with transaction.atomic(using=using):
        _bulk_create(model, cols, using=using, ignore_conflicts=True)
    out = []
    for code in codes:
        rows = [r for r in model.objects.using(using).filter(municipality_id=code)
                .values_list("pk", "source", "source_id") if r[0] not in before[code]]
        if rows:
            out.append(_Loaded(code, len(rows), min(r[0] for r in rows),
                               max(r[0] for r in rows), min(r[2] for r in rows),
                               max(r[2] for r in rows), {r[1] for r in rows}))
    return out


def _audit(loaded: list[_Loaded], *, actor, label: str, using: str) -> None:
    """One audit entry per municipality for the whole load: the audit of this change."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from samverkan.audit.choices import Action
    from samverkan.audit.models import AuditEntry

    from .models import Incident

    if not loaded:
        return
    content_type = ContentType.objects.db_manager(using).get_for_model(Incident)
    actor_ok = actor is not None and actor.is_authenticated
    actor_repr = (actor.get_full_name() or actor.get_username()) if actor_ok else "system"
    AuditEntry.objects.using(using).bulk_create([
        AuditEntry(
            actor=actor if actor_ok else None, actor_repr=actor_repr, action=Action.CREATE,
            content_type=content_type, object_id=f"{item.first_id}-{item.last_id}"[:64],
            object_repr=(_("Bulk load of %(n)s incidents") % {"n": item.count}
                         + (f" ({label})" if label else ""))[:300],
            municipality_id=item.municipality_id,
            changes={"before": {}, "after": {
                "bulk_load": label, "incidents": item.count,
                "ids": [item.first_id, item.last_id],
                "source_ids": [item.first_source_id, item.last_source_id],
                "sources": sorted(item.sources)}})
        for item in loaded])


def _after_load(model, written: int, *, using: str) -> None:
    """PostgreSQL, after a large load: VACUUM (ANALYZE) when not inside a transaction (sets
    the visibility map for index-only scans, refreshes statistics), else ANALYZE (VACUUM cannot
    run in a transaction; autovacuum follows for tables that grew by more than 20 %)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or written < VACUUM_AFTER:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _with_projection(columns: Mapping[str, Any]) -> dict[str, Any]:
    cols = dict(columns)
    if "lat" in cols and "lon" in cols and "x" not in cols:
        from samverkan.analysis.projection import wgs84_to_sweref99tm

        lat = np.asarray(cols["lat"], dtype=np.float64)
        lon = np.asarray(cols["lon"], dtype=np.float64)
        x, y = wgs84_to_sweref99tm(lat, lon)
        cols["x"], cols["y"] = x, y  # NaN in -> NaN out -> NULL
    return cols


def load_incident_areas(pairs: Iterable[tuple[int, int]], *, using: str = "default") -> int:
    """Link incidents to areas: ``(incident_id, area_id)`` pairs, copied in bulk."""
    from .models import IncidentArea

    pairs = list(pairs)
    if not pairs:
        return 0
    incident_ids, area_ids = zip(*pairs, strict=True)
    return copy_columns(IncidentArea, {"incident_id": np.asarray(incident_ids),
                                       "area_id": np.asarray(area_ids)}, using=using)


# -- streaming loads (the file importers) ------------------------------------------------------


class IncidentWriter:
    """Writes batches of validated incident columns in the caller's transaction -- the file
    importers' one write path (CLI, web upload, API). PostgreSQL: binary COPY into the staging
    table and ``INSERT ... ON CONFLICT DO NOTHING`` per batch, as :func:`load_incidents`;
    other databases: ``bulk_create`` of the rows not stored yet. Rows already stored (or
    repeated in the file) are skipped and counted as duplicates.

    ``finish()`` assigns the new incidents to their areas in bulk, writes **one audit entry**
    for the whole import (who, ``label`` = the file, rows, created, duplicates, the id range)
    and bumps the picture version from the earliest time imported (nothing when the import
    created nothing)."""

    def __init__(self, municipality, *, actor=None, label: str = "", using: str = "default"):
        self.municipality = municipality
        self.actor = actor
        self.label = label
        self.using = using
        self.connection = connections[using]
        self.given = 0
        self.created = 0
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.source_ids: list[str] = []
        self.sources: set[str] = set()
        self._seen: set[tuple[str, str]] = set()  # other databases: keys written so far
        self._had_rows: dict[str, bool] = {}  # PostgreSQL: source -> stored rows at start
        self.earliest: datetime.datetime | None = None  # of the batches that created rows
        if not self.connection.in_atomic_block:
            raise RuntimeError("IncidentWriter runs inside the import's transaction")

    def write(self, columns: Mapping[str, Any]) -> int:
        """Write one batch; returns how many incidents it created. Rows stored before this
        import are found by one key lookup and neither copied nor inserted."""
        from .models import Incident

        n = len(columns["source_id"])
        if n == 0:
            return 0
        cols = dict(columns)
        cols["municipality_id"] = np.full(n, self.municipality.pk)
        self.given += n
        if self.connection.vendor == "postgresql":
            created = self._write_postgresql(Incident, cols)
        else:
            created = self._write_portable(Incident, cols)
        if created:
            # The batch's earliest time (its stored rows included: an earlier bound is safe).
            first = _earliest(cols["occurred_at"])
            if first is not None and (self.earliest is None or first < self.earliest):
                self.earliest = first
        self.created += created
        return created

    def _note(self, count, first, last, first_sid, last_sid, sources) -> None:
        self.first_id = first if self.first_id is None else min(self.first_id, first)
        self.last_id = last if self.last_id is None else max(self.last_id, last)
        self.source_ids += [first_sid, last_sid]
        self.sources.update(sources)

    def _write_postgresql(self, model, cols) -> int:
        cols = self._unknown_rows(model, cols)
        if cols is None:
            return 0
        plan = _plan(model, cols, self.connection, fold_constants=True)
        conflict = ("ON CONFLICT (municipality_id, source, source_id) DO NOTHING "
                    "RETURNING id, source, source_id")
        summary = ("SELECT count(*), min(id), max(id), min(source_id), max(source_id), "
                   "array_agg(DISTINCT source) FROM moved")
        with self.connection.cursor() as cursor:
            rows = _staged_insert(cursor, self.connection, model, plan,
                                  order_by=("municipality_id", "occurred_at"),
                                  conflict=conflict, summary=summary)
        created = 0
        for count, first, last, first_sid, last_sid, sources in rows:
            if count:
                created += count
                self._note(count, first, last, first_sid, last_sid, sources or [])
        return created

    def _stored(self, model, source: str, source_ids) -> np.ndarray:
        """A mask of the ids stored before this import. PostgreSQL: the ids are copied into a
        temporary table and looked up on the idempotency key in one query; nothing is asked
        while the municipality has no incident of this source (a first import). PostgreSQL
        only (other databases: :meth:`_write_portable`)."""
        n = len(source_ids)
        mask = np.zeros(n, dtype=bool)
        if n == 0:
            return mask
        table = self.connection.ops.quote_name(model._meta.db_table)
        with self.connection.cursor() as cursor:
            if source not in self._had_rows:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE municipality_id "
                               f"= %s AND source = %s)", [self.municipality.pk, source])
                self._had_rows[source] = cursor.fetchone()[0]
                cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_KEYS.split('.')[1]} "
                               f"(n integer, source_id text) ON COMMIT DROP")
            if not self._had_rows[source]:
                return mask
            cursor.execute(f"TRUNCATE {_KEYS}")
            # In key order, so that the probes below walk the unique index forwards (a third
            # less time than in file order).
            order = _key_order(source_ids)
            with cursor.copy(f"COPY {_KEYS} (n, source_id) FROM STDIN (FORMAT binary)") as copy:
                copy.write(encode_binary_copy([("int4", order.astype(np.int32)),
                                               ("text", _take(source_ids, order))]))
            # One index probe per id (the LIMIT keeps the planner from hashing every stored
            # row of the source instead: a whole scan per batch, which grows with the table),
            # and the rows known as one text of their positions (cheaper than a row each).
            cursor.execute(f"SELECT count(*), string_agg(k.n::text, ',') FROM {_KEYS} k "
                           f"CROSS JOIN LATERAL (SELECT 1 FROM {table} i WHERE "
                           f"i.municipality_id = %s AND i.source = %s AND i.source_id = "
                           f"k.source_id LIMIT 1) AS stored",
                           [self.municipality.pk, source])
            known_count, positions = cursor.fetchone()
        if known_count:
            mask[np.array(positions.split(","), dtype=np.int64)] = True
        return mask

    def _unknown_rows(self, model, cols) -> dict | None:
        """The batch without the rows already stored before this import (None when that
        leaves none), so that a file imported again is neither copied nor inserted.
        ``ON CONFLICT`` still catches the rows repeated in the file and any written
        meanwhile."""
        sources = cols["source"]
        source = str(sources[0])
        if not isinstance(sources, np.ndarray) or not (sources == source).all():
            return cols  # several sources in one batch: ON CONFLICT alone
        stored = self._stored(model, source, cols["source_id"])
        if not stored.any():
            return cols
        if stored.all():
            return None
        index = np.flatnonzero(~stored)
        return {key: _take(values, index) for key, values in cols.items()}

    def _write_portable(self, model, cols) -> int:
        code = self.municipality.pk
        keys = list(zip(_to_list(cols["source"]), _to_list(cols["source_id"]), strict=True))
        stored: set[tuple[str, str]] = set()
        by_source: dict[str, list[str]] = {}
        for source, sid in keys:
            by_source.setdefault(source, []).append(sid)
        for source, ids in by_source.items():
            for start in range(0, len(ids), 900):
                stored.update((source, sid) for sid in model.objects.using(self.using).filter(
                    municipality_id=code, source=source, source_id__in=ids[start:start + 900]
                ).values_list("source_id", flat=True))
        keep = []
        for i, key in enumerate(keys):
            if key in stored or key in self._seen:
                continue
            self._seen.add(key)
            keep.append(i)
        if not keep:
            return 0
        index = np.asarray(keep)
        part = {k: (np.asarray(_to_list(v), dtype=object) if not isinstance(v, np.ndarray)
                    else v)[index] for k, v in cols.items()}
        before = model.objects.using(self.using).aggregate(top=models.Max("pk"))["top"] or 0
        _bulk_create(model, part, using=self.using, ignore_conflicts=False)
        new = model.objects.using(self.using).filter(municipality_id=code, pk__gt=before)
        first, last = new.aggregate(a=models.Min("pk"), b=models.Max("pk")).values()
        sids = sorted(str(s) for s in part["source_id"])
        self._note(len(keep), first, last, sids[0], sids[-1], set(map(str, part["source"])))
        return len(keep)

    def finish(self, *, rows: int) -> dict:
        """Areas, audit and picture version; returns the import's summary."""
        from .services import assign_new_incidents, bump_picture_version

        duplicates = self.given - self.created
        assigned = 0
        if self.created:
            assigned = assign_new_incidents(self.municipality, self.first_id, self.last_id)
            self._audit(rows=rows, duplicates=duplicates)
            _after_load(_incident_model(), self.created, using=self.using)
            # Pictures and computed indicators from the earliest time the import touched; a
            # file imported again changes nothing and recomputes nothing.
            bump_picture_version(self.municipality, self.earliest)
        return {"created": self.created, "duplicates": duplicates, "assigned": assigned,
                "ids": [self.first_id, self.last_id] if self.created else []}

    def _audit(self, *, rows: int, duplicates: int) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.utils.translation import gettext as _

        from samverkan.audit.choices import Action
        from samverkan.audit.models import AuditEntry

        actor = self.actor
        actor_ok = actor is not None and actor.is_authenticated
        AuditEntry.objects.using(self.using).create(
            actor=actor if actor_ok else None,
            actor_repr=(actor.get_full_name() or actor.get_username()) if actor_ok
            else "system",
            action=Action.CREATE,
            content_type=ContentType.objects.db_manager(self.using).get_for_model(
                _incident_model()),
            object_id=f"{self.first_id}-{self.last_id}"[:64],
            object_repr=(_("Import of %(n)s incidents") % {"n": self.created}
                         + (f" ({self.label})" if self.label else ""))[:300],
            municipality_id=self.municipality.pk,
            changes={"before": {}, "after": {
                "import": self.label, "rows": rows, "incidents": self.created,
                "duplicates": duplicates, "ids": [self.first_id, self.last_id],
                "source_ids": [min(self.source_ids), max(self.source_ids)],
                "sources": sorted(self.sources)}})


def _key_order(values) -> np.ndarray:
    """The positions of ``values`` (an Arrow or NumPy array of texts) in sorted order."""
    if _is_arrow(values):
        import pyarrow.compute as pc

        return pc.sort_indices(values).to_numpy()
    return np.argsort(np.asarray(values, dtype=object), kind="stable")


def _take(values, positions: np.ndarray):
    return values.take(positions) if _is_arrow(values) else np.asarray(values)[positions]


def _incident_model():
    from .models import Incident

    return Incident
