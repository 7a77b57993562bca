"""The agenda and the minutes as DOCX (read back with python-docx) and PDF (pypdf)."""
import datetime as dt
import io

import docx
import pypdf
import pytest
from django.urls import reverse

from samverkan.meetings import services

from .conftest import PLACE


@pytest.fixture
def held_meeting(world, kug):
    actor = world.coordinator
    meeting = services.create_meeting(actor=actor, forum=kug.forum, date=dt.date(2025, 9, 10),
                                      place=PLACE, status="held", with_proposed_agenda=False)
    item = services.add_agenda_item(actor=actor, meeting=meeting,
                                    title="Fokusområde 4: Bekämpa systemhotande brottslighet",
                                    focus_area=kug.focus_areas[3], activity=kug.krogar)
    services.record_minutes(item, actor=actor,
                            minutes="Polisen och kommunen redovisade Krogar mot knark.")
    services.record_decision(
        actor=actor, meeting=meeting, agenda_item=item,
        text="KUG beslutar att starta nattvandring i samverkan med föreningslivet.",
        create_activity={"focus_area": kug.focus_areas[1], "sub_goal": kug.sub_goals[(2, 3)],
                         "title": "Nattvandring: möta ungdomar som är ute sent på kvällen"})
    services.create_action_item(actor=actor, meeting=meeting, agenda_item=item,
                                organization=world.police_org, person="Kommunpolis",
                                what="Ta fram underlag om narkotika i krogmiljön till KSG.",
                                due_date=dt.date(2025, 10, 31))
    present = meeting.attendances.filter(member__in=kug.members[:2])
    services.record_attendance(meeting, actor=actor, present=[a.pk for a in present])
    return meeting


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_agenda_docx_and_pdf(world, held_meeting, client):
    client.force_login(world.reader)
    url = reverse("meetings:agenda_export", args=[held_meeting.pk])
    response = client.get(url, {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('kug-2025-09-10.docx"')
    text = _docx_text(response.content)
    assert "Dagordning" in text
    assert "Fokusområde 4: Bekämpa systemhotande brottslighet" in text
    assert "Direktör för social hållbarhet" in text and PLACE in text
    pdf = client.get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Dagordning" in text and "Bekämpa systemhotande brottslighet" in text


def test_minutes_docx_and_pdf(world, held_meeting, client):
    client.force_login(world.coordinator)
    url = reverse("meetings:minutes_export", args=[held_meeting.pk])
    text = _docx_text(client.get(url, {"format": "docx"}).content)
    assert "Minnesanteckningar" in text
    assert "Polisen och kommunen redovisade Krogar mot knark." in text
    assert "KUG beslutar att starta nattvandring" in text
    assert "Skapade aktiviteten" in text
    assert "Ta fram underlag om narkotika i krogmiljön till KSG." in text
    assert "2025-10-31" in text
    assert "Biträdande lokalpolisområdeschef" in text  # present
    assert "Frånvarande" in text and "Säkerhetschef" in text
    pdf_text = _pdf_text(client.get(url, {"format": "pdf"}).content)
    assert "Minnesanteckningar" in pdf_text and "Krogar mot knark" in pdf_text


def test_export_access(world, held_meeting, client):
    url = reverse("meetings:minutes_export", args=[held_meeting.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.other_municipality_user)
    assert client.get(url, {"format": "pdf"}).status_code == 404
    client.force_login(world.reader)
    assert client.get(url, {"format": "exe"}).status_code == 404
