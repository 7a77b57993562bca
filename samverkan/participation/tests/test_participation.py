import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from samverkan.agreements import services as agreements
from samverkan.core.testing import ScopedModelAccessTests, api_client
from samverkan.participation import services
from samverkan.participation.models import Dialogue, Observation, Pledge, SafetyWalk
from samverkan.plans import services as plans

WHEN = timezone.make_aware(dt.datetime(2026, 10, 14, 19, 0))


def make_walk(world, **extra):
    return services.create_walk(actor=world.coordinator, municipality=world.eskilstuna,
                                title="Trygghetsvandring Fröslunda", area="Fröslunda",
                                starts_at=WHEN, **extra)


def quiet_walk(world):
    return SafetyWalk.objects.filter(municipality=world.eskilstuna).first() or \
        SafetyWalk.objects.create(municipality=world.eskilstuna, title="V", area="A",
                                  starts_at=WHEN)


class TestSafetyWalkAccess(ScopedModelAccessTests):
    api_base = "/api/v1/safety-walks/"

    def make(self, world):
        return make_walk(world)

    def create_payload(self, world):
        return {"municipality": "0484", "title": "Vandring Lagersberg", "area": "Lagersberg",
                "starts_at": "2026-11-02T18:30:00+01:00", "light": "dark",
                "route": [[59.35, 16.48], [59.351, 16.49]]}

    def update_payload(self, obj, world):
        return {"participant_count": 14}


class TestObservationAccess(ScopedModelAccessTests):
    api_base = "/api/v1/observations/"

    def make(self, world):
        return services.add_observation(actor=world.coordinator, walk=make_walk(world),
                                        category="lighting", text="Trasig belysning")

    def create_payload(self, world):
        return {"walk": quiet_walk(world).pk, "category": "graffiti", "text": "Klotter"}

    def update_payload(self, obj, world):
        return {"measure": "Byta armatur", "status": "accepted"}

    def page_url(self, obj):
        return obj.walk.get_absolute_url()


class TestDialogueAccess(ScopedModelAccessTests):
    api_base = "/api/v1/dialogues/"

    def make(self, world):
        return services.create_dialogue(actor=world.coordinator, municipality=world.eskilstuna,
                                        title="Medborgardialog Fröslunda",
                                        held_on=dt.date(2026, 3, 1))

    def create_payload(self, world):
        return {"municipality": "0484", "title": "Dialog", "held_on": "2026-04-01"}

    def update_payload(self, obj, world):
        return {"participants": 45}


class TestConcernAccess(ScopedModelAccessTests):
    api_base = "/api/v1/concerns/"

    def make(self, world):
        dialogue = TestDialogueAccess().make(world)
        return services.add_concern(actor=world.coordinator, dialogue=dialogue,
                                    category="gangs", text="Unga samlas i gäng vid centrum")

    def create_payload(self, world):
        dialogue = Dialogue.objects.filter(municipality=world.eskilstuna).first() or \
            Dialogue.objects.create(municipality=world.eskilstuna, title="D",
                                    held_on=dt.date(2026, 1, 1))
        return {"dialogue": dialogue.pk, "category": "traffic", "text": "Mopeder"}

    def update_payload(self, obj, world):
        return {"place": "Fröslunda centrum"}

    def page_url(self, obj):
        return obj.dialogue.get_absolute_url()


class TestPledgeAccess(ScopedModelAccessTests):
    api_base = "/api/v1/pledges/"

    def make(self, world):
        return services.create_pledge(actor=world.coordinator, municipality=world.eskilstuna,
                                      title="Tryggare centrum", problem="Nedskräpning",
                                      period_start=dt.date(2026, 1, 1),
                                      period_end=dt.date(2026, 12, 31))

    def create_payload(self, world):
        return {"municipality": "0484", "title": "Löfte", "problem": "Trafik",
                "period_start": "2026-01-01", "period_end": "2027-12-31"}

    def update_payload(self, obj, world):
        return {"signed_on": "2026-02-01"}


class TestPledgeFollowUpAccess(ScopedModelAccessTests):
    api_base = "/api/v1/pledge-followups/"

    def make(self, world):
        return services.add_followup(actor=world.coordinator,
                                     pledge=TestPledgeAccess().make(world), period="T1 2026",
                                     reported_on=dt.date(2026, 5, 10), text="Städdagar.")

    def create_payload(self, world):
        pledge = Pledge.objects.filter(municipality=world.eskilstuna).first() or \
            Pledge.objects.create(municipality=world.eskilstuna, title="P", problem="x",
                                  period_start=dt.date(2026, 1, 1),
                                  period_end=dt.date(2026, 12, 31))
        return {"pledge": pledge.pk, "period": "T2 2026", "reported_on": "2026-09-10",
                "text": "Fler kontroller."}

    def update_payload(self, obj, world):
        return {"reported_to_residents": True}

    def page_url(self, obj):
        return obj.pledge.get_absolute_url()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 2000), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (59.0, 22.0, 1.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_resized_and_stripped(world):
    walk = make_walk(world)
    raw = jpeg_with_gps()
    assert b"PhoneMaker" in raw
    observation = services.add_observation(actor=world.coordinator, walk=walk,
                                           category="graffiti", text="Klotter", photo=raw)
    stored = observation.photo.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 1600
        assert not image.getexif()


def test_same_client_key_saves_once(world, client):
    walk = make_walk(world)
    client.force_login(world.coordinator)
    url = f"/participation/walks/{walk.pk}/observe/"
    body = {"category": "lighting", "text": "Mörk gångtunnel", "client_key": "abc123",
            "lat": "59.3561", "lon": "16.4811"}
    first = client.post(url, body, HTTP_ACCEPT="application/json")
    second = client.post(url, body, HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert walk.observations.count() == 1
    bad = client.post(url, {"category": "x", "text": ""}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "text" in bad.json()["errors"]


def test_measure_default_deadline_rejection_reason_and_protocol(world, client):
    walk = make_walk(world)
    o = services.add_observation(actor=world.coordinator, walk=walk, category="lighting",
                                 text="Trasig belysning vid gångtunneln")
    services.update_observation(o, actor=world.coordinator, measure="Byta armatur",
                                responsible_text="Kfast")
    o.refresh_from_db()
    assert o.deadline == dt.date(2027, 4, 14)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.update_observation(o, actor=world.coordinator, status="rejected")
    client.force_login(world.reader)
    for fmt in ("docx", "pdf"):
        response = client.get(f"/participation/walks/{walk.pk}/protocol/?format={fmt}")
        assert response.status_code == 200 and len(response.content) > 1000
    api = api_client(world.reader).get(f"/api/v1/safety-walks/{walk.pk}/protocol/?format=pdf")
    assert api.status_code == 200 and api.content[:4] == b"%PDF"
    client.force_login(world.other_municipality_user)
    assert client.get(f"/participation/walks/{walk.pk}/protocol/").status_code == 404


def test_public_page_shows_only_public_records(world, client):
    agreement = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Överenskommelse",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31),
        confidentiality="public")
    area = agreements.create_focus_area(actor=world.coordinator, agreement=agreement,
                                        title="Trygghet", confidentiality="public")
    public = plans.create_activity(actor=world.coordinator, focus_area=area,
                                   title="Städdagar i Fröslunda", confidentiality="public")
    internal = plans.create_activity(actor=world.coordinator, focus_area=area,
                                     title="Intern kartläggning")
    pledge = services.create_pledge(
        actor=world.coordinator, municipality=world.eskilstuna, title="Renare Fröslunda",
        problem="Nedskräpning", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), confidentiality="public",
        activities=[public, internal])
    services.add_followup(actor=world.coordinator, pledge=pledge, period="T1 2026",
                          reported_on=dt.date(2026, 5, 1), text="Två städdagar hölls.",
                          reported_to_residents=True, confidentiality="public")
    services.add_followup(actor=world.coordinator, pledge=pledge, period="T2 2026",
                          reported_on=dt.date(2026, 9, 1), text="Utkast till rapport.")
    services.create_pledge(actor=world.coordinator, municipality=world.eskilstuna,
                           title="Hemligt löfte", problem="x",
                           period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    make_walk(world, confidentiality="public",
              ).__class__.objects.update(starts_at=timezone.now() + dt.timedelta(days=7))
    page = client.get("/participation/public/0484/").content.decode()
    assert "Renare Fröslunda" in page and "Städdagar i Fröslunda" in page
    assert "Två städdagar hölls." in page
    assert "Intern kartläggning" not in page and "Hemligt löfte" not in page
    assert "Utkast till rapport." not in page
    assert "Trygghetsvandring Fröslunda" in page
    assert client.get("/participation/public/9999/").status_code == 404


def test_concern_becomes_activity(world):
    agreement = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Ö",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31))
    area = agreements.create_focus_area(actor=world.coordinator, agreement=agreement,
                                        title="Trygghet")
    concern = TestConcernAccess().make(world)
    activity = services.concern_to_activity(concern, actor=world.coordinator, focus_area=area)
    concern.refresh_from_db()
    assert concern.activity == activity and activity.title.startswith("Unga samlas")


def test_observation_in_other_municipality_cannot_link(world):
    walk = make_walk(world)
    response = api_client(world.other_municipality_user).post(
        "/api/v1/observations/", {"walk": walk.pk, "category": "other", "text": "x"},
        format="json")
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_compliance_lines_computed_from_dialogues_and_pledges(world):
    from samverkan.meetings.compliance import compliance_lines

    agreement = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Ö",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31))
    today = dt.date(2026, 6, 1)

    def line(key, user=None):
        found = next(x for x in compliance_lines(agreement, today=today, user=user)
                     if x.key == key)
        assert found.sources == ["participation"]
        return found

    # No pledge: nothing to judge, said plainly; no dialogue: not done.
    assert line("pledges_reported").status == "not_measurable"
    assert line("citizen_dialogues").status == "not_met"
    pledge = services.create_pledge(
        actor=world.coordinator, municipality=world.eskilstuna, title="Renare Fröslunda",
        problem="Nedskräpning", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31))
    reported = line("pledges_reported")
    assert not reported.met and "Renare Fröslunda" in reported.summary
    assert [e.label for e in reported.evidence] == ["Renare Fröslunda"]
    assert not line("pledges_published").met  # neither signed nor public
    services.add_followup(actor=world.coordinator, pledge=pledge, period="T1 2026",
                          reported_on=dt.date(2026, 5, 1), text="Städdagar.",
                          reported_to_residents=True)
    assert line("pledges_reported").met
    assert line("pledges_reported").date == dt.date(2026, 5, 1)

    # A restricted pledge the reader may not see does not enter the reader's verdict.
    services.create_pledge(
        actor=world.coordinator, municipality=world.eskilstuna, title="Hemligt löfte",
        problem="Narkotika", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        confidentiality="restricted", restricted_to=[world.police_org])
    for reader in (None, world.reader):  # the history (everyone) and a reader
        seen = line("pledges_reported", user=reader)
        assert seen.met and "Hemligt" not in seen.summary
    for_police = line("pledges_reported", user=world.police_officer)
    assert not for_police.met and "Hemligt löfte" in for_police.summary


def test_residents_voice_in_the_yearly_picture_and_weekly_map(world, client):
    from samverkan.situation import yearly
    from samverkan.surveys import services as surveys

    walk = make_walk(world)
    services.add_observation(actor=world.coordinator, walk=walk, category="lighting",
                             text="Mörk gångtunnel", lat=59.359, lon=16.546)
    dialogue = services.create_dialogue(actor=world.coordinator,
                                        municipality=world.eskilstuna,
                                        title="Dialog i Fröslunda", held_on=dt.date(2026, 3, 1))
    services.add_concern(actor=world.coordinator, dialogue=dialogue, category="gangs",
                         text="Unga samlas i gäng vid torget", place="Fröslunda torg")
    survey = surveys.create_survey(actor=world.coordinator, municipality=world.eskilstuna,
                                   name="Trygghetsmätning", year=2026)
    surveys.import_aggregated(survey, "område;fråga;index\nFröslunda;Nedskräpning;4,4\n"
                              .encode(), "index.csv", actor=world.coordinator)
    data = yearly.build_yearly(world.reader, world.eskilstuna, 2026)
    assert [s.key for s in data.residents] == ["surveys", "safety_walks", "dialogues"]
    doc = yearly.yearly_document(data)
    text = " ".join(str(b.data) for b in doc.blocks)
    assert "Unga samlas i gäng vid torget" in text and "Fröslunda 4,40" in text
    # The yearly picture says which were used.
    assert "observations" in text or "iakttagelser" in text
    # Another municipality's user sees none of it.
    assert not yearly.build_yearly(world.other_municipality_user, world.eskilstuna,
                                   2026).residents
    client.force_login(world.coordinator)
    assert client.get("/situation/weekly/").status_code == 200
    # The map layer, in the weekly map's own request.
    residents = client.get("/situation/weekly/map/").json()["residents"]
    assert [p["kind"] for p in residents] == ["observation"]


def test_residents_layer_keeps_to_the_weekly_pages_area(world, client):
    """On the weekly page filtered to one area (?area=), the residents' voice shows only the
    observations and concerns inside the area's polygon, like the incidents and the fault
    reports (`services.inside_area`)."""
    from shapely.geometry import box

    from samverkan.situation import services as situation

    walk = make_walk(world)
    services.add_observation(actor=world.coordinator, walk=walk, category="lighting",
                             text="Mörk gångtunnel", lat=59.359, lon=16.546)
    dialogue = services.create_dialogue(actor=world.coordinator,
                                        municipality=world.eskilstuna,
                                        title="Dialog i centrum", held_on=dt.date(2026, 10, 1))
    services.add_concern(actor=world.coordinator, dialogue=dialogue, category="gangs",
                         text="Unga samlas vid torget", lat=59.3712, lon=16.5098)
    froslunda, _ = situation.save_area(actor=None, municipality=world.eskilstuna,
                                       name="Fröslunda", kind="district",
                                       geometry_wgs84=box(16.540, 59.355, 16.552, 59.363))
    centrum, _ = situation.save_area(actor=None, municipality=world.eskilstuna,
                                     name="Centrum", kind="district",
                                     geometry_wgs84=box(16.500, 59.364, 16.520, 59.375))
    client.force_login(world.coordinator)

    def kinds(**params):
        response = client.get("/situation/weekly/map/", params)
        assert response.status_code == 200
        return sorted(p["kind"] for p in response.json()["residents"])

    assert kinds() == ["concern", "observation"]
    assert kinds(area=froslunda.pk) == ["observation"]
    assert kinds(area=centrum.pk) == ["concern"]
