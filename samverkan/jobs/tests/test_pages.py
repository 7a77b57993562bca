"""The job page: who sees which jobs, and the progress partial that htmx polls."""
from django.urls import reverse

from samverkan.jobs.models import Job
from samverkan.jobs.runner import JobContext


def _job(world, **fields):
    defaults = {"kind": "email.send", "label": "Import av handelser.csv",
                "municipality": world.eskilstuna, "started_by": world.contributor}
    return Job.objects.create(**{**defaults, **fields})


def test_coordinator_sees_the_municipality_jobs(client, world):
    mine = _job(world, label="Import av handelser.csv")
    theirs = _job(world, municipality=world.karlshamn, started_by=world.other_municipality_user,
                  label="Karlshamns import")
    client.force_login(world.coordinator)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert "Import av handelser.csv" in page and "Karlshamns import" not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(world.reader)  # a reader sees only what they started
    assert "Import av handelser.csv" not in client.get(reverse("jobs:job_list")).content.decode()
    assert client.get(mine.get_absolute_url()).status_code == 404
    client.force_login(world.contributor)
    assert client.get(mine.get_absolute_url()).status_code == 200


def test_progress_partial_polls_until_done(client, world):
    job = _job(world, status="running")
    JobContext(job).progress(0.42, "Läser rad 42 000")
    client.force_login(world.coordinator)
    url = reverse("jobs:job_progress", args=[job.pk])
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in running and 'aria-valuenow="42"' in running
    assert "Läser rad 42 000" in running
    Job.objects.filter(pk=job.pk).update(status="failed", error="ValueError: trasig fil")
    failed = client.get(url).content.decode()
    assert "hx-trigger" not in failed and "trasig fil" in failed
    assert client.get(reverse("jobs:job_list") + "?status=failed").content.decode().count(
        "trasig fil") == 1
