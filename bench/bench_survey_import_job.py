#!/usr/bin/env python
"""Survey imports as background jobs (issue 11): the check (dry run) and the import of a
respondent-level file, each run by the real worker code (``run_queued_jobs``) against
PostgreSQL, on synthetic files of N respondents (the demo's generator, as
bench_survey_index.py). And the Open311 XML answer (issue 12): writing 1,000 requests as
GeoReport v2 XML against JSON (no database).

Uses its own throw-away database (``BENCH_DB``, default ``samverkan_bench``; set it to your
own name when others benchmark at the same time).

Usage: ``BENCH_DB=residents_bench python bench/bench_survey_import_job.py [--sizes 2000 20000]``
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _setup  # noqa: E402


def jobs_bench(sizes: list[int]) -> None:
    from bench_survey_index import write_file
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from samverkan.core.choices import Role
    from samverkan.jobs.models import Job
    from samverkan.jobs.testing import run_queued_jobs
    from samverkan.organizations.choices import OrganizationKind
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.organizations.services import add_membership, create_organization
    from samverkan.surveys import jobs, services

    ensure_reference_data()
    municipality = Municipality.objects.get(code="0484")
    org = create_organization(actor=None, municipality=municipality, name="Bench kommun",
                              kind=OrganizationKind.MUNICIPALITY)
    user = get_user_model().objects.create_user("bench-coordinator")
    add_membership(actor=None, user=user, organization=org, role=Role.COORDINATOR)
    with tempfile.TemporaryDirectory() as tmp:
        from django.conf import settings

        settings.MEDIA_ROOT = tmp
        for n in sizes:
            survey = services.create_survey(actor=None, municipality=municipality,
                                            name=f"Bench {n}", year=2026)
            path = Path(tmp) / f"svar-{n}.csv"
            write_file(path, n)
            stored = jobs.store_upload(SimpleUploadedFile(path.name, path.read_bytes()))
            timings = {}
            for phase, dry_run in (("check", True), ("import", False)):
                with transaction.atomic():
                    job = jobs.start_import(actor=user, survey=survey, path=stored,
                                            name=path.name, kind="respondents",
                                            dry_run=dry_run)
                start = time.perf_counter()
                run_queued_jobs()
                timings[phase] = time.perf_counter() - start
                job.refresh_from_db()
                assert job.status == "succeeded" and not job.result["errors"], job.result
                timings[phase + "_job"] = (job.finished_at - job.started_at).total_seconds()
            print(f"{n:>7} respondents ({path.stat().st_size / 1e6:.1f} MB): check "
                  f"{timings['check']:.2f} s (job itself {timings['check_job']:.2f} s), "
                  f"import {timings['import']:.2f} s (job itself "
                  f"{timings['import_job']:.2f} s), "
                  f"{job.result['created']} results; load {os.getloadavg()[0]:.2f}")
            Job.objects.all().delete()


def xml_bench(runs: int = 5) -> None:
    from samverkan.faults.open311 import to_xml

    row = {"service_request_id": "123", "status": "open", "status_notes": "Mottagen",
           "service_name": "Klotter", "service_code": "klotter",
           "description": "Taggar på busskuren vid Fristadstorget", "agency_responsible": "Kfast",
           "service_notice": "", "requested_datetime": "2026-11-03T10:00:00+01:00",
           "updated_datetime": "2026-11-03T10:00:00+01:00",
           "expected_datetime": "2026-11-04T10:00:00+01:00", "address": "Fristadstorget",
           "address_id": "", "zipcode": "", "lat": 59.3712, "long": 16.5098, "media_url": ""}
    rows = [dict(row, service_request_id=str(i)) for i in range(1000)]
    xml_t, json_t = [], []
    for _ in range(runs):
        start = time.perf_counter()
        to_xml("service_requests", rows)
        xml_t.append(time.perf_counter() - start)
        start = time.perf_counter()
        json.dumps(rows)
        json_t.append(time.perf_counter() - start)
    print(f"Open311, 1,000 requests: XML {statistics.median(xml_t) * 1000:.1f} ms, JSON "
          f"{statistics.median(json_t) * 1000:.1f} ms (median of {runs}); load "
          f"{os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    _setup.recreate_database()
    try:
        _setup.django_setup()
        _setup.migrate()
        jobs_bench(args.sizes)
        xml_bench()
    finally:
        from django.db import connections

        connections.close_all()
        _setup.drop_database()


if __name__ == "__main__":
    main()
