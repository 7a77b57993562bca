"""The one task the task framework knows: run the job with this id. Every backend (the
database queue, RQ) carries only the id; the job row holds the rest."""
from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from .runner import run

    return run(job_id)
