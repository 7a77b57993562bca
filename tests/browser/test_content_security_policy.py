"""The Content Security Policy in a real browser (docs/security.md): the main pages, with their
maps, charts and htmx parts, load and work under the policy with no violation. Chromium reports
each violation as a `securitypolicyviolation` event (collected by a script the browser adds to
every page before the page's own) and in its console log; both must stay empty.

The server-side test (samverkan/core/tests/test_browser_policy.py) reads every page's HTML;
this one catches what only a browser does: scripts that write inline styles or evaluate code,
Leaflet's tiles and icons, Chart.js, htmx swaps."""
from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from selenium.webdriver.common.by import By

from .conftest import login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + (e.sourceFile || "") + ":" + (e.lineNumber || 0) + " " + (e.sample || ""));
});
"""


def _watch(browser) -> None:
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                            {"source": COLLECT_VIOLATIONS})


def _violations(browser) -> list[str]:
    found = list(browser.execute_script("return window.__cspViolations || []"))
    for entry in browser.get_log("browser"):
        if "Content Security Policy" in entry.get("message", ""):
            found.append(entry["message"])
    return found


def _open(browser, url: str, ready_css: str) -> list[str]:
    browser.get(url)
    wait_for_page(browser)
    wait_for(browser, ready_css)
    time.sleep(0.8)  # htmx loads ("hx-trigger=load"), deferred charts, map tiles
    return [f"{url}: {v}" for v in _violations(browser)]


@pytest.fixture
def demo():
    from samverkan.demo.loader import DEMO_PASSWORD
    from samverkan.organizations.reference import ensure_reference_data

    # An earlier transactional test may have flushed the migrations' reference data.
    ensure_reference_data()
    call_command("load_demo", stdout=io.StringIO())
    return DEMO_PASSWORD


def test_main_pages_have_no_policy_violation(browser, phone_browser, live_server, demo):
    from samverkan.agreements.models import Agreement
    from samverkan.plans.models import Indicator
    from samverkan.situation.models import Area, Incident

    base = live_server.url
    agreement = Agreement.objects.filter(municipality_id="0484", status="active").first()
    problems = []

    _watch(browser)
    login(browser, live_server, "samordnare", demo)
    assert _violations(browser) == [], "the login page"
    pages = [
        (reverse("home"), "main"),
        (reverse("plans:activity_list"), ".plan-table"),
        (reverse("situation:weekly"), "#weekly-map.leaflet-container"),
        (reverse("followup:dashboard", args=[agreement.pk]), "canvas"),
        (reverse("followup:yearwheel"), "main"),
        (reverse("situation:incident_list"), "main"),
        (Incident.objects.filter(municipality_id="0484", lat__isnull=False).order_by("pk")
         .first().get_absolute_url(), "#incident-map.leaflet-container"),
        (Area.objects.filter(municipality_id="0484").order_by("pk").first().get_absolute_url(),
         "#area-map.leaflet-container"),
        (reverse("plans:indicator_detail", args=[
            Indicator.objects.filter(municipality_id="0484", measurements__isnull=False)
            .order_by("pk").first().pk]), "main"),
        (agreement.get_absolute_url(), "main"),
        (reverse("api-docs"), "#swagger-ui .swagger-ui"),
    ]
    for path, ready in pages:
        problems += _open(browser, base + path, ready)
    # The progress bars and colours come from data-css-vars through the CSSOM: they are set.
    browser.get(base + reverse("situation:weekly"))
    wait_for_page(browser)
    set_by_script = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-css-vars]'))"
        ".filter(function (el) { return el.style.length > 0; }).length")
    assert set_by_script > 0
    screenshot(browser, "csp-weekly")

    # The weekly map draws its tiles as <img> elements from the tile server (allowed in img-src;
    # no violation even where the server cannot be reached) and its markers' icons.
    wait_for(browser, "#weekly-map .leaflet-tile")
    assert browser.find_elements(By.CSS_SELECTOR, "#weekly-map .leaflet-tile")
    problems += [f"weekly map: {v}" for v in _violations(browser)]

    # A resident on a phone: the public fault form with its map, no account.
    _watch(phone_browser)
    problems += _open(phone_browser, base + reverse("faults:public_new", args=["0484"]),
                      "#fault-map.leaflet-container")
    screenshot(phone_browser, "csp-fault-form-phone")

    # An EST reporter's form on the phone, with its map.
    login(phone_browser, live_server, "samordnare", demo)
    problems += _open(phone_browser, base + reverse("situation:report"),
                      "#report-map.leaflet-container")
    assert not problems, "\n".join(problems)
