"""The fault reports' section of the yearly situation picture (registered in apps.py)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.situation.yearly import YearlySection, year_bounds

from . import services
from .models import FaultReport


def yearly_section(user, municipality, year: int) -> list[YearlySection]:
    """Reports of the year per category: how many, the share fixed within the deadline and
    the clean-up cost where entered. Nothing when there are none."""
    start, end = year_bounds(year)
    reports = FaultReport.objects.visible_to(user).filter(
        municipality=municipality, received_at__gte=start, received_at__lt=end)
    rows = services.deadline_statistics(reports, by="category")
    if not rows:
        return []
    total = sum(r.total for r in rows)
    judged = sum(r.judged for r in rows)
    in_time = sum(r.fixed_in_time for r in rows)
    text = _("Residents made %(n)s fault reports.") % {"n": total}
    if judged:
        text += " " + _("%(share)s %% of those whose outcome is known were fixed within the "
                        "deadline.") % {"share": round(100 * in_time / judged)}

    def share(r):
        return f"{round(100 * r.share_in_time)} %" if r.share_in_time is not None else "–"

    return [YearlySection(
        title=_("Fault reports from residents"), paragraphs=[text],
        header=[_("Category"), _("Reports"), _("Fixed in time"), _("Share in time"),
                _("Clean-up cost (SEK)")],
        rows=[[r.label, str(r.total), str(r.fixed_in_time), share(r),
               f"{r.cost:.0f}" if r.costed else "–"] for r in rows],
        link=reverse("faults:statistics") + "?by=category")]
