"""A crawl of every SSPF/SIG page and API read, as every kind of user, with markers in the
personal fields of a case and of each record under it: only the case's participants who may
read it see a marker, and no request is a server error. The URLs come from the URL
configuration and the API schema, the models from the app registry, so a new page or model of
the app is crawled without being added here (the project-wide canary of issue 8 does the same
for every app)."""
import datetime as dt
import re

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from samverkan.core.models import ScopedModel
from samverkan.sspf import services
from samverkan.sspf.choices import Agency

from .helpers import verified_client

MARK = re.compile(r"QKS\d{2}Z")


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _urls(ids: set[int]) -> list[str]:
    urls = []
    for route in _walk(get_resolver()):
        route = route.replace("^", "").replace("$", "")
        if "(?P<format>" in route or "app_label" in route:
            continue
        if not route.startswith(("sspf/", "api/v1/sspf-", "admin/sspf/")):
            continue
        route = re.sub(r"\(\?P<(\w+)>[^)]+\)", r"<int:\1>", route)
        route = route.replace("<str:fmt>", "csv")
        for pk in sorted(ids) if "<" in route else [None]:
            url = re.sub(r"<(?:int:|path:)?\w+>", str(pk), route) if pk else route
            urls.append("/" + url)
            if url.startswith("api/") and pk is None:
                urls.append("/" + url + "?case=" + str(min(ids)))
    return sorted(set(urls))


def test_markers_show_only_to_those_who_may_read_them(team):
    w = team.world
    team.consent_all(agencies=[Agency.SCHOOL])  # the police member is not covered
    case = team.case
    meeting = services.add_meeting(case, actor=team.responsible, held_on=dt.date(2026, 2, 1),
                                   notes="QKS02Z anteckning")
    services.add_action(meeting, actor=team.responsible, agency=Agency.SCHOOL,
                        description="QKS03Z åtgärd")
    services.update_case(case, actor=team.responsible, person_name="QKS01Z Testsson")
    services.record_consent(case, actor=team.responsible, given_by="guardian",
                            giver_name="QKS04Z Vårdnadshavare", given_on=dt.date(2026, 2, 2),
                            method="meeting", agencies=[Agency.SCHOOL],
                            ends_on=dt.date(2026, 6, 30), note="Möte")
    models = [m for m in apps.get_app_config("sspf").get_models() if issubclass(m, ScopedModel)]
    ids = {pk for m in models for pk in m.objects.values_list("pk", flat=True)}
    urls = _urls(ids)
    assert any(u.startswith("/api/v1/sspf-consents/") for u in urls)
    assert any(u.startswith("/sspf/cases/") for u in urls)

    allowed = {team.responsible, team.social_worker, team.teacher}
    people = [w.coordinator, w.police_officer, w.reader, w.no_role_user,
              w.other_municipality_user, team.superuser, *allowed]
    seen_by_allowed = set()
    for user in [*people, None]:
        clients = [Client(raise_request_exception=False)]
        if user is not None:
            clients = [verified_client(user, Client)]
            clients[0].raise_request_exception = False
        client = clients[0]
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (user, url, response.status_code)
            if response.status_code == 200 and "/purpose" not in url:
                # The case page asks for the purpose first: give it and read again.
                text = response.content.decode("utf-8", "replace")
                if 'name="purpose"' in text:
                    text = client.post(url, {"purpose": "handling"}, follow=True).content.decode(
                        "utf-8", "replace")
                found = set(MARK.findall(text))
                if user in allowed:
                    seen_by_allowed |= found
                else:
                    assert not found, (user, url, found)
    assert {"QKS01Z", "QKS02Z", "QKS03Z", "QKS04Z"} <= seen_by_allowed
