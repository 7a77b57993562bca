"""Starting jobs. ``start`` writes the job row and queues it **when the surrounding transaction
commits** (``transaction.on_commit``): a job is never run for data that was rolled back, and a
request's transaction never waits for the job."""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django_tasks import task_backends

from . import registry
from .models import Job
from .tasks import run_job


def start(kind: str, *, label: str, actor=None, municipality=None, params: dict | None = None,
          key: str | None = None) -> Job:
    """Create the job and queue it on commit. With ``key``: an existing job with that key is
    returned and nothing new is queued (idempotent)."""
    job_type = registry.get(kind)
    if key is not None:
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, label=str(label)[:300], started_by=user,
                municipality=municipality, params=params or {}, key=key,
                max_attempts=job_type.max_attempts)
    except IntegrityError:
        if key is None:
            raise
        return Job.objects.get(key=key)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int, *, run_after: datetime.datetime | None = None) -> None:
    """Hand the job to the task backend (now, or not before ``run_after`` where the backend
    can defer)."""
    task = run_job
    if run_after is not None and task_backends[task.backend].supports_defer:
        task = task.using(run_after=run_after)
    result = task.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])
