"""`samverkan send_reminders`: the right people, once."""
import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command

from samverkan.followup import services
from samverkan.followup.models import Reminder
from samverkan.plans import services as plans


def _emails(world):
    for user, address in [(world.contributor, "socialtjanst@eskilstuna.example"),
                          (world.coordinator, "samordnare@eskilstuna.example"),
                          (world.police_officer, "kommunpolis@polisen.example")]:
        user.email = address
        user.save()


def _send(*args, run_jobs, capture):
    """The cron command (its e-mail jobs queued on commit), then the job worker."""
    with capture(execute=True):
        call_command("send_reminders", *args, stdout=StringIO())
    run_jobs()


def test_reminders_are_sent_once(plan, world, run_jobs, django_capture_on_commit_callbacks):
    _emails(world)
    # 2025-09-10: Delår 2 2025 is due 2025-09-15, within 7 days.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2025-09-10", stdout=StringIO())
    # Queued, one job per recipient; nothing is sent or recorded before the worker sends it.
    assert mail.outbox == [] and Reminder.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # cron again, before the worker
        call_command("send_reminders", "--today", "2025-09-10", stdout=StringIO())
    assert run_jobs() == 3
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    # The contributor (SN's night walking) and the two coordinators' summaries; the police
    # organisation has no contributor, so only the summary names its missing report.
    assert recipients == [("kommunpolis@polisen.example",), ("samordnare@eskilstuna.example",),
                          ("socialtjanst@eskilstuna.example",)]
    to_contributor = next(m for m in mail.outbox if m.to == ["socialtjanst@eskilstuna.example"])
    assert "Nattvandring" in to_contributor.body and "Delår 2 2025" in to_contributor.body
    assert "/followup/reports/write/" in to_contributor.body
    summary = next(m for m in mail.outbox if m.to == ["samordnare@eskilstuna.example"])
    assert "2 rapporter saknas" in summary.body and "NOA" in summary.body
    assert Reminder.objects.count() == 3

    _send("--today", "2025-09-10", run_jobs=run_jobs, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3 and Reminder.objects.count() == 3

    # Once overdue the contributor is reminded again (a new kind), the summary is not repeated.
    _send("--today", "2025-09-20", run_jobs=run_jobs, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == ["socialtjanst@eskilstuna.example"]
    assert "försenad" in mail.outbox[-1].body
    _send("--today", "2025-09-21", run_jobs=run_jobs, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4


def test_no_reminder_for_written_reports_or_far_due_dates(plan, world, run_jobs,
                                                          django_capture_on_commit_callbacks):
    _emails(world)
    _send("--today", "2025-08-01", run_jobs=run_jobs, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    services.submit_report(actor=world.contributor, round=plan.delar2,
                           activity=plan.night_walking, organization=world.social_services,
                           status="green")
    plans.set_activity_status(plan.noa, actor=world.coordinator, status="done")
    _send("--today", "2025-09-10", run_jobs=run_jobs, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_dry_run_sends_and_records_nothing(plan, world):
    _emails(world)
    out = StringIO()
    call_command("send_reminders", "--today", "2025-09-10", "--dry-run", stdout=out)
    assert mail.outbox == [] and not Reminder.objects.exists()
    assert "(dry run) socialtjanst@eskilstuna.example" in out.getvalue()
    assert services.send_reminders(today=dt.date(2025, 9, 10)).reminders == 3
