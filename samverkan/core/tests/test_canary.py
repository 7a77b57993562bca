"""The canary test: one record of every scoped model restricted to the police, with a marker
in its text, and internal children of those records with markers too. As every demo role that
is not police, as another municipality's coordinator and as an anonymous visitor: every URL
pattern, every GET operation of the API schema, the links and export links on the pages, and
every e-mail the system sends show no marker and no server error. The police coordinator sees
the markers (so the test can fail). See canary.py: no list of models or URLs anywhere."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client

from samverkan.core.tests import canary
from samverkan.organizations.models import Membership, Organization

POLICE = "Lokalpolisområde Eskilstuna"
pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_demo", stdout=io.StringIO())
    police = Organization.objects.get(municipality_id="0484", name=POLICE)
    world = canary.mark_records(police.municipality, police)
    return police, world


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _is_police(user, police) -> bool:
    return Membership.objects.filter(user=user, organization=police, active=True).exists()


def test_no_marker_leaks_on_any_path(demo, django_capture_on_commit_callbacks, run_jobs):
    police, world = demo
    everything = {pk for ids in world.ids.values() for pk in ids}
    start = ["/"] + canary.page_urls(world, everything) + canary.api_urls(world, everything)
    users = list(get_user_model().objects.filter(memberships__isnull=False).distinct()
                 .order_by("username"))
    leaks, errors, police_seen = [], [], set()
    api = [url for url in start if url.startswith("/api/")]
    for user in [*users, None]:
        police_member = user is not None and _is_police(user, police)
        if police_member:  # the police read the markers through the API: enough to fail
            result = canary.crawl(_client(user), api, max_links=0)
        else:  # anonymous: every URL answers "log in" or 401/403; no links to follow
            result = canary.crawl(_client(user), start, max_links=120 if user else 0)
        who = user.username if user else "anonymous"
        errors += [f"{who}: {e}" for e in result.errors]
        if police_member:
            police_seen |= set(result.seen)
            continue
        for marker, urls in sorted(result.seen.items()):
            item = world.marker_model(marker)
            leaks.append(f"{who} sees {marker} ({item.model._meta.label} {item.pk}"
                         f"{'' if item.restricted else ', internal child'}) on "
                         f"{sorted(urls)[:3]}")
    # The police see the restricted records: every marked model with an API sees its marker.
    api_models = {getattr(getattr(f, "cls", None), "model", None) for f in _api_views()}
    missing = [m.marker + " " + m.model._meta.label for m in world.marked
               if m.restricted and m.model in api_models and m.marker not in police_seen]
    marked_models = {m.model for m in world.marked if m.restricted}
    unmarked = [m._meta.label for m in canary.scoped_models()
                if m not in marked_models and m not in world.blocked
                and canary.text_field(m) is not None
                and m._default_manager.filter(municipality_id="0484").exists()]
    assert not errors, "\n".join(errors[:40])
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:60])
    assert not missing, f"the police do not see: {missing}"
    assert not unmarked, f"models without a marked record: {unmarked}"

    # Every e-mail the system sends, to every demo user, built for its recipient.
    emails = {u.email: u for u in users if u.email}
    mail.outbox = []
    _send_every_email(police, emails, django_capture_on_commit_callbacks, run_jobs)
    assert mail.outbox, "no e-mail was sent"
    mail_leaks = []
    for message in mail.outbox:
        text = canary.message_text(message)
        for address in message.to:
            user = emails.get(address)
            if user is not None and _is_police(user, police):
                continue
            for marker in set(canary.MARK_RE.findall(text)):
                mail_leaks.append(f"{address}: {marker} in {message.subject!r}")
    assert not mail_leaks, "\n".join(mail_leaks[:40])

    # Writes: a reader and another municipality's coordinator try every write operation of the
    # API schema on the marked records and their parents; all are refused, nothing changes.
    refused = _write_probe(world, everything, [u for u in users if u.username in
                                               ("lasare", "karlshamn")])
    assert not refused, "\n".join(refused[:40])


def _database_state() -> tuple:
    from samverkan.audit.models import AuditEntry

    return (AuditEntry.objects.count(), *(
        (m._default_manager.count(), str(m._default_manager.order_by("-updated_at")
                                          .values_list("updated_at", flat=True).first()))
        for m in canary.scoped_models()))


def _write_probe(world, everything, users) -> list[str]:
    """Every POST, PUT, PATCH and DELETE operation of the API schema, filled like the reads;
    returns the ones that were not refused or changed the database."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.test import APIClient

    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = []
    before = _database_state()
    for user in users:
        client = APIClient()
        client.force_authenticate(user)
        for path, operations in schema["paths"].items():
            for method in ("post", "put", "patch", "delete"):
                if method not in operations or "{" not in path and method != "post":
                    continue
                for url in canary.api_urls_for(path, world, everything):
                    response = getattr(client, method)(url, {}, format="json")
                    if response.status_code < 400 or response.status_code >= 500:
                        problems.append(f"{user.username} {method.upper()} {url}: "
                                        f"{response.status_code}")
    if _database_state() != before:
        problems.append("the database changed")
    return problems


def _api_views():
    from django.urls import get_resolver

    return [p.callback for _route, p in canary._walk(get_resolver())]


def _send_every_email(police, emails, capture, run_jobs):
    """Every kind of e-mail: the follow-up reminders on every due date of the demo's rounds,
    and the weekly picture sent by the police coordinator to every demo user. Fails when an
    e-mail builder exists that this does not reach."""
    from samverkan.followup.models import FollowUpRound
    from samverkan.followup.services import send_reminders
    from samverkan.jobs import email as job_email
    from samverkan.jobs.models import Job
    from samverkan.situation.weekly import build_weekly, default_week, send_weekly_picture

    sender = next(u for u in emails.values() if _is_police(u, police))
    for due in sorted(set(FollowUpRound.objects.filter(municipality_id="0484")
                          .values_list("due_date", flat=True))):
        with capture(execute=True):
            send_reminders(today=due - dt.timedelta(days=3))
        run_jobs()
    with capture(execute=True):
        pic = build_weekly(sender, police.municipality, default_week())
        send_weekly_picture(pic, actor=sender, recipients=sorted(emails))
    run_jobs()
    job_email._lookup(job_email._BUILDERS, "situation.weekly_picture")
    used = set(Job.objects.filter(kind="email.send").values_list("params__builder", flat=True))
    ours = {name for name, func in job_email._BUILDERS.items()
            if func.__module__.startswith("samverkan.") and ".tests" not in func.__module__}
    assert ours <= used, f"e-mails the canary does not send: {ours - used}"
