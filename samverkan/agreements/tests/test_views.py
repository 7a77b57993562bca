"""The agreement pages: what they show, who may change what, and that page forms write through
the services (one audit entry per record)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from samverkan.agreements import services
from samverkan.agreements.models import Agreement, FocusArea, ForumMember, Party, SubGoal
from samverkan.agreements.views import agreement_history
from samverkan.audit.models import AuditEntry
from samverkan.core.services import _removed_with
from samverkan.core.testing import api_client, audit_count
from samverkan.plans import services as plan_services

from . import seed


@pytest.fixture
def agreement(world):
    return seed.full_eskilstuna(world)


@pytest.fixture
def plan(world, agreement):
    """One activity per status family with both parties' contributions, and an indicator with
    a measurement (the 2016 plan's night-walking groups: 2 -> 8)."""
    focus_area = agreement.focus_areas.get(number=2)
    sub_goal = focus_area.sub_goals.get(number=1)
    planned = plan_services.create_activity(
        actor=world.coordinator, focus_area=focus_area, sub_goal=sub_goal, status="planned",
        title="Förankra och implementera en strukturerad metod, för samarbetet mellan "
              "kommunen och polisen kring de unga på individnivå.",
        contributions=[
            {"party": "municipality", "text": "Arbetet påbörjas i Fröslunda/Lagersberg. "
                                              "(SN, BUN, KFN)"},
            {"party": "police", "text": "Ingå i samverkansmodellen."}])
    ongoing = plan_services.create_activity(
        actor=world.coordinator, focus_area=focus_area, status="ongoing",
        title="Fältande socialsekreterare är utsedda i två specifika områden (Lagersberg, "
              "Fröslunda).",
        contributions=[{"party": "police", "text": "Områdespolis i de prioriterade områdena."}])
    indicator = plan_services.create_indicator(
        actor=world.coordinator, focus_area=focus_area, name="Antal nattvandrargrupper",
        baseline_value=2, target_value=8)
    plan_services.add_measurement(actor=world.coordinator, indicator=indicator,
                                  measured_on=datetime.date(2025, 6, 1), value=5)
    return {"focus_area": focus_area, "planned": planned, "ongoing": ongoing,
            "indicator": indicator}


def login(client, user):
    client.force_login(user)
    return client


# -- overview -----------------------------------------------------------------------------------

def test_overview_shows_the_whole_agreement(world, client, agreement, plan):
    html = login(client, world.coordinator).get(agreement.get_absolute_url()).content.decode()
    assert seed.ESKILSTUNA_TITLE in html
    assert seed.ESKILSTUNA_GOAL in html
    assert "Gällande" in html  # status badge
    assert "14 december 2023" in html and "27 november 2023" in html
    assert "Eskilstuna kommun" in html and "Lokalpolisområde Eskilstuna" in html
    for title, _track, sub_goals in seed.FOCUS_AREAS:
        assert title in html
        for text in sub_goals:
            assert text in html
    assert "Planerad 1" in html and "Pågående 1" in html and "1 indikator" in html
    assert seed.KUG_NAME in html and "Direktör för social hållbarhet" in html
    assert "KSG Systemhotande brottslighet" in html
    assert "Eventuella avvikelser följs upp månadsvis." in html
    assert "Delårsrapport (delår 2)" in html
    assert "Liv &amp; hälsa" in html and "Skiftinge" in html
    assert "Syfte" in html and "Boverkets sammanställning" in html
    assert "Kommun och polis ska utveckla en gemensam och tydlig kommunikation" in html
    assert reverse("plans:activity_list") + f"?agreement={agreement.pk}" in html
    assert reverse("agreements:agreement_update", args=[agreement.pk]) in html
    assert 'id="history"' in html


def test_overview_shows_plan_export_buttons_only_when_they_exist(world, client, agreement):
    from django.urls import NoReverseMatch

    html = login(client, world.coordinator).get(agreement.get_absolute_url()).content.decode()
    try:
        url = reverse("plans:plan_export", args=[agreement.pk])
    except NoReverseMatch:
        assert "format=xlsx" not in html
    else:
        assert f"{url}?format=xlsx" in html and f"{url}?format=docx" in html


def test_reader_sees_no_edit_buttons_and_gets_403(world, client, agreement, plan):
    login(client, world.reader)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert seed.ESKILSTUNA_GOAL in html
    assert "/edit/" not in html and "/new/" not in html and "/delete/" not in html
    assert 'id="history"' not in html
    focus_area = plan["focus_area"]
    html = client.get(focus_area.get_absolute_url()).content.decode()
    assert "/edit/" not in html and "/new/" not in html
    forum = agreement.forums.first()
    assert "/edit/" not in client.get(forum.get_absolute_url()).content.decode()
    party = agreement.parties.first()
    member = ForumMember.objects.filter(forum=forum).first()
    sub_goal = focus_area.sub_goals.first()
    for url in [
        reverse("agreements:agreement_create"),
        reverse("agreements:agreement_update", args=[agreement.pk]),
        reverse("agreements:agreement_delete", args=[agreement.pk]),
        reverse("agreements:party_create", args=[agreement.pk]),
        reverse("agreements:party_update", args=[party.pk]),
        reverse("agreements:focusarea_update", args=[focus_area.pk]),
        reverse("agreements:subgoal_create", args=[focus_area.pk]),
        reverse("agreements:subgoal_delete", args=[sub_goal.pk]),
        reverse("agreements:forum_update", args=[forum.pk]),
        reverse("agreements:forummember_delete", args=[member.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_other_municipality_gets_404_everywhere(world, client, agreement, plan):
    login(client, world.other_municipality_user)
    focus_area = plan["focus_area"]
    forum = agreement.forums.first()
    for url in [
        agreement.get_absolute_url(), focus_area.get_absolute_url(), forum.get_absolute_url(),
        reverse("agreements:agreement_update", args=[agreement.pk]),
        reverse("agreements:agreement_delete", args=[agreement.pk]),
        reverse("agreements:party_create", args=[agreement.pk]),
        reverse("agreements:focusarea_create", args=[agreement.pk]),
        reverse("agreements:subgoal_create", args=[focus_area.pk]),
        reverse("agreements:forummember_create", args=[forum.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("agreements:agreement_list")).content.decode()
    assert seed.ESKILSTUNA_TITLE not in listing


def test_agreement_list_filters(world, client, agreement):
    login(client, world.coordinator)
    url = reverse("agreements:agreement_list")
    assert seed.ESKILSTUNA_TITLE in client.get(url).content.decode()
    assert seed.ESKILSTUNA_TITLE in client.get(url, {"year": 2025}).content.decode()
    assert seed.ESKILSTUNA_TITLE not in client.get(url, {"year": 2019}).content.decode()
    assert seed.ESKILSTUNA_TITLE not in client.get(url, {"status": "draft"}).content.decode()


# -- page forms ---------------------------------------------------------------------------------

def agreement_form_data(**extra):
    return {"title": seed.ESKILSTUNA_TITLE, "start_date": "2024-01-01",
            "end_date": "2027-12-31", "status": "decided", "council_decision_date": "2023-12-14",
            "overall_goal": seed.ESKILSTUNA_GOAL, "confidentiality": "internal", **extra}


def test_create_through_the_page_writes_one_audit_entry(world, client):
    login(client, world.coordinator)
    form = client.get(reverse("agreements:agreement_create"))
    assert form.status_code == 200
    # The only municipality and police organisations are chosen in advance.
    assert form.context["form"].initial["municipality_party"] == world.municipality_org.pk
    before = audit_count()
    response = client.post(reverse("agreements:agreement_create"), agreement_form_data())
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert audit_count() == before + 1
    entry = AuditEntry.objects.first()
    assert entry.action == "create" and entry.actor == world.coordinator
    assert agreement.municipality_id == "0484" and agreement.overall_goal == seed.ESKILSTUNA_GOAL


def test_create_with_parties_audits_each_record(world, client):
    login(client, world.coordinator)
    before = audit_count()
    client.post(reverse("agreements:agreement_create"), agreement_form_data(
        municipality_party=world.municipality_org.pk, police_party=world.police_org.pk))
    agreement = Agreement.objects.get()
    roles = dict(agreement.parties.values_list("organization__name", "role"))
    assert roles == {"Eskilstuna kommun": "municipality",
                     "Lokalpolisområde Eskilstuna": "police"}
    assert audit_count() == before + 3  # the agreement and its two parties


def test_edit_through_the_page_writes_one_audit_entry(world, client, agreement):
    login(client, world.coordinator)
    url = reverse("agreements:agreement_update", args=[agreement.pk])
    assert "municipality_party" not in client.get(url).context["form"].fields
    before = audit_count()
    data = agreement_form_data(status="evaluated", evaluation_year="2027",
                               purpose=seed.ESKILSTUNA_PURPOSE)
    response = client.post(url, data)
    assert response.status_code == 302
    assert audit_count() == before + 1
    entry = AuditEntry.objects.first()
    assert entry.action == "update"
    assert (entry.changes["before"]["status"], entry.changes["after"]["status"]) == (
        "active", "evaluated")


def test_child_forms_write_one_audit_entry_each(world, client, agreement):
    login(client, world.coordinator)
    focus_area = agreement.focus_areas.get(number=4)
    forum = agreement.forums.get(abbreviation="KUG")
    cases = [
        (reverse("agreements:focusarea_create", args=[agreement.pk]),
         {"title": "Trafik", "track": "safety_creating", "confidentiality": "internal"}),
        (reverse("agreements:subgoal_create", args=[focus_area.pk]),
         {"text": seed.FOCUS_AREAS[1][2][4]}),
        (reverse("agreements:forummember_create", args=[forum.pk]),
         {"function": "Säkerhetschef", "organization": world.municipality_org.pk,
          "role": "member"}),
        (reverse("agreements:signatory_create", args=[agreement.pk]),
         {"name": "Jimmy Jansson", "organization": world.municipality_org.pk}),
        (reverse("agreements:followupentry_create", args=[agreement.pk]),
         {"text": "Åtgärdsplanen följs upp i samband med helårsrapportering.",
          "kind": "annual", "forum": forum.pk}),
        (reverse("agreements:datasource_create", args=[agreement.pk]),
         {"name": "Nöjd kundindex"}),
        (reverse("agreements:priorityarea_update",
                 args=[agreement.priority_areas.get(name="Årby").pk]),
         {"name": "Årby", "description": "Samverkansöverenskommelsen fokuserar i första hand "
                                         "på följande geografiska områden; Skiftinge, Årby, "
                                         "Fröslunda och Lagersberg."}),
    ]
    for url, data in cases:
        before = audit_count()
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content[:2000])
        assert audit_count() == before + 1, url
    new_area = FocusArea.objects.get(title="Trafik")
    assert new_area.number == 5  # the next free number
    assert SubGoal.objects.get(focus_area=focus_area, text=seed.FOCUS_AREAS[1][2][4]).number == 7
    data_source = agreement.data_sources.get(name="Nöjd kundindex")
    assert data_source.used is False  # an unticked box: considered but left out


def test_child_form_returns_to_the_section(world, client, agreement):
    login(client, world.coordinator)
    response = client.post(reverse("agreements:party_create", args=[agreement.pk]),
                           {"organization": world.social_services.pk, "role": "other"})
    assert response["Location"] == agreement.get_absolute_url() + "#parties"
    focus_area = agreement.focus_areas.get(number=1)
    next_url = focus_area.get_absolute_url()
    response = client.post(
        reverse("agreements:subgoal_update", args=[focus_area.sub_goals.first().pk])
        + f"?next={next_url}", {"number": 1, "text": "Förebyggt och motverkat våldet i "
                                                     "nätverkskriminella miljöer"})
    assert response["Location"] == next_url
    response = client.post(reverse("agreements:focusarea_delete", args=[focus_area.pk])
                           + f"?next={next_url}")
    assert response["Location"] == agreement.get_absolute_url() + "#focus-areas"
    assert not FocusArea.objects.filter(pk=focus_area.pk).exists()


def test_delete_agreement_through_the_page(world, client, agreement, plan):
    login(client, world.coordinator)
    url = reverse("agreements:agreement_delete", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "4 fokusområden, 2 aktiviteter, 3 forum" in page
    before = audit_count()
    removed = len(_removed_with(agreement))  # one entry each for what goes with it
    response = client.post(url)
    assert response["Location"] == reverse("agreements:agreement_list")
    assert audit_count() == before + 1 + removed
    assert not Agreement.objects.exists()


# -- validation ---------------------------------------------------------------------------------

def test_end_before_start_is_refused_in_swedish(world, client):
    login(client, world.coordinator)
    response = client.post(reverse("agreements:agreement_create"),
                           agreement_form_data(start_date="2027-12-31", end_date="2024-01-01"))
    assert response.status_code == 200
    assert "Perioden måste sluta efter att den har börjat." in response.content.decode()
    assert not Agreement.objects.exists()
    api = api_client(world.coordinator).post("/api/v1/agreements/", {
        "municipality": "0484", "title": seed.ESKILSTUNA_TITLE, "start_date": "2027-12-31",
        "end_date": "2024-01-01"}, format="json")
    assert api.status_code == 400
    assert api.json()["end_date"] == ["Perioden måste sluta efter att den har börjat."]


def test_organisation_of_another_municipality_is_refused(world, client, agreement):
    with pytest.raises(ValidationError) as error:
        services.add_party(actor=world.coordinator, agreement=agreement,
                           organization=world.karlshamn_org, role="other")
    assert error.value.message_dict["organization"] == ["Detta tillhör en annan kommun."]
    with pytest.raises(ValidationError):
        services.add_signatory(actor=world.coordinator, agreement=agreement,
                               name="Per-Ola Mattsson", organization=world.karlshamn_org)
    count = Agreement.objects.count()
    with pytest.raises(ValidationError):
        services.create_agreement(
            actor=world.coordinator, municipality=world.eskilstuna, title="X",
            start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2027, 12, 31),
            parties=[(world.karlshamn_org, "other")])
    assert Agreement.objects.count() == count  # nothing half-written
    # The page form does not offer it, and refuses it when posted anyway.
    login(client, world.coordinator)
    url = reverse("agreements:party_create", args=[agreement.pk])
    assert "Karlshamns kommun" not in client.get(url).content.decode()
    response = client.post(url, {"organization": world.karlshamn_org.pk, "role": "other"})
    assert response.status_code == 200 and not Party.objects.filter(
        organization=world.karlshamn_org).exists()
    # Nor does the API.
    response = api_client(world.coordinator).post("/api/v1/parties/", {
        "agreement": agreement.pk, "organization": world.karlshamn_org.pk, "role": "other"},
        format="json")
    assert response.status_code == 400


def test_a_party_is_listed_once(world, agreement):
    with pytest.raises(ValidationError) as error:
        services.add_party(actor=world.coordinator, agreement=agreement,
                           organization=world.police_org, role="police")
    assert error.value.message_dict["organization"] == [
        "Organisationen är redan part i överenskommelsen."]


def test_followup_forum_must_belong_to_the_agreement(world, agreement):
    other = seed.eskilstuna_agreement(world, parties=False)
    forum = agreement.forums.first()
    with pytest.raises(ValidationError) as error:
        services.add_followup_entry(actor=world.coordinator, agreement=other, kind="annual",
                                    text="Helårsrapportering", forum=forum)
    assert "forum" in error.value.message_dict


def test_children_of_a_restricted_agreement_are_restricted_too(world):
    agreement = seed.eskilstuna_agreement(world, parties=False)
    services.update_agreement(agreement, actor=world.coordinator, confidentiality="restricted",
                              restricted_to=[world.police_org, world.municipality_org])
    focus_area = seed.eskilstuna_focus_area(world, agreement, 0)
    assert focus_area.confidentiality == "restricted"
    assert set(focus_area.restricted_to.all()) == {world.police_org, world.municipality_org}
    assert focus_area.sub_goals.first().confidentiality == "restricted"
    response = api_client(world.contributor).get("/api/v1/focus-areas/")
    assert response.json()["count"] == 0


# -- focus area and forum pages -----------------------------------------------------------------

def test_focus_area_page(world, client, agreement, plan):
    focus_area = plan["focus_area"]
    focus_area = services.update_focus_area(
        focus_area, actor=world.coordinator,
        problem_description="Pojkar och unga män är överrepresenterade.\nI undersökningar som "
                            "Liv & Hälsa ung (2014) anser unga att det är lätt att få tag på "
                            "narkotika.")
    html = login(client, world.coordinator).get(focus_area.get_absolute_url()).content.decode()
    assert "Stoppa nyrekrytering av barn och unga i kriminalitet" in html
    assert "Pojkar och unga män är överrepresenterade.\nI undersökningar" in html  # line breaks
    assert "Delmål 1: Växlat upp och utvecklat samarbete" in html
    assert "Utan delmål" in html
    assert plan["planned"].title in html and "Ingå i samverkansmodellen." in html
    assert "Antal nattvandrargrupper" in html and "50 %" in html
    assert reverse("plans:activity_create") + f"?focus_area={focus_area.pk}" in html
    assert reverse("plans:indicator_create") + f"?focus_area={focus_area.pk}" in html
    assert "3. Trygga det offentliga rummet" in html  # the next focus area
    # Activities under sub-goal 1 come before those without one.
    assert html.index(plan["planned"].title) < html.index(plan["ongoing"].title)


def test_forum_page(world, client, agreement):
    forum = agreement.forums.get(abbreviation="KUG")
    html = login(client, world.reader).get(forum.get_absolute_url()).content.decode()
    assert seed.KUG_NAME in html and "Strategiskt råd" in html
    assert "Direktör för social hållbarhet" in html and "Ordförande" in html
    assert "HR-direktör" in html and "Adjungerad" in html
    assert "Lokalpolisområde Eskilstuna" in html
    assert "Lag (2023:196)" in html
    assert "delår 2" in html  # the follow-up entry this forum handles


def test_fallback_tables_render(world, agreement, plan):
    activities = list(plan["focus_area"].activities.all())
    for activity in activities:
        activity.by_party = {}
        for contribution in activity.contributions.all():
            activity.by_party.setdefault(contribution.party, []).append(contribution)
    html = render_to_string("agreements/_activity_table.html", {"activities": activities})
    assert "Ingå i samverkansmodellen." in html and "Planerad" in html
    indicator = plan["indicator"]
    indicator.latest = indicator.latest_measurement()
    indicator.share = indicator.progress()
    html = render_to_string("agreements/_indicator_table.html", {"indicators": [indicator]})
    assert "--value: 50" in html and ">5<" in html


def test_home_page_opens_the_active_agreement(world, client, agreement):
    seed.eskilstuna_agreement(world, parties=False)  # a second one, also active
    html = login(client, world.reader).get("/").content.decode()
    assert "Den gällande överenskommelsen" in html
    assert agreement.get_absolute_url() in html and "Öppna överenskommelsen" in html
    assert reverse("agreements:agreement_create") not in html  # readers create nothing


def test_history_covers_records_inside_the_agreement(world, agreement):
    focus_area = agreement.focus_areas.get(number=1)
    sub_goal = focus_area.sub_goals.first()
    services.remove_sub_goal(sub_goal, actor=world.coordinator)
    entries = agreement_history(agreement, world.coordinator, limit=500)
    kinds = {(entry.content_type.model, entry.action) for entry in entries}
    assert ("subgoal", "delete") in kinds and ("forummember", "create") in kinds
    assert ("agreement", "create") in kinds and ("party", "create") in kinds
    other = seed.karlshamn_agreement(world)
    assert not any(entry.municipality_id == other.municipality_id for entry in entries)


def test_history_leaves_out_restricted_records_of_other_organisations(world, agreement):
    police_only = services.create_focus_area(
        actor=world.police_officer, agreement=agreement, title="Polisens inre arbete",
        confidentiality="restricted", restricted_to=[world.police_org])
    key = ("focusarea", str(police_only.pk))
    seen = {(e.content_type.model, e.object_id)
            for e in agreement_history(agreement, world.coordinator, limit=500)}
    assert key not in seen
    seen = {(e.content_type.model, e.object_id)
            for e in agreement_history(agreement, world.police_officer, limit=500)}
    assert key in seen


def test_joint_commitments_terms_and_practices_pages(client, world):
    """A coordinator adds the agreement's own texts on its page; a focus area of another
    agreement is refused; the focus area's page shows what belongs to it."""
    from samverkan.agreements.models import Commitment, Definition, Practice

    agreement = seed.eskilstuna_agreement(world, parties=False)
    area = seed.eskilstuna_focus_area(world, agreement, 3, with_sub_goals=False)
    other = services.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Annan",
        start_date=agreement.start_date, end_date=agreement.end_date)
    other_area = services.create_focus_area(actor=world.coordinator, agreement=other,
                                            title="Annat")
    client.force_login(world.coordinator)
    response = client.post(reverse("agreements:commitment_create", args=[agreement.pk]), {
        "text": "Vi åtar oss att utveckla gemensam kommunikation.",
        "explanation": "Kommun och polis ska utveckla en gemensam och tydlig kommunikation."})
    assert response.status_code == 302
    assert Commitment.objects.get(agreement=agreement).number == 1
    response = client.post(reverse("agreements:definition_create", args=[agreement.pk]), {
        "term": "Välfärdsbrottslighet", "text": "alla typer av fusk", "focus_area": other_area.pk})
    assert response.status_code == 200  # another agreement's focus area is not a choice
    assert not Definition.objects.exists()
    response = client.post(reverse("agreements:definition_create", args=[agreement.pk]), {
        "term": "Välfärdsbrottslighet", "text": "alla typer av fusk", "focus_area": area.pk})
    assert response.status_code == 302
    response = client.post(reverse("agreements:practice_create", args=[agreement.pk]), {
        "title": "Kamerabevakning", "text": "Inget ljud spelas in.",
        "responsible_text": "Eskilstuna kommun", "focus_area": area.pk})
    assert response.status_code == 302
    assert Practice.objects.get().focus_area == area

    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Vi åtar oss att utveckla gemensam kommunikation." in html
    assert "Välfärdsbrottslighet" in html and "Inget ljud spelas in." in html
    html = client.get(area.get_absolute_url()).content.decode()
    assert "Välfärdsbrottslighet" in html and "Kamerabevakning" in html
    client.force_login(world.reader)
    assert client.get(reverse("agreements:commitment_create",
                              args=[agreement.pk])).status_code == 403


def test_an_agreement_is_named_with_its_period_once(world):
    """The seeds' titles end with the period already ("… lokalpolisområde Eskilstuna
    2024–2027"): it is not repeated; a title without it gets it."""
    named = Agreement(title="Samverkansöverenskommelse Eskilstuna 2024–2027",
                      start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2027, 12, 31))
    assert str(named) == "Samverkansöverenskommelse Eskilstuna 2024–2027"
    named.title = "Samverkansöverenskommelse Eskilstuna"
    assert str(named) == "Samverkansöverenskommelse Eskilstuna 2024–2027"
