"""The canary crawl: mark one record of every scoped model restricted to the police, with a
unique marker in a text field, and internal children of those records with markers of their
own; then request every URL pattern, every GET operation of the OpenAPI schema and every link
found on the pages, as a given user, and report the markers that show and the server errors.

Nothing here lists models or URLs: the models come from the app registry (every subclass of
`ScopedModel`), the URLs from the URL configuration and the API schema, the ids from the marked
records, so a new model or URL is covered the day it is added."""
from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product

from django.apps import apps
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from samverkan.core import access
from samverkan.core.choices import Confidentiality
from samverkan.core.models import ScopedModel

SKIP = re.compile(r"logout|/delete/|/i18n/|^/admin/|/static/|/media/|^/api/docs|^/api/schema")
TEXT_FIELD_PREFERENCE = ("title", "name", "label", "text", "description", "reason",
                         "what_was_done", "notes", "note", "subject", "content")
MARK = "QKX{:03d}Z"          # restricted records
CHILD_MARK = "QKC{:03d}Z"    # internal records under a restricted one
MARK_RE = re.compile(r"QK[XC]\d{3}Z")
IDS_PER_MODEL = 4  # ids tried per URL parameter: the marked records and their nearest parents


@dataclass
class Marked:
    marker: str  # "" for a restricted record of a model without a text field: checked by id
    model: type
    pk: int
    restricted: bool  # False: an internal child of a restricted record


@dataclass
class CanaryWorld:
    marked: list[Marked] = field(default_factory=list)
    # marked records first, then the records above them (nearest first), per model
    ids: dict[type, list[int]] = field(default_factory=dict)
    # models whose every record lies above or below one already marked (one record per
    # branch can carry a marker): covered through the marked record of their branch
    blocked: list[type] = field(default_factory=list)
    # models the demo has no record of: the canary made one (`create_missing_records`)
    created: list[type] = field(default_factory=list)
    # scoped models the canary could neither mark nor give a record, with the reason
    unmarked: dict[type, str] = field(default_factory=dict)

    def add_ids(self, model, pk):
        known = self.ids.setdefault(model, [])
        if pk not in known:
            known.append(pk)

    def marker_model(self, marker: str) -> Marked:
        return next(m for m in self.marked if m.marker == marker)

    def restricted(self) -> list[Marked]:
        return [m for m in self.marked if m.restricted]

    def coverage_gaps(self) -> dict[str, str]:
        """The scoped models covered neither by a restricted record (with a marker, or
        checked by id when they have no text field) nor through their branch, with why."""
        covered = {m.model for m in self.restricted()} | set(self.blocked)
        gaps = {m._meta.label: self.unmarked.get(m, "no record was restricted")
                for m in scoped_models() if m not in covered}
        return dict(sorted(gaps.items()))


def scoped_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, ScopedModel)]


def text_field(model) -> models.Field | None:
    """The text field the marker goes into: a title or name where the model has one."""
    candidates = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                  and f.editable and not f.primary_key and f.name not in ("confidentiality",)
                  and (f.max_length is None or f.max_length >= 8)]
    for name in TEXT_FIELD_PREFERENCE:
        for f in candidates:
            if f.name == name:
                return f
    return candidates[0] if candidates else None


def _ancestors(model, pk, seen=None) -> set[tuple[type, int]]:
    seen = set() if seen is None else seen
    obj = model._default_manager.filter(pk=pk).values(
        *[model._meta.get_field(n).attname for n in access.visibility_parents(model)]).first()
    for name in access.visibility_parents(model):
        related = model._meta.get_field(name).related_model
        value = obj and obj[model._meta.get_field(name).attname]
        if value is not None and (related, value) not in seen:
            seen.add((related, value))
            _ancestors(related, value, seen)
    return seen


def _children_models(model) -> list[tuple[type, str]]:
    return [(child, name) for child in scoped_models()
            for name in access.visibility_parents(child)
            if child._meta.get_field(name).related_model is model]


def _depth(model, path=()) -> int:
    if model in path:
        return 0
    parents = [model._meta.get_field(n).related_model for n in access.visibility_parents(model)]
    return 1 + max((_depth(p, (*path, model)) for p in parents), default=0)


def mark_records(municipality, organization) -> CanaryWorld:
    """Restrict one record of every scoped model of `municipality` to `organization`, with a
    marker in its text field; give one internal child of each a marker too."""
    world = CanaryWorld()
    chosen: set[tuple[type, int]] = set()
    above_chosen: set[tuple[type, int]] = set()
    parents: list[set[tuple[type, int]]] = []
    counter = 0
    world.created, world.unmarked = create_missing_records(municipality, organization)
    for model in sorted(scoped_models(), key=_depth, reverse=True):
        tf = text_field(model)
        children = _children_models(model)
        best, best_score = None, None
        for pk in model._default_manager.filter(municipality=municipality).exclude(
                confidentiality=Confidentiality.RESTRICTED).order_by("-pk").values_list(
                "pk", flat=True)[:40]:
            ancestors = _ancestors(model, pk)
            if (model, pk) in above_chosen or ancestors & chosen:
                continue
            has_children = any(child._default_manager.filter(**{name: pk}).exists()
                               for child, name in children)
            # Prefer records with children, then records in a branch already used (so that
            # the parents of other branches stay free to be marked themselves).
            score = (not has_children, len(ancestors - above_chosen))
            if best is None or score < best_score:
                best, best_score = pk, score
        if best is None:
            if model._default_manager.filter(municipality=municipality).exists():
                world.blocked.append(model)
            continue
        if tf is None:  # nowhere to put a marker: restricted, and checked by its id
            marker = ""
            _restrict(model, best, organization)
        else:
            counter += 1
            marker = MARK.format(counter)
            _set_marker(model, best, tf, marker, restricted=True, organization=organization)
        world.marked.append(Marked(marker, model, best, True))
        chosen.add((model, best))
        ancestors = _ancestors(model, best)
        above_chosen |= ancestors
        parents.append(ancestors)
    for item in list(world.marked):
        for child, name in _children_models(item.model):
            tf = text_field(child)
            if tf is None:
                continue
            pk = child._default_manager.filter(**{name: item.pk}).exclude(
                confidentiality=Confidentiality.RESTRICTED).values_list("pk", flat=True).first()
            if pk is None or (child, pk) in chosen:
                continue
            counter += 1
            marker = CHILD_MARK.format(counter)
            _set_marker(child, pk, tf, marker, restricted=False)
            world.marked.append(Marked(marker, child, pk, False))
            chosen.add((child, pk))
    for item in world.marked:
        world.add_ids(item.model, item.pk)
    for ancestors in parents:
        for related, pk in sorted(ancestors, key=lambda a: (a[0]._meta.label, -a[1])):
            world.add_ids(related, pk)
    return world


def _set_marker(model, pk, tf, marker, *, restricted, organization=None):
    current = model._default_manager.filter(pk=pk).values_list(tf.name, flat=True).first() or ""
    value = f"{marker} {current}"
    if tf.max_length:
        value = value[:tf.max_length]
    update = {tf.name: value}
    if restricted:
        update["confidentiality"] = Confidentiality.RESTRICTED
    model._default_manager.filter(pk=pk).update(**update)
    if restricted:
        model._default_manager.get(pk=pk).restricted_to.set([organization])


def _restrict(model, pk, organization):
    model._default_manager.filter(pk=pk).update(confidentiality=Confidentiality.RESTRICTED)
    model._default_manager.get(pk=pk).restricted_to.set([organization])


# ------------------------------------------------------- models the demo has no record of
def create_missing_records(municipality, organization) -> tuple[list[type], dict[type, str]]:
    """Give every scoped model that has no record in `municipality` one record, its required
    fields filled with plausible values (parents first, so that a new record can hang under
    another new one). Returns the models given a record and, for those where that failed,
    why: the canary reports them instead of silently leaving them out."""
    created: list[type] = []
    failed: dict[type, str] = {}
    for model in sorted(scoped_models(), key=_depth):
        if model._default_manager.filter(municipality=municipality).exists():
            continue
        try:
            with transaction.atomic():
                _new_record(model, municipality, organization)
        except Exception as exc:  # noqa: BLE001 - reported as a model the canary cannot mark
            failed[model] = f"no record, and none could be made: {type(exc).__name__}: {exc}"
        else:
            created.append(model)
    return created, failed


def _new_record(model, municipality, organization):
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in ("municipality", "confidentiality"):
            continue
        if isinstance(f, models.ForeignKey):
            if f.null:
                continue
            values[f.name] = _related_record(f.related_model, municipality, organization)
            continue
        if (f.null or f.has_default() or getattr(f, "auto_now", False)
                or getattr(f, "auto_now_add", False)):
            continue
        if f.blank and f.empty_strings_allowed and not f.choices:
            continue
        values[f.name] = _plausible(f)
    record = model(municipality=municipality, **values)
    record.save()
    return record


def _related_record(related, municipality, organization):
    from django.contrib.auth import get_user_model

    from samverkan.organizations.models import Municipality, Organization

    if related is Municipality:
        return municipality
    if related is Organization:
        return organization
    if related is get_user_model():
        return related._default_manager.filter(
            memberships__organization=organization).order_by("pk").first()
    qs = related._default_manager.all()
    if any(f.name == "municipality" for f in related._meta.fields):
        qs = qs.filter(municipality=municipality)
    found = qs.order_by("pk").first()
    if found is None and issubclass(related, ScopedModel):
        found = _new_record(related, municipality, organization)
    if found is None:
        raise ValueError(f"no {related._meta.label} to link to")
    return found


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _plausible(f):
    import datetime as dt

    from django.utils import timezone

    today = dt.date.today()
    if f.choices:
        return f.flatchoices[0][0]
    if isinstance(f, models.EmailField):
        return "kanariefagel@example.org"
    if isinstance(f, (models.CharField, models.TextField)):
        return "kanariefågel"[: f.max_length or 100]
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return timezone.now()
    if isinstance(f, models.DateField):
        return today
    if isinstance(f, models.TimeField):
        return dt.time(12)
    if isinstance(f, models.DurationField):
        return dt.timedelta(hours=1)
    if isinstance(f, (models.IntegerField, models.FloatField, models.DecimalField)):
        iso = today.isocalendar()
        return {"year": today.year, "iso_year": iso.year, "iso_week": iso.week}.get(f.name, 1)
    if isinstance(f, models.JSONField):
        return {}
    if isinstance(f, models.FileField):
        return "kanariefagel.txt"
    if isinstance(f, models.BinaryField):  # a picture: a valid 1×1 PNG
        return _png()
    raise ValueError(f"no plausible value for {f.__class__.__name__} {f.name}")


# --------------------------------------------------------------------------------- the URLs
def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _model_for(segment: str, app_label: str | None):
    seg = segment.replace("-", "").replace("_", "").lower()
    for suffix, repl in (("ies", "y"), ("s", "")):
        if seg.endswith(suffix):
            seg = seg[: -len(suffix)] + repl
            break
    found = [m for m in scoped_models() if m._meta.model_name == seg]
    found = found or [m for m in scoped_models() if m._meta.model_name.endswith(seg)]
    if app_label:
        found = sorted(found, key=lambda m: m._meta.app_label != app_label)
    return found[0] if found else None


def _kwarg_models(route: str, pattern: URLPattern) -> dict[str, type | None]:
    """Which model each int parameter of a route names: the view's model (or its parent
    model), a parameter named after a model (`round_pk`), or the path segment before it."""
    view_class = getattr(pattern.callback, "view_class", None) or getattr(
        pattern.callback, "cls", None)
    app_label = pattern.callback.__module__.split(".")[1] if pattern.callback.__module__.startswith(
        "samverkan.") else None
    result = {}
    for match in re.finditer(r"<int:(\w+)>", route):
        name = match.group(1)
        before = route[: match.start()].rstrip("/").split("/")[-1]
        model = None
        if name == "pk" and view_class is not None:
            model = getattr(view_class, "model", None)
            if model is None and getattr(view_class, "queryset", None) is not None:
                model = view_class.queryset.model
        elif name == "parent_pk" and view_class is not None:
            model = getattr(view_class, "parent_model", None)
        if model is None and name not in ("pk", "parent_pk"):
            model = _model_for(name.removesuffix("_pk").removesuffix("_id"), app_label)
        if model is None:
            model = _model_for(before, app_label)
        result[name] = model
    return result


def _ids_for(world: CanaryWorld, model, everything: set[int]) -> set:
    """The ids to try for a parameter naming `model`: its marked records and their parents,
    else two of its records, else (model unknown) every marked id."""
    if model is None:
        return everything
    if world.ids.get(model):
        return set(world.ids[model][:IDS_PER_MODEL])
    records = model._default_manager.all()
    if any(f.name == "municipality" for f in model._meta.fields):
        # Eskilstuna's records: the probe writes as other municipalities' users, and another
        # municipality's own records are theirs to change.
        records = records.filter(municipality_id="0484")
    return set(records.order_by("-pk").values_list("pk", flat=True)[:2]) or {1}


def page_urls(world: CanaryWorld, everything: set[int]) -> list[str]:
    """Every GET-able URL pattern, filled with the ids of the marked records and their
    parents (all of them where the model a parameter names cannot be told)."""
    urls = []
    for route, pattern in _walk(get_resolver()):
        if route.startswith("^") or "(?P" in route or route.startswith("api/"):
            continue  # the API: from its schema (api_urls)
        if re.search(r"<(?!int:)", route):
            route = re.sub(r"<(?:str|slug|path):\w+>", "x", route)
        kinds = _kwarg_models(route, pattern)
        if not kinds:
            urls.append("/" + route)
            continue
        choices = []
        for model in kinds.values():
            choices.append(sorted(_ids_for(world, model, everything)))
        for combo in product(*choices[:1], *[c[:3] for c in choices[1:]]):
            url = route
            for name, value in zip(kinds, combo, strict=True):
                url = url.replace(f"<int:{name}>", str(value))
            urls.append("/" + url)
    return urls


def api_urls(world: CanaryWorld, everything: set[int]) -> list[str]:
    """Every GET operation of the OpenAPI schema, lists with all rows on one page."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        if not re.findall(r"\{(\w+)\}", path):
            urls.append(f"{path}?limit=1000")
            continue
        urls += api_urls_for(path, world, everything)
    return urls


def api_urls_for(path: str, world: CanaryWorld, everything: set[int]) -> list[str]:
    """A schema path filled with the ids of the marked records (and parents) of its model."""
    urls: list[str] = []
    params = re.findall(r"\{(\w+)\}", path)
    if not params:
        return [path]
    try:
        match = resolve(re.sub(r"\{\w+\}", "1", path))
    except Resolver404:
        return urls
    view_class = getattr(match.func, "cls", None)
    model = getattr(view_class, "model", None) or getattr(
        getattr(view_class, "queryset", None), "model", None)
    if model is None and "code" in params:
        ids = {"0484", "1082"}
    else:
        ids = _ids_for(world, model, everything)
    for value in sorted(ids, key=str):
        url = path
        for param in params:
            url = url.replace("{" + param + "}", str(value))
        urls.append(url)
    return urls


# ------------------------------------------------------------------------------ the bodies
def body_text(response) -> str:
    """The text of a response: HTML, JSON and CSV as they are, DOCX/XLSX unpacked, PDF text
    extracted."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content[:4] == b"PK\x03\x04":
        parts = []
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    parts.append(re.sub(r"<[^>]+>", "", archive.read(name).decode(
                        "utf-8", "replace")))
        return "\n".join(parts)
    if content[:5] == b"%PDF-" or "pdf" in kind:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join((page.extract_text() or "") for page in reader.pages).replace(" ", "")
    return content.decode("utf-8", "replace")


def message_text(message) -> str:
    parts = [message.subject, message.body]
    for alternative in getattr(message, "alternatives", []):
        parts.append(str(alternative[0]))
    for attachment in message.attachments:
        _name, content, mimetype = attachment
        if isinstance(content, bytes):
            if content[:5] == b"%PDF-":
                from pypdf import PdfReader

                reader = PdfReader(io.BytesIO(content))
                parts.append("\n".join((p.extract_text() or "") for p in reader.pages)
                             .replace(" ", ""))
            elif content[:4] == b"PK\x03\x04":
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    parts.extend(re.sub(r"<[^>]+>", "", archive.read(n).decode("utf-8",
                                                                              "replace"))
                                 for n in archive.namelist() if n.endswith(".xml"))
            else:
                parts.append(content.decode("utf-8", "replace"))
        else:
            parts.append(str(content))
    return "\n".join(parts)


@dataclass
class CrawlResult:
    seen: dict[str, set[str]] = field(default_factory=dict)   # marker -> URLs showing it
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    on_page: object = None


def crawl(client, start: list[str], *, max_links: int = 400, on_page=None) -> CrawlResult:
    """GET every start URL, then follow the same-site links of HTML pages (at most
    `max_links` more), recording markers and server errors. `on_page(url, response, text)`
    is called for every answer that is no server error (text: the HTML page's, else "")."""
    result = CrawlResult()
    result.on_page = on_page
    visited: set[str] = set()
    links: deque[str] = deque()
    for url in start:
        if not SKIP.search(url):
            _visit(client, url, visited, links, result)
    followed = 0
    while links and followed < max_links:
        url = links.popleft()
        if url in visited or SKIP.search(url):
            continue
        followed += 1
        _visit(client, url, visited, links, result)
    return result


def _visit(client, url, visited, links, result) -> None:
    if url in visited:
        return
    visited.add(url)
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 - a server error, reported with the URL
        result.errors.append(f"{url}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    result.pages += 1
    if response.status_code >= 500:
        result.errors.append(f"{url}: status {response.status_code}")
        return
    if response.status_code != 200:
        if result.on_page is not None:
            result.on_page(url, response, "")
        return
    try:
        text = body_text(response)
    except Exception as exc:  # noqa: BLE001 - an unreadable document is an error too
        result.errors.append(f"{url}: unreadable body: {exc}")
        return
    for marker in set(MARK_RE.findall(text)):
        result.seen.setdefault(marker, set()).add(url)
    html = "html" in response.get("Content-Type", "")
    if result.on_page is not None:
        result.on_page(url, response, text if html else "")
    if html:
        for href in re.findall(r'href="(/[^"#]*)"', text):
            href = href.replace("&amp;", "&")
            if href not in visited and not SKIP.search(href):
                links.append(href)


def record_urls(world: CanaryWorld) -> list[str]:
    """The pages of the marked records (`get_absolute_url`, query string and all: the yearly
    picture of a year, the weekly picture of a week)."""
    urls = []
    for item in world.marked:
        obj = item.model._default_manager.filter(pk=item.pk).first()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            try:
                url = obj.get_absolute_url()
            except Exception:  # noqa: BLE001 - a record whose page needs what it lacks
                continue
            if url and url.startswith("/") and url not in urls:
                urls.append(url)
    return urls


# ------------------------------------------------------------------------------- the forms
class _FormParser(HTMLParser):
    """The POST forms of a page as a browser would submit them unchanged: inputs with their
    values, checked boxes, selected options (else the first), textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._select: tuple[str, list[str], list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = []
                self.forms.append((a.get("action") or "", self._form))
            else:
                self._form = None
            return
        if self._form is None or a.get("disabled") is not None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.append((name, ""))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)

    def handle_data(self, data):
        if self._textarea is not None and self._form:
            name, text = self._form[-1]
            self._form[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            for value in selected or options[:1]:
                self._form.append((name, value))
            self._select = None
        elif tag == "form":
            self._form = None


def post_forms(page_url: str, html: str) -> dict[str, dict[str, list[str]]]:
    """The POST forms of a page: action URL (path and query) -> the data the form sends."""
    from urllib.parse import urljoin, urlsplit

    parser = _FormParser()
    parser.feed(html)
    result: dict[str, dict[str, list[str]]] = {}
    for action, fields in parser.forms:
        target = urlsplit(urljoin("http://testserver" + page_url, action))
        if target.netloc != "testserver":
            continue
        url = target.path + (f"?{target.query}" if target.query else "")
        data: dict[str, list[str]] = {}
        for name, value in fields:
            if name != "csrfmiddlewaretoken":
                data.setdefault(name, []).append(value)
        result.setdefault(url, data)
    return result


# ----------------------------------------------------------------------- one record's URLs
def record_urls_by_id(model, pk) -> tuple[list[str], list[str]]:
    """The URL patterns whose only parameter names `model`, filled with `pk` (its page, edit
    and delete pages, ...), and the API schema's detail paths of `model`: how a record
    without a text field (no marker) is checked."""
    from drf_spectacular.generators import SchemaGenerator

    pages = []
    for route, pattern in _walk(get_resolver()):
        if route.startswith("^") or "(?P" in route or route.startswith("api/") or re.search(
                r"<(?!int:)", route):
            continue
        kinds = _kwarg_models(route, pattern)
        if len(kinds) == 1 and next(iter(kinds.values())) is model:
            pages.append("/" + route.replace(f"<int:{next(iter(kinds))}>", str(pk)))
    api = []
    if not _SCHEMA:
        _SCHEMA.update(SchemaGenerator().get_schema(request=None, public=True))
    schema = _SCHEMA
    for path, operations in schema["paths"].items():
        params = re.findall(r"\{(\w+)\}", path)
        if "get" not in operations or len(params) != 1 or not path.endswith("}/"):
            continue
        try:
            match = resolve(path.replace("{" + params[0] + "}", "1"))
        except Resolver404:
            continue
        view_class = getattr(match.func, "cls", None)
        view_model = getattr(view_class, "model", None) or getattr(
            getattr(view_class, "queryset", None), "model", None)
        if view_model is model:
            api.append(path.replace("{" + params[0] + "}", str(pk)))
    return pages, api


def route_models(path: str) -> dict[str, tuple[type | None, int]] | None:
    """For a page path: each int parameter of its URL pattern with the model it names and the
    value in the path; None when the path is no URL pattern of the pages."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    patterns = _patterns_by_route()
    pattern = patterns.get(match.route)
    if pattern is None:
        return {}
    kinds = _kwarg_models(match.route, pattern)
    return {name: (model, int(match.kwargs[name])) for name, model in kinds.items()
            if str(match.kwargs.get(name, "")).isdigit()}


_ROUTES: dict[str, URLPattern] = {}
_SCHEMA: dict = {}


def _patterns_by_route() -> dict[str, URLPattern]:
    if not _ROUTES:
        _ROUTES.update(dict(_walk(get_resolver())))
    return _ROUTES


def models_with_views() -> set[type]:
    """The scoped models that a URL pattern names (a page of the record, or of its parent
    with the record's id) or that an API view serves."""
    found: set[type] = set()
    for route, pattern in _walk(get_resolver()):
        view_class = getattr(pattern.callback, "cls", None)
        model = getattr(view_class, "model", None) or getattr(
            getattr(view_class, "queryset", None), "model", None)
        if model is not None:
            found.add(model)
        if not (route.startswith("^") or "(?P" in route):
            found |= {m for m in _kwarg_models(route, pattern).values() if m is not None}
    return {m for m in found if issubclass(m, ScopedModel)}
