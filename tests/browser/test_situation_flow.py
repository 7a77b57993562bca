"""Issue 3, end to end in a browser: an EST reporter on a phone-sized window reports an incident
by tapping the map; the coordinator sees it in the weekly situation picture and exports it."""
import io
import time
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from .conftest import login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eskilstuna():
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.situation.services import ensure_default_categories

    ensure_reference_data()
    load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    ensure_default_categories(Municipality.objects.get(code="0484"), actor=None)
    return DEMO_PASSWORD


def test_reporter_reports_on_phone_and_coordinator_exports(browser, phone_browser, live_server,
                                                            eskilstuna):
    from samverkan.situation.models import Incident

    # The caretaker reports graffiti from the phone, marking the place on the map.
    login(phone_browser, live_server, "vardare", eskilstuna)
    phone_browser.get(live_server.url + reverse("situation:report"))
    wait_for(phone_browser, "#report-map .leaflet-container, #report-map.leaflet-container")
    phone_browser.find_element(By.CSS_SELECTOR, "label[for] input[value][name=category]")
    klotter = phone_browser.find_element(
        By.XPATH, "//input[@name='category']/ancestor::label[contains(., 'Klotter')]")
    phone_browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", klotter)
    klotter.click()
    report_map = phone_browser.find_element(By.ID, "report-map")
    phone_browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", report_map)
    ActionChains(phone_browser).move_to_element_with_offset(report_map, 20, 10).click().perform()
    assert phone_browser.find_element(By.NAME, "lat").get_attribute("value")
    assert phone_browser.find_element(By.NAME, "lon").get_attribute("value")
    description = phone_browser.find_element(By.NAME, "description")
    description.send_keys("Nytt klotter på gångtunneln vid Fröslunda centrum.")
    screenshot(phone_browser, "report-phone")
    phone_browser.find_element(By.ID, "report-submit").click()
    wait_for_page(phone_browser)
    # On a busy machine the page may be swapped before the report is saved: wait for it.
    deadline = time.monotonic() + 20
    while (not Incident.objects.filter(description__startswith="Nytt klotter").exists()
           and time.monotonic() < deadline):
        time.sleep(0.2)
    incident = Incident.objects.get(description__startswith="Nytt klotter")
    assert incident.category.slug == "klotter" and incident.precision == "exact"
    assert abs(incident.lat - 59.37) < 0.2 and abs(incident.lon - 16.51) < 0.4
    assert incident.reported_by.username == "vardare"

    # The coordinator sees it in this week's picture ...
    week = timezone.localtime(incident.occurred_at).isocalendar()
    week_param = f"{week.year}-W{week.week:02d}"
    login(browser, live_server, "samordnare", eskilstuna)
    browser.get(live_server.url + reverse("situation:weekly") + f"?week={week_param}")
    page = wait_for(browser, "main").text
    assert f"vecka {week.week}" in page.lower()
    row = browser.find_element(By.XPATH, "//tr[contains(., 'Klotter')]")
    assert row.find_elements(By.XPATH, ".//td")[0].text.strip() == "1"
    screenshot(browser, "weekly-with-report")

    # ... and exports it, with the browser's session.
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Word")
    url = link.get_attribute("href")
    assert f"week={week_param}" in url
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies})) as r:
        assert r.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml")
        data = r.read()
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Klotter" in cells
