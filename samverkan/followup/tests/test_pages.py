"""The pages render for the people who use them; the year wheel, dashboard and round page."""
import datetime as dt
import io

import docx
import pypdf
from django.core.management import call_command
from django.urls import reverse

from samverkan.followup import services
from samverkan.followup.documents import followup_report
from samverkan.plans import services as plans


def _fill(plan, world):
    services.lay_out_rounds(plan.agreement, actor=world.coordinator)
    services.submit_report(
        actor=world.contributor, round=plan.delar2, activity=plan.night_walking,
        organization=world.social_services, status="red",
        what_was_done="Nattvandring fredagar i Skiftinge.",
        collaborated_with="Fältassistenter, områdespoliser",
        effects_seen="Färre samlingar av unga vid centrum sena kvällar.",
        deviation={"kind": "blocked",
                   "reason": "Föreningen som nattvandrar saknar vuxna under sommaren.",
                   "proposed_action": "Informationsmöte för föräldrar i Fröslunda."})
    plans.add_measurement(actor=world.coordinator, indicator=plan.groups,
                          measured_on=dt.date(2024, 12, 31), value=3)
    plans.add_measurement(actor=world.coordinator, indicator=plan.groups,
                          measured_on=dt.date(2025, 8, 31), value=5)


def test_year_wheel_shows_rounds_and_meetings(plan, world, client):
    _fill(plan, world)
    from samverkan.core import services as core
    from samverkan.meetings.models import Meeting

    core.create(Meeting, actor=world.coordinator, data={
        "forum": plan.kug, "date": dt.date(2025, 10, 2), "place": "Stadshuset"})
    client.force_login(world.reader)
    page = client.get(reverse("followup:yearwheel") + "?year=2025").content.decode()
    assert "Delår 2 2025" in page and "Helår 2024" in page and "Oktober" in page
    assert "KUG 2025-10-02" in page


def test_year_wheel_offers_lay_out_to_coordinator(plan, world, client):
    client.force_login(world.coordinator)
    services.delete_round(plan.delar2, actor=world.coordinator)
    page = client.get(reverse("followup:yearwheel") + "?year=2025").content.decode()
    assert reverse("followup:lay_out_rounds", args=[plan.agreement.pk]) in page
    response = client.post(reverse("followup:lay_out_rounds", args=[plan.agreement.pk]))
    assert response.status_code == 302
    assert plan.agreement.followup_rounds.count() == 57


def test_dashboard_renders(plan, world, client):
    _fill(plan, world)
    client.force_login(world.reader)
    response = client.get(reverse("followup:dashboard", args=[plan.agreement.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "Antal nattvandringsgrupper" in page and "50 %" in page
    assert "Föreningen som nattvandrar saknar vuxna" in page
    client.force_login(world.other_municipality_user)
    assert client.get(reverse("followup:dashboard",
                              args=[plan.agreement.pk])).status_code == 404


def test_round_page_shows_reported_and_missing(plan, world, client):
    _fill(plan, world)
    client.force_login(world.coordinator)
    page = client.get(plan.delar2.get_absolute_url()).content.decode()
    assert "Saknas" in page and "Nattvandring" in page and "Stäng omgången" in page
    client.force_login(world.contributor)
    page = client.get(plan.delar2.get_absolute_url()).content.decode()
    assert "Stäng omgången" not in page
    assert client.get(reverse("followup:my_reports")).status_code == 200


def test_coordinator_adds_and_moves_a_round_through_pages(plan, world, client):
    client.force_login(world.coordinator)
    response = client.post(reverse("followup:round_create", args=[plan.agreement.pk]), {
        "label": "Extra uppföljning inför KUG", "period_start": "2025-09-01",
        "period_end": "2025-10-31", "due_date": "", "forum": plan.kug.pk, "note": ""})
    assert response.status_code == 302
    round = plan.agreement.followup_rounds.get(label="Extra uppföljning inför KUG")
    assert round.due_date == dt.date(2025, 11, 15)
    response = client.post(reverse("followup:round_update", args=[round.pk]), {
        "label": round.label, "period_start": "2025-09-01", "period_end": "2025-11-30",
        "due_date": "2025-12-05", "forum": plan.kug.pk, "note": ""})
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.due_date == dt.date(2025, 12, 5)
    client.force_login(world.contributor)
    assert client.get(reverse("followup:round_update", args=[round.pk])).status_code == 403


def test_export_docx_and_pdf_read_back(plan, world, client, tmp_path):
    _fill(plan, world)
    document = followup_report(plan.delar2, world.coordinator, language="sv")
    word = docx.Document(io.BytesIO(document.to_docx()))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Uppföljning Delår 2 2025" in text and "Rapporter som fortfarande saknas" in text
    assert "Nattvandring: möta ungdomar som är ute sent på kvällen" in cells
    assert "Föreningen som nattvandrar saknar vuxna under sommaren." in cells
    assert "Bidra till den lokala lägesbilden och till NOA:s inhämtningsuppdrag" in cells
    assert len(word.inline_shapes) >= 2  # reports by status and the indicator chart

    out = tmp_path / "delar2.pdf"
    call_command("export_followup", "--round", str(plan.delar2.pk), "--format", "pdf",
                 "--output", str(out), stdout=io.StringIO())
    reader = pypdf.PdfReader(str(out))
    pdf_text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Delår 2 2025" in pdf_text and "Antal nattvandringsgrupper" in pdf_text
    assert any(page.images for page in reader.pages)

    client.force_login(world.reader)
    response = client.get(reverse("followup:round_export", args=[plan.delar2.pk])
                          + "?format=docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')


def test_report_as_a_background_job(plan, world, client, run_jobs, settings, tmp_path,
                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    _fill(plan, world)
    client.force_login(world.coordinator)
    page = client.get(reverse("followup:round_detail", args=[plan.delar2.pk])).content.decode()
    assert 'id="round-word"' in page and 'id="round-pdf"' in page
    url = reverse("followup:round_export", args=[plan.delar2.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "pdf"})
    assert response.status_code == 302  # to the job page
    assert run_jobs() == 1
    job_id = int(response.url.rstrip("/").split("/")[-1])
    assert "uppfoljning-delar-2-2025.pdf" in client.get(response.url).content.decode()
    download = client.get(reverse("jobs:job_file", args=[job_id]))
    reader = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "Delår 2 2025" in "\n".join(p.extract_text() for p in reader.pages)
    # Only who may see the job gets the file.
    client.force_login(world.other_municipality_user)
    assert client.get(reverse("jobs:job_file", args=[job_id])).status_code == 404
    assert client.post(url).status_code == 404
