"""Browser-test harness: headless Chromium driven by Selenium against pytest-django's live_server.

Fixtures: ``browser`` (1366x900) and ``phone_browser`` (390x844), each a fresh Chromium.
Helpers (import from this module: ``from tests.browser.conftest import login, wait_for``, or use
the fixtures of the same purpose below): ``login``, ``wait_for``, ``screenshot``.

Chromium comes from Debian (``apt-get install chromium chromium-driver``); CHROME_BIN and
CHROMEDRIVER override the paths. Without them the tests are skipped, unless REQUIRE_BROWSER=1,
which makes a missing browser an error (CI sets it where Chromium is installed).

A browser test needs ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``
(the live server runs in another thread and must see committed data).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "screenshots"
DESKTOP_SIZE = (1366, 900)
PHONE_SIZE = (390, 844)
WAIT_SECONDS = 10

MISSING_BROWSER = (
    "Chromium/chromedriver not found: browser tests skipped (install Debian's chromium and "
    "chromium-driver, or set REQUIRE_BROWSER=1 to make this an error)"
)


def _find(env_name: str, candidates: tuple[str, ...]) -> str | None:
    value = os.environ.get(env_name)
    if value:
        return value if Path(value).is_file() else shutil.which(value)
    for candidate in candidates:
        found = shutil.which(candidate) if "/" not in candidate else candidate
        if found and Path(found).is_file():
            return found
    return None


def chromium_paths() -> tuple[str | None, str | None]:
    chrome = _find("CHROME_BIN", ("/usr/bin/chromium", "chromium", "chromium-browser"))
    driver = _find("CHROMEDRIVER", ("/usr/bin/chromedriver", "chromedriver"))
    return chrome, driver


def _browser_missing(detail: str = "") -> None:
    message = MISSING_BROWSER + (f" [{detail}]" if detail else "")
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def make_driver(size: tuple[int, int], user_data_dir: str):
    """A headless Chromium WebDriver, or skip/fail when Chromium or chromedriver is missing."""
    chrome, driver_path = chromium_paths()
    if not chrome or not driver_path:
        _browser_missing(f"chromium={chrome}, chromedriver={driver_path}")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in the test extra
        _browser_missing("selenium is not installed")

    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--lang=sv-SE",
        f"--window-size={size[0]},{size[1]}", f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "sv-SE,sv"})
    # The console log (read with driver.get_log("browser"), e.g. for CSP violations).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except Exception as exc:  # chromedriver/chromium mismatch, missing libraries, ...
        if os.environ.get("REQUIRE_BROWSER") == "1":
            raise
        pytest.skip(f"{MISSING_BROWSER} [could not start Chromium: {exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''}]")
    driver.set_window_size(*size)
    driver.implicitly_wait(0)
    driver.set_page_load_timeout(30)
    return driver


def _driver_fixture(size: tuple[int, int]):
    user_data_dir = tempfile.mkdtemp(prefix="samverkan-chromium-")
    driver = None
    try:
        driver = make_driver(size, user_data_dir)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(user_data_dir, ignore_errors=True)


@pytest.fixture
def browser():
    """A desktop-sized (1366x900) headless Chromium, new for each test."""
    yield from _driver_fixture(DESKTOP_SIZE)


@pytest.fixture
def phone_browser():
    """A phone-sized (390x844) headless Chromium, new for each test."""
    yield from _driver_fixture(PHONE_SIZE)


@pytest.fixture(autouse=True)
def _plain_http_cookies(request, settings):
    """The live server speaks plain HTTP: don't mark the session and CSRF cookies Secure."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


# --- helpers ------------------------------------------------------------------------------


def _base_url(live_server) -> str:
    return (live_server if isinstance(live_server, str) else live_server.url).rstrip("/")


def wait_for(browser, css: str, timeout: float = WAIT_SECONDS, visible: bool = False):
    """Wait until an element matching the CSS selector is present (or visible), return it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    condition = (ec.visibility_of_element_located if visible
                 else ec.presence_of_element_located)((By.CSS_SELECTOR, css))
    return WebDriverWait(browser, timeout).until(condition)


def wait_for_page(browser, timeout: float = WAIT_SECONDS) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def click_and_wait(browser, element, timeout: float = WAIT_SECONDS) -> None:
    """Click a link or submit button that loads a new page, and wait for that page.

    The old document stays "complete" until the new one replaces it, so waiting on the
    ready state alone can return the old page. The old page gets a mark the new one lacks;
    the mark is read by script, not through an element handle, because ChromeDriver answers
    a handle into a page being replaced with "unknown error" rather than "stale element"."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    browser.execute_script("window.samverkanOldPage = true;")
    element.click()
    # While the page is replaced, a script may fail ("execution context destroyed"): retry.
    WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return !window.samverkanOldPage && document.readyState === 'complete';"))


def login(browser, live_server, username: str, password: str, next_path: str = "") -> None:
    """Log in through the login form and wait for the page after it.

    Fails the test (with the page's error text) if the login page is shown again."""
    from django.urls import reverse
    from selenium.webdriver.common.by import By

    login_path = reverse("login")
    url = _base_url(live_server) + login_path + (f"?next={next_path}" if next_path else "")
    browser.get(url)
    form = wait_for(browser, "input[name=username]").find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.NAME, "username").clear()
    form.find_element(By.NAME, "username").send_keys(username)
    form.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR,
                                              "button[type=submit], input[type=submit]"))
    if browser.current_url.split("?")[0].endswith(login_path):
        errors = browser.find_elements(By.CSS_SELECTOR, ".alert-error, .errorlist")
        text = " | ".join(e.text for e in errors) or "(no error shown)"
        pytest.fail(f"login as {username!r} failed: still on the login page: {text}")


def screenshot(browser, name: str) -> Path | None:
    """Save a PNG to screenshots/NAME.png when SCREENSHOTS=1; otherwise do nothing."""
    if os.environ.get("SCREENSHOTS") != "1":
        return None
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "page"
    path = SCREENSHOT_DIR / f"{safe}.png"
    browser.save_screenshot(str(path))
    return path
