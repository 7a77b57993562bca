"""The residents' voice in the situation picture: safety-walk observations and dialogue
concerns of a period (registered with `samverkan.situation.contributions`)."""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.situation.contributions import Point, Section
from samverkan.situation.services import inside_area

from .models import Concern, Observation


def walks_section(user, municipality, start: datetime.date, end: datetime.date):
    observations = list(
        Observation.objects.visible_to(user).filter(
            municipality=municipality, walk__starts_at__date__gte=start,
            walk__starts_at__date__lte=end)
        .select_related("walk", "responsible_organization").order_by("walk__starts_at", "pk"))
    if not observations:
        return None
    walks = {o.walk_id: o.walk for o in observations}
    by_category: dict[str, int] = {}
    for o in observations:
        label = str(o.get_category_display())
        by_category[label] = by_category.get(label, 0) + 1
    open_measures = sum(1 for o in observations if o.status in ("proposed", "accepted"))
    lines = [ngettext(
        "%(walks)d safety walk (%(names)s) found %(n)d places:",
        "%(walks)d safety walks (%(names)s) found %(n)d places:", len(walks)) % {
            "walks": len(walks), "n": len(observations),
            "names": ", ".join(f"{w.area} {w.starts_at:%Y-%m-%d}" for w in walks.values())},
        ", ".join(f"{k} {v}" for k, v in sorted(by_category.items(), key=lambda kv: -kv[1])),
        _("%(n)d measures are still open.") % {"n": open_measures}]
    return Section(
        key="safety_walks", title=_("Safety walks"),
        source=_("Safety walks: %(n)d observations") % {"n": len(observations)},
        lines=lines,
        has_examples=any(o.is_example for o in observations))


def dialogues_section(user, municipality, start: datetime.date, end: datetime.date):
    concerns = list(Concern.objects.visible_to(user).filter(
        municipality=municipality, dialogue__held_on__gte=start, dialogue__held_on__lte=end)
        .select_related("dialogue").order_by("dialogue__held_on", "pk"))
    if not concerns:
        return None
    dialogues = {c.dialogue_id: c.dialogue for c in concerns}
    lines = [ngettext("%(d)d citizen dialogue (%(names)s) raised:",
                      "%(d)d citizen dialogues (%(names)s) raised:", len(dialogues)) % {
        "d": len(dialogues), "names": ", ".join(str(d) for d in dialogues.values())}]
    lines += [f"{c.get_category_display()}: {c.text}" + (f" ({c.place})" if c.place else "")
              for c in concerns]
    return Section(
        key="dialogues", title=_("Citizen dialogues"),
        source=_("Citizen dialogues: %(n)d concerns") % {"n": len(concerns)}, lines=lines,
        has_examples=any(c.is_example for c in concerns))


def residents_points(user, municipality, start: datetime.date, end: datetime.date,
                     area=None) -> list[Point]:
    """The weekly map's residents' voice: the observations of the walks and the concerns of
    the dialogues of the period that have a place (the places of the two sections above, without
    their text and counts), as ``user`` may see them; with ``area`` (the weekly page's
    ``?area=``) only those inside the area's polygon (`services.inside_area`, the test that
    places incidents and fault reports in an area)."""
    observations = list(Observation.objects.visible_to(user).filter(
        municipality=municipality, walk__starts_at__date__gte=start,
        walk__starts_at__date__lte=end, lat__isnull=False, lon__isnull=False)
        .order_by("walk__starts_at", "pk").values_list("lat", "lon", "category", "text"))
    concerns = list(Concern.objects.visible_to(user).filter(
        municipality=municipality, dialogue__held_on__gte=start, dialogue__held_on__lte=end,
        lat__isnull=False, lon__isnull=False)
        .order_by("dialogue__held_on", "pk").values_list("lat", "lon", "category", "text"))
    observation_labels = dict(Observation._meta.get_field("category").flatchoices)
    concern_labels = dict(Concern._meta.get_field("category").flatchoices)
    points = [Point(lat, lon, f"{observation_labels.get(cat, cat)}: {text[:80]}", "observation")
              for lat, lon, cat, text in observations]
    points += [Point(lat, lon, f"{concern_labels.get(cat, cat)}: {text[:80]}", "concern")
               for lat, lon, cat, text in concerns]
    if area is not None and points:
        inside = inside_area(area, [p.lat for p in points], [p.lon for p in points])
        points = [p for p, keep in zip(points, inside, strict=True) if keep]
    return points
