"""Figures, not people: small groups suppressed on the page, in the API and in the documents;
anonymisation leaves the figures unchanged and the persons gone."""
import datetime as dt
import io
import zipfile

from django.core.management import call_command
from django.test import Client

from samverkan.core.testing import api_client
from samverkan.sspf import figures, services
from samverkan.sspf.models import AgreedAction, Case, CaseMember, Consent, TeamMeeting

from .helpers import NAME


def _open_cases(team, n, *, sex="boy", closed=0, started=dt.date(2026, 1, 10)):
    made = []
    for i in range(n):
        case = services.create_case(
            actor=team.responsible, programme=team.programme,
            owning_unit=team.world.social_services, person_name=f"Påhittad Person {i}",
            birth_year=2010, sex=sex, started_on=started)
        if i < closed:
            services.close_case(case, actor=team.responsible, closed_on=dt.date(2026, 2, 1),
                                left_criminal_environment=True, in_education_or_work=True)
        made.append(case)
    return made


def test_small_groups_are_suppressed_and_cannot_be_worked_out(team):
    _open_cases(team, 6, sex="boy")
    _open_cases(team, 2, sex="girl")
    fig = figures.build(team.programme)
    (period,) = fig.periods
    by_sex = {str(g): c for g, c in period.inflow[1].rows}
    total = period.inflow[1].total
    assert total.count == 9 and not total.suppressed  # the team fixture's case too
    assert by_sex["Flicka"].suppressed
    # Only one group would be hidden: the next smallest is hidden too, or 9 - 7 gives it away.
    assert by_sex["Pojke"].suppressed or by_sex["Annat eller ej angivet"].count == 0
    assert fig.broken_loose.count == 0 and not fig.broken_loose.suppressed


def test_suppression_holds_on_the_page_the_api_and_the_documents(team):
    _open_cases(team, 3, closed=3)
    w = team.world
    client = Client()
    client.force_login(w.reader)  # the whole collaboration reads the figures
    page = client.get(team.programme.get_absolute_url()).content.decode()
    assert "färre än 5" in page and NAME not in page
    data = api_client(w.reader).get(
        f"/api/v1/sspf-programmes/{team.programme.pk}/figures/").json()
    assert data["broken_loose"] == {"count": None, "suppressed": True}
    assert data["target"] == 15
    csv_text = client.get(f"/sspf/programmes/{team.programme.pk}/figures.csv").content.decode(
        "utf-8-sig")
    assert "färre än 5" in csv_text and NAME not in csv_text
    docx = client.get(f"/sspf/programmes/{team.programme.pk}/figures.docx").content
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "färre än 5" in xml and NAME not in xml
    pdf = client.get(f"/sspf/programmes/{team.programme.pk}/figures.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert client.get(f"/sspf/programmes/{team.programme.pk}/figures.exe").status_code == 404
    # Five broken loose: now shown, and recordable on the plan's indicator.
    _open_cases(team, 2, closed=2)
    data = api_client(w.reader).get(
        f"/api/v1/sspf-programmes/{team.programme.pk}/figures/").json()
    assert data["broken_loose"] == {"count": 5, "suppressed": False}


def test_anonymisation_keeps_the_figures_and_removes_the_persons(team, monkeypatch):
    from samverkan.sspf.models import Programme

    team.consent_all()
    meeting = services.add_meeting(team.case, actor=team.responsible,
                                   held_on=dt.date(2026, 2, 1), notes="Anteckning")
    services.add_action(meeting, actor=team.responsible, agency="school",
                        description="Studieplan")
    services.close_case(team.case, actor=team.responsible, closed_on=dt.date(2026, 2, 20),
                        left_criminal_environment=True, in_education_or_work=False)
    _open_cases(team, 6, closed=5)
    Programme.objects.filter(pk=team.programme.pk).update(retention_months=1)
    team.programme.refresh_from_db()
    before = figures.as_dict(figures.build(team.programme))
    monkeypatch.setattr("samverkan.sspf.services.local_today", lambda: dt.date(2026, 3, 20))
    out = io.StringIO()
    call_command("sspf_anonymise", "--dry-run", stdout=out)
    assert "6 case(s) due" in out.getvalue()
    assert Case.objects.exclude(person_name=None).count() == 7
    out = io.StringIO()
    call_command("sspf_anonymise", stdout=out)
    assert "6 case(s) anonymised" in out.getvalue()
    assert figures.as_dict(figures.build(team.programme)) == before
    case = Case.objects.get(pk=team.case.pk)
    assert case.person_name is None and case.personal_number is None
    assert case.personal_number_hash == "" and case.birth_year is None and case.anonymised_at
    for model in (Consent, TeamMeeting, CaseMember):
        assert not model.objects.filter(case=case).exists()
    assert not AgreedAction.objects.filter(meeting__case=case).exists()
    assert Case.objects.exclude(person_name=None).count() == 1  # the open one
    out = io.StringIO()
    call_command("sspf_anonymise", stdout=out)
    assert "0 case(s) anonymised" in out.getvalue()


def test_demo_programme_from_the_seed_without_cases(world):
    from samverkan.core.choices import Role
    from samverkan.core.testing import make_user
    from samverkan.organizations.services import add_membership
    from samverkan.sspf import demo

    add_membership(actor=None, user=make_user("samordnare"), organization=world.municipality_org,
                   role=Role.COORDINATOR)
    programme = demo.load(actor=None)
    assert programme.target_broken_loose == 15 and "bryta loss minst 15" in programme.description
    assert demo.load(actor=None) == programme
    assert not Case.objects.exists()


def test_figures_in_the_yearly_picture_and_on_the_plan_indicator(team):
    import zipfile as zf

    from samverkan.agreements import services as agreements
    from samverkan.plans import services as plans
    from samverkan.situation.yearly import build_yearly, yearly_document

    _open_cases(team, 5, closed=5)
    w = team.world
    data = build_yearly(w.reader, w.eskilstuna, 2026)
    (section,) = data.sections
    assert "SIG Fröslunda/Lagersberg" in section.title
    rows = dict(section.rows)
    assert rows["Inflöde 2026"] == "6" and rows["Pågående ärenden"] == "färre än 5"
    docx = yearly_document(data).to_docx()
    with zf.ZipFile(io.BytesIO(docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "Brutit sig loss hittills (mål 15)" in xml
    assert NAME not in xml
    page = Client()
    page.force_login(w.reader)
    html = page.get("/situation/yearly/?year=2026").content.decode()
    assert "Samverkan på individnivå" in html and NAME not in html

    agreement = agreements.create_agreement(
        actor=w.coordinator, municipality=w.eskilstuna, title="Överenskommelse",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31))
    area = agreements.create_focus_area(actor=w.coordinator, agreement=agreement,
                                        title="Förebygga brott bland unga")
    indicator = plans.create_indicator(actor=w.coordinator, focus_area=area,
                                       name="Unga som brutit sig loss", target_value=15)
    services.update_programme(team.programme, actor=w.coordinator, indicator=indicator)
    measurement = services.record_indicator(team.programme, actor=w.coordinator)
    assert measurement.value == 5 and NAME not in measurement.note
