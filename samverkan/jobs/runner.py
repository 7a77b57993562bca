"""Running a job in a worker: claim it (so it runs once), call its function with a context
that reports progress, record the result or the error, and queue a retry when the job allows
one."""
from __future__ import annotations

import datetime
import logging
import traceback
from dataclasses import dataclass, field

from django.db import connection, connections
from django.utils import timezone

from . import registry
from .choices import JobStatus
from .models import Job

logger = logging.getLogger(__name__)

#: Seconds before the n-th retry (the last value for later ones).
RETRY_DELAYS = (30, 120, 600, 1800)


class RetryLater(Exception):
    """Raised by a job function for a failure worth trying again (a mail server that does not
    answer); other exceptions fail the job at once."""


@dataclass
class JobContext:
    job: Job
    _last: float = field(default=-1.0, repr=False)

    @property
    def actor(self):
        return self.job.started_by

    @property
    def municipality(self):
        return self.job.municipality

    def progress(self, fraction: float, message: str = "") -> None:
        """Record how far the job has come (0..1) and what it does now. Written at once, also
        while the job holds a transaction open (PostgreSQL: over a second connection)."""
        fraction = max(0.0, min(1.0, float(fraction)))
        if fraction - self._last < 0.01 and fraction < 1.0 and message == self.job.message:
            return  # no need to write every row's progress
        self._last = fraction
        self.job.progress, self.job.message = fraction, str(message)[:300]
        write_progress(self.job.pk, fraction, self.job.message)


def write_progress(job_id: int, fraction: float, message: str) -> None:
    if not connection.in_atomic_block or connection.vendor != "postgresql":
        # SQLite inside a transaction: another connection would wait for this transaction's
        # write lock, so the progress is written on this one and seen when it commits.
        Job.objects.filter(pk=job_id).update(progress=fraction, message=message)
        return
    side = _side_connection()
    with side.cursor() as cursor:
        cursor.execute(f"UPDATE {Job._meta.db_table} SET progress = %s, message = %s "
                       "WHERE id = %s", [fraction, message, job_id])
        if cursor.rowcount:
            return
    # The job row is not committed yet (a job run inside the caller's transaction, as in tests).
    Job.objects.filter(pk=job_id).update(progress=fraction, message=message)


_side = None


def _side_connection():
    """A second connection (autocommit) to the same database, for progress written while the
    job's own connection is inside a transaction."""
    global _side
    if _side is None or _side.connection is None or _side.settings_dict["NAME"] != \
            connection.settings_dict["NAME"]:
        _side = connections.create_connection("default")
    return _side


def close_side_connection() -> None:
    global _side
    if _side is not None:
        _side.close()
        _side = None


def run(job_id: int) -> str:
    """Run the job (called by the task); returns its final status."""
    try:
        return _run(job_id)
    finally:
        close_side_connection()


def _run(job_id: int) -> str:
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), finished_at=None)
    if not claimed:
        # Already run (a task delivered twice) or running elsewhere: never twice.
        return Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = Job.objects.select_related("started_by", "municipality").get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    job.attempts += 1
    ctx = JobContext(job)
    try:
        job_type = registry.get(job.kind)
        result = job_type.func(ctx, **job.params)
    except RetryLater as error:
        return _failed(job, error, retry=job.attempts < job.max_attempts)
    except Exception as error:  # recorded on the job page; the worker goes on
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        return _failed(job, error, retry=False)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, progress=1.0, result=result, error="",
        finished_at=timezone.now(),
        message=ctx.job.message if ctx.job.message else "")
    return JobStatus.SUCCEEDED


def _failed(job: Job, error: Exception, *, retry: bool) -> str:
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    if retry:
        delay = RETRY_DELAYS[min(job.attempts - 1, len(RETRY_DELAYS) - 1)]
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, error=text,
                                             started_at=None)
        from .services import enqueue

        enqueue(job.pk, run_after=timezone.now() + datetime.timedelta(seconds=delay))
        return JobStatus.QUEUED
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=text,
                                         finished_at=timezone.now())
    return JobStatus.FAILED
