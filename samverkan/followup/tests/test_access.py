"""Every model of the follow-up app checked the same way as every other model."""
import datetime as dt

import pytest

from samverkan.audit.models import AuditEntry
from samverkan.core.testing import ScopedModelAccessTests, api_client
from samverkan.followup import services
from samverkan.followup.models import Reminder


@pytest.fixture(autouse=True)
def _plan(request, plan):
    request.instance.plan = plan


class TestFollowUpRoundAccess(ScopedModelAccessTests):
    api_base = "/api/v1/followup-rounds/"

    def make(self, world):
        return services.add_round(actor=world.coordinator, agreement=self.plan.agreement,
                                  kind="tertial", label="T1 2025",
                                  period_start=dt.date(2025, 1, 1),
                                  period_end=dt.date(2025, 4, 30))

    def create_payload(self, world):
        return {"agreement": self.plan.agreement.pk, "kind": "custom",
                "label": "Extra uppföljning inför KUG", "period_start": "2025-09-01",
                "period_end": "2025-10-31"}

    def update_payload(self, obj, world):
        return {"due_date": "2025-05-20"}


class TestActivityReportAccess(ScopedModelAccessTests):
    api_base = "/api/v1/activity-reports/"

    def make(self, world):
        return services.submit_report(
            actor=world.contributor, round=self.plan.delar2, activity=self.plan.night_walking,
            organization=world.social_services, status="green",
            what_was_done="Nattvandring varje fredag och lördag i Skiftinge och Fröslunda.")

    def create_payload(self, world):
        return {"round": self.plan.delar2.pk, "activity": self.plan.noa.pk,
                "organization": world.police_org.pk, "status": "green",
                "what_was_done": "Bidragit till den lokala lägesbilden varje vecka."}

    def update_payload(self, obj, world):
        return {"effects_seen": "Fler unga i riskzon fångas upp tidigt."}


class TestDeviationAccess(ScopedModelAccessTests):
    api_base = "/api/v1/deviations/"

    def make(self, world):
        return services.raise_deviation(
            actor=world.coordinator, activity=self.plan.noa, kind="late",
            reason="Underlaget till lägesbilden har inte levererats sedan mars.",
            proposed_action="Ta upp på nästa KUG.")

    def create_payload(self, world):
        return {"activity": self.plan.night_walking.pk, "kind": "blocked",
                "reason": "Föreningen som nattvandrar saknar vuxna under sommaren."}

    def update_payload(self, obj, world):
        return {"resolved_on": dt.date.today().isoformat(),
                "resolution": "Fler föräldrar anmälde sig efter informationsmöte."}


class TestReminderAccess:
    """Reminders are written by `send_reminders` only; the API reads them."""

    api_base = "/api/v1/followup-reminders/"

    def make(self, world):
        return services._record_reminder(None, self.plan.delar2, self.plan.night_walking,
                                         world.social_services, "due_soon", world.contributor,
                                         Reminder.make_key(self.plan.delar2.pk,
                                                           self.plan.night_walking.pk,
                                                           world.social_services.pk,
                                                           "due_soon", world.contributor.pk))

    def test_visibility(self, world):
        before = AuditEntry.objects.count()
        reminder = self.make(world)
        assert AuditEntry.objects.count() == before + 1
        detail = f"{self.api_base}{reminder.pk}/"
        assert api_client().get(detail).status_code in (401, 403)
        assert api_client(world.no_role_user).get(detail).status_code == 404
        assert api_client(world.other_municipality_user).get(detail).status_code == 404
        assert api_client(world.reader).get(detail).status_code == 200
        assert api_client(world.coordinator).delete(detail).status_code == 405
        assert api_client(world.coordinator).post(self.api_base, {}).status_code == 405

    def test_restricted(self, world):
        reminder = self.make(world)
        reminder.confidentiality = "restricted"
        reminder.save()
        reminder.restricted_to.set([world.police_org])
        detail = f"{self.api_base}{reminder.pk}/"
        assert api_client(world.police_officer).get(detail).status_code == 200
        assert api_client(world.reader).get(detail).status_code == 404
