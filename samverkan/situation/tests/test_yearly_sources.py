"""The yearly picture's sources: those of the agreements in force that year, each once."""
import datetime

import pytest

from samverkan.agreements import services
from samverkan.agreements.tests import seed
from samverkan.situation.yearly import data_sources

pytestmark = pytest.mark.django_db


def test_the_years_sources_come_from_the_agreements_in_force_each_named_once(world):
    actor = world.coordinator
    current = seed.eskilstuna_agreement(world)
    earlier = services.create_agreement(
        actor=actor, municipality=world.eskilstuna, title="Samverkansöverenskommelse 2011–2015",
        start_date=datetime.date(2011, 1, 1), end_date=datetime.date(2015, 12, 31))
    services.add_data_source(actor=actor, agreement=earlier, name="Trygghetsenkät 2011")
    for agreement in (earlier, current):
        services.add_data_source(actor=actor, agreement=agreement,
                                 name="Polisens trygghetsmätning")
    services.add_data_source(actor=actor, agreement=current, name="Skolenkäten", used=False)

    used, left_out = data_sources(actor, world.eskilstuna, 2026)
    assert used == ["Polisens trygghetsmätning"] and left_out == ["Skolenkäten"]
    used, _ = data_sources(actor, world.eskilstuna, 2012)
    assert used == ["Trygghetsenkät 2011", "Polisens trygghetsmätning"]
