"""Issue 2, end to end in a browser: the coordinator adds an activity with a contribution from
each party and an indicator to the 2024-2027 agreement and sees both on the focus area's
page; the reader can see but not edit; the user of another municipality gets 404."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import click_and_wait, login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVITY = "Trygghetsvandring i Årby med boende och Kfast"


@pytest.fixture
def eskilstuna_2024():
    from samverkan.agreements.models import FocusArea
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.organizations.reference import ensure_reference_data

    ensure_reference_data()
    agreement = load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    focus_area = FocusArea.objects.get(agreement=agreement, number=3)
    return agreement, focus_area, DEMO_PASSWORD


def fill(browser, name, text):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def submit(browser):
    form = browser.find_element(By.CSS_SELECTOR, "main form.form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def test_coordinator_adds_activity_and_indicator(browser, live_server, eskilstuna_2024):
    agreement, focus_area, password = eskilstuna_2024
    login(browser, live_server, "samordnare", password)

    browser.get(live_server.url + agreement.get_absolute_url())
    assert "2024–2027" in wait_for(browser, "h1").text
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, focus_area.title))
    assert focus_area.title in browser.find_element(By.TAG_NAME, "h1").text

    # A new activity with each party's contribution, in one form.
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Ny aktivitet"))
    wait_for(browser, "[name=title]")
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    fill(browser, "title", ACTIVITY)
    fill(browser, "municipality_action", "Samordnar trygghetsvandringen och bjuder in boende.")
    fill(browser, "police_action", "Områdespolisen deltar och följer upp platserna.")
    fill(browser, "other_action", "Kfast åtgärdar belysning och buskage efter vandringen.")
    Select(browser.find_element(By.NAME, "status")).select_by_value("planned")
    screenshot(browser, "activity-form")
    submit(browser)
    assert ACTIVITY in wait_for(browser, "h1").text
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Samordnar trygghetsvandringen" in page and "Områdespolisen deltar" in page
    assert "Kfast åtgärdar belysning" in page

    # An indicator on the focus area.
    browser.get(live_server.url + focus_area.get_absolute_url())
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Ny indikator"))
    wait_for(browser, "[name=name]")
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    fill(browser, "name", "Antal genomförda trygghetsvandringar i prioriterade områden")
    fill(browser, "baseline_value", "0")
    fill(browser, "target_value", "3")
    submit(browser)
    wait_for(browser, "h1")

    browser.get(live_server.url + focus_area.get_absolute_url())
    page = wait_for(browser, "main").text
    assert ACTIVITY in page
    assert "Antal genomförda trygghetsvandringar i prioriterade områden" in page
    screenshot(browser, "focus-area-after")

    from samverkan.plans.models import Activity

    activity = Activity.objects.get(title=ACTIVITY)
    assert sorted(activity.contributions.values_list("party", flat=True)) == [
        "municipality", "other", "police"]


def test_reader_sees_but_cannot_edit(browser, live_server, eskilstuna_2024):
    agreement, focus_area, password = eskilstuna_2024
    login(browser, live_server, "lasare", password)
    browser.get(live_server.url + focus_area.get_absolute_url())
    page = wait_for(browser, "main").text
    assert focus_area.title in page
    assert not browser.find_elements(By.PARTIAL_LINK_TEXT, "Ny aktivitet")
    browser.get(live_server.url + reverse("agreements:agreement_update", args=[agreement.pk]))
    assert "403" in browser.title or "förbjud" in browser.page_source.lower() \
        or "forbidden" in browser.page_source.lower()


def test_other_municipality_gets_404(browser, live_server, eskilstuna_2024):
    agreement, focus_area, password = eskilstuna_2024
    login(browser, live_server, "karlshamn", password)
    for url in (agreement.get_absolute_url(), focus_area.get_absolute_url()):
        browser.get(live_server.url + url)
        wait_for_page(browser)
        assert "Not Found" in browser.page_source or "404" in browser.page_source
        assert focus_area.title not in browser.page_source
