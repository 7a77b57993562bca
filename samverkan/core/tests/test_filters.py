"""Every FilterSet, found from the URL configuration (pages and API viewsets) and from the
apps' filter modules, derives from the one scoped base (core/filters.py), and none of them
offers or accepts a record its reader may not see.

The records: the demo, with one record of every scoped model restricted to the police and
internal children under them (the canary's marking, core/tests/canary.py). As every user who
is not police, no marked record is a choice of any related-record filter; filtering by its id
is refused (the page shows no marker, the API answers 400 or an empty list). The police see
the marked records among the choices (so the test can fail)."""
from __future__ import annotations

import importlib
import io
import re
from urllib.parse import urlencode

import django_filters
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils.module_loading import module_has_submodule
from django_filters.filters import QuerySetRequestMixin

from samverkan.core.filters import ScopedFilterBackend, ScopedFilterSet
from samverkan.core.tests import canary
from samverkan.organizations.models import Membership, Organization

POLICE = "Lokalpolisområde Eskilstuna"
pytestmark = pytest.mark.slow


def _filtersets_in_url_conf() -> list[tuple[str, type, bool]]:
    """(route, FilterSet class, is_api) of every page and API list that filters."""
    found = []
    for route, pattern in canary._walk(get_resolver()):
        callback = pattern.callback
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view is None:
            continue
        is_api = hasattr(callback, "cls")
        fs = getattr(view, "filterset_class", None)
        if fs is None and getattr(view, "filterset_fields", None):
            model = getattr(getattr(view, "queryset", None), "model", None) \
                or getattr(view, "model", None)
            if model is None:
                continue
            if is_api:
                fs = ScopedFilterBackend().get_filterset_class(view(), model._default_manager
                                                               .all())
            else:
                fs = view().get_filterset_class()
        if fs is not None:
            found.append((route, fs, is_api))
    return found


def _filtersets_in_apps() -> set[type]:
    """Every FilterSet class the apps define (their filters modules and the views/APIs that
    import them), so one used only inside a function view is checked too."""
    for config in apps.get_app_configs():
        if config.name.startswith("samverkan."):
            for name in ("filters", "views", "api"):
                if module_has_submodule(config.module, name):
                    importlib.import_module(f"{config.name}.{name}")
    result, todo = set(), [django_filters.FilterSet]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("samverkan."):
                result.add(sub)
    return result


def test_every_filterset_uses_the_scoped_base():
    in_urls = _filtersets_in_url_conf()
    assert len(in_urls) > 30, "the URL configuration should be full of filtered lists"
    classes = {fs for _route, fs, _api in in_urls} | _filtersets_in_apps()
    wrong = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes
                   if not issubclass(c, ScopedFilterSet))
    assert not wrong, ("FilterSets that do not derive from samverkan.core.filters."
                       f"ScopedFilterSet: {wrong}")


@pytest.fixture
def demo(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("load_demo", stdout=io.StringIO())
    police = Organization.objects.get(municipality_id="0484", name=POLICE)
    world = canary.mark_records(police.municipality, police)
    return police, world


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _related_filters(filterset):
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, QuerySetRequestMixin):
            yield name, filter_


def test_no_hidden_record_is_a_choice_or_accepted_on_any_path(demo):
    _choices_and_values(*demo)
    _pages_and_api(*demo)


def _choices_and_values(police, world):
    hidden: dict[type, set[int]] = {}
    for item in world.marked:
        hidden.setdefault(item.model, set()).add(item.pk)
    users = list(get_user_model().objects.filter(memberships__isnull=False).distinct()
                 .order_by("username"))
    police_users = {m.user_id for m in Membership.objects.filter(organization=police,
                                                                 active=True)}
    in_urls = _filtersets_in_url_conf()
    classes = sorted((c for c in {fs for _r, fs, _a in in_urls} | _filtersets_in_apps()
                      if c._meta.model is not None),
                     key=lambda c: f"{c.__module__}.{c.__qualname__}")
    leaks, accepted, police_saw, checked = [], [], 0, 0
    for user in users:
        request = _request(user)
        for cls in classes:
            filterset = cls(None, cls._meta.model._default_manager.none(), request=request)
            for name, filter_ in _related_filters(filterset):
                choices = filter_.field.queryset
                secret = hidden.get(choices.model, set())
                if not secret:
                    continue
                offered = set(choices.filter(pk__in=secret).values_list("pk", flat=True))
                if user.pk in police_users:
                    police_saw += len(offered)
                    continue
                checked += 1
                if offered:
                    leaks.append(f"{user.username}: {cls.__qualname__}.{name} offers "
                                 f"{choices.model._meta.label} {sorted(offered)}")
                pk = min(secret)
                bound = cls({name: str(pk)}, cls._meta.model._default_manager.all(),
                            request=request)
                if bound.is_valid():
                    accepted.append(f"{user.username}: {cls.__qualname__}?{name}={pk}")
    assert checked > 20, "too few related filters met a restricted record to prove anything"
    assert not leaks, "\n".join(leaks[:40])
    assert not accepted, "hidden ids accepted as filter values:\n" + "\n".join(accepted[:40])
    assert police_saw, "the police should see the restricted records among the choices"


def _pages_and_api(police, world):
    """Filtering a page or an API list by a hidden id shows nothing of it."""
    hidden: dict[type, list[int]] = {}
    for item in world.marked:
        hidden.setdefault(item.model, []).append(item.pk)
    coordinator = get_user_model().objects.get(username="samordnare")
    assert not Membership.objects.filter(user=coordinator, organization=police).exists()
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    request = _request(coordinator)
    tried, problems = 0, []
    for route, cls, is_api in _filtersets_in_url_conf():
        if "<" in route or "(?P" in route:
            continue  # lists under a parent: their filters are checked above
        url = "/" + re.sub(r"[\^$\\]", "", route)
        filterset = cls(None, cls._meta.model._default_manager.none(), request=request)
        for name, filter_ in _related_filters(filterset):
            model = filter_.field.queryset.model
            if model not in hidden:
                continue
            tried += 1
            response = client.get(f"{url}?{urlencode({name: hidden[model][0]})}",
                                  HTTP_ACCEPT="application/json" if is_api else "text/html")
            body = canary.body_text(response)
            if response.status_code >= 500 or canary.MARK_RE.search(body):
                problems.append(f"{url}?{name}: {response.status_code} "
                                f"{canary.MARK_RE.findall(body)[:3]}")
            elif is_api and response.status_code == 200:
                data = response.json()
                rows = data.get("results", data) if isinstance(data, dict) else data
                if rows:
                    problems.append(f"{url}?{name}: the API filtered by a hidden id "
                                    f"and answered {len(rows)} rows")
            elif is_api and response.status_code != 400:
                problems.append(f"{url}?{name}: {response.status_code}, expected 400")
    assert tried > 10
    assert not problems, "\n".join(problems[:40])
