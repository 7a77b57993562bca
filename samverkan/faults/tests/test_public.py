"""The residents' public form and their page: no account, spam trap, throttle, duplicates,
reopening through the unguessable link."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.faults import services
from samverkan.faults.models import FaultReport

from .conftest import CENTRE, jpeg_with_gps

URL = "/faults/report/0484/"


def post(client, setup, **extra):
    data = {"category": setup["klotter"].pk, "lat": CENTRE[0], "lon": CENTRE[1],
            "description": "Klotter på elskåpet", "reporter_email": "boende@example.se",
            **extra}
    return client.post(URL, data)


def test_the_form_warns_about_emergencies_and_needs_no_account(setup, client):
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "112" in text and "114 14" in text


def test_a_resident_files_a_report_with_a_photo(setup, client):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post(client, setup, photos=[photo])
    report = FaultReport.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(
        report.get_public_url())
    assert report.photos.count() == 1 and report.channel == "web"
    page = client.get(report.get_public_url())
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    photo_url = f"/faults/r/{report.token}/photos/{report.photos.get().pk}/"
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    assert client.get("/faults/r/not-the-token/").status_code == 404


def test_a_place_is_needed(setup, client):
    response = post(client, setup, lat="", lon="", address="")
    assert response.status_code == 200 and not FaultReport.objects.exists()


def test_the_spam_trap_stores_nothing(setup, client):
    response = post(client, setup, website="http://spam.example")
    assert response.status_code == 302 and not FaultReport.objects.exists()


def test_the_form_is_throttled_per_address(setup, client, settings):
    settings.FAULTS_THROTTLE = {"report": (2, 3600)}
    from django.core.cache import cache

    cache.clear()
    assert post(client, setup, description="ett", lat=CENTRE[0] + 0.01).status_code == 302
    assert post(client, setup, description="två", lat=CENTRE[0] + 0.02).status_code == 302
    assert post(client, setup, description="tre").status_code == 429
    assert FaultReport.objects.count() == 2
    cache.clear()


def test_likely_duplicates_are_shown_before_filing(setup, client):
    from django.core.cache import cache

    cache.clear()
    post(client, setup)
    response = post(client, setup, description="samma klotter")
    assert response.status_code == 200 and b'id="duplicates"' in response.content
    assert FaultReport.objects.count() == 1
    response = post(client, setup, description="ett annat klotter", confirm_new="on")
    assert response.status_code == 302 and FaultReport.objects.count() == 2


def test_the_reporter_reopens_on_their_page(setup, world, client):
    report = services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                                    address="Kungsgatan 1")
    services.change_status(report, actor=world.coordinator, status="fixed")
    response = client.post(report.get_public_url(), {"note": "Fortfarande kvar"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "reopened"


@pytest.mark.parametrize("url", ["/faults/", "/faults/statistics/", "/faults/rules/"])
def test_handler_pages_need_login(setup, client, url):
    assert client.get(url).status_code == 302


def test_owner_sees_and_fixes_their_report_coordinator_routes(setup, world, owner, client):
    from samverkan.core.choices import Role
    from samverkan.core.testing import make_user
    from samverkan.organizations.services import add_membership

    user = make_user("kfast")
    add_membership(actor=None, user=user, organization=owner, role=Role.CONTRIBUTOR)
    mine = services.submit_report(municipality=world.eskilstuna, category=setup["klotter"],
                                  lat=CENTRE[0], lon=CENTRE[1])
    other = services.submit_report(municipality=world.eskilstuna, category=setup["belysning"],
                                   address="Parken")
    client.force_login(user)
    listing = client.get("/faults/?mine=1")
    assert listing.status_code == 200 and list(listing.context["object_list"]) == [mine]
    assert client.post(f"/faults/{other.pk}/status/", {"status": "fixed"}).status_code == 403
    assert client.post(f"/faults/{mine.pk}/status/", {"status": "fixed"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "fixed"
    assert client.post(f"/faults/{other.pk}/assign/", {"handler": owner.pk}).status_code == 403
    client.force_login(world.coordinator)
    assert client.post(f"/faults/{other.pk}/assign/", {"handler": owner.pk}).status_code == 302
    other.refresh_from_db()
    assert other.handler == owner
    assert client.get(f"/faults/{mine.pk}/").status_code == 200
    assert client.get("/faults/statistics/?by=zone").status_code == 200
    assert client.get("/faults/rules/").status_code == 200
