"""E-mail as background jobs: **one job per recipient**, queued when the caller's transaction
commits, sent by a worker, retried when the mail server fails, and never sent twice.

* ``queue_email(key=..., recipient=..., builder=..., args=...)`` starts the job
  ``email.send`` with the idempotency key ``email:<key>``: queueing the same key again does
  nothing, so a caller can run twice (cron, a double click) without sending twice.
* At run time the job calls the **builder** registered under ``builder`` with the recipient
  and ``args`` (JSON values) to make the message, so the message is built for its reader when
  it is sent (``@email_builder("app.name")``, in the app's ``jobs`` module).
* The mail server accepts the message, then the job is recorded as sent (the job's status,
  and the ``after_sent`` hook's records, e.g. the follow-up reminders); an SMTP or network
  error queues the job again later (``RETRY_DELAYS``), at most ``EMAIL_ATTEMPTS`` times.
* A job runs only from the status *queued* (``runner.run`` claims it first), so a task
  delivered twice by the queue does not send twice.
"""
from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.db import transaction

from . import registry
from .models import Job
from .registry import job
from .runner import RetryLater

EMAIL_ATTEMPTS = 5

_BUILDERS: dict[str, Callable] = {}
_AFTER_SENT: dict[str, Callable] = {}


def email_builder(name: str):
    """Register ``build(recipient: str, **args) -> EmailMessage``."""

    def register(func):
        _BUILDERS[name] = func
        return func

    return register


def after_sent(name: str):
    """Register ``record(recipient: str, **args)``: run in a transaction once the mail server
    has accepted the message."""

    def register(func):
        _AFTER_SENT[name] = func
        return func

    return register


def _lookup(table: dict, name: str) -> Callable:
    if name not in table:
        registry._load_job_modules()
    return table[name]


def queue_email(*, key: str, recipient: str, builder: str, args: dict | None = None,
                after: str = "", label: str, actor=None, municipality=None) -> Job:
    """Queue one e-mail to one recipient (on commit). ``key`` identifies this message for
    this recipient: the same key is never queued or sent twice."""
    return _start(key=f"email:{key}"[:200], recipient=recipient, builder=builder,
                  args=args or {}, after=after, label=label, actor=actor,
                  municipality=municipality)


def _start(*, key, recipient, builder, args, after, label, actor, municipality) -> Job:
    from .services import start

    return start("email.send", label=label, actor=actor, municipality=municipality, key=key,
                 params={"builder": builder, "recipient": recipient, "args": args,
                         "after": after})


@job("email.send", max_attempts=EMAIL_ATTEMPTS, result_template="jobs/_email_result.html")
def send_email(ctx, *, builder: str, recipient: str, args: dict, after: str = "") -> dict:
    ctx.progress(0.1, "")
    message = _lookup(_BUILDERS, builder)(recipient, **args)
    try:
        accepted = message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise RetryLater(str(error)) from error
    if not accepted:
        raise RetryLater("The mail server did not accept the message.")
    if after:
        with transaction.atomic():
            _lookup(_AFTER_SENT, after)(recipient, **args)
    return {"recipient": recipient, "subject": str(message.subject)}
