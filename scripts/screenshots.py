#!/usr/bin/env python3
"""Screenshots of pages of a running Samverkan server, at desktop and phone sizes.

    python scripts/screenshots.py --user admin --password secret / /plans/ /situation/weekly/
    python scripts/screenshots.py --base-url http://127.0.0.1:8001 --full-page /login/

Logs in through the login form (unless --user is left out), then saves
screenshots/<path>-desktop.png (1366x900) and screenshots/<path>-phone.png (390x844).
The login page itself (if listed) is taken before logging in. Needs Debian's chromium and
chromium-driver (CHROME_BIN / CHROMEDRIVER override the paths) and selenium.
The password may also come from the SCREENSHOT_PASSWORD environment variable.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
CHROME_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--lang=sv-SE",
)


def find_binary(env_name: str, candidates: tuple[str, ...]) -> str | None:
    value = os.environ.get(env_name)
    if value:
        return value if Path(value).is_file() else shutil.which(value)
    for candidate in candidates:
        found = candidate if "/" in candidate else shutil.which(candidate)
        if found and Path(found).is_file():
            return found
    return None


def make_driver(size: tuple[int, int], user_data_dir: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome = find_binary("CHROME_BIN", ("/usr/bin/chromium", "chromium", "chromium-browser"))
    driver_path = find_binary("CHROMEDRIVER", ("/usr/bin/chromedriver", "chromedriver"))
    if not chrome or not driver_path:
        sys.exit("Chromium/chromedriver not found: install Debian's chromium and chromium-driver "
                 "(or set CHROME_BIN and CHROMEDRIVER).")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in (*CHROME_ARGS, f"--window-size={size[0]},{size[1]}",
                f"--user-data-dir={user_data_dir}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "sv-SE,sv"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_window_size(*size)
    driver.set_page_load_timeout(60)
    return driver


def wait_ready(driver, timeout: float = 20) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def login(driver, base_url: str, login_path: str, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + login_path)
    form = WebDriverWait(driver, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "input[name=username]"))
    ).find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.NAME, "username").clear()
    form.find_element(By.NAME, "username").send_keys(username)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    WebDriverWait(driver, 20).until(ec.staleness_of(form))
    wait_ready(driver)
    if driver.current_url.split("?")[0].rstrip("/").endswith(login_path.rstrip("/")):
        errors = driver.find_elements(By.CSS_SELECTOR, ".alert-error, .errorlist")
        detail = " | ".join(e.text for e in errors) or "still on the login page"
        raise SystemExit(f"Login as {username!r} failed: {detail}")


def slug(path: str) -> str:
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return name or "home"


def shoot(driver, url: str, out: Path, full_page: bool) -> Path:
    driver.get(url)
    wait_ready(driver)
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    if full_page:
        total = driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
        )
        driver.set_window_size(width, min(max(int(total) + 140, height), 8000))
    driver.save_screenshot(str(out))
    if full_page:
        driver.set_window_size(width, height)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/login/", "/"],
                        help="URL paths to capture (default: /login/ /)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", "-u", help="username to log in as (omit: stay anonymous)")
    parser.add_argument("--password", "-p", default=os.environ.get("SCREENSHOT_PASSWORD"))
    parser.add_argument("--login-path", default="/login/")
    parser.add_argument("--out", default=str(REPO_ROOT / "screenshots"), help="output folder")
    parser.add_argument("--sizes", default="desktop,phone",
                        help="comma-separated: desktop (1366x900), phone (390x844)")
    parser.add_argument("--full-page", action="store_true",
                        help="grow the window to the page's height (up to 8000 px)")
    args = parser.parse_args(argv)

    if args.user and not args.password:
        parser.error("--password (or SCREENSHOT_PASSWORD) is needed with --user")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s): {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    base_url = args.base_url.rstrip("/")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [p if p.startswith("/") else "/" + p for p in args.paths]
    anonymous = [p for p in paths if p.split("?")[0] == args.login_path] if args.user else paths
    logged_in = [p for p in paths if p not in anonymous]

    written: list[Path] = []
    for size_name in sizes:
        user_data_dir = tempfile.mkdtemp(prefix="samverkan-shots-")
        driver = make_driver(SIZES[size_name], user_data_dir)
        try:
            for path in anonymous:
                written.append(shoot(driver, base_url + path,
                                     out_dir / f"{slug(path)}-{size_name}.png", args.full_page))
            if logged_in:
                login(driver, base_url, args.login_path, args.user, args.password)
                for path in logged_in:
                    written.append(shoot(driver, base_url + path,
                                         out_dir / f"{slug(path)}-{size_name}.png",
                                         args.full_page))
        finally:
            driver.quit()
            shutil.rmtree(user_data_dir, ignore_errors=True)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
