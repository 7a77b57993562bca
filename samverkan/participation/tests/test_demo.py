"""Issue 11: the demo's citizen pledge is followed up in the demo's follow-up round (the round's
reports carry it, per tertial): the follow-up is linked to the round the demo's reports are
written for now, marked as an example, and the round's page shows it in its section
"Medborgarlöften"."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from samverkan.followup import demo as followup_demo
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.participation import demo
from samverkan.participation.models import Pledge, PledgeFollowUp

TODAY = dt.date(2025, 10, 14)


@pytest.fixture
def loaded(db):
    load_demo_base()
    current = followup_demo.load(actor=None, today=TODAY)
    demo.load(actor=None, today=TODAY)
    return current


def test_pledge_followup_is_carried_by_the_demo_round(loaded):
    assert loaded.label == "Helår 2025"
    pledge = Pledge.objects.get(title="Renare och tryggare Fröslunda")
    followup = PledgeFollowUp.objects.get(pledge=pledge)
    assert followup.round == loaded
    # The last tertial ended in the round's period by 14 October 2025: T2 (May-August).
    assert (followup.period, followup.reported_on) == ("T2 2025", dt.date(2025, 9, 14))
    assert pledge.is_example and followup.is_example
    assert pledge.period_start <= loaded.period_end and pledge.period_end >= loaded.period_start
    assert pledge.signed_on <= followup.reported_on <= TODAY
    # Loaded again: nothing new.
    demo.load(actor=None, today=TODAY)
    assert PledgeFollowUp.objects.filter(pledge=pledge).count() == 1


def test_round_page_shows_the_pledge_section(loaded, client):
    client.force_login(get_user_model().objects.get(username="samordnare"))
    page = client.get(reverse("followup:round_detail", args=[loaded.pk])).content.decode()
    section = page[page.index('id="round-section-pledges"'):]
    assert "Medborgarlöften" in section and "Renare och tryggare Fröslunda" in section
    assert "T2 2025" in section and "Två städdagar med boende och Kfast" in section
    assert "Ännu inte följt upp i den här omgången" not in section


@pytest.mark.parametrize(("today", "label", "period"), [
    (dt.date(2026, 1, 20), "Helår 2025", "T3 2025"),  # before Helår 2025 is due
    (dt.date(2026, 3, 10), "Delår 2 2026", "T1 2026"),  # no tertial of Delår 2 ended yet
])
def test_the_round_and_tertial_follow_the_day(db, today, label, period):
    load_demo_base()
    current = followup_demo.load(actor=None, today=today)
    demo.load(actor=None, today=today)
    followup = PledgeFollowUp.objects.get(pledge__title="Renare och tryggare Fröslunda")
    assert (current.label, followup.round, followup.period) == (label, current, period)
    assert followup.reported_on <= today and followup.pledge.signed_on <= followup.reported_on
