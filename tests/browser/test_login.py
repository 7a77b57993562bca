"""Proves the browser harness: the login page in Swedish, log in, the base page, log out."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .conftest import login, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def make_member(username="samordnare", municipality_code="1280"):
    from django.contrib.auth import get_user_model

    from samverkan.core.choices import Role
    from samverkan.organizations.choices import OrganizationKind
    from samverkan.organizations.models import County, Membership, Municipality, Organization

    municipality = Municipality.objects.filter(code=municipality_code).first()
    if municipality is None:  # reference data flushed by an earlier transactional test
        county, _ = County.objects.get_or_create(code="12", defaults={"name": "Skåne län"})
        municipality = Municipality.objects.create(code=municipality_code, name="Malmö",
                                                   county=county)
    organization = Organization.objects.create(
        municipality=municipality, name=f"{municipality.name} stad",
        kind=OrganizationKind.MUNICIPALITY,
    )
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, first_name="Sara", last_name="Samordnare"
    )
    Membership.objects.create(user=user, organization=organization, role=Role.COORDINATOR)
    return user, municipality


def test_login_page_is_swedish_by_default(browser, live_server):
    browser.get(live_server.url + reverse("login"))
    heading = wait_for(browser, "h1")
    assert heading.text == "Logga in"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    assert browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").text == (
        "Logga in"
    )
    screenshot(browser, "login-desktop")


def test_log_in_see_base_page_and_log_out(browser, live_server):
    user, municipality = make_member()
    login(browser, live_server, "samordnare", PASSWORD)

    header = wait_for(browser, ".site-header")
    assert "Samverkan" in header.find_element(By.CSS_SELECTOR, ".brand").text
    assert municipality.name in header.find_element(By.CSS_SELECTOR, ".brand").text
    summary = browser.find_element(By.CSS_SELECTOR, ".user-menu summary")
    assert "Sara Samordnare" in summary.text
    assert browser.find_elements(By.CSS_SELECTOR, ".site-nav a"), "main navigation is missing"
    screenshot(browser, "home-desktop")

    summary.click()
    logout = wait_for(browser, ".user-menu-panel button[type=submit]", visible=True)
    assert logout.text == "Logga ut"
    logout.click()
    heading = wait_for(browser, "#login-form")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Logga in"
    assert not browser.find_elements(By.CSS_SELECTOR, ".user-menu"), "still logged in"
    assert heading is not None


def test_language_switch_to_english(browser, live_server):
    browser.get(live_server.url + reverse("login"))
    wait_for(browser, ".lang-switch button[value=en]").click()
    wait_for(browser, "html[lang=en]")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Log in"


def test_phone_menu_collapses(phone_browser, live_server):
    make_member()
    login(phone_browser, live_server, "samordnare", PASSWORD)
    nav = wait_for(phone_browser, ".site-nav")
    toggle = phone_browser.find_element(By.CSS_SELECTOR, ".nav-toggle")
    assert toggle.is_displayed()
    assert not nav.is_displayed(), "the navigation should be collapsed on a phone"
    toggle.click()
    assert nav.is_displayed()
    assert toggle.get_attribute("aria-expanded") == "true"
    screenshot(phone_browser, "home-phone-menu")
