"""Browser protections on every page (docs/security.md): the Content Security Policy without
inline script or style, frame denial, nosniff, the referrer policy; HSTS and Secure cookies
behind TLS.

The pages come from the URL configuration, filled with the demo's ids by the canary's helpers
(canary.page_urls), plus the same-site links found on them: a new page is covered the day it is
added. Every template of every app is also read on its own, so a fragment that only htmx
requests, or a page no demo record reaches, cannot carry inline code either."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections import deque
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from samverkan.core.tests import canary
from samverkan.core.tests.browser_policy import header_problems, inline_code

pytestmark = pytest.mark.slow

TEMPLATE_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.S)
TEMPLATE_VARIABLE = re.compile(r"{{.*?}}", re.S)
MAX_LINKS = 250  # same-site links followed beyond the URL patterns (query-string variants)


def _templates() -> list[Path]:
    """Every HTML template of the project's apps (e-mails are .txt and not served)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("samverkan."):
            continue
        found += sorted((Path(config.path) / "templates").rglob("*.html"))
    return found


def test_no_template_has_inline_script_or_style():
    templates = _templates()
    assert len(templates) > 50
    problems = []
    for path in templates:
        source = TEMPLATE_COMMENT.sub(" ", path.read_text())
        source = TEMPLATE_VARIABLE.sub("x", TEMPLATE_TAG.sub(" ", source))
        problems += [f"{path.relative_to(Path(apps.get_app_config('core').path).parent)}: {p}"
                     for p in inline_code(source)]
    assert not problems, "\n".join(problems)


def test_the_policy_finder_tells_data_from_code():
    """The checker itself: JSON data blocks pass; every form of inline code is found."""
    allowed = ('<script src="/static/a.js"></script><script type="application/json" id="d">'
               '{"a": 1}</script><div data-colour="#fff" hx-get="/x/"></div>')
    assert inline_code(allowed) == []
    for bad in ('<script>alert(1)</script>', '<script type="module">x()</script>',
                '<p style="margin:0">', '<style>p{}</style>', '<a href="javascript:x()">',
                '<select onchange="this.form.submit()">', '<div hx-on:click="x()">',
                '<body onload=x>'):
        assert len(inline_code(bad)) == 1, bad


@pytest.fixture
def demo(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("load_demo", stdout=io.StringIO())


def _demo_world() -> tuple[canary.CanaryWorld, set[int]]:
    """The ids the URL patterns are filled with: two of Eskilstuna's records per model."""
    world = canary.CanaryWorld()
    for model in canary.scoped_models():
        for pk in model._default_manager.filter(municipality_id="0484").order_by(
                "pk").values_list("pk", flat=True)[:2]:
            world.add_ids(model, pk)
    everything = {ids[0] for ids in world.ids.values()}
    return world, everything


def _check_pages(client: Client, start: list[str], *, max_links: int) -> tuple[list, int]:
    """GET every URL (and up to max_links same-site links found on the HTML pages); the
    problems of headers and inline code, and how many HTML pages were read."""
    problems, visited, html_pages = [], set(), 0
    queue = deque(start)
    followed = 0
    while queue:
        url = queue.popleft()
        if url in visited or re.search(r"logout|/i18n/|/static/|/media/", url):
            continue
        if url not in start:
            if followed >= max_links:
                continue
            followed += 1
        visited.add(url)
        response = client.get(url)
        problems += [f"{url}: {p}" for p in header_problems(response)]
        if response.status_code >= 500:
            problems.append(f"{url}: status {response.status_code}")
        if response.streaming or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode("utf-8", "replace")
        html_pages += response.status_code == 200
        problems += [f"{url}: {p}" for p in inline_code(html)]
        for href in re.findall(r'href="(/[^"#]*)"', html):
            queue.append(href.replace("&amp;", "&"))
    return problems, html_pages


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        for view in ("changelist", "add"):
            try:
                urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}"
                                    f"_{view}"))
            except NoReverseMatch:
                continue
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}"
                                "_change", args=[first]))
    return urls


def test_every_page_has_the_policy_and_no_inline_code(demo):
    world, everything = _demo_world()
    pages = ["/", *canary.page_urls(world, everything)]
    pages = [url for url in pages if not url.startswith("/admin/")]
    # The API's own pages without parameters (the API documentation, the schema, the lists):
    # page_urls leaves the API to its schema.
    pages += ["/" + route for route, _pattern in canary._walk(get_resolver())
              if route.startswith("api/") and "<" not in route and "(?P" not in route]
    users = get_user_model().objects
    problems = []

    coordinator = Client(raise_request_exception=False)
    coordinator.force_login(users.get(username="samordnare"))
    found, html_pages = _check_pages(coordinator, pages, max_links=MAX_LINKS)
    problems += [f"coordinator {p}" for p in found]
    assert html_pages > 150, f"only {html_pages} pages were read as the coordinator"

    anonymous = Client(raise_request_exception=False)  # public pages, the login, redirects
    found, public_pages = _check_pages(anonymous, pages, max_links=MAX_LINKS)
    problems += [f"anonymous {p}" for p in found]
    assert public_pages >= 3

    superuser = users.create_superuser("csp-admin", "csp-admin@example.se", "x")
    administrator = Client(raise_request_exception=False)
    administrator.force_login(superuser)
    found, admin_pages = _check_pages(administrator, _admin_urls(), max_links=0)
    problems += [f"admin {p}" for p in found]
    assert admin_pages > 20
    print(f"pages read: coordinator {html_pages}, anonymous {public_pages}, admin {admin_pages}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


def test_hsts_redirect_and_secure_cookies_behind_tls():
    """The settings an installation behind the TLS proxy gets without setting them one by
    one (read from a fresh interpreter, as the server reads them at start)."""
    env = {**os.environ, "BEHIND_TLS_PROXY": "true", "DEBUG": "false",
           "DJANGO_SETTINGS_MODULE": "samverkan.settings"}
    env.pop("SECURE_HSTS_SECONDS", None)
    env.pop("SECURE_SSL_REDIRECT", None)
    code = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
            "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SESSION_COOKIE_HTTPONLY, s.SECURE_PROXY_SSL_HEADER)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split(None, 5)
    assert out[:5] == ["31536000", "True", "True", "True", "True"]
    assert "HTTP_X_FORWARDED_PROTO" in out[5]


def test_https_responses_carry_hsts_and_secure_cookies(db, settings, coordinator):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    coordinator.set_password("Ett långt lösenord 42")
    coordinator.save()
    client = Client()
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    page = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert not header_problems(page)
    assert page.cookies["csrftoken"]["secure"]
    login = client.post("/login/", {"username": coordinator.username,
                                    "password": "Ett långt lösenord 42"},
                        HTTP_X_FORWARDED_PROTO="https")
    assert login.status_code == 302
    session = login.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
