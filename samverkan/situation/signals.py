"""``incidents_changed``: sent once per transaction, after it commits, when a municipality's
incidents (or its categories or areas) changed. Apps above the situation app subscribe to it
-- the computed indicators of the action plan are recomputed by
``samverkan.evaluation.services.recompute_indicators``.

Every write service of the situation app calls :func:`notify_incidents_changed` (through
``services.bump_picture_version``), and so does ``bulk.load_incidents``. An import pipeline
that writes incidents in another way calls it too, after (or inside) its transaction::

    from samverkan.situation.signals import notify_incidents_changed
    notify_incidents_changed(municipality, since=earliest_occurred_at)

``since`` (an aware datetime, or None for "everything") is the earliest time the change
touches: only the periods from there on are recomputed. Inside a transaction the receivers run
once after the commit (several calls are merged, the earliest ``since`` wins; nothing runs if
the transaction is rolled back); outside one they run at once.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.dispatch import Signal

#: Receivers get ``municipality`` (the code) and ``since`` (aware datetime or None).
incidents_changed = Signal()


class _Pending:
    """One after-commit call per municipality and transaction."""

    def __init__(self, code: str, since: datetime.datetime | None):
        self.code = code
        self.since = since
        self.fired = False

    def merge(self, since: datetime.datetime | None) -> None:
        if self.since is not None:
            self.since = None if since is None else min(self.since, since)

    def __call__(self) -> None:
        self.fired = True
        incidents_changed.send(sender=_Pending, municipality=self.code, since=self.since)


def notify_incidents_changed(municipality, since: datetime.datetime | None = None, *,
                             using: str = "default") -> None:
    """Tell the subscribers that the incidents of ``municipality`` changed from ``since``
    on; see the module docstring."""
    code = getattr(municipality, "pk", municipality)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _Pending(code, since)()
        return
    for _sids, func, _robust in connection.run_on_commit:
        if isinstance(func, _Pending) and func.code == code and not func.fired:
            func.merge(since)
            return
    transaction.on_commit(_Pending(code, since), using=using)
