"""Access to every model of the agreements app, checked the same way (ScopedModelAccessTests)."""
import pytest

from samverkan.agreements import services
from samverkan.core.testing import ScopedModelAccessTests

from . import seed


class InAgreement(ScopedModelAccessTests):
    """The parent records exist before each test, so that building a create payload writes
    nothing (the tests count audit entries)."""

    @pytest.fixture(autouse=True)
    def _parents(self, world):
        self.agreement = seed.eskilstuna_agreement(world, parties=False)
        self.focus_area = seed.eskilstuna_focus_area(world, self.agreement, 3,
                                                     with_sub_goals=False)
        self.forum = seed.kug(world, self.agreement, with_members=False)


class TestAgreementAccess(ScopedModelAccessTests):
    api_base = "/api/v1/agreements/"

    def make(self, world):
        return seed.eskilstuna_agreement(world, parties=False)

    def create_payload(self, world):
        return {"municipality": "0484", "title": seed.ESKILSTUNA_TITLE,
                "start_date": "2024-01-01", "end_date": "2027-12-31", "status": "decided",
                "council_decision_date": "2023-12-14", "overall_goal": seed.ESKILSTUNA_GOAL}

    def update_payload(self, obj, world):
        return {"evaluation_year": 2027, "status": "evaluated"}


class TestPartyAccess(InAgreement):
    api_base = "/api/v1/parties/"

    def make(self, world):
        agreement = self.agreement
        return services.add_party(actor=world.coordinator, agreement=agreement,
                                  organization=world.police_org, role="police")

    def page_url(self, obj):
        return None  # shown on the agreement's page

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "organization": world.municipality_org.pk,
                "role": "municipality"}

    def update_payload(self, obj, world):
        return {"role": "other"}


class TestSignatoryAccess(InAgreement):
    api_base = "/api/v1/signatories/"

    def make(self, world):
        agreement = self.agreement
        # Eskilstuna's earlier agreement was signed by Jimmy Jansson for the municipality.
        return services.add_signatory(actor=world.coordinator, agreement=agreement,
                                      name="Jimmy Jansson", organization=world.municipality_org)

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "name": "Mats Kirestam",
                "organization": world.police_org.pk}

    def update_payload(self, obj, world):
        return {"signed_on": "2023-11-27"}


class TestPriorityAreaAccess(InAgreement):
    api_base = "/api/v1/priority-areas/"

    def make(self, world):
        agreement = self.agreement
        return services.add_priority_area(actor=world.coordinator, agreement=agreement,
                                          name="Fröslunda")

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "name": "Lagersberg"}

    def update_payload(self, obj, world):
        return {"description": "Prioriterat område i samverkansöverenskommelsen."}


class TestDataSourceAccess(InAgreement):
    api_base = "/api/v1/data-sources/"

    def make(self, world):
        agreement = self.agreement
        return services.add_data_source(actor=world.coordinator, agreement=agreement,
                                        name="Polisens trygghetsmätning")

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "name": "Liv & hälsa", "used": True}

    def update_payload(self, obj, world):
        return {"used": False}


class TestFollowUpEntryAccess(InAgreement):
    api_base = "/api/v1/followup-entries/"

    def make(self, world):
        agreement = self.agreement
        return services.add_followup_entry(actor=world.coordinator, agreement=agreement,
                                           kind="monthly",
                                           text="Eventuella avvikelser följs upp månadsvis.")

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "kind": "annual",
                "text": "Åtgärdsplanen följs upp i samband med helårsrapportering."}

    def update_payload(self, obj, world):
        return {"kind": "continuous"}


class TestFocusAreaAccess(InAgreement):
    api_base = "/api/v1/focus-areas/"

    def make(self, world):
        return seed.eskilstuna_focus_area(world, self.agreement, 0, with_sub_goals=False)

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "number": 3, "title": "Trygga det offentliga rummet",
                "track": "safety_creating"}

    def update_payload(self, obj, world):
        return {"strategy": "situational"}


class TestSubGoalAccess(InAgreement):
    api_base = "/api/v1/sub-goals/"

    def make(self, world):
        focus_area = self.focus_area
        return services.add_sub_goal(actor=world.coordinator, focus_area=focus_area,
                                     text="Motverkat välfärdsbrott")

    def page_url(self, obj):
        return None  # shown on the focus area's page

    def create_payload(self, world):
        focus_area = self.focus_area
        return {"focus_area": focus_area.pk, "number": 6,
                "text": "Förebyggt våldsbejakande extremism"}

    def update_payload(self, obj, world):
        return {"number": 2}


class TestForumAccess(InAgreement):
    api_base = "/api/v1/forums/"

    def make(self, world):
        return services.create_forum(actor=world.coordinator, agreement=self.agreement,
                                     name="KSG Trygghet och strategisk stadsdelsutveckling",
                                     kind="coordination_group")

    def create_payload(self, world):
        agreement = self.agreement
        return {"agreement": agreement.pk, "name": "KSG Systemhotande brottslighet",
                "kind": "coordination_group"}

    def update_payload(self, obj, world):
        return {"cadence_text": "Löpande", "meetings_per_year": 4}


class TestForumMemberAccess(InAgreement):
    api_base = "/api/v1/forum-members/"

    def make(self, world):
        forum = self.forum
        return services.add_forum_member(actor=world.coordinator, forum=forum,
                                         function="Direktör för social hållbarhet",
                                         organization=world.municipality_org, role="chair")

    def page_url(self, obj):
        return obj.forum.get_absolute_url()

    def create_payload(self, world):
        forum = self.forum
        return {"forum": forum.pk, "function": "Kommunpolis",
                "organization": world.police_org.pk}

    def update_payload(self, obj, world):
        return {"role": "convener"}


def test_children_take_the_municipality_of_their_agreement(world):
    agreement = seed.eskilstuna_agreement(world, parties=False)
    signatory = services.add_signatory(actor=world.coordinator, agreement=agreement,
                                       name="Jimmy Jansson")
    assert signatory.municipality_id == "0484"


class TestCommitmentAccess(InAgreement):
    api_base = "/api/v1/commitments/"

    def make(self, world):
        return services.add_commitment(
            actor=world.coordinator, agreement=self.agreement,
            text="Vi åtar oss att utveckla gemensam kommunikation.")

    def page_url(self, obj):
        return None  # shown on the agreement's page

    def create_payload(self, world):
        return {"agreement": self.agreement.pk,
                "text": "Vi åtar oss att prioritera deltagande och ta ansvar för att utveckla "
                        "våra gemensamma forum."}

    def update_payload(self, obj, world):
        return {"explanation": "Kommun och polis ska utveckla en gemensam och tydlig "
                               "kommunikation."}


class TestDefinitionAccess(InAgreement):
    api_base = "/api/v1/terms/"

    def make(self, world):
        return services.add_definition(
            actor=world.coordinator, agreement=self.agreement, term="Otillåten påverkan",
            text="Otillåten påverkan är ett samlingsbegrepp för handlingar som syftar till att "
                 "påverka en tjänsteperson eller förtroendevald.")

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        return {"agreement": self.agreement.pk, "term": "Välfärdsbrottslighet",
                "text": "alla typer av fusk och oegentligheter", "focus_area": self.focus_area.pk}

    def update_payload(self, obj, world):
        return {"source": "Eskilstuna kommuns webbsida"}


class TestPracticeAccess(InAgreement):
    api_base = "/api/v1/practices/"

    def make(self, world):
        return services.add_practice(
            actor=world.coordinator, agreement=self.agreement, title="Kamerabevakning",
            text="Filmer från våra bevakningskameror sparas i normalfallet maximalt 30 dagar.",
            responsible_text="Eskilstuna kommun")

    def page_url(self, obj):
        return None

    def create_payload(self, world):
        return {"agreement": self.agreement.pk, "title": "Klotter",
                "text": "Varje dag sanerar Eskilstuna kommun bort klotter.",
                "responsible_text": "Eskilstuna kommun; ett antal fastighetsägare"}

    def update_payload(self, obj, world):
        return {"focus_area": self.focus_area.pk}
