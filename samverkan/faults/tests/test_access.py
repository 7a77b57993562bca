"""The generic access tests for every model of fault reports."""
import pytest

from samverkan.core.testing import ScopedModelAccessTests
from samverkan.faults import services
from samverkan.faults.models import DeadlineRule, FaultCategory, Open311Client, RoutingRule

pytestmark = pytest.mark.django_db


class TestFaultCategoryAccess(ScopedModelAccessTests):
    api_base = "/api/v1/faults/categories/"

    def make(self, world):
        return services.create_category(actor=world.coordinator, municipality=world.eskilstuna,
                                        slug="test", name="Test",
                                        confidentiality="internal")

    def create_payload(self, world):
        return {"municipality": "0484", "slug": "ny", "name": "Ny kategori"}

    def update_payload(self, obj, world):
        return {"name": "Ändrad"}


class TestDeadlineRuleAccess(ScopedModelAccessTests):
    api_base = "/api/v1/faults/deadline-rules/"

    def make(self, world):
        return services.create_deadline_rule(actor=world.coordinator,
                                             municipality=world.eskilstuna, amount=48,
                                             unit="hours")

    def create_payload(self, world):
        return {"municipality": "0484", "amount": 24, "unit": "hours"}

    def update_payload(self, obj, world):
        return {"amount": 12}

    def page_url(self, obj):
        return None


class TestRoutingRuleAccess(ScopedModelAccessTests):
    api_base = "/api/v1/faults/routing-rules/"

    def make(self, world):
        return services.create_routing_rule(actor=world.coordinator,
                                            municipality=world.eskilstuna,
                                            organization=world.municipality_org)

    def create_payload(self, world):
        return {"municipality": "0484", "organization": world.social_services.pk}

    def update_payload(self, obj, world):
        return {"organization": world.social_services.pk}

    def page_url(self, obj):
        return None


class TestOpen311ClientAccess(ScopedModelAccessTests):
    api_base = "/api/v1/faults/open311-clients/"

    def make(self, world):
        return services.create_open311_client(actor=world.coordinator,
                                              municipality=world.eskilstuna, name="App")

    def create_payload(self, world):
        return {"municipality": "0484", "name": "Ny app"}

    def update_payload(self, obj, world):
        return {"name": "Annan app"}

    def page_url(self, obj):
        return None

    def test_readers_do_not_see_the_key(self, world):
        from samverkan.core.testing import api_client

        obj = self.make(world)
        assert api_client(world.reader).get(self.detail(obj)).json()["api_key"] is None
        assert api_client(world.coordinator).get(self.detail(obj)).json()["api_key"] == \
            obj.api_key


class TestFaultReportAccess(ScopedModelAccessTests):
    api_base = "/api/v1/faults/reports/"

    def _category(self, world):
        return FaultCategory.objects.get_or_create(
            municipality=world.eskilstuna, slug="klotter",
            defaults={"name": "Klotter", "confidentiality": "public"})[0]

    def make(self, world):
        return services.submit_report(municipality=world.eskilstuna,
                                      category=self._category(world), address="Torget",
                                      reporter_email="boende@example.se")

    def create_payload(self, world):
        return {"municipality": "0484", "category": self._category(world).pk,
                "address": "Kungsgatan 3", "description": "Trasig bänk"}

    def update_payload(self, obj, world):
        return {"cost": 500}

    def test_create_writes_one_audit_entry(self, world):
        # Filing writes the report, its first status event: two entries, the report first.
        from samverkan.audit.models import AuditEntry
        from samverkan.core.testing import api_client

        response = api_client(world.coordinator).post(self.api_base,
                                                      self.create_payload(world),
                                                      format="json")
        assert response.status_code == 201, response.content
        entries = AuditEntry.objects.filter(object_id=str(response.json()["id"]),
                                            action="create")
        assert entries.filter(content_type__model="faultreport").count() == 1

    def test_status_through_the_api_and_personal_data_hidden(self, world):
        from samverkan.core.testing import api_client

        obj = self.make(world)
        assert api_client(world.reader).get(self.detail(obj)).json()["reporter_email"] is None
        response = api_client(world.coordinator).post(f"{self.detail(obj)}status/",
                                                      {"status": "closed_not_fixed"},
                                                      format="json")
        assert response.status_code == 400 and "reason" in response.json()
        response = api_client(world.coordinator).post(
            f"{self.detail(obj)}status/", {"status": "fixed", "cost": 900}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "fixed"
        assert api_client(world.reader).post(f"{self.detail(obj)}status/",
                                             {"status": "reopened"},
                                             format="json").status_code == 403
        stats = api_client(world.reader).get("/api/v1/faults/statistics/?by=category").json()
        assert stats[0]["fixed_in_time"] == 1


def test_rules_are_scoped(world):
    assert DeadlineRule.objects.visible_to(world.other_municipality_user).count() == 0
    assert RoutingRule.objects.visible_to(world.reader).count() == 0
    assert Open311Client.objects.visible_to(None).count() == 0


def test_the_handler_changes_its_report_but_only_coordinators_route(world):
    from samverkan.core.testing import api_client

    category = FaultCategory.objects.create(municipality=world.eskilstuna, slug="klotter",
                                            name="Klotter", confidentiality="public")
    report = services.submit_report(municipality=world.eskilstuna, category=category,
                                    address="Torget")
    services.assign(report, actor=world.coordinator, handler=world.social_services)
    url = f"/api/v1/faults/reports/{report.pk}/"
    contributor = api_client(world.contributor)  # a member of the social services
    assert contributor.patch(url, {"cost": 300}, format="json").status_code == 200
    assert contributor.patch(url, {"handler": world.police_org.pk},
                             format="json").status_code == 403
    assert contributor.post(f"{url}status/", {"status": "fixed"},
                            format="json").status_code == 200
    assert api_client(world.coordinator).patch(url, {"handler": world.police_org.pk},
                                               format="json").status_code == 200
    assert contributor.patch(url, {"cost": 400}, format="json").status_code == 403
