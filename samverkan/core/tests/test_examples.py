"""The example flag (`samverkan.core.examples`): records the demo makes up are marked the same
way on pages, in documents, spreadsheets and the API, and what is created under them too."""
import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from samverkan.agreements import services as agreements
from samverkan.core import examples
from samverkan.core.documents import Document
from samverkan.core.testing import api_client
from samverkan.followup import services as followup
from samverkan.plans import services as plans
from samverkan.plans.models import Activity

LABEL_SV = "Exempel – inte ur överenskommelsen"


@pytest.fixture
def agreement(world):
    return agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Överenskommelse 2024",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31))


@pytest.fixture
def area(world, agreement):
    return agreements.create_focus_area(actor=world.coordinator, agreement=agreement,
                                        title="Trygga det offentliga rummet")


@pytest.fixture
def example_activity(world, area):
    return plans.create_activity(
        actor=world.coordinator, focus_area=area, title="Nattvandring", is_example=True,
        responsible_organizations=[world.social_services],
        contributions=[{"party": "municipality", "text": "Stöttar nattvandrarna."}])


def test_records_made_under_an_example_are_examples(world, area, example_activity):
    assert example_activity.is_example
    assert all(c.is_example for c in example_activity.contributions.all())
    indicator = plans.create_indicator(actor=world.coordinator, activity=example_activity,
                                       name="Antal nattvandringsgrupper")
    assert indicator.is_example
    # The caller may say otherwise: a real figure on an example indicator.
    real = plans.add_measurement(actor=world.coordinator, indicator=indicator,
                                 measured_on=dt.date(2025, 1, 1), value=2, is_example=False)
    assert not real.is_example
    # A real activity stays real, and so do its children.
    other = plans.create_activity(actor=world.coordinator, focus_area=area, title="Verklig")
    assert not other.is_example
    assert not plans.create_indicator(actor=world.coordinator, activity=other,
                                      name="Verklig indikator").is_example


def test_a_report_on_an_example_activity_is_an_example(world, agreement, example_activity):
    round = followup.add_round(actor=world.coordinator, agreement=agreement, label="Delår 2 2025",
                               kind="interim", period_start=dt.date(2025, 1, 1),
                               period_end=dt.date(2025, 8, 31), due_date=dt.date(2025, 9, 15))
    followup.open_round(round, actor=world.coordinator)
    assert not round.is_example
    report = followup.submit_report(
        actor=world.contributor, round=round, activity=example_activity,
        organization=world.social_services, status="yellow", what_was_done="Nattvandring.",
        deviation={"kind": "late", "reason": "För få nattvandrare."})
    assert report.is_example  # through `example_parents`, not its round
    assert report.deviations.get().is_example


def test_the_api_shows_the_flag_and_does_not_take_it(world, area, example_activity):
    client = api_client(world.coordinator)
    listed = client.get("/api/v1/activities/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["is_example"] for r in rows if r["id"] == example_activity.pk] == [True]
    row = next(r for r in rows if r["id"] == example_activity.pk)
    assert all(c["is_example"] for c in row["contributions"])
    created = client.post("/api/v1/activities/", {
        "focus_area": area.pk, "title": "Trygghetsvandring", "is_example": True},
        format="json")
    assert created.status_code == 201, created.content
    assert created.json()["is_example"] is False
    assert not Activity.objects.get(pk=created.json()["id"]).is_example
    changed = client.patch(f"/api/v1/activities/{example_activity.pk}/",
                           {"is_example": False}, format="json")
    assert changed.status_code == 200
    example_activity.refresh_from_db()
    assert example_activity.is_example


def test_one_include_marks_a_record_a_page_or_nothing(example_activity):
    with translation.override("sv"):
        badge = render_to_string("core/_example.html", {"record": example_activity})
        banner = render_to_string("core/_example.html", {"record": example_activity,
                                                          "banner": True})
        page = render_to_string("core/_example.html", {"show": True, "banner": True})
        real = render_to_string("core/_example.html", {"record": Activity(title="Verklig")})
    assert "example-badge" in badge and LABEL_SV in badge
    assert "example-banner" in banner and LABEL_SV in banner and "inte verkliga" in banner
    assert "example-banner" in page
    assert real.strip() == ""


def test_any_example_on_a_queryset_a_page_and_a_list(world, area, example_activity):
    qs = Activity.objects.filter(focus_area=area)
    assert examples.any_example(qs)
    assert examples.any_example(qs.order_by("pk")[:1])  # a page of a list: sliced
    assert not examples.any_example(qs.filter(is_example=False))
    assert not examples.any_example([])
    assert not examples.any_example(None)


def test_documents_and_spreadsheets(example_activity):
    with translation.override("sv"):
        doc = Document("Plan")
        assert examples.note_document(doc, [example_activity])
        assert examples.marked("Nattvandring", example_activity) == (
            f"Nattvandring ({LABEL_SV})")
        assert examples.label_for(example_activity) == LABEL_SV
        assert examples.label_for(Activity(title="Verklig")) == ""
        assert str(examples.COLUMN) == "Exempel"
    assert LABEL_SV in doc.blocks[0].data["text"] and doc.blocks[0].data["bold"]
    assert not examples.note_document(Document("Plan"), [Activity(title="Verklig")])
