"""incidents_changed: once per municipality and transaction, after the commit, with the
earliest time touched; nothing after a rollback; at once outside a transaction."""
from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from samverkan.situation.signals import incidents_changed, notify_incidents_changed

pytestmark = pytest.mark.django_db

T1 = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
T2 = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append((kwargs["municipality"], kwargs["since"]))

    incidents_changed.connect(receiver, dispatch_uid="test-signals")
    yield calls
    incidents_changed.disconnect(dispatch_uid="test-signals")


def test_once_per_transaction_after_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify_incidents_changed("0484", T1)
        notify_incidents_changed("0484", T2)
        notify_incidents_changed("1082", T1)
        assert received == []
    assert sorted(received) == [("0484", T2), ("1082", T1)]


def test_none_means_everything(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_incidents_changed("0484", T1)
        notify_incidents_changed("0484", None)
        notify_incidents_changed("0484", T2)
    assert received == [("0484", None)]


def test_nothing_after_a_rollback(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify_incidents_changed("0484", T1)
                raise RuntimeError
        except RuntimeError:
            pass
    assert received == [] and callbacks == []


@pytest.mark.django_db(transaction=True)
def test_at_once_outside_a_transaction(received):
    notify_incidents_changed("0484", T1)
    assert received == [("0484", T1)]
