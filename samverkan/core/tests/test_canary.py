"""The canary test: one record of every scoped model restricted to the police, with a marker
in its text, and internal children of those records with markers too (a model without a text
field: a restricted record checked by its id; a model the demo has no record of: the canary
makes one). As every demo role that is not police, as another municipality's coordinator and
as an anonymous visitor: every URL pattern, every GET operation of the API schema, the links
and export links on the pages, and every e-mail the system sends show no marker and no server
error; every write, through the API schema and through the HTML forms of the URL
configuration, on records the role may not change is refused and changes nothing. The police
coordinator crawls the pages and the API and sees the markers (so the test can fail). See
canary.py: no list of models or URLs anywhere.

The demo is loaded and marked once for the module, inside a transaction rolled back at its
end; every test runs in a savepoint inside it (pytest-django's `db`), so what one test
changes the next does not see."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import Client, override_settings

from samverkan.core import access
from samverkan.core.choices import Role
from samverkan.core.tests import canary
from samverkan.organizations.models import Membership, Organization

POLICE = "Lokalpolisområde Eskilstuna"
HOME = "0484"
# The roles that try to write: a reader, a contributor, an EST reporter, another
# municipality's coordinator (and an anonymous visitor); the municipality's own coordinator
# too, on the records restricted to the police that they cannot read.
WRITERS = ("lasare", "socialtjanst", "vardare", "karlshamn", "samordnare")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def canary_demo(django_db_setup, django_db_blocker):
    """The demo, loaded and marked once for every test of the module."""
    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TWO_FACTOR_REQUIRED_FOR=[]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            police = Organization.objects.get(municipality_id=HOME, name=POLICE)
            world = canary.mark_records(police.municipality, police)
            yield police, world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(canary_demo, db, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return canary_demo


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _is_police(user, police) -> bool:
    return Membership.objects.filter(user=user, organization=police, active=True).exists()


def _everything(world) -> set[int]:
    return {pk for ids in world.ids.values() for pk in ids}


def _user(username):
    return get_user_model().objects.get(username=username)


@dataclass
class PolicePages:
    seen: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    # the POST targets met on the police's pages (form action -> the data it sends) and the
    # URL patterns that answer GET with 405 (they only take POST)
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    post_only: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def police_pages(canary_demo, django_db_blocker) -> PolicePages:
    """The police coordinator crawls every HTML URL pattern (filled with the marked records and
    their parents), the marked records' pages, the links found there, and the API: shared by
    the police test and the write probe (which sends the police's forms)."""
    police, world = canary_demo
    everything = _everything(world)
    found = PolicePages()

    def on_page(url, response, html):
        if response.status_code == 405:
            found.post_only.append(url)
        elif html:
            for action, data in canary.post_forms(url, html).items():
                found.forms.setdefault(action, data)

    with django_db_blocker.unblock(), override_settings(
            ALLOWED_HOSTS=["testserver", "127.0.0.1"], TWO_FACTOR_REQUIRED_FOR=[]):
        from django.core.cache import caches

        caches["throttle"].clear()
        member = Membership.objects.filter(
            organization=police, active=True, role=Role.COORDINATOR).order_by("pk").first()
        client = _client(member.user)
        start = canary.page_urls(world, everything) + canary.record_urls(world)
        pages = canary.crawl(client, ["/", *start], max_links=150, on_page=on_page)
        api = canary.crawl(client, canary.api_urls(world, everything), max_links=0)
    found.seen = set(pages.seen) | set(api.seen)
    found.errors = [f"police {e}" for e in pages.errors + api.errors]
    found.pages = pages.pages + api.pages
    return found


def test_police_crawl_the_pages_see_the_markers_and_meet_no_server_error(demo, police_pages):
    """The police coordinator reads every restricted record the canary marked, on a page or in
    the API, and no page or API answer they reach is a server error. Left aside: models whose
    records only named participants read (`narrow_visible`) and models no page or API view
    shows on their own (the weekly picture's mailing log), unless a page shows them anyway."""
    police, world = demo
    assert police_pages.pages > 500, police_pages.pages
    assert not police_pages.errors, "\n".join(police_pages.errors[:40])
    shown = canary.models_with_views()
    missing = [f"{m.marker} {m.model._meta.label} {m.pk}" for m in world.restricted()
               if m.marker and not hasattr(m.model, "narrow_visible") and m.model in shown
               and m.marker not in police_pages.seen]
    assert not missing, f"the police do not see: {missing}"


def test_every_scoped_model_has_a_restricted_record(demo):
    """No scoped model escapes the canary: each has a restricted record (with a marker, or
    checked by id), or lies in the branch of one; a model the demo has no record of gets one
    made by the canary. The gaps are named."""
    _police, world = demo
    assert not world.coverage_gaps(), world.coverage_gaps()



def test_restricted_records_without_a_marker_are_hidden_by_id(demo):
    """A restricted record of a model without a text field (a party, a routing rule, ...)
    carries no marker: every page naming it and its API detail answer 404 to the other roles
    (anonymous: log in / 401), while the police read it."""
    police, world = demo
    police_user = Membership.objects.filter(
        organization=police, active=True, role=Role.COORDINATOR).order_by("pk").first().user
    others = [_user(name) for name in WRITERS]
    problems, checked = [], 0
    for item in world.restricted():
        if item.marker:
            continue
        pages, api = canary.record_urls_by_id(item.model, item.pk)
        label = f"{item.model._meta.label} {item.pk}"
        if not pages and not api:
            continue  # shown only inside its parent's page: covered by the parent's marker
        checked += 1
        stricter = hasattr(item.model, "narrow_visible")  # only named participants read it
        client = _client(police_user)
        if not stricter:
            for url in api:
                status = client.get(url).status_code
                if status != 200:
                    problems.append(f"police: {url} ({label}): {status}")
            if pages and all(client.get(url).status_code != 200 for url in pages):
                problems.append(f"police: none of {pages} ({label}) answers 200")
        for user in [*others, None]:
            client, who = _client(user), user.username if user else "anonymous"
            for url in api:
                status = client.get(url).status_code
                if status != (404 if user else 403) and not (user is None and status == 401):
                    problems.append(f"{who}: {url} ({label}): {status}")
            for url in pages:
                response = client.get(url)
                refused = (response.status_code == 404 if user else
                           response.status_code == 302 and "/login/" in response["Location"])
                if not refused:
                    problems.append(f"{who}: {url} ({label}): {response.status_code}")
    assert checked, "no record without a marker was checked"
    assert not problems, "\n".join(problems[:40])


def test_html_forms_refuse_writes_on_what_the_role_may_not_change(demo, police_pages):
    """Every POST target of the pages (the forms on the police coordinator's pages, sent as
    the police would send them, and the URL patterns that only take POST, sent empty), filled
    with the marked records and their parents: as a reader, a contributor, an EST reporter,
    another municipality's coordinator, the municipality's coordinator (who cannot read what
    is restricted to the police) and an anonymous visitor, a POST on a record the role
    may not change is refused (403, 404, 405, "log in", the form again with an error, or a
    redirect that changed nothing: an export job, the user's own settings), never a server
    error, and the records the role may not change, with everything under them, stay as they
    were; for the roles without any write right at home, all of home stays as it was."""
    _police, world = demo
    targets = dict(police_pages.forms)
    for url in police_pages.post_only:
        targets.setdefault(url, {})
    targets = {url: data for url, data in targets.items() if not WRITE_SKIP.search(url)}
    assert len(targets) > 100, len(targets)
    problems, posted = [], 0
    for username in [*WRITERS, None]:
        user = _user(username) if username else None
        who = username or "anonymous"
        client = _client(user)
        home_writer = user is not None and access.has_role(user, HOME, Role.CONTRIBUTOR)
        protected = _protected(world, user)
        before = _state(protected, whole_home=not home_writer)
        for url, data in sorted(targets.items()):
            if not _targets_only_protected(url, protected, user, home_writer):
                continue
            posted += 1
            response = client.post(url, data)
            status = response.status_code
            if status >= 500:
                problems.append(f"{who} POST {url}: {status}")
            elif 200 < status < 300:
                problems.append(f"{who} POST {url}: not refused, {status}")
            if status < 400 and _audit_mark() != before[0]:
                # something was written: legitimate for a writer at home, unless it touched
                # what they may not change
                now = _state(protected, whole_home=not home_writer)
                if not home_writer or now[1:] != before[1:]:
                    problems.append(f"{who} POST {url}: {status}, and it wrote: "
                                    f"{_difference(before, now)}")
                before = now
        after = _state(protected, whole_home=not home_writer)
        if after != before:
            problems.append(f"{who}: the database changed: {_difference(before, after)}")
    assert posted > 300, posted
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])


# POST targets left out: leaving, the language switch, the admin (its own tests) and the API
# (the API write probe).
WRITE_SKIP = re.compile(r"logout|/i18n/|^/admin/|/static/|/media/|^/api/")


def _may_change(user, model, pk) -> bool | None:
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        return None
    return user is not None and access.can_view(user, obj) and access.can_change(user, obj)


def _protected(world, user) -> dict[type, list[int]]:
    """The marked records and their parents that `user` may not change."""
    result: dict[type, list[int]] = {}
    for model, pks in world.ids.items():
        for pk in pks:
            if _may_change(user, model, pk) is False:
                result.setdefault(model, []).append(pk)
    return result


def _targets_only_protected(url, protected, user, home_writer) -> bool:
    """Whether a POST to `url` touches only records the role may not change: every id in the
    path names a protected record (or, for a role without write rights at home, anything);
    paths without ids (create pages) are tried by every role."""
    from urllib.parse import urlsplit

    kinds = canary.route_models(urlsplit(url).path)
    if kinds is None:
        return False
    for model, pk in kinds.values():
        if model is None:
            if home_writer:
                return False
        elif pk not in protected.get(model, ()) and (
                home_writer or _may_change(user, model, pk) is not False):
            return False
    return True


def _audit_mark():
    from samverkan.audit.models import AuditEntry

    return AuditEntry.objects.exclude(action="view").filter(municipality_id=HOME).count()


def _state(protected, *, whole_home: bool) -> tuple:
    """The audit count, each protected record (all fields, the organisations it is restricted
    to), the records under each (how many, when last changed) and, with `whole_home`, every
    scoped model of home (how many, when last changed)."""
    records = {}
    for model, pks in sorted(protected.items(), key=lambda kv: kv[0]._meta.label):
        rows = {row["id"]: row for row in model._default_manager.filter(pk__in=pks).values()}
        m2m = model._meta.get_field("restricted_to")
        through = m2m.remote_field.through
        src, dst = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        named = sorted(through.objects.filter(**{f"{src}__in": pks}).values_list(
            f"{src}_id", f"{dst}_id"))
        below = {}
        for child, name in canary._children_models(model):
            below[f"{child._meta.label}.{name}"] = sorted(
                child._default_manager.filter(**{f"{name}__in": pks}).values(name).annotate(
                    n=Count("pk"), last=Max("updated_at")).values_list(name, "n", "last"))
        records[model._meta.label] = (rows, named, below)
    home = {}
    if whole_home:
        for model in canary.scoped_models():
            home[model._meta.label] = model._default_manager.filter(
                municipality_id=HOME).aggregate(n=Count("pk"), last=Max("updated_at"))
    return _audit_mark(), records, home


def _difference(before, after) -> str:
    for label in sorted(set(before[1]) | set(after[1])):
        old, new = before[1].get(label), after[1].get(label)
        if old != new:
            changed = [pk for pk in set(old[0]) | set(new[0]) if old[0].get(pk) != new[0].get(pk)]
            return (f"{label}: records {changed}" if changed else
                    f"{label}: their restriction or the records under them")
    if before[0] != after[0]:
        return f"audit entries {before[0]} -> {after[0]}"
    for label in sorted(set(before[2]) | set(after[2])):
        if before[2].get(label) != after[2].get(label):
            return f"{label}: {before[2].get(label)} -> {after[2].get(label)}"
    return "?"


def test_no_marker_leaks_on_any_path(demo, django_capture_on_commit_callbacks, run_jobs):
    police, world = demo
    everything = _everything(world)
    start = (["/"] + canary.page_urls(world, everything) + canary.record_urls(world)
             + canary.api_urls(world, everything))
    users = list(get_user_model().objects.filter(memberships__isnull=False).distinct()
                 .order_by("username"))
    leaks, errors = [], []
    for user in [*users, None]:
        if user is not None and _is_police(user, police):
            continue  # the police: test_police_crawl_the_pages_...
        # anonymous: every URL answers "log in" or 401/403; no links to follow
        result = canary.crawl(_client(user), start, max_links=120 if user else 0)
        who = user.username if user else "anonymous"
        errors += [f"{who}: {e}" for e in result.errors]
        for marker, urls in sorted(result.seen.items()):
            item = world.marker_model(marker)
            leaks.append(f"{who} sees {marker} ({item.model._meta.label} {item.pk}"
                         f"{'' if item.restricted else ', internal child'}) on "
                         f"{sorted(urls)[:3]}")
    assert not errors, "\n".join(errors[:40])
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(leaks[:60])

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

    # Writes: every writing role tries every write operation of the API schema on the marked
    # records and their parents it may not change; all are refused, nothing changes.
    refused = _write_probe(world, everything, [_user(name) for name in WRITERS])
    assert not refused, "\n".join(refused[:40])


def _database_state() -> tuple:
    from samverkan.audit.models import AuditEntry

    return (AuditEntry.objects.count(), *(
        (m._default_manager.count(), str(m._default_manager.order_by("-updated_at")
                                          .values_list("updated_at", flat=True).first()))
        for m in canary.scoped_models()))


def _write_probe(world, everything, users) -> list[str]:
    """Every POST, PUT, PATCH and DELETE operation of the API schema, filled like the reads:
    a role without write rights at home (a reader, another municipality's coordinator) tries
    them all and nothing may change; a role that writes at home tries those on the marked
    records and parents it may not change (and the creates), and those records, with what is
    under them, stay as they were. Returns the ones not refused or that changed something."""
    from urllib.parse import urlsplit

    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.test import APIClient

    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = []
    for user in users:
        home_writer = access.has_role(user, HOME, Role.CONTRIBUTOR)
        protected = _protected(world, user)
        before = (_state(protected, whole_home=False) if home_writer
                  else _database_state())
        client = APIClient()
        client.force_authenticate(user)
        tried = 0
        for path, operations in schema["paths"].items():
            for method in ("post", "put", "patch", "delete"):
                if method not in operations or "{" not in path and method != "post":
                    continue
                for url in canary.api_urls_for(path, world, everything):
                    if home_writer and "{" in path and not _names_protected(
                            resolve(urlsplit(url).path), protected):
                        continue
                    tried += 1
                    response = getattr(client, method)(url, {}, format="json")
                    if response.status_code < 400 or response.status_code >= 500:
                        problems.append(f"{user.username} {method.upper()} {url}: "
                                        f"{response.status_code}")
        if tried < 100:
            problems.append(f"{user.username}: only {tried} write operations tried")
        after = (_state(protected, whole_home=False) if home_writer
                 else _database_state())
        if after != before:
            problems.append(f"{user.username}: the database changed")
    return problems


def _names_protected(match, protected) -> bool:
    """Whether an API URL's record is one the role may not change."""
    view_class = getattr(match.func, "cls", None)
    model = getattr(view_class, "model", None) or getattr(
        getattr(view_class, "queryset", None), "model", None)
    return any(str(value).isdigit() and int(value) in protected.get(model, ())
               for value in match.kwargs.values())


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
