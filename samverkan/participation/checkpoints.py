"""The residents' modules as sources of the compliance page (samverkan.core.checkpoints):
citizen dialogues held, citizen pledges signed and published, and pledges reported back to the
residents. Every query goes through ``ctx.visible`` so that a verdict never rests on a record
the reader may not see."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.core import checkpoints
from samverkan.core.checkpoints import Evidence, Finding
from samverkan.core.choices import Confidentiality

from .models import Dialogue, Pledge


def _period(ctx) -> tuple[datetime.date, datetime.date]:
    agreement = ctx.agreement
    start = agreement.start_date or datetime.date.min
    end = min(agreement.end_date or ctx.today, ctx.today)
    return start, end


def _ev(record, date=None) -> Evidence:
    return Evidence(label=str(record), url=record.get_absolute_url(), date=date,
                    is_example=record.is_example)


def _pledges(ctx) -> list:
    start, end = _period(ctx)
    return list(ctx.visible(Pledge.objects.filter(
        municipality=ctx.agreement.municipality, period_start__lte=end,
        period_end__gte=start)).prefetch_related("followups"))


def citizen_dialogues(ctx) -> Finding:
    start, end = _period(ctx)
    dialogues = list(ctx.visible(Dialogue.objects.filter(
        municipality=ctx.agreement.municipality, held_on__range=(start, end)))
        .order_by("-held_on"))
    if not dialogues:
        return Finding(False, _("No citizen dialogue is recorded for the agreement's period."),
                       [Evidence(_("Citizen dialogues"),
                                 reverse("participation:dialogue_list"))])
    return Finding(True, ngettext("%(n)d citizen dialogue in the period, the latest %(date)s.",
                                  "%(n)d citizen dialogues in the period, the latest %(date)s.",
                                  len(dialogues)) % {"n": len(dialogues),
                                                     "date": dialogues[0].held_on},
                   [_ev(d, d.held_on) for d in dialogues[:4]], date=dialogues[0].held_on)


def pledges_published(ctx) -> Finding:
    pledges = _pledges(ctx)
    if not pledges:
        return Finding(None, _("No citizen pledge is recorded for the agreement's period: "
                               "nothing to sign or publish."))
    missing = [p for p in pledges
               if not p.signed_on or p.confidentiality != Confidentiality.PUBLIC]
    if missing:
        summary = _("Not signed or not public: %(pledges)s.") % {
            "pledges": ", ".join(str(p) for p in missing)}
    else:
        summary = ngettext("The %(n)d pledge is signed and public.",
                           "All %(n)d pledges are signed and public.",
                           len(pledges)) % {"n": len(pledges)}
    dates = [p.signed_on for p in pledges if p.signed_on]
    return Finding(not missing, summary, [_ev(p, p.signed_on) for p in pledges[:4]],
                   date=max(dates) if dates else None)


def pledges_reported(ctx) -> Finding:
    pledges = _pledges(ctx)
    if not pledges:
        return Finding(None, _("No citizen pledge is recorded for the agreement's period."))
    reported = {p.pk: [f for f in ctx.visible(p.followups.all()) if f.reported_to_residents]
                for p in pledges}
    missing = [p for p in pledges if not reported[p.pk]]
    if missing:
        summary = _("Not reported back to the residents: %(pledges)s.") % {
            "pledges": ", ".join(str(p) for p in missing)}
    else:
        summary = ngettext("The %(n)d pledge is reported back to the residents.",
                           "All %(n)d pledges are reported back to the residents.",
                           len(pledges)) % {"n": len(pledges)}
    dates = [f.reported_on for fs in reported.values() for f in fs]
    return Finding(not missing, summary, [_ev(p) for p in pledges[:4]],
                   date=max(dates) if dates else None)


def register() -> None:
    checkpoints.register("citizen_dialogues", citizen_dialogues, app="participation")
    checkpoints.register("pledges_published", pledges_published, app="participation")
    checkpoints.register("pledges_reported", pledges_reported, app="participation")
