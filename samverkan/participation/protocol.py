"""The protocol of a safety walk as a document (DOCX to edit, PDF to publish)."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import examples
from samverkan.core.documents import Document

from .models import SafetyWalk


def build_protocol(walk: SafetyWalk, observations) -> Document:
    observations = list(observations)
    doc = Document(_("Safety walk: %(title)s") % {"title": walk.title},
                   subtitle=str(walk.municipality))
    examples.note_document(doc, [walk, *observations])
    start = timezone.localtime(walk.starts_at)
    doc.key_values([
        (_("Area"), walk.area),
        (_("Date and time"), start.strftime("%Y-%m-%d %H:%M")),
        (_("Light"), walk.get_light_display()),
        (_("Organisers"), walk.organisers),
        (_("Number taking part"), walk.participant_count or ""),
        (_("Activity of the plan it carries out"), walk.activity or ""),
    ])
    if walk.invited_list:
        doc.heading(_("Invited"), 2)
        doc.bullets(walk.invited_list)
    if walk.pre_meeting:
        doc.heading(_("Pre-meeting"), 2)
        doc.paragraph(walk.pre_meeting)
    if walk.summary:
        doc.heading(_("Summary"), 2)
        doc.paragraph(walk.summary)
    doc.heading(_("Observations and measures"), 2)
    rows = []
    for number, o in enumerate(observations, start=1):
        place = o.place or (f"{o.lat:.5f}, {o.lon:.5f}" if o.lat is not None else "")
        status = o.get_status_display()
        if o.rejection_reason:
            status = f"{status}: {o.rejection_reason}"
        rows.append([str(number), o.get_category_display(), place, o.text, o.measure,
                     o.responsible, o.deadline.isoformat() if o.deadline else "", status])
    doc.table([_("No."), _("Category"), _("Place"), _("What was seen"), _("Measure"),
               _("Responsible"), _("Deadline"), _("Status")], rows)
    return doc
