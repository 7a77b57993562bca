"""Issue 12, end to end in a browser: a resident on a phone-sized window files a graffiti report
with a photo in the town centre without an account; it is due in 24 hours; the property owner
marks it fixed; the reporter's e-mail shows each status; the statistics count it in time."""
import tempfile
import time

import pytest
from django.core import mail
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from samverkan.faults.tests.conftest import jpeg_with_gps

from .conftest import click_and_wait, login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eskilstuna():
    from django.contrib.auth import get_user_model
    from shapely.geometry import box

    from samverkan.core.choices import Role
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.faults import services
    from samverkan.organizations.models import Municipality, Organization
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.organizations.services import add_membership
    from samverkan.situation import services as situation
    from samverkan.situation.services import ensure_default_categories

    ensure_reference_data()
    load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    municipality = Municipality.objects.get(code="0484")
    ensure_default_categories(municipality, actor=None)
    cats = {c.slug: c for c in services.ensure_default_categories(municipality, actor=None)}
    # A generous "centre" around the map's starting view, so that a tap near the middle of
    # the map is inside it.
    centre, _ = situation.save_area(actor=None, municipality=municipality, name="Centrum",
                                    kind="district",
                                    geometry_wgs84=box(16.45, 59.34, 16.57, 59.40))
    services.create_deadline_rule(actor=None, municipality=municipality,
                                  category=cats["klotter"], zone=centre, amount=24,
                                  unit="hours")
    services.create_deadline_rule(actor=None, municipality=municipality,
                                  category=cats["klotter"], amount=48, unit="hours")
    kfast = Organization.objects.get(municipality=municipality, name="Kfast")
    services.create_routing_rule(actor=None, municipality=municipality, zone=centre,
                                 organization=kfast)
    owner = get_user_model().objects.create_user("fastighetsagare", password=DEMO_PASSWORD)
    add_membership(actor=None, user=owner, organization=kfast, role=Role.CONTRIBUTOR)
    return DEMO_PASSWORD


def _wait(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def test_resident_reports_owner_fixes_statistics_count_it(phone_browser, browser, live_server,
                                                          eskilstuna, run_jobs):
    from samverkan.faults.models import FaultReport

    phone = phone_browser
    phone.get(live_server.url + reverse("faults:public_new", args=["0484"]))
    assert "112" in wait_for(phone, "#not-emergency").text
    wait_for(phone, "#fault-map.leaflet-container")
    klotter = phone.find_element(
        By.XPATH, "//input[@name='category']/ancestor::label[contains(., 'Klotter')]")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", klotter)
    klotter.click()
    fault_map = phone.find_element(By.ID, "fault-map")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", fault_map)
    ActionChains(phone).move_to_element_with_offset(fault_map, 5, 5).click().perform()
    assert phone.find_element(By.NAME, "lat").get_attribute("value")
    phone.find_element(By.NAME, "description").send_keys("Taggar på elskåpet vid torget.")
    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as photo:
        photo.write(jpeg_with_gps())
    phone.find_element(By.NAME, "photos").send_keys(photo.name)
    email = phone.find_element(By.NAME, "reporter_email")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", email)
    email.send_keys("boende@example.se")
    screenshot(phone, "fault-report-phone")
    submit = phone.find_element(By.ID, "fault-submit")
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
    submit.click()
    wait_for_page(phone)
    _wait(lambda: FaultReport.objects.exists())
    report = FaultReport.objects.get()
    assert report.zone.name == "Centrum" and report.handler.name == "Kfast"
    assert (report.due_at - report.received_at).total_seconds() == 24 * 3600
    assert report.photos.count() == 1
    wait_for(phone, "#report-received")
    assert "Mottagen" in phone.find_element(By.ID, "report-status").text
    run_jobs()
    assert [m.to for m in mail.outbox] == [["boende@example.se"]]

    # The property owner logs in, finds the report routed to Kfast and marks it fixed.
    login(browser, live_server, "fastighetsagare", eskilstuna)
    browser.get(live_server.url + reverse("faults:report_list") + "?mine=1")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, str(report.pk)))
    form = wait_for(browser, "#status-form")
    form.find_element(By.CSS_SELECTOR, "select[name=status] option[value=fixed]").click()
    form.find_element(By.NAME, "cost").send_keys("1200")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    _wait(lambda: FaultReport.objects.get().status == "fixed")
    assert "Åtgärdad" in wait_for(browser, "#status").text
    run_jobs()
    subjects = [m.subject for m in mail.outbox]
    assert subjects[-1].endswith("Åtgärdad") and subjects[0].endswith("Mottagen")
    assert report.get_public_url() in mail.outbox[-1].body

    # The reporter's page shows the history; the statistics count it within the deadline.
    phone.get(live_server.url + report.get_public_url())
    timeline = wait_for(phone, "#timeline").text
    assert "Mottagen" in timeline and "Åtgärdad" in timeline
    login(browser, live_server, "samordnare", eskilstuna)
    browser.get(live_server.url + reverse("faults:statistics") + "?by=handler")
    row = wait_for(browser, "#deadline-statistics").find_element(
        By.XPATH, ".//tbody/tr[contains(., 'Kfast')]")
    cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
    # Reports, then the key figure: the share fixed within the deadline.
    assert cells[0] == "1" and cells[1].startswith("100")
    screenshot(browser, "fault-statistics")
