"""The citizen pledges in a follow-up round: the pledges' follow-ups written for the round
(`PledgeFollowUp.round`) and the pledges running in the round's period that still lack one.
Registered with the follow-up app's `hooks.register_round_section` in apps.py (follow-up sits
below this app and never imports it); rows are built for the reader, through
``visible_to(user)``: a restricted pledge, and its follow-ups, stay with those who may see it."""
from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.followup.hooks import Cell, RoundSection

from .models import Pledge, PledgeFollowUp


def pledges_section(round, user) -> RoundSection | None:
    """The section "Citizen pledges" of ``round`` as ``user`` may see it; nothing when the
    round has no pledge follow-up and no pledge runs in its period (or the round asks for no
    reports, as a monthly deviation check)."""
    followups = list(PledgeFollowUp.objects.visible_to(user).filter(round=round)
                     .select_related("pledge").order_by("pledge__title", "reported_on", "pk"))
    running = []
    if round.asks_reports:
        running = list(Pledge.objects.visible_to(user).filter(
            municipality_id=round.municipality_id, period_start__lte=round.period_end,
            period_end__gte=round.period_start).order_by("title", "pk"))
    if not followups and not running:
        return None
    followed = {f.pledge_id for f in followups}
    missing = [p for p in running if p.pk not in followed]
    rows = [[Cell(f.pledge.title, f.pledge.get_absolute_url(), record=f.pledge),
             Cell(f.period), Cell(f.get_progress_display()), Cell(f.text),
             Cell(f.reported_on.isoformat()),
             Cell(_("Yes") if f.reported_to_residents else _("No"))] for f in followups]
    notes = []
    if missing:
        notes.append(_("Not yet followed up in this round: %(pledges)s.") % {
            "pledges": ", ".join(p.title for p in missing)})
    return RoundSection(
        key="pledges", title=_("Citizen pledges"),
        intro=_("The follow-ups of the citizen pledges written for this round: what police "
                "and municipality did of what they promised the residents, and whether it "
                "was reported back to them."),
        columns=[_("Citizen pledge"), _("Period"), _("Progress"), _("What was done"),
                 _("Date"), _("Reported back to residents")],
        rows=rows, widths=[3, 1.3, 1.5, 5, 1.7, 1.6],
        empty=_("No follow-up of a citizen pledge has been written for this round."),
        notes=notes)
