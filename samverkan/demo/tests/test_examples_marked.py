"""A reader of the demo can tell Eskilstuna's agreement from the examples the demo adds: the
agreement's own texts are shown as they are, and every page, export, e-mail and API record
that shows a made-up record marks it "Exempel – inte ur överenskommelsen"."""
import csv
import datetime as dt
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from samverkan.agreements.models import Commitment, Definition, FocusArea, Forum, Practice
from samverkan.core.testing import api_client
from samverkan.followup import demo as followup_demo
from samverkan.followup import services as followup
from samverkan.followup.models import ActivityReport, Deviation
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.meetings import demo as meetings_demo
from samverkan.plans.models import Activity, Indicator

TODAY = dt.date(2026, 1, 20)
LABEL = "Exempel – inte ur överenskommelsen"


@pytest.fixture
def demo(db, settings):
    settings.LANGUAGE_CODE = "sv"
    agreement = load_demo_base()
    current = followup_demo.load(actor=None, today=TODAY)
    held, upcoming = meetings_demo.load(actor=None, today=TODAY)
    return {"agreement": agreement, "round": current, "held": held, "upcoming": upcoming}


@pytest.fixture
def coordinator(demo):
    return get_user_model().objects.get(username="samordnare")


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200, url
    return response.content.decode()


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_what_is_the_agreements_and_what_is_made_up(demo):
    agreement = demo["agreement"]
    activities = Activity.objects.filter(agreement=agreement)
    assert activities.count() == 12  # the 11 of the plan file and the one a decision added
    assert all(a.is_example for a in activities)
    assert all(i.is_example for i in Indicator.objects.filter(agreement=agreement))
    assert all(r.is_example for r in ActivityReport.objects.filter(round__agreement=agreement))
    assert all(d.is_example for d in Deviation.objects.filter(activity__agreement=agreement))
    assert demo["held"].is_example and demo["upcoming"].is_example
    assert all(item.is_example for item in demo["held"].agenda_items.all())
    assert all(d.is_example for d in demo["held"].decisions.all())
    # The agreement's own texts are not examples.
    assert not agreement.is_example
    for model in (Commitment, Definition, Practice, Forum, FocusArea):
        records = model.objects.filter(agreement=agreement)
        assert records.exists() and not records.filter(is_example=True).exists(), model
    assert not demo["round"].is_example  # the rounds follow the agreement's follow-up plan


def test_the_agreement_page(client, demo, coordinator):
    agreement = demo["agreement"]
    html = page(client, coordinator, agreement.get_absolute_url())
    # The agreement's own text, as its own sections.
    assert "Gemensamma åtaganden" in html
    assert "Vi åtar oss att utveckla gemensam kommunikation." in html
    assert "Arbetssätt och rutiner" in html and "Integritetsskyddsmyndigheten" in html
    assert "Begrepp" in html and "Välfärdsbrottslighet" in html
    assert "veckovisa avstämningar" in html and "LACUS arbetsgrupper" in html
    # The example plan is marked where the page counts it; nothing of the agreement is.
    assert html.count(LABEL) == 1
    assert "Aktiviteterna i den här planen är påhittade för demon" in html


def test_plan_pages_mark_every_activity(client, demo, coordinator):
    agreement = demo["agreement"]
    html = page(client, coordinator, reverse("plans:activity_list") + f"?agreement={agreement.pk}")
    assert "example-banner" in html
    assert html.count('class="example-badge"') == 12
    activity = Activity.objects.get(agreement=agreement, title__startswith="Nattvandring")
    assert "example-banner" in page(client, coordinator, activity.get_absolute_url())
    indicator = Indicator.objects.filter(agreement=agreement).first()
    assert "example-banner" in page(client, coordinator, indicator.get_absolute_url())
    area4 = FocusArea.objects.get(agreement=agreement, number=4)
    html = page(client, coordinator, area4.get_absolute_url())
    assert "Stöd och råd vid oro för våldsbejakande extremism" in html
    assert 'class="example-badge"' in html
    assert "I Eskilstuna kommun definieras välfärdsbrottslighet som" in html


def test_followup_and_meeting_pages(client, demo, coordinator):
    agreement, round = demo["agreement"], demo["round"]
    report = ActivityReport.objects.filter(round__agreement=agreement).first()
    deviation = Deviation.objects.filter(activity__agreement=agreement).first()
    for url in (reverse("followup:dashboard", args=[agreement.pk]), round.get_absolute_url(),
                report.get_absolute_url(), deviation.get_absolute_url(),
                demo["held"].get_absolute_url(),
                reverse("meetings:compliance", args=[agreement.pk])):
        assert LABEL in page(client, coordinator, url), url
    listing = page(client, coordinator, reverse("meetings:meeting_list"))
    assert listing.count('class="example-badge"') == 2


def test_exports_mark_the_examples(client, demo, coordinator):
    agreement = demo["agreement"]
    client.force_login(coordinator)
    url = reverse("plans:plan_export", args=[agreement.pk])
    rows = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode(
        "utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Exempel"
    content = [r for r in rows[1:] if r[rows[0].index("Aktivitet")]]
    assert len(content) >= 12 and all(r[0] == LABEL for r in content)
    assert LABEL in docx_text(client.get(url, {"format": "docx"}).content)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert sheet["A1"].value == "Exempel" and sheet["A3"].value == LABEL

    round_docx = client.get(reverse("followup:round_export", args=[demo["round"].pk]),
                            {"format": "docx"}).content
    assert LABEL in docx_text(round_docx)
    minutes = client.get(reverse("meetings:minutes_export", args=[demo["held"].pk]),
                         {"format": "docx"}).content
    assert LABEL in docx_text(minutes)


def test_the_exported_plan_imports_back_as_examples(demo, coordinator):
    from samverkan.plans.io.exporter import export_plan
    from samverkan.plans.io.importer import import_plan

    agreement = demo["agreement"]
    data = export_plan(agreement, "csv", user=coordinator)
    result = import_plan(io.BytesIO(data), "plan.csv", agreement=agreement, actor=coordinator)
    assert result.errors == []
    assert not result.changed  # the flag round-trips: nothing to update
    assert not Activity.objects.filter(agreement=agreement, is_example=False).exists()


def test_the_api_says_which_records_are_examples(demo, coordinator):
    agreement = demo["agreement"]
    client = api_client(coordinator)

    def rows(url):
        body = client.get(url).json()
        return body["results"] if isinstance(body, dict) else body

    activities = rows(f"/api/v1/activities/?agreement={agreement.pk}")
    assert activities and all(a["is_example"] for a in activities)
    commitments = rows(f"/api/v1/commitments/?agreement={agreement.pk}")
    assert len(commitments) == 3 and not any(c["is_example"] for c in commitments)
    assert not any(p["is_example"] for p in rows(f"/api/v1/practices/?agreement={agreement.pk}"))
    reports = rows("/api/v1/activity-reports/")
    assert reports and all(r["is_example"] for r in reports)


def test_reminders_mark_example_activities(demo, settings, run_jobs,
                                           django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "sv"
    User = get_user_model()
    User.objects.filter(username="socialtjanst").update(email="socialtjanst@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        followup.send_reminders(today=demo["round"].due_date - dt.timedelta(days=3))
    run_jobs()
    bodies = [m.body for m in mail.outbox]
    assert bodies and all(LABEL in body for body in bodies if "- " in body)
