"""The weekly page's emerging hot spot layer and the accuracy of its hot spot map, as JSON
fetched after the page (they read a year of incidents: the page itself stays fast). Only the
incidents the user may see are analysed (``picture.incidents_for``)."""
from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from samverkan.core.tenancy import current_municipality

from . import emerging, emerging_text, picture, weekly
from .views_picture import _area, _int_choice, _week

#: The weekly layer: weeks over the last year; months over two years when weeks are too thin.
LAYER_WEEKS = 52
FALLBACK_MONTHS = 24


def weekly_layer(user, municipality, week, area, cell_size: int, map_weeks: int) -> dict:
    base = picture.incidents_for(user, municipality, area)
    em = emerging.emerging(base, "week", week.shift(-(LAYER_WEEKS - 1)).monday, week.sunday,
                           cell_size)
    if not em.result.meaningful:
        first = week.sunday.replace(day=1)
        for _ in range(FALLBACK_MONTHS - 1):
            first = (first - datetime.timedelta(days=1)).replace(day=1)
        em = emerging.emerging(base, "month", first, week.sunday, cell_size)
    labels = emerging_text.labels()
    map_first = week.shift(-map_weeks)
    acc = emerging.accuracy(base, map_first.start, week.start, week.end, cell_size,
                            map_first=str(map_first), map_last=str(week.shift(-1)),
                            next_label=str(week))
    return {"meaningful": em.result.meaningful, "kind": em.kind,
            "message": emerging_text.emerging_message(em),
            "legend": emerging.category_rows(em, labels),
            "layer": emerging.emerging_geojson(em, labels),
            "accuracy": emerging_text.accuracy_sentence(acc),
            "pai": acc.accuracy.pai, "hit_rate": acc.accuracy.hit_rate,
            "area_share": acc.accuracy.area_share}


@login_required
def weekly_emerging(request):
    municipality = current_municipality(request)
    if municipality is None:
        return JsonResponse({"error": "no municipality"}, status=403)
    area = _area(request, municipality)
    week = _week(request)
    cell = _int_choice(request.GET.get("cell"), picture.CELL_SIZES, picture.DEFAULT_CELL_SIZE)
    n_weeks = _int_choice(request.GET.get("weeks"), (4, 8, 12, 26, 52),
                          picture.DEFAULT_HOTSPOT_WEEKS)
    cache = weekly.picture_cache()
    key = ""
    if cache is not None:
        key = weekly._cache_key(request.user, municipality, week, area, cell, n_weeks) \
            + ":emerging"
        data = cache.get(key)
        if data is not None:
            return JsonResponse(data)
    data = weekly_layer(request.user, municipality, week, area, cell, n_weeks)
    if cache is not None:
        cache.set(key, data, weekly.PICTURE_CACHE_SECONDS)
    return JsonResponse(data)
