"""The pages a social worker uses, end to end: open a case, name the team, record consent, a
team meeting with an agreed action, close the case; forms answer in Swedish, never 500."""
from django.test import Client

from samverkan.sspf.models import AgreedAction, Case, CaseMember

from .helpers import verified_client


def test_a_case_from_opening_to_closing(team):
    w = team.world
    client = verified_client(team.responsible, Client)
    page = client.get("/sspf/cases/new/")
    assert page.status_code == 200 and "Öppna ärende" in page.content.decode()
    bad = client.post("/sspf/cases/new/", {
        "programme": team.programme.pk, "owning_unit": w.social_services.pk,
        "person_name": "Påhittad Exempelsson", "personal_number": "20081218-9875",
        "sex": "girl", "guardian_count": 1, "started_on": "2026-02-01"})
    assert bad.status_code == 200 and "kontrollsiffra" in bad.content.decode()
    response = client.post("/sspf/cases/new/", {
        "programme": team.programme.pk, "owning_unit": w.social_services.pk,
        "person_name": "Påhittad Exempelsson", "birth_year": 2011, "sex": "girl",
        "guardian_count": 1, "started_on": "2026-02-01"})
    assert response.status_code == 302
    case = Case.objects.exclude(pk=team.case.pk).get()
    assert case.age_group == "15-17" or case.age_group == "-14"
    response = client.post(f"/sspf/cases/{case.pk}/members/new/", {
        "user": w.police_officer.pk, "organization": w.police_org.pk, "agency": "police",
        "role": "team"})
    assert response.status_code == 302
    wrong = client.post(f"/sspf/cases/{case.pk}/members/new/", {
        "user": w.reader.pk, "organization": w.police_org.pk, "agency": "police",
        "role": "team"})
    assert wrong.status_code == 200 and "tillhör inte" in wrong.content.decode()
    for giver, name in (("young_person", ""), ("guardian", "Vh")):
        response = client.post(f"/sspf/cases/{case.pk}/consents/new/", {
            "given_by": giver, "giver_name": name, "given_on": "2026-02-01",
            "method": "meeting", "note": "SIG-möte", "agencies": ["police"],
            "ends_on": "2026-08-31"})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert CaseMember.objects.get(case=case, user=w.police_officer).access_until is not None
    police = verified_client(w.police_officer, Client)
    police.post(case.get_absolute_url(), {"purpose": "team_meeting"})
    assert "Påhittad Exempelsson" in police.get(case.get_absolute_url()).content.decode()
    assert police.post(f"/sspf/cases/{case.pk}/meetings/new/", {
        "held_on": "2026-02-10", "notes": "Kort"}).status_code == 302
    meeting = case.meetings.get()
    assert police.post(f"/sspf/meetings/{meeting.pk}/actions/new/", {
        "agency": "police", "description": "Orosanmälan följs upp",
        "deadline": "2026-03-01"}).status_code == 302
    action = AgreedAction.objects.get(meeting=meeting)
    assert police.post(f"/sspf/actions/{action.pk}/done/").status_code == 302
    assert police.get(f"/sspf/cases/{case.pk}/edit/").status_code == 403
    assert client.post(f"/sspf/cases/{case.pk}/close/", {
        "closed_on": "2026-01-01"}).status_code == 200  # before the start: a form error
    assert client.post(f"/sspf/cases/{case.pk}/close/", {
        "closed_on": "2026-02-28", "left_criminal_environment": "true",
        "in_education_or_work": "true"}).status_code == 302
    assert police.get(case.get_absolute_url()).status_code == 404
    case.refresh_from_db()
    assert case.status == "closed" and case.broken_loose
    assert client.get(f"/sspf/cases/{case.pk}/outcome/").status_code == 200
    assert client.get("/sspf/").status_code == 200
    assert client.get("/sspf/cases/").status_code == 200
    assert client.post("/sspf/cases/", {"personal_number": "nonsense"}).status_code == 200


def test_a_stale_case_form_is_refused_and_the_name_counts_without_being_shown(team):
    """Optimistic locking on the case's details: a change made meanwhile by another owning
    participant is not overwritten; the form says what changed. The name, number and year of
    birth are left out of the audit log, yet a change of them is a new version (a keyed
    digest): the message names the field, never the old or new value."""
    from samverkan.core import versioning
    from samverkan.core.tests.test_versioning import form_values, open_form
    from samverkan.sspf import services

    from .helpers import verified

    case, url = team.case, f"/sspf/cases/{team.case.pk}/edit/"
    client = verified_client(team.responsible, Client)
    opened = open_form(client, url)
    services.update_case(Case.objects.get(pk=case.pk), actor=verified(team.social_worker),
                         guardian_count=1)
    response = client.post(url, {**opened, "sex": "girl"})
    assert response.status_code == 200
    text = " ".join(response.context["form"].non_field_errors())
    assert "Någon annan har ändrat" in text and "socialsekreterare" in text
    assert "Antal vårdnadshavare: ”2” → ”1”" in text, text
    case.refresh_from_db()
    assert (case.guardian_count, case.sex) == (1, "boy")

    opened = open_form(client, url)
    services.update_case(Case.objects.get(pk=case.pk), actor=verified(team.social_worker),
                         person_name="Testa Testsson Andersson")
    response = client.post(url, {**opened, "sex": "girl"})
    assert response.status_code == 200
    text = " ".join(response.context["form"].non_field_errors())
    assert "Den unges namn: (visas inte) → (ändrat)" in text, text
    assert "Testa Testsson Andersson" not in text and "socialsekreterare" in text
    case.refresh_from_db()
    assert (case.person_name, case.sex) == ("Testa Testsson Andersson", "boy")
    again = form_values(response.content)
    assert again[versioning.FIELD_NAME] == versioning.version_of(case)
    assert client.post(url, again).status_code == 302
    case.refresh_from_db()
    assert (case.person_name, case.sex) == ("Testa Testsson", "girl")
