"""Records made up to show the software are marked as examples wherever they are shown.

The demo loads real agreements (the seeds) and adds what a real installation would gather over
time: activities and their statuses, follow-up reports, meetings, incidents. A reader must be
able to tell the agreement's own text from those additions, so every record carries one flag,
`ScopedModel.is_example`, and everything that shows a record marks it the same way:

- pages: ``{% include "core/_example.html" with record=obj %}`` (a badge beside the record),
  ``... with record=obj banner=True`` (a notice on top of the record's own page), and
  ``... with show=has_examples banner=True`` on a page built from many records (a list, a
  picture, a dashboard), with ``has_examples = examples.any_example(queryset)``;
- documents (DOCX, PDF): ``note_document(doc, records)`` puts the notice on top when any of the
  records is an example, ``marked(text, obj)`` marks a line or a table cell;
- spreadsheets (XLSX, CSV): a column headed ``COLUMN`` holding ``label_for(obj)``;
- the API: every serializer based on ``ScopedSerializer`` has a read-only ``is_example``;
- e-mails: ``marked(text, obj)``.

Whoever creates example records (the demo loaders; later the demo of any module) passes
``is_example=True`` to the service that creates them. Records created under an example record
(its scope parent, e.g. the agenda items of an example meeting) inherit the flag in
``samverkan.core.services.create``.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

LABEL = _("Example – not from the agreement")
EXPLANATION = _("Made up for the demo to show how the system works. It is not in the "
                "agreement and it is not real data.")
COLUMN = _("Example")


def is_example(obj) -> bool:
    return bool(getattr(obj, "is_example", False))


def label_for(obj) -> str:
    """The label for a spreadsheet cell: empty for a real record."""
    return str(LABEL) if is_example(obj) else ""


def marked(text, obj) -> str:
    """``text`` with the label after it when ``obj`` is an example."""
    return f"{text} ({LABEL})" if is_example(obj) else str(text)


def any_example(records: QuerySet | Iterable | None) -> bool:
    """Whether any of the records is an example (one cheap query for a queryset)."""
    if records is None:
        return False
    if isinstance(records, QuerySet) and not records.query.is_sliced:
        return records.filter(is_example=True).exists()
    # A page of a list (a sliced queryset) is read anyway: look at the records themselves.
    return any(is_example(record) for record in records)


def notice() -> str:
    return f"{LABEL}. {EXPLANATION}"


def note_document(doc, records=None, *, show: bool | None = None) -> bool:
    """Put the example notice on a `samverkan.core.documents.Document` when any of
    ``records`` is an example (or when ``show`` says so). Returns whether it did."""
    if show is None:
        show = any_example(records)
    if show:
        doc.paragraph(notice(), bold=True)
    return show
