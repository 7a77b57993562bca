"""Running queued jobs in tests, on whichever task backend the settings configure (the database
queue by default, RQ with ``TASKS_BACKEND=rq``): the real queue and the real worker code, one
pass, in the test's process."""
from __future__ import annotations

from django_tasks import task_backends

from .tasks import run_job


def run_queued_jobs(*, include_deferred: bool = False) -> int:
    """Run every task queued now (and, with ``include_deferred``, those deferred to later, e.g.
    retries); returns how many ran."""
    backend = task_backends[run_job.backend]
    if type(backend).__name__ == "RQBackend":
        return _run_rq(include_deferred)
    return _run_db(backend.alias, include_deferred)


def _run_db(alias: str, include_deferred: bool) -> int:
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name=alias,
                    startup_delay=False, max_tasks=None, worker_id="test-worker",
                    excluded_queue_names=[])
    ran = 0
    while True:
        tasks = DBTaskResult.objects.filter(backend_name=alias)
        tasks = tasks.filter(status="READY") if include_deferred else tasks.ready()
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(worker.worker_id)
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1


def _run_rq(include_deferred: bool) -> int:
    import django_rq
    from django_tasks_rq.backend import Job as RQJob
    from rq import SimpleWorker
    from rq.registry import ScheduledJobRegistry

    queue = django_rq.get_queue("default", job_class=RQJob)
    if include_deferred:
        scheduled = ScheduledJobRegistry(queue=queue)
        for job_id in scheduled.get_job_ids():
            job = RQJob.fetch(job_id, connection=queue.connection)
            scheduled.remove(job)
            queue.enqueue_job(job)
    before = queue.count
    worker = SimpleWorker([queue], connection=queue.connection, job_class=RQJob)
    worker.work(burst=True)
    return before
