"""E-mail as jobs: queued on commit, one job per recipient, sent once, retried on failure."""
import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from samverkan.jobs.choices import JobStatus
from samverkan.jobs.email import after_sent, email_builder, queue_email
from samverkan.jobs.models import Job

SENT_RECORDS: list[tuple[str, str]] = []


@email_builder("tests.greeting")
def greeting(recipient: str, *, name: str) -> EmailMessage:
    return EmailMessage(subject=f"Hej {name}", body="Veckans lägesbild.", to=[recipient])


@after_sent("tests.record")
def record(recipient: str, *, name: str) -> None:
    SENT_RECORDS.append((recipient, name))


def _queue(world, recipient="a@example.se", key="greeting:1", after=""):
    return queue_email(key=key, recipient=recipient, builder="tests.greeting",
                       args={"name": "Anna"}, after=after, label=f"E-post till {recipient}",
                       actor=world.coordinator, municipality=world.eskilstuna)


def test_queued_on_commit_and_sent_by_the_worker(world, run_jobs,
                                                 django_capture_on_commit_callbacks):
    SENT_RECORDS.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        job = _queue(world, after="tests.record")
        assert mail.outbox == [] and run_jobs() == 0  # nothing queued before the commit
    assert len(callbacks) == 1
    assert mail.outbox == []  # the request does not send: the worker does
    assert run_jobs() == 1
    assert [m.to for m in mail.outbox] == [["a@example.se"]]
    assert mail.outbox[0].subject == "Hej Anna"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.finished_at and job.attempts == 1
    assert job.result == {"recipient": "a@example.se", "subject": "Hej Anna"}
    assert SENT_RECORDS == [("a@example.se", "Anna")]  # recorded after the server accepted


def test_not_sent_on_rollback(world, run_jobs, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom),
          transaction.atomic()):
        _queue(world)
        raise Boom
    assert callbacks == [] and not Job.objects.exists()
    assert run_jobs() == 0 and mail.outbox == []


def test_one_job_per_recipient_and_never_twice(world, run_jobs,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = [_queue(world, r, key=f"greeting:{r}") for r in ("a@example.se", "b@example.se")]
        again = _queue(world, "a@example.se", key="greeting:a@example.se")  # a double click
    assert again.pk == first[0].pk and Job.objects.count() == 2
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]
    # The queue delivers a task a second time (at-least-once): the job is not run again.
    from samverkan.jobs.runner import run

    assert run(first[0].pk) == JobStatus.SUCCEEDED
    assert len(mail.outbox) == 2


def test_retried_when_the_mail_server_fails(world, run_jobs, settings,
                                            django_capture_on_commit_callbacks):
    SENT_RECORDS.clear()
    # A real SMTP backend against a port where nothing listens: the connection is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        job = _queue(world, after="tests.record")
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1 and job.error
    assert SENT_RECORDS == []  # not recorded as sent
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_jobs() == 0  # the retry waits (deferred)
    run_jobs(include_deferred=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert len(mail.outbox) == 1 and SENT_RECORDS == [("a@example.se", "Anna")]
