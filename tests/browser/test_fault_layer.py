"""Issue 12 in a browser: the weekly page's map has a switch for the fault-report layer, with
the other layers' switches; switching it off hides the fault markers, the choice is kept when
the page is opened again, and switching it on shows them again."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By

from .conftest import WAIT_SECONDS, login, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKERS = "#weekly-map path.map-layer-faults"


@pytest.fixture
def eskilstuna_with_faults():
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.faults import services
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.situation.services import ensure_default_categories

    ensure_reference_data()
    load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    municipality = Municipality.objects.get(code="0484")
    ensure_default_categories(municipality, actor=None)
    cats = {c.slug: c for c in services.ensure_default_categories(municipality, actor=None)}
    for lat, lon, day in ((59.3712, 16.5098, 3), (59.3690, 16.5200, 5)):
        services.submit_report(municipality=municipality, category=cats["klotter"],
                               description="Taggar", lat=lat, lon=lon, notify=False,
                               received_at=timezone.make_aware(dt.datetime(2026, 11, day, 10)))
    return DEMO_PASSWORD


def _switch(browser):
    """The fault layer's switch, once the map's own request has added it (it arrives after the
    page: wait for it rather than finding it at once)."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS).until(ec.presence_of_element_located((
        By.XPATH, "//div[contains(@class, 'leaflet-control-layers')]//label"
                  "[contains(., 'Felanmälningar')]//input")))


def test_fault_layer_switch(browser, live_server, eskilstuna_with_faults):
    login(browser, live_server, "samordnare", eskilstuna_with_faults)
    url = live_server.url + reverse("situation:weekly") + "?week=2026-W45"
    browser.get(url)
    wait_for(browser, MARKERS)
    assert len(browser.find_elements(By.CSS_SELECTOR, MARKERS)) == 2
    legend = browser.find_element(By.ID, "legend-faults").text
    assert "Felanmälningar från invånare denna vecka (2)" in legend
    # The other layers have their switches in the same control.
    labels = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-layers").text
    assert "Veckans händelser" in labels and "Felanmälningar" in labels
    switch = _switch(browser)
    assert switch.is_selected()
    screenshot(browser, "weekly-fault-layer-on")

    switch.click()
    assert not browser.find_elements(By.CSS_SELECTOR, MARKERS)
    screenshot(browser, "weekly-fault-layer-off")
    # Kept where the switches keep their state: the page opens with the layer off.
    browser.get(url)
    wait_for(browser, ".leaflet-control-layers")
    assert not _switch(browser).is_selected()
    assert not browser.find_elements(By.CSS_SELECTOR, MARKERS)

    _switch(browser).click()
    assert len(browser.find_elements(By.CSS_SELECTOR, MARKERS)) == 2
