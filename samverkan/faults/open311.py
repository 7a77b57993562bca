"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): public reading and filing of
fault reports, so that existing apps and FixMyStreet-style clients can use them.

* ``GET services.json``, ``GET services/{service_code}.json``: the categories;
* ``GET requests.json`` (``service_request_id``, ``service_code``, ``status``, ``start_date``,
  ``end_date``; default the last 90 days, at most 1000), ``GET requests/{id}.json``;
* ``POST requests.json`` with an ``api_key`` (an `Open311Client` of the municipality):
  ``service_code``, ``lat``/``long`` or ``address_string``, ``description``, ``email``,
  ``first_name``, ``last_name``; photos as multipart ``media`` files;
* ``GET tokens/{token}.json``.

``jurisdiction_id`` is the municipality's code (e.g. ``0484``); it may be left out where one
municipality takes reports. Errors are Open311 error objects ``[{"code", "description"}]``.
Only public categories and never the reporter's name or e-mail are shown. Reading and filing
are throttled per address.

Both formats of the specification: ``.json`` and ``.xml``. The XML is the same data as the
JSON, written the way the specification's examples show it: a root element per answer
(``services``, ``service_definition``, ``service_requests``, ``errors``), a child per list item
(``service``, ``attribute``, ``value``, ``request``, ``error``), one element per field, booleans
as ``true``/``false`` and no value as an empty element. Other formats answer 400 (in JSON).
"""
from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from samverkan.core.choices import Confidentiality
from samverkan.organizations.models import Municipality

from . import services, throttle
from .choices import OPEN_STATUSES, FaultChannel
from .models import FaultCategory, FaultReport, Open311Client

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


FORMATS = ("json", "xml")

#: The element of each item of a list, by the list's name (GeoReport v2's XML examples).
ITEM_TAGS = {"services": "service", "attributes": "attribute", "values": "value",
             "service_requests": "request", "errors": "error"}

# Characters XML 1.0 cannot hold (control characters a client may have sent in a text).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd"
                      "\U00010000-\U0010ffff]")


def _xml_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _xml_fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _xml_fill(ET.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _xml_fill(ET.SubElement(element, tag), child)
    else:
        element.text = _xml_text(value)


def to_xml(root: str, data) -> bytes:
    """``data`` (what the JSON answer holds) as GeoReport v2 XML under ``<root>``."""
    element = ET.Element(root)
    _xml_fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _answer(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), status=status,
                            content_type="application/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False)


def _error(code: int, description: str, fmt: str = "json") -> HttpResponse:
    return _answer([{"code": code, "description": description}], fmt, "errors", status=code)


def endpoint(root: str):
    """A GeoReport v2 endpoint answering ``root`` (its XML root element) in JSON or XML,
    throttled per address, with Open311 errors for everything that goes wrong."""

    def decorate(view):
        def wrapped(request, *args, fmt="json", **kwargs):
            if fmt not in FORMATS:
                return _error(400, "Endast formaten json och xml stöds.")
            scope = "open311_write" if request.method == "POST" else "open311_read"
            if not throttle.allow(request, scope):
                return _error(429, "För många anrop från din adress. Vänta en stund.", fmt)
            try:
                return _answer(view(request, *args, **kwargs), fmt, root,
                               status=201 if request.method == "POST" else 200)
            except Open311Error as error:
                return _error(error.code, error.description, fmt)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return csrf_exempt(wrapped)

    return decorate


def _jurisdiction(request) -> Municipality:
    params = request.POST if request.method == "POST" else request.GET
    code = params.get("jurisdiction_id", "").strip()
    if code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise Open311Error(404, f"Okänd jurisdiction_id: {code[:20]}")
        return municipality
    codes = set(FaultCategory.objects.filter(
        active=True, confidentiality=Confidentiality.PUBLIC).values_list("municipality",
                                                                       flat=True))
    if len(codes) != 1:
        raise Open311Error(400, "Ange jurisdiction_id (kommunkoden, t.ex. 0484).")
    return Municipality.objects.get(code=codes.pop())


def _categories(municipality):
    return FaultCategory.objects.filter(municipality=municipality,
                                        confidentiality=Confidentiality.PUBLIC)


def _service(category: FaultCategory) -> dict:
    return {"service_code": category.slug, "service_name": category.name,
            "description": category.description, "metadata": False, "type": "realtime",
            "keywords": "", "group": ""}


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request(report: FaultReport) -> dict:
    last = max((e.happened_at for e in report.events.all()), default=report.received_at)
    notes = [e.reason or e.note for e in report.events.all() if e.reason or e.note]
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": (notes[-1] if notes else report.get_status_display()),
        "service_name": report.category.name, "service_code": report.category.slug,
        "description": report.description,
        "agency_responsible": report.handler.name if report.handler else "",
        "service_notice": "", "requested_datetime": _time(report.received_at),
        "updated_datetime": _time(last), "expected_datetime": _time(report.due_at),
        "address": report.address, "address_id": "", "zipcode": "",
        "lat": report.lat, "long": report.lon,
        "media_url": "",
    }


@endpoint("services")
def services_list(request):
    municipality = _jurisdiction(request)
    return [_service(c) for c in _categories(municipality).filter(active=True)]


@endpoint("service_definition")
def service_definition(request, code):
    municipality = _jurisdiction(request)
    category = _categories(municipality).filter(slug=code).first()
    if category is None:
        raise Open311Error(404, f"Okänd service_code: {code[:50]}")
    return {"service_code": category.slug, "attributes": []}


def _parse_date(value: str, name: str):
    parsed = parse_datetime(value.strip()) if value else None
    if value and parsed is None:
        raise Open311Error(400, f"{name} måste vara en tidpunkt i W3C-format, "
                                "t.ex. 2026-05-04T12:00:00+02:00.")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _public_reports(municipality):
    return (FaultReport.objects.filter(municipality=municipality,
                                       category__confidentiality=Confidentiality.PUBLIC)
            .select_related("category", "handler").prefetch_related("events"))


@csrf_exempt
def requests_endpoint(request, fmt="json"):
    if request.method == "POST":
        return create_request(request, fmt=fmt)
    if request.method in ("GET", "HEAD"):
        return list_requests(request, fmt=fmt)
    return _error(405, "Endast GET och POST.", fmt if fmt in FORMATS else "json")


@endpoint("service_requests")
def list_requests(request):
    municipality = _jurisdiction(request)
    qs = _public_reports(municipality)
    ids = request.GET.get("service_request_id", "").strip()
    if ids:
        try:
            wanted = [int(i) for i in ids.split(",") if i.strip()]
        except ValueError as exc:
            raise Open311Error(400, "service_request_id ska vara nummer, "
                                    "kommaseparerade.") from exc
        return [_request(r) for r in qs.filter(pk__in=wanted[:MAX_REQUESTS])]
    codes = [c for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__slug__in=codes)
    status = request.GET.get("status", "").strip().lower()
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif status:
        raise Open311Error(400, "status ska vara open eller closed.")
    start = _parse_date(request.GET.get("start_date", ""), "start_date")
    end = _parse_date(request.GET.get("end_date", ""), "end_date")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    return [_request(r) for r in qs.order_by("-received_at")[:MAX_REQUESTS]]


@endpoint("service_requests")
def request_detail(request, pk):
    municipality = _jurisdiction(request)
    report = _public_reports(municipality).filter(pk=pk).first()
    if report is None:
        raise Open311Error(404, f"Ingen anmälan med service_request_id {pk}.")
    return [_request(report)]


def _float(value: str, name: str):
    if not value:
        return None
    try:
        return float(value)
    except ValueError as exc:
        raise Open311Error(400, f"{name} ska vara ett tal (WGS 84).") from exc


@endpoint("service_requests")
def create_request(request):
    params = request.POST
    municipality = _jurisdiction(request)
    client = Open311Client.objects.filter(municipality=municipality,
                                          api_key=params.get("api_key", ""), active=True).first()
    if client is None or not params.get("api_key"):
        raise Open311Error(403, "Ogiltig eller saknad api_key.")
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code saknas.")
    category = _categories(municipality).filter(slug=code, active=True).first()
    if category is None:
        raise Open311Error(404, f"Okänd service_code: {code[:50]}")
    lat, lon = _float(params.get("lat", ""), "lat"), _float(params.get("long", ""), "long")
    address = params.get("address_string", "").strip()
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, "Ange lat och long eller address_string.")
    name = " ".join(p for p in (params.get("first_name", "").strip(),
                                params.get("last_name", "").strip()) if p)
    email = params.get("email", "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(400, "email är ingen giltig e-postadress.") from exc
    try:
        report = services.submit_report(
            municipality=municipality, category=category,
            description=params.get("description", "")[:4000], lat=lat, lon=lon,
            address=address[:300], reporter_name=name[:200], reporter_email=email,
            photos=request.FILES.getlist("media"), channel=FaultChannel.OPEN311,
            open311_client=client)
    except ValidationError as error:
        raise Open311Error(400, " ".join(error.messages)) from error
    return [{"service_request_id": str(report.pk), "token": report.open311_token,
             "service_notice": "", "account_id": None}]


@endpoint("service_requests")
def token_detail(request, token):
    report = FaultReport.objects.filter(open311_token=token).first()
    if report is None:
        raise Open311Error(404, "Okänd token.")
    return [{"service_request_id": str(report.pk), "token": token}]
