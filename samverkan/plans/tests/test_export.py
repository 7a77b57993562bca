"""Exporting the action plan (samverkan.plans.io.exporter): XLSX and CSV in the import
columns (round trip), DOCX for the council."""
from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.utils import translation

from samverkan.agreements.services import update_focus_area
from samverkan.plans import services as plan_services
from samverkan.plans.io import CANONICAL_HEADERS
from samverkan.plans.io.exporter import export_plan, filename
from samverkan.plans.io.importer import import_plan
from samverkan.plans.models import Activity

from .plan_files import PLAN_2016_XLSX, add_committees, counts, make_agreement

NIGHT_WALKS = "Bjuda in till träffar i syfte att få igång nattvandring lokalt i områden."


@pytest.fixture
def agreement(world):
    add_committees(world)
    agreement = make_agreement(world)
    result = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                         actor=world.coordinator)
    assert result.ok
    return agreement


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_xlsx_round_trip(world, agreement):
    exported = export_plan(agreement, "xlsx")
    rows = xlsx_rows(exported)
    assert rows[0] == list(CANONICAL_HEADERS)

    # Into a fresh agreement: the same plan, so the same file again.
    fresh = make_agreement(world, title="Kopia av åtagandeplanen")
    result = import_plan(io.BytesIO(exported), "export.xlsx", agreement=fresh,
                         actor=world.coordinator)
    assert result.ok, result.errors
    assert (result.focus_areas, result.activities, result.indicators) == (3, 21, 6)
    assert xlsx_rows(export_plan(fresh, "xlsx")) == rows

    # Into the same agreement: nothing changes, not even the audit log.
    before = counts()
    again = import_plan(io.BytesIO(exported), "export.xlsx", agreement=agreement,
                        actor=world.coordinator)
    assert again.ok and not again.changed
    assert counts() == before


def test_xlsx_is_formatted_for_people(agreement):
    workbook = openpyxl.load_workbook(io.BytesIO(export_plan(agreement, "xlsx")))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["D3"].alignment.wrap_text
    assert sheet.column_dimensions["D"].width >= 40  # Aktivitet
    assert sheet["A2"].value == "1. Förebygga brott och kriminella gängbildningar bland unga"


def test_csv_has_bom_semicolons_and_the_canonical_columns(agreement):
    data = export_plan(agreement, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(CANONICAL_HEADERS)
    assert NIGHT_WALKS in text and "minst 8" in text


def test_activities_added_on_the_pages_are_exported_and_reimport_cleanly(world, agreement):
    area = Activity.objects.get(agreement=agreement, title=NIGHT_WALKS).focus_area
    plan_services.create_activity(
        actor=world.coordinator, focus_area=area, title="Trygghetsvandringar", status="ongoing",
        contributions=[{"party": "police", "text": "Deltar i trygghetsvandringarna"}])
    exported = export_plan(agreement, "csv")
    assert "Trygghetsvandringar;" in exported.decode("utf-8-sig")
    before = counts()
    result = import_plan(io.BytesIO(exported), "plan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert result.ok and not result.changed
    assert counts() == before


def test_docx_for_the_council(world, agreement):
    area = Activity.objects.get(agreement=agreement, title=NIGHT_WALKS).focus_area
    update_focus_area(area, actor=world.coordinator, problem_description=(
        "Eskilstunas trygghetsindex 1,67 var normalt, men i de prioriterade områdena upplevs "
        "otrygghet."))
    with translation.override("sv"):
        data = export_plan(agreement, "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading",
                                                                                 "Title"))]
    assert headings[0].startswith("Åtgärdsplan")
    assert "3. Trygghet i offentlig miljö" in headings
    assert "Problembild" in headings and "Indikatorer" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Eskilstunas trygghetsindex 1,67" in text
    assert "Öka tryggheten i Eskilstuna till ett normalvärde 2 i alla områden?" in text
    tables = document.tables
    activity_tables = [t for t in tables if t.rows[0].cells[0].text == "Aktivitet"]
    assert [c.text for c in activity_tables[0].rows[0].cells] == [
        "Aktivitet", "Åtgärd kommun", "Åtgärd polis", "Ansvarig", "När", "Effekt"]
    assert sum(len(t.rows) - 1 for t in activity_tables) == 21
    indicator_rows = [[c.text for c in row.cells] for t in tables
                      if t.rows[0].cells[0].text == "Indikator" for row in t.rows[1:]]
    night = next(r for r in indicator_rows if r[0] == "Antal nattvandringsgrupper")
    assert night[1] == NIGHT_WALKS
    assert night[2] == "2 (2016)" and night[3] == "minst 8 (2018)"
    parties = [t for t in tables if t.rows[0].cells[0].text == "Överenskommelse"]
    assert parties, "the key facts table of the agreement"
    assert "Eskilstuna kommun (kommun)" in text


def test_export_shows_only_what_the_user_may_see(world, agreement):
    activity = Activity.objects.get(agreement=agreement, title=NIGHT_WALKS)
    activity.confidentiality = "restricted"
    activity.save()
    activity.restricted_to.set([world.police_org])
    assert NIGHT_WALKS not in export_plan(agreement, "csv", user=world.reader).decode("utf-8-sig")
    assert NIGHT_WALKS in export_plan(agreement, "csv", user=world.police_officer).decode(
        "utf-8-sig")
    assert NIGHT_WALKS in export_plan(agreement, "csv").decode("utf-8-sig")


def test_file_name_and_unknown_format(agreement):
    assert filename(agreement, "xlsx") == "atgardsplan-eskilstuna-2016-2018.xlsx"
    with pytest.raises(ValueError):
        export_plan(agreement, "pdf")


# ------------------------------------------------------------------------- pages and API


def test_download_buttons(world, agreement, client):
    from django.urls import reverse

    url = reverse("plans:plan_export", args=[agreement.pk])
    client.force_login(world.reader)
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="atgardsplan-eskilstuna-2016-2018.xlsx"' in response["Content-Disposition"]
    assert xlsx_rows(response.content)[0] == list(CANONICAL_HEADERS)
    docx_response = client.get(url, {"format": "docx"})
    assert docx_response.status_code == 200 and docx_response.content[:2] == b"PK"
    assert client.get(url, {"format": "csv"}).content.startswith(b"\xef\xbb\xbf")
    assert client.get(url, {"format": "pdf"}).status_code == 400
    client.force_login(world.other_municipality_user)
    assert client.get(url, {"format": "csv"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_api_export(world, agreement):
    from samverkan.core.testing import api_client

    url = f"/api/v1/agreements/{agreement.pk}/export-plan/"
    response = api_client(world.reader).get(url, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert NIGHT_WALKS in response.content.decode("utf-8-sig")
    response = api_client(world.reader).get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert xlsx_rows(response.content)[0] == list(CANONICAL_HEADERS)
    response = api_client(world.coordinator).get(url, {"format": "docx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert api_client(world.reader).get(url, {"format": "pdf"}).status_code == 400
    assert api_client(world.other_municipality_user).get(url).status_code == 404
    assert api_client().get(url).status_code in (401, 403)
