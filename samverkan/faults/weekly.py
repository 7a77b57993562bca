"""The fault reports as a layer of the weekly situation picture's map (registered in apps.py
with `samverkan.situation.map_layers`)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.situation.map_layers import MapLayer

from .choices import OPEN_STATUSES
from .models import FaultReport

COLOUR = "#e07b00"
#: At most this many reports are drawn (the newest first); a week rarely has as many.
MAX_POINTS = 2000


def weekly_layer(user, municipality, week) -> MapLayer:
    """The reports received during ``week`` that have a place, as ``user`` may see them."""
    reports = (FaultReport.objects.visible_to(user)
               .filter(municipality=municipality, received_at__gte=week.start,
                       received_at__lt=week.end, lat__isnull=False, lon__isnull=False)
               .select_related("category").order_by("-received_at")[:MAX_POINTS])
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
