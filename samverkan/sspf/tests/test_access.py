"""Only a case's named participants read it: the owning unit always, other agencies while a
consent covers them; never the collaboration's coordinators or superusers; every read audited."""
import datetime as dt

import pytest
from django.test import Client

from samverkan.audit.models import AuditEntry
from samverkan.core import access
from samverkan.core.testing import api_client
from samverkan.sspf import services
from samverkan.sspf.choices import Agency, CaseStatus
from samverkan.sspf.models import Case, CaseMember, Consent

from .helpers import NAME, verified, verified_client


def _sees(user, case) -> bool:
    """Page, API detail and API list agree; returns whether the user sees the case."""
    client = verified_client(user, Client)
    page = client.post(case.get_absolute_url(), {"purpose": "handling"}, follow=True)
    api = verified_client(user)
    detail = api.get(f"/api/v1/sspf-cases/{case.pk}/?purpose=handling")
    listing = api.get("/api/v1/sspf-cases/").json()
    assert "results" in listing, listing
    ids = [row["id"] for row in listing["results"]]
    assert page.status_code in (200, 404) and detail.status_code in (200, 404)
    seen = {page.status_code == 200, detail.status_code == 200, case.pk in ids}
    assert len(seen) == 1, (page.status_code, detail.status_code, ids)
    if page.status_code == 200:
        assert NAME in page.content.decode()
    return seen.pop()


def test_police_member_sees_the_case_only_while_consent_covers_the_police(team, monkeypatch):
    w = team.world
    case = team.case
    assert case.status == CaseStatus.REFERRED
    assert _sees(team.responsible, case)             # the owning unit: always
    assert _sees(team.social_worker, case)
    assert not _sees(w.police_officer, case)         # no consent: nothing, not even a 403
    # The young person's consent alone is not enough while they are under 18.
    young, *guardians = team.consent_all()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert _sees(w.police_officer, case) and _sees(team.teacher, case)
    # Withdrawing one guardian's consent ends the police's access the same moment.
    services.withdraw_consent(guardians[0], actor=team.responsible)
    assert not _sees(w.police_officer, case) and not _sees(team.teacher, case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSENT_PENDING
    assert _sees(team.responsible, case)


def test_consent_for_the_school_only_does_not_open_it_to_the_police(team):
    team.consent_all(agencies=[Agency.SCHOOL])
    assert _sees(team.teacher, team.case)
    assert not _sees(team.world.police_officer, team.case)


def test_access_ends_with_the_consent_end_date(team, monkeypatch):
    team.consent_all(ends_on=dt.date(2026, 3, 1))
    assert _sees(team.world.police_officer, team.case)
    monkeypatch.setattr("samverkan.sspf.models.local_today", lambda: dt.date(2026, 3, 2))
    assert not _sees(team.world.police_officer, team.case)


def test_closing_ends_other_agencies_access(team):
    team.consent_all()
    services.close_case(team.case, actor=team.responsible, closed_on=dt.date(2026, 2, 20),
                        left_criminal_environment=True, in_education_or_work=True)
    assert not _sees(team.world.police_officer, team.case)
    assert _sees(team.responsible, team.case)


def test_coordinators_and_superusers_never_see_a_case(team):
    team.consent_all()
    w = team.world
    for user in (w.coordinator, team.superuser, w.reader, w.other_municipality_user):
        assert not _sees(user, team.case), user
        verified(user)
        assert not access.can_view(user, team.case)
        assert not Case.objects.visible_to(user).exists()
        for model in (CaseMember, Consent):
            assert not model.objects.visible_to(user).exists()
    # The admin has no door to cases either, and the general audit log hides their entries.
    admin = verified_client(team.superuser, Client)  # an operator with two factors
    assert admin.get(f"/admin/sspf/case/{team.case.pk}/change/").status_code in (403, 404)
    assert admin.get("/admin/sspf/case/").status_code == 403
    assert not access.filter_audit(AuditEntry.objects.all(), team.superuser).filter(
        object_repr__contains=team.case.reference).exists()
    assert not access.filter_audit(AuditEntry.objects.all(), w.coordinator).filter(
        object_repr__contains=team.case.reference).exists()


def test_two_factor_is_required(team):
    from samverkan.accounts.tests.helpers import enrol

    team.consent_all()
    client = Client()
    client.force_login(team.world.contributor)
    response = client.get(team.case.get_absolute_url())
    assert response.status_code == 302 and "/account/two-factor/setup/" in response["Location"]
    enrol(team.world.contributor)
    client = Client()
    client.force_login(team.world.contributor)
    response = client.get(team.case.get_absolute_url())
    assert response.status_code == 302 and "/account/two-factor/verify/" in response["Location"]
    # A fresh user object, as an API token or a session without a second factor gives.
    plain = type(team.world.contributor).objects.get(pk=team.world.contributor.pk)
    response = api_client(plain).get("/api/v1/sspf-cases/")
    assert response.status_code == 403 and NAME not in response.content.decode()
    assert not Case.objects.visible_to(plain).exists()


def test_every_read_is_audited_with_its_purpose(team):
    team.consent_all()
    case = team.case
    before = AuditEntry.objects.for_object(case).filter(action="view").count()
    client = verified_client(team.world.police_officer, Client)
    assert client.get(case.get_absolute_url()).status_code == 200  # asks for the purpose
    assert AuditEntry.objects.for_object(case).filter(action="view").count() == before
    client.post(case.get_absolute_url(), {"purpose": "team_meeting"})
    client.get(case.get_absolute_url())
    api = verified_client(team.world.police_officer)
    assert api.get(f"/api/v1/sspf-cases/{case.pk}/").status_code == 400  # no purpose
    api.get(f"/api/v1/sspf-cases/{case.pk}/?purpose=follow_up")
    api.get("/api/v1/sspf-cases/")
    api.get(f"/api/v1/sspf-consents/?case={case.pk}")
    reads = AuditEntry.objects.for_object(case).filter(action="view").order_by("pk")
    assert [(r.changes["after"]["purpose"], r.changes["after"]["channel"]) for r in reads
            if r.actor == team.world.police_officer] == [
        ("team_meeting", "page"), ("follow_up", "api"), ("overview", "api"),
        ("handling", "api")]
    # The responsible person lists who read what; the police member may not.
    log = verified_client(team.responsible, Client).get(f"/sspf/cases/{case.pk}/reads/")
    assert log.status_code == 200 and "Lagerberg" not in log.content.decode()
    assert "police_officer" in log.content.decode()
    assert client.get(f"/sspf/cases/{case.pk}/reads/").status_code == 403
    responsible = verified_client(team.responsible, Client)
    responsible.get(f"/sspf/cases/{case.pk}/edit/")
    details = [r.changes["after"]["detail"] for r in AuditEntry.objects.for_object(case)
               .filter(action="view", actor=team.responsible)]
    assert "read log" in details and "edit form" in details


def test_personal_data_is_encrypted_and_found_by_keyed_hash(team):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name, personal_number, personal_number_hash "
                       "FROM sspf_case WHERE id = %s", [team.case.pk])
        name, pin, digest = cursor.fetchone()
    assert NAME not in name and "9876" not in pin and "9876" not in digest
    assert Case.objects.get(pk=team.case.pk).person_name == NAME
    found = services.find_by_personal_number(team.responsible, "081218-9876")
    assert list(found) == [team.case]
    assert not services.find_by_personal_number(verified(team.world.coordinator),
                                                "20081218-9876").exists()
    # Nothing personal in the audit log.
    for entry in AuditEntry.objects.all():
        assert NAME not in str(entry.changes) and "9876" not in str(entry.changes)


def test_key_rotation_keeps_the_data_readable(team, settings):
    from django.core.management import call_command

    from samverkan.sspf import crypto

    old = list(settings.SSPF_FIELD_KEYS)
    settings.SSPF_FIELD_KEYS = ["a-new-key-for-the-test", *old]
    call_command("sspf_rotate_keys", stdout=__import__("io").StringIO())
    settings.SSPF_FIELD_KEYS = ["a-new-key-for-the-test"]
    assert Case.objects.get(pk=team.case.pk).person_name == NAME
    crypto._cache.clear()


def test_writes_by_other_agencies_are_refused(team):
    from django.core.exceptions import PermissionDenied

    team.consent_all()
    police = verified(team.world.police_officer)
    with pytest.raises(PermissionDenied):
        services.update_case(team.case, actor=police, person_name="X")
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(team.case.consents.first(), actor=police)
    api = verified_client(police)
    assert api.patch(f"/api/v1/sspf-cases/{team.case.pk}/", {"sex": "girl"},
                     format="json").status_code == 403
    # The team records meetings and actions together.
    meeting = services.add_meeting(team.case, actor=police, held_on=dt.date(2026, 2, 1),
                                   notes="Kort anteckning")
    action = services.add_action(meeting, actor=police, agency=Agency.POLICE,
                                 description="Samtal med familjen")
    services.mark_action_done(action, actor=police)


def test_signed_form_is_stored_encrypted_and_read_by_participants_only(team, settings,
                                                                       tmp_path):
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4 samtycke " + NAME.encode()
    client = verified_client(team.responsible, Client)
    response = client.post(f"/sspf/cases/{team.case.pk}/consents/new/", {
        "given_by": "young_person", "given_on": "2026-01-15", "method": "signed_form",
        "agencies": ["police"], "ends_on": "2026-12-31",
        "document": SimpleUploadedFile("samtycke.pdf", pdf, content_type="application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = Consent.objects.get(case=team.case)
    stored = Path(tmp_path, consent.document_path).read_bytes()
    assert NAME.encode() not in stored and b"%PDF" not in stored
    download = client.get(f"/sspf/consents/{consent.pk}/document/")
    assert download.content == pdf
    assert AuditEntry.objects.for_object(team.case).filter(
        action="view", changes__after__channel="document").exists()
    # A form is required for a signed consent; a wrong type is refused in Swedish.
    response = client.post(f"/sspf/cases/{team.case.pk}/consents/new/", {
        "given_by": "young_person", "given_on": "2026-01-15", "method": "signed_form",
        "agencies": ["police"], "ends_on": "2026-12-31",
        "document": SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdos")})
    assert response.status_code == 200 and "PDF, JPEG eller PNG" in response.content.decode()
    # Not covered yet (the guardians have not consented): the police get nothing.
    police = verified_client(team.world.police_officer, Client)
    assert police.get(f"/sspf/consents/{consent.pk}/document/").status_code == 404


def test_consent_through_the_api_and_withdrawal(team):
    api = verified_client(team.responsible)
    for giver, name in (("young_person", ""), ("guardian", "A"), ("guardian", "B")):
        response = api.post("/api/v1/sspf-consents/", {
            "case": team.case.pk, "given_by": giver, "giver_name": name,
            "given_on": "2026-01-15", "method": "meeting", "agencies": ["police"],
            "ends_on": "2026-12-31", "note": "SIG-möte"}, format="json")
        assert response.status_code == 201, response.content
    bad = api.post("/api/v1/sspf-consents/", {
        "case": team.case.pk, "given_by": "guardian", "given_on": "2026-01-15",
        "method": "meeting", "agencies": [], "ends_on": "2025-12-31"}, format="json")
    assert bad.status_code == 400
    police = verified_client(team.world.police_officer)
    assert police.get(f"/api/v1/sspf-cases/{team.case.pk}/?purpose=handling").status_code == 200
    consent_id = response.json()["id"]
    assert police.post(f"/api/v1/sspf-consents/{consent_id}/withdraw/").status_code == 403
    assert api.post(f"/api/v1/sspf-consents/{consent_id}/withdraw/").status_code == 200
    assert police.get(f"/api/v1/sspf-cases/{team.case.pk}/?purpose=handling").status_code == 404
    member = CaseMember.objects.get(case=team.case, user=team.world.police_officer)
    assert member.access_until is None
