"""Every meetings model checked the same way: anonymous, no role, another municipality,
reader, restricted, one audit entry per write."""
import datetime as dt

import pytest

from samverkan.core.testing import ScopedModelAccessTests
from samverkan.meetings import services
from samverkan.meetings.models import Meeting

from .conftest import PLACE, build_kug


def base_meeting(world) -> Meeting:
    k = build_kug(world)
    if k.meeting is None:
        k.meeting = services.create_meeting(
            actor=world.coordinator, forum=k.forum, date=dt.date(2025, 3, 12), place=PLACE,
            prefill_attendance=False, with_proposed_agenda=False)
    return k.meeting


class KugWorld:
    @pytest.fixture(autouse=True)
    def _kug(self, world):
        base_meeting(world)


@pytest.mark.django_db
class TestMeetingAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/meetings/"

    def make(self, world):
        return services.create_meeting(
            actor=world.coordinator, forum=world._kug.forum, date=dt.date(2025, 9, 10),
            place=PLACE, prefill_attendance=False, with_proposed_agenda=False)

    def create_payload(self, world):
        return {"forum": world._kug.forum.pk, "date": "2025-09-10", "place": PLACE,
                "title": "Delår 2-uppföljning"}

    def update_payload(self, obj, world):
        return {"status": "held"}


@pytest.mark.django_db
class TestAttendanceAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/meeting-attendances/"

    def make(self, world):
        return services.add_attendance(actor=world.coordinator, meeting=world._kug.meeting,
                                       member=world._kug.members[1])

    def create_payload(self, world):
        return {"meeting": world._kug.meeting.pk, "guest_name": "Kommunpolis",
                "organization": world.police_org.pk, "present": True}

    def update_payload(self, obj, world):
        return {"present": True}


@pytest.mark.django_db
class TestAgendaItemAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/agenda-items/"

    def make(self, world):
        return services.add_agenda_item(actor=world.coordinator, meeting=world._kug.meeting,
                                        title="Fokusområde 4: Bekämpa systemhotande "
                                              "brottslighet",
                                        focus_area=world._kug.focus_areas[3])

    def create_payload(self, world):
        return {"meeting": world._kug.meeting.pk, "title": "Krogar mot knark",
                "activity": world._kug.krogar.pk}

    def update_payload(self, obj, world):
        return {"minutes": "Polisen och kommunen redovisade läget i krogmiljön."}


@pytest.mark.django_db
class TestDecisionAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/decisions/"

    def make(self, world):
        return services.record_decision(
            actor=world.coordinator, meeting=world._kug.meeting,
            text="KUG godkänner åtgärdsplanen för 2025.")

    def create_payload(self, world):
        return {"meeting": world._kug.meeting.pk,
                "text": "Åtgärdsplanen följs upp i samband med delår 2."}

    def update_payload(self, obj, world):
        return {"text": "KUG godkänner den reviderade åtgärdsplanen för 2025."}


@pytest.mark.django_db
class TestActionItemAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/action-items/"

    def make(self, world):
        return services.create_action_item(
            actor=world.coordinator, meeting=world._kug.meeting, organization=world.police_org,
            person="Kommunpolis", what="Ta fram underlag om narkotika i krogmiljön till KSG.",
            due_date=dt.date(2025, 5, 30))

    def create_payload(self, world):
        return {"meeting": world._kug.meeting.pk, "organization": world.municipality_org.pk,
                "what": "Bjuda in fler krogar till Krogar mot knark.",
                "due_date": "2025-06-15"}

    def update_payload(self, obj, world):
        return {"status": "done"}


@pytest.mark.django_db
class TestComplianceCheckAccess(KugWorld, ScopedModelAccessTests):
    api_base = "/api/v1/compliance-checks/"

    def make(self, world):
        return services.set_compliance_check(
            actor=world.coordinator, agreement=world._kug.agreement, key="pledges_reported",
            checked=True, note="Redovisat på eskilstuna.se")

    def create_payload(self, world):
        # No pledge is recorded: the residents' module has nothing to judge, so a tick may say
        # what the system cannot know.
        return {"agreement": world._kug.agreement.pk, "key": "pledges_published",
                "checked": True, "note": "Löftet publicerat på eskilstuna.se 2026-03-12."}

    def update_payload(self, obj, world):
        return {"note": "Redovisat i trygghetsberedningen."}


@pytest.mark.django_db
def test_contributor_may_mark_own_organisations_action_item_done(world):
    """Social services (a contributor) may close an action item given to them, not others."""
    from samverkan.core.testing import api_client

    meeting = base_meeting(world)
    own = services.create_action_item(actor=world.coordinator, meeting=meeting,
                                      organization=world.social_services,
                                      what="Rapportera läget i SSPF till KUG.")
    other = services.create_action_item(actor=world.coordinator, meeting=meeting,
                                        organization=world.police_org,
                                        what="Ta fram underlag om narkotika i krogmiljön.")
    client = api_client(world.contributor)
    assert client.patch(f"/api/v1/action-items/{own.pk}/", {"status": "done"},
                        format="json").status_code == 200
    assert client.patch(f"/api/v1/action-items/{other.pk}/", {"status": "done"},
                        format="json").status_code == 403
    assert client.post("/api/v1/action-items/", {"meeting": meeting.pk, "what": "x",
                                                 "person": "y"},
                       format="json").status_code == 403
