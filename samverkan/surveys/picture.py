"""Survey results in the situation picture: the area totals of the surveys of a period
(registered with `samverkan.situation.contributions`)."""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from samverkan.core import numbers
from samverkan.situation.contributions import Section

from .choices import Band, Dimension
from .models import Survey, SurveyResult, band_limits


def surveys_section(user, municipality, start: datetime.date, end: datetime.date):
    surveys = list(Survey.objects.visible_to(user).filter(
        municipality=municipality, year__gte=start.year, year__lte=end.year))
    if not surveys:
        return None
    limits = band_limits(municipality.pk)
    lines = []
    for survey in surveys:
        totals = SurveyResult.objects.visible_to(user).filter(
            survey=survey, question="", dimension=Dimension.ALL).order_by("area")
        parts = []
        for r in totals:
            if r.value is None:
                continue
            band = r.band(limits)
            parts.append(f"{r.area} {numbers.decimal(r.value, 2)}"
                         + (f" ({Band(band).label})" if band else ""))
        top = list(SurveyResult.objects.visible_to(user).filter(
            survey=survey, dimension=Dimension.ALL).exclude(question="")
            .exclude(value=None).order_by("-value")[:3])
        line = f"{survey}: " + ("; ".join(parts) if parts else _("no totals"))
        if top and survey.is_index:
            line += ". " + _("Highest: %(items)s.") % {"items": ", ".join(
                f"{r.question} ({r.area} {numbers.decimal(r.value, 2)})" for r in top)}
        lines.append(line)
    return Section(key="surveys", title=_("Safety surveys"),
                   source=_("Safety surveys: %(names)s") % {
                       "names": ", ".join(str(s) for s in surveys)},
                   lines=lines, has_examples=any(s.is_example for s in surveys))
