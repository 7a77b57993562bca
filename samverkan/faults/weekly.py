"""The fault reports as a layer of the weekly situation picture's map (registered in apps.py
with `samverkan.situation.map_layers`); filtered to one area, the layer keeps to it like the
week's incidents."""
from __future__ import annotations

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.situation.map_layers import MapLayer
from samverkan.situation.services import inside_area

from .choices import OPEN_STATUSES
from .models import FaultReport

COLOUR = "#e07b00"
#: At most this many reports are drawn (the newest first); a week rarely has as many.
MAX_POINTS = 2000


def weekly_layer(user, municipality, week, area=None) -> MapLayer:
    """The reports received during ``week`` that have a place, as ``user`` may see them; with
    ``area`` (the weekly page's ``?area=``) only those in it (`in_area`)."""
    reports = (FaultReport.objects.visible_to(user)
               .filter(municipality=municipality, received_at__gte=week.start,
                       received_at__lt=week.end, lat__isnull=False, lon__isnull=False))
    if area is not None:
        reports = in_area(reports, area)
    reports = reports.select_related("category").order_by("-received_at")[:MAX_POINTS]
    now = timezone.now()
    points = []
    for report in reports:
        overdue = report.status in OPEN_STATUSES and report.due_at and report.due_at < now
        parts = [report.category.name,
                 timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M"),
                 report.get_status_display() + (f" ({_('overdue')})" if overdue else "")]
        if report.address:
            parts.append(report.address)
        points.append({"lat": report.lat, "lon": report.lon, "label": " · ".join(parts)})
    return MapLayer(key="faults", label=_("Fault reports from residents this week"),
                    colour=COLOUR, points=points)


def in_area(reports: QuerySet, area) -> QuerySet:
    """The reports of ``reports`` in ``area``, as the incidents of an area are: those whose
    point lies inside the area's polygon (the same point-in-polygon test,
    `services.inside_area`), and those filed in it as their zone (the deadline rules' zone
    found at intake, kept even if the polygon is redrawn since). Candidates are found in SQL
    by the area's bounding box; the polygon is tested on them."""
    candidates = list(reports.filter(
        Q(zone=area) | Q(lat__gte=area.min_lat, lat__lte=area.max_lat,
                         lon__gte=area.min_lon, lon__lte=area.max_lon))
        .values_list("pk", "lat", "lon", "zone_id"))
    if not candidates:
        return reports.none()
    ids, lats, lons, zones = zip(*candidates, strict=True)
    inside = inside_area(area, lats, lons) | np.array([zone == area.pk for zone in zones])
    return reports.filter(pk__in=[pk for pk, keep in zip(ids, inside, strict=True) if keep])
