"""Issue 11, end to end in a browser: on a phone-sized window a coordinator records three
observations on a safety walk, assigns measures and exports the protocol; the public pledge
page shows the pledge without login and does not show an internal activity."""
import datetime as dt
import io
import time
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import click_and_wait, login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story():
    from samverkan.agreements.models import Agreement
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.participation import services
    from samverkan.plans import services as plans

    ensure_reference_data()
    agreement = load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    eskilstuna = Municipality.objects.get(code="0484")
    Agreement.objects.filter(pk=agreement.pk).update(confidentiality="public")
    area = agreement.focus_areas.first()
    type(area).objects.filter(pk=area.pk).update(confidentiality="public")
    area.refresh_from_db()
    public = plans.create_activity(actor=None, focus_area=area, title="Städdagar i Fröslunda",
                                   confidentiality="public")
    internal = plans.create_activity(actor=None, focus_area=area,
                                     title="Intern kartläggning av otrygga platser")
    services.create_pledge(
        actor=None, municipality=eskilstuna, title="Renare och tryggare Fröslunda",
        problem="Nedskräpning och mopeder på gångbanorna.", period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31), confidentiality="public",
        activities=[public, internal])
    walk = services.create_walk(
        actor=None, municipality=eskilstuna, title="Trygghetsvandring i Fröslunda",
        area="Fröslunda", starts_at=timezone.now(), light="dark",
        route=[[59.3598, 16.5433], [59.3581, 16.5487], [59.3566, 16.5441]])
    return DEMO_PASSWORD, walk


def test_walk_on_a_phone_measures_protocol_and_public_pledge(phone_browser, browser,
                                                           live_server, story):
    from samverkan.participation.models import Observation

    password, walk = story
    login(phone_browser, live_server, "samordnare", password)
    url = live_server.url + reverse("participation:walk_detail", args=[walk.pk])
    observations = [
        ("lighting", "Belysning", "Mörk gångtunnel, två lampor trasiga."),
        ("vegetation", "Växtlighet och siktlinjer", "Buskar skymmer gångvägen mot skolan."),
        ("graffiti", "Klotter", "Klotter på elskåpet vid torget."),
    ]
    for number, (value, label, text) in enumerate(observations, start=1):
        phone_browser.get(url)
        form = wait_for(phone_browser, "#observation-form")
        Select(form.find_element(By.NAME, "category")).select_by_value(value)
        assert label in form.find_element(By.NAME, "category").text
        form.find_element(By.NAME, "text").send_keys(text)
        walk_map = phone_browser.find_element(By.ID, "walk-map")
        phone_browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", walk_map)
        ActionChains(phone_browser).move_to_element_with_offset(walk_map, 10 * number, 5) \
            .click().perform()
        assert phone_browser.find_element(By.NAME, "lat").get_attribute("value")
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        phone_browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        deadline = time.monotonic() + 20
        while Observation.objects.filter(walk=walk).count() < number \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Observation.objects.filter(walk=walk).count() == number
    wait_for_page(phone_browser)
    phone_browser.get(url)
    rows = wait_for(phone_browser, "#observation-table").find_elements(By.CSS_SELECTOR,
                                                                         "tbody tr")
    assert len(rows) == 3
    screenshot(phone_browser, "safety-walk-phone")
    assert all(o.lat is not None for o in Observation.objects.filter(walk=walk))

    # Measures: one accepted with a responsible, one rejected with a reason, one done.
    plan = [("Byta armaturerna i tunneln.", "Stadsbyggnadsförvaltningen", "accepted", ""),
            ("Beskära buskagen.", "Kfast", "rejected", "Buskarna är fridlysta."),
            ("Sanera klottret.", "Kfast", "done", "")]
    for observation, (measure, responsible, status, reason) in zip(
            Observation.objects.filter(walk=walk).order_by("pk"), plan, strict=True):
        phone_browser.get(live_server.url + reverse("participation:observation_update",
                                                    args=[observation.pk]))
        form = wait_for(phone_browser, "form.form")
        form.find_element(By.NAME, "measure").send_keys(measure)
        form.find_element(By.NAME, "responsible_text").send_keys(responsible)
        Select(form.find_element(By.NAME, "status")).select_by_value(status)
        if reason:
            form.find_element(By.NAME, "rejection_reason").send_keys(reason)
        submit = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        click_and_wait(phone_browser, submit)
        wait_for(phone_browser, "#observation-table")
    saved = list(Observation.objects.filter(walk=walk).order_by("pk"))
    assert [o.status for o in saved] == ["accepted", "rejected", "done"]
    from samverkan.participation.models import six_months_after

    assert saved[0].deadline == six_months_after(timezone.localtime(walk.starts_at).date())

    # The protocol, with the browser's session.
    link = phone_browser.find_element(By.ID, "protocol-docx").get_attribute("href")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in phone_browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(link, headers={"Cookie": cookies})) as r:
        data = r.read()
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Byta armaturerna i tunneln." in cells and "Buskarna är fridlysta." in " ".join(cells)

    # The public page, without logging in.
    browser.get(live_server.url + reverse("participation:public", args=["0484"]))
    page = wait_for(browser, "main").text
    assert "Renare och tryggare Fröslunda" in page
    assert "Städdagar i Fröslunda" in page
    assert "Intern kartläggning" not in page
    assert "/login/" not in browser.current_url
    screenshot(browser, "public-pledges")
