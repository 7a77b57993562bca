"""The people of an SSPF/SIG case, built on the common test world (samverkan.core.testing).

The names and numbers here are invented for the tests; 811218-9876 is Skatteverket's published
test number, not a person."""
from __future__ import annotations

import datetime as dt

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from samverkan.core.choices import Role
from samverkan.core.testing import make_user
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.services import add_membership, create_organization
from samverkan.sspf import services
from samverkan.sspf.choices import Agency, ConsentGiver, ConsentMethod

NAME = "Testa Testsson"
PIN = "20081218-9876"  # invented; the Luhn digit is valid


def verified(user):
    """The user object as it is after a two-factor login (for service calls)."""
    user.is_verified = lambda: True
    return user


def verified_client(user, client_class=APIClient):
    """A client logged in with password and a confirmed TOTP device."""
    client = client_class()
    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test",
                                                        defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


class Team:
    def __init__(self, world):
        self.world = world
        w = world
        self.school_org = create_organization(
            actor=None, municipality=w.eskilstuna, name="Skiftingehus skola",
            kind=OrganizationKind.SCHOOL)
        self.social_worker = make_user("socialsekreterare")
        add_membership(actor=None, user=self.social_worker, organization=w.social_services,
                       role=Role.CONTRIBUTOR)
        self.teacher = make_user("larare")
        add_membership(actor=None, user=self.teacher, organization=self.school_org,
                       role=Role.READER)
        self.superuser = make_user("drift", is_superuser=True, is_staff=True)
        add_membership(actor=None, user=self.superuser, organization=w.municipality_org,
                       role=Role.ADMINISTRATOR)
        self.programme = services.create_programme(
            actor=w.coordinator, municipality=w.eskilstuna, name="SIG Fröslunda/Lagersberg",
            target_broken_loose=15)
        self.responsible = verified(w.contributor)
        self.case = services.create_case(
            actor=self.responsible, programme=self.programme, owning_unit=w.social_services,
            person_name=NAME, personal_number=PIN, sex="boy", guardian_count=2,
            started_on=dt.date(2026, 1, 12))
        self.police_member = services.add_member(
            self.case, actor=self.responsible, user=w.police_officer,
            organization=w.police_org, agency=Agency.POLICE)
        services.add_member(self.case, actor=self.responsible, user=self.teacher,
                            organization=self.school_org, agency=Agency.SCHOOL)
        services.add_member(self.case, actor=self.responsible, user=self.social_worker,
                            organization=w.social_services, agency=Agency.SOCIAL_SERVICES)

    def consent_all(self, agencies=(Agency.POLICE, Agency.SCHOOL),
                    ends_on=dt.date(2026, 12, 31)):
        """The young person's and both guardians' consent, given in a meeting."""
        made = []
        for giver, name in ((ConsentGiver.YOUNG_PERSON, ""), (ConsentGiver.GUARDIAN, "Vh Ett"),
                            (ConsentGiver.GUARDIAN, "Vh Två")):
            made.append(services.record_consent(
                self.case, actor=self.responsible, given_by=giver, giver_name=name,
                given_on=dt.date(2026, 1, 15), method=ConsentMethod.MEETING,
                agencies=list(agencies), ends_on=ends_on, note="SIG-möte 15 januari"))
        return made


@pytest.fixture
def team(world, monkeypatch):
    monkeypatch.setattr("samverkan.sspf.models.local_today", lambda: dt.date(2026, 3, 1))
    monkeypatch.setattr("samverkan.sspf.services.local_today", lambda: dt.date(2026, 3, 1))
    return Team(world)
