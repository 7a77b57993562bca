"""Load: 100 EST reporters report incidents at the same time for 60 seconds, through the API,
against PostgreSQL behind gunicorn on loopback. Nothing may be lost or stored twice.

    .venv/bin/python bench/bench_est_load.py            # 100 reporters, 60 s, prints JSON
    .venv/bin/python bench/bench_est_load.py --users 20 --seconds 10 --workers 3 --threads 4

What it does:

1. Creates (or reuses) the PostgreSQL database ``BENCH_DB`` (default ``samverkan_bench_est``)
   on ``BENCH_POSTGRES`` (default ``postgres://postgres@127.0.0.1:5432``), migrates it, and
   makes ``--users`` EST reporters: contributors of a housing company in Eskilstuna, each
   with a read-write API token (made with the token service, as the token page does).
2. Starts gunicorn (``--workers``, ``--threads``; DEBUG off, persistent connections) on
   ``--port`` and waits until ``/health/`` answers.
3. Runs one thread per reporter, each with its own keep-alive connection, posting one EST
   report after another (``POST /api/v1/situation/incidents/``, a category, now, a point in
   Eskilstuna, a text) for ``--seconds``. Every report has its own ``Idempotency-Key``; a
   request that times out or loses its connection is sent again with the same key (at most
   ``--retries`` times), as a phone on a bad network would.
4. Stops gunicorn and checks, in the database: the rows added equal the reports accepted
   (201 or an idempotent 200), every accepted id is stored exactly once, and no key is
   stored twice. Prints one JSON object: counts, latency p50/p95/p99/max (per attempt and
   per report), errors by kind, throughput, the load average before and after.

Exit status 1 when a report was lost or duplicated or the server answered 5xx.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _setup import gunicorn  # noqa: E402  (bench/ is on the path when run as a script)

SERVER_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "samverkan_bench_est")
DATABASE_URL = f"{SERVER_URL}/{DB_NAME}"
ORG_NAME = "Bench: Kfast (EST-rapportörer)"


def ensure_database(fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def django_setup() -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


def prepare(users: int) -> dict:
    """Migrate, and make the reporters with their tokens (idempotent, new keys each run)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from samverkan.accounts.models import ApiToken
    from samverkan.accounts.services import create_token
    from samverkan.core.choices import Role
    from samverkan.organizations.choices import OrganizationKind
    from samverkan.organizations.models import Membership, Municipality, Organization
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.organizations.services import add_membership, create_organization
    from samverkan.situation.models import Category
    from samverkan.situation.services import ensure_default_categories

    ensure_reference_data()
    eskilstuna = Municipality.objects.get(code="0484")
    org = Organization.objects.filter(municipality=eskilstuna, name=ORG_NAME).first()
    if org is None:
        org = create_organization(actor=None, municipality=eskilstuna, name=ORG_NAME,
                                  abbreviation="", kind=OrganizationKind.HOUSING_COMPANY)
    if not Category.objects.filter(municipality=eskilstuna, active=True).exists():
        ensure_default_categories(eskilstuna, actor=None)
    categories = list(Category.objects.filter(municipality=eskilstuna, active=True)
                      .values_list("pk", flat=True))
    User = get_user_model()
    keys = []
    for i in range(users):
        name = f"bench_est_{i:03d}"
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User(username=name)
            user.set_unusable_password()  # they use tokens only (and no hashing time)
            user.save()
        if not Membership.objects.filter(user=user, organization=org).exists():
            add_membership(actor=None, user=user, organization=org, role=Role.CONTRIBUTOR)
        ApiToken.objects.filter(user=user, name="bench").delete()
        _token, key = create_token(user=user, name="bench", scope="write", days=1,
                                   second_factor=False)
        keys.append(key)
    return {"municipality": eskilstuna.code, "municipality_id": eskilstuna.pk,
            "categories": categories, "keys": keys}


def stored_counts(municipality_id: int) -> tuple[int, dict[str, int]]:
    """Rows of EST reports made by bench reporters: their number, and rows per source id."""
    from django.db.models import Count

    from samverkan.situation.models import Incident

    rows = Incident.objects.filter(municipality_id=municipality_id,
                                   reported_by__username__startswith="bench_est_")
    per_key = dict(rows.values_list("source_id").annotate(n=Count("pk")).values_list(
        "source_id", "n"))
    return rows.count(), per_key


class Reporter(threading.Thread):
    def __init__(self, port, key, setup, stop_at, timeout, retries, seed):
        super().__init__(daemon=True)
        self.port, self.key, self.setup = port, key, setup
        self.stop_at, self.timeout, self.retries = stop_at, timeout, retries
        self.random = random.Random(seed)
        self.attempt_ms: list[float] = []
        self.report_ms: list[float] = []
        self.accepted: dict[str, int] = {}  # idempotency key -> incident id
        self.unanswered: set[str] = set()  # keys given up on (the server may have stored them)
        self.outcomes: Counter = Counter()
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                   timeout=self.timeout)
        return self.conn

    def _send(self, body: bytes, key: str):
        conn = self._connection()
        conn.request("POST", "/api/v1/situation/incidents/", body=body, headers={
            "Authorization": f"Bearer {self.key}", "Content-Type": "application/json",
            "Accept": "application/json", "Idempotency-Key": key})
        response = conn.getresponse()
        return response.status, response.read()

    def run(self):
        while time.monotonic() < self.stop_at:
            key = uuid.uuid4().hex
            body = json.dumps({
                "municipality": self.setup["municipality"],
                "category": self.random.choice(self.setup["categories"]),
                "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "lat": 59.37 + self.random.uniform(-0.03, 0.03),
                "lon": 16.51 + self.random.uniform(-0.05, 0.05),
                "description": "Klotter på fasaden (lasttest)",
            }).encode()
            started = time.perf_counter()
            for attempt in range(self.retries + 1):
                t0 = time.perf_counter()
                try:
                    status, content = self._send(body, key)
                except (OSError, http.client.HTTPException) as exc:
                    self.outcomes[f"retry after {type(exc).__name__}"] += 1
                    if self.conn is not None:
                        self.conn.close()
                    self.conn = None
                    if attempt == self.retries:
                        self.outcomes["gave up"] += 1
                        self.unanswered.add(key)
                    continue
                self.attempt_ms.append((time.perf_counter() - t0) * 1000)
                if status in (200, 201):
                    self.accepted[key] = json.loads(content)["id"]
                    self.outcomes[f"{status}"] += 1
                    self.report_ms.append((time.perf_counter() - started) * 1000)
                elif status >= 500 or status == 429:
                    self.outcomes[f"{status}"] += 1
                    if attempt < self.retries:
                        time.sleep(0.2)
                        continue
                else:
                    self.outcomes[f"{status}"] += 1
                    self.outcomes[f"{status} body"] = self.outcomes.get(
                        f"{status} body", 0) or 1
                    self.last_error = content[:300]
                break
        if self.conn is not None:
            self.conn.close()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8107)))
    parser.add_argument("--timeout", type=float, default=30,
                        help="seconds before a request counts as lost and is retried")
    parser.add_argument("--retries", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    ensure_database(args.fresh)
    django_setup()
    setup = prepare(args.users)
    rows_before, _ = stored_counts(setup["municipality_id"])
    from django.db import connections

    connections.close_all()

    server_env = {"ALLOWED_HOSTS": "127.0.0.1,localhost",
                  "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + uuid.uuid4().hex),
                  # 100 reporters behind one address: the per-user throttle stays, high
                  # enough for a phone that reports as fast as the server answers.
                  "API_THROTTLE_USER": os.environ.get("API_THROTTLE_USER", "100000/minute"),
                  "LOG_LEVEL": "WARNING", "REQUEST_LOG_LEVEL": "WARNING",
                  "TWO_FACTOR_REQUIRED_FOR": ""}
    with gunicorn(DATABASE_URL, args.port, args.workers, args.threads, env=server_env,
                  args=("--backlog", "2048", "--timeout", "60")):
        stop_at = time.monotonic() + args.seconds
        reporters = [Reporter(args.port, key, setup, stop_at, args.timeout, args.retries, i)
                     for i, key in enumerate(setup["keys"])]
        started = time.perf_counter()
        for reporter in reporters:
            reporter.start()
        for reporter in reporters:
            reporter.join(args.seconds + args.timeout * (args.retries + 1) + 30)
        elapsed = time.perf_counter() - started
        load_during = os.getloadavg()

    rows_after, per_key = stored_counts(setup["municipality_id"])
    accepted = {k: v for r in reporters for k, v in r.accepted.items()}
    from samverkan.situation.models import Incident

    stored_ids = set(Incident.objects.filter(pk__in=list(accepted.values()))
                     .values_list("pk", flat=True))
    outcomes = sum((r.outcomes for r in reporters), Counter())
    attempts = [ms for r in reporters for ms in r.attempt_ms]
    reports = [ms for r in reporters for ms in r.report_ms]
    duplicates = sum(n - 1 for n in per_key.values() if n > 1)
    lost = len(set(accepted.values()) - stored_ids)
    # Each report's key is in its source id (`key-<reporter>-<key>`): the rows of this run
    # must be exactly the accepted reports plus some of those the client gave up on (the
    # server may finish a request after the client stopped waiting), each once.
    unanswered = {k for r in reporters for k in r.unanswered}
    sent = set(accepted) | unanswered
    stored_keys = {sid.rsplit("-", 1)[-1] for sid in per_key if sid.startswith("key-")}
    stored_keys &= sent
    stored_unanswered = len(stored_keys & unanswered)
    unexpected = (rows_after - rows_before) - len(accepted) - stored_unanswered
    result = {
        "benchmark": "est_load",
        "users": args.users, "seconds": args.seconds, "elapsed_s": round(elapsed, 1),
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "requests": len(attempts),
        "accepted_reports": len(accepted),
        "outcomes": dict(sorted(outcomes.items())),
        "server_errors_5xx": sum(n for k, n in outcomes.items() if k.startswith("5")),
        "throughput_per_s": round(len(accepted) / elapsed, 1) if elapsed else None,
        "latency_ms": {"p50": percentile(attempts, 0.50), "p95": percentile(attempts, 0.95),
                       "p99": percentile(attempts, 0.99),
                       "max": round(max(attempts), 1) if attempts else None},
        "report_latency_ms_with_retries": {"p50": percentile(reports, 0.50),
                                           "p95": percentile(reports, 0.95)},
        "rows_before": rows_before, "rows_after": rows_after,
        "rows_added": rows_after - rows_before,
        "accepted_ids_stored": len(stored_ids),
        "unanswered_reports": len(unanswered),
        "unanswered_but_stored": stored_unanswered,
        "lost": lost, "duplicated": duplicates, "unexpected_rows": unexpected,
        "stored_exactly_once": (lost == 0 and duplicates == 0 and unexpected == 0
                                and accepted.keys() <= stored_keys),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_at_end": [round(v, 2) for v in load_during],
        "nproc": os.cpu_count(), "host": socket.gethostname(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    errors = [getattr(r, "last_error", b"") for r in reporters if getattr(r, "last_error", b"")]
    if errors:
        result["example_error"] = errors[0].decode(errors="replace")
    print(json.dumps(result, ensure_ascii=False))
    ok = result["stored_exactly_once"] and result["server_errors_5xx"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
