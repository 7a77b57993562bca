"""Issue 11: the citizen pledges' follow-ups in the follow-up round's page and report (Word and
PDF, built by the job ``followup.round_report``), through the follow-up app's
``hooks.register_round_section`` (follow-up never imports participation). A restricted pledge
stays with those who may see it."""
import datetime as dt
import io

import docx
import pypdf
import pytest
from django.urls import reverse

from samverkan.agreements import services as agreements
from samverkan.followup import hooks
from samverkan.followup import services as followup
from samverkan.followup.documents import followup_report
from samverkan.participation import services
from samverkan.participation.rounds import pledges_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def t2(world):
    agreement = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna,
        title="Samverkansöverenskommelse Eskilstuna 2026–2027",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 12, 31))
    round = followup.add_round(actor=world.coordinator, agreement=agreement, kind="tertial",
                               label="T2 2026", period_start=dt.date(2026, 5, 1),
                               period_end=dt.date(2026, 8, 31))
    c = world.coordinator
    public = services.create_pledge(
        actor=c, municipality=world.eskilstuna, title="Renare och tryggare Fröslunda",
        problem="Nedskräpning", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31), confidentiality="public")
    services.add_followup(actor=c, pledge=public, period="T2 2026", round=round,
                          reported_on=dt.date(2026, 9, 5), progress="partly",
                          text="Två städdagar med boende; belysningen i gångtunneln lagad.",
                          reported_to_residents=True)
    # Another round's follow-up of the same pledge is not this round's.
    services.add_followup(actor=c, pledge=public, period="T1 2026",
                          reported_on=dt.date(2026, 5, 10), text="Första städdagen.")
    secret = services.create_pledge(
        actor=world.police_officer, municipality=world.eskilstuna, title="Hemligt löfte",
        problem="Narkotikahandel", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), confidentiality="restricted",
        restricted_to=[world.police_org])
    services.add_followup(actor=world.police_officer, pledge=secret, period="T2 2026",
                          round=round, reported_on=dt.date(2026, 9, 1),
                          text="Spaning vid torget.")
    services.create_pledge(
        actor=c, municipality=world.eskilstuna, title="Lugnare trafik i Årby",
        problem="Mopeder", period_start=dt.date(2026, 3, 1), period_end=dt.date(2027, 2, 28))
    # A pledge of an earlier period is not asked for.
    services.create_pledge(
        actor=c, municipality=world.eskilstuna, title="Gammalt löfte", problem="x",
        period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 12, 31))
    return round


def test_participation_registers_its_section_with_followup():
    assert pledges_section in hooks._ROUND_SECTIONS


def test_section_is_built_for_the_reader(t2, world):
    section = pledges_section(t2, world.reader)
    titles = [row[0].text for row in section.rows]
    assert titles == ["Renare och tryggare Fröslunda"]
    row = section.rows[0]
    assert [c.text for c in row[1:]] == [
        "T2 2026", "Delvis", "Två städdagar med boende; belysningen i gångtunneln lagad.",
        "2026-09-05", "Ja"]
    assert section.notes == ["Ännu inte följt upp i den här omgången: Lugnare trafik i Årby."]
    # The police see their restricted pledge; the other municipality sees nothing.
    police = pledges_section(t2, world.police_officer)
    assert "Hemligt löfte" in [row[0].text for row in police.rows]
    assert pledges_section(t2, world.other_municipality_user) is None


def test_round_page_shows_the_pledges(t2, world, client):
    client.force_login(world.reader)
    page = client.get(reverse("followup:round_detail", args=[t2.pk])).content.decode()
    assert 'id="round-section-pledges"' in page and "Medborgarlöften" in page
    assert "Två städdagar med boende" in page and "Första städdagen" not in page
    assert "Hemligt löfte" not in page and "Spaning vid torget" not in page
    assert "Lugnare trafik i Årby" in page  # not yet followed up
    client.force_login(world.police_officer)
    page = client.get(reverse("followup:round_detail", args=[t2.pk])).content.decode()
    assert "Spaning vid torget" in page


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_report_documents_carry_the_pledges(t2, world):
    text = _docx_text(followup_report(t2, world.reader).to_docx())
    assert "Medborgarlöften" in text and "Renare och tryggare Fröslunda" in text
    assert "Två städdagar med boende" in text and "Hemligt" not in text
    police_text = _docx_text(followup_report(t2, world.police_officer).to_docx())
    assert "Spaning vid torget" in police_text


def test_report_job_builds_the_pdf_with_the_pledges(t2, world, client, run_jobs, settings,
                                                    tmp_path,
                                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.reader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:round_export", args=[t2.pk]),
                               {"format": "pdf"})
    assert response.status_code == 302
    assert run_jobs() == 1
    job_id = int(response.url.rstrip("/").split("/")[-1])
    download = client.get(reverse("jobs:job_file", args=[job_id]))
    reader = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    # PDF text comes back with the table's line breaks: compare without white space.
    text = "".join("".join(p.extract_text() for p in reader.pages).split())
    assert "Medborgarlöften" in text and "RenareochtryggareFröslunda" in text
    assert "Hemligt" not in text and "Spaning" not in text


def test_api_filters_pledge_followups_by_round(t2, world):
    from samverkan.core.testing import api_client

    rows = api_client(world.reader).get("/api/v1/pledge-followups/",
                                        {"round": t2.pk}).json()["results"]
    assert [r["period"] for r in rows] == ["T2 2026"]
