"""Issue 11: survey imports from the web page run as background jobs, like the incident import:
the upload is stored as a file, a first job checks it (nothing saved), a second imports it when
the coordinator confirms; the job page shows progress (htmx polling) and then the result with
its row errors. The API queues the same job and answers 202; the client reads the result from
/api/v1/jobs/<id>/. All or nothing, idempotent. The jobs run on the real queue and worker."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.core.testing import api_client
from samverkan.jobs.models import Job
from samverkan.surveys import jobs as survey_jobs
from samverkan.surveys.models import SurveyResult

from .test_access import make_survey
from .test_import import AGGREGATED
from .test_index import CSV


@pytest.fixture
def survey(world):
    return make_survey(world)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _upload(client, survey, data: bytes, kind="respondents", name="svar.csv"):
    return client.post(survey.get_absolute_url(), {
        "action": "import", "kind": kind, "file": SimpleUploadedFile(name, data)})


def _job_id(response) -> int:
    return int(response.url.rstrip("/").split("/")[-1])


def test_check_then_import_as_jobs(world, survey, client, run_jobs, media,
                                   django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, CSV.encode())
    assert response.status_code == 302
    check = Job.objects.get(pk=_job_id(response))
    assert check.kind == "surveys.import" and check.params["dry_run"]
    assert check.params["survey"] == survey.pk
    stored = Path(check.params["path"])
    assert stored.is_file() and stored.is_relative_to(media)
    # Queued: the page polls the job's progress with htmx.
    page = client.get(response.url).content.decode()
    progress_url = reverse("jobs:job_progress", args=[check.pk])
    assert f'hx-get="{progress_url}"' in page
    assert 'data-status="queued"' in page

    assert run_jobs() == 1
    check.refresh_from_db()
    assert check.status == "succeeded", check.error
    assert check.result["rows"] == 4 and check.result["created"] > 0
    assert not SurveyResult.objects.filter(survey=survey).exists()  # a check saves nothing
    page = client.get(response.url).content.decode()
    assert 'id="import-confirm"' in page and "Förhandsgranskning" in page
    assert stored.is_file()  # kept for the import

    confirm = reverse("surveys:import_confirm", args=[survey.pk, check.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(confirm)
        again = client.post(confirm)  # pressed twice: one import
    assert first.url == again.url
    assert run_jobs() == 1
    imported = Job.objects.get(pk=_job_id(first))
    assert imported.status == "succeeded" and not imported.params["dry_run"]
    created = SurveyResult.objects.filter(survey=survey).count()
    assert created == imported.result["created"] > 0
    assert 'id="import-done"' in client.get(first.url).content.decode()
    assert not stored.exists()
    survey.refresh_from_db()
    assert survey.answered == 4

    # The same file again: checked, nothing to import, nothing changed.
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, CSV.encode())
    run_jobs()
    page = client.get(response.url).content.decode()
    assert 'id="import-unchanged"' in page and 'id="import-confirm"' not in page
    assert SurveyResult.objects.filter(survey=survey).count() == created
    # The survey's page lists the imports.
    page = client.get(survey.get_absolute_url()).content.decode()
    assert 'id="survey-recent-imports"' in page and "Import av svar.csv" in page


def test_bad_file_shows_its_row_errors_and_saves_nothing(world, survey, client, run_jobs,
                                                        media,
                                                        django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    bad = CSV + "Fröslunda;Kvinna;16-29;tung;Kanske;Inget problem alls\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, bad.encode())
    assert run_jobs() == 1
    job = Job.objects.get(pk=_job_id(response))
    assert job.status == "succeeded" and job.result["error_count"] >= 1
    page = client.get(response.url).content.decode()
    assert 'id="import-errors"' in page and "Filen har fel" in page
    assert job.result["errors"][0]["message"] in page
    assert 'id="import-confirm"' not in page
    assert all(e["row"] == 6 for e in job.result["errors"])
    assert not Path(job.params["path"]).exists()
    # No import from a check that failed.
    response = client.post(reverse("surveys:import_confirm", args=[survey.pk, job.pk]))
    assert response.status_code == 302 and not Job.objects.filter(
        key=f"surveys-import:{job.pk}").exists()
    assert not SurveyResult.objects.filter(survey=survey).exists()


def test_aggregated_results_as_jobs(world, survey, client, run_jobs, media,
                                    django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, AGGREGATED.encode(), kind="aggregated",
                           name="polisen.csv")
    run_jobs()
    check = Job.objects.get(pk=_job_id(response))
    assert check.result["rows"] == 5 and not check.result["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(reverse("surveys:import_confirm", args=[survey.pk, check.pk]))
    run_jobs()
    assert Job.objects.get(pk=_job_id(confirm)).status == "succeeded"
    assert SurveyResult.objects.get(survey=survey, area="Fröslunda", question="Nedskräpning",
                                    dimension="all").value == pytest.approx(4.2)


def test_only_who_may_change_the_survey_imports(world, survey, client, run_jobs, media,
                                                django_capture_on_commit_callbacks):
    client.force_login(world.reader)
    assert _upload(client, survey, CSV.encode()).status_code == 403
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, survey, CSV.encode())
    run_jobs()
    check = Job.objects.get(pk=_job_id(response))
    for user, code in ((world.reader, 403), (world.other_municipality_user, 404)):
        client.force_login(user)
        assert client.get(response.url).status_code == code
        assert client.post(reverse("surveys:import_confirm",
                                   args=[survey.pk, check.pk])).status_code == code
    assert not Job.objects.filter(key=f"surveys-import:{check.pk}").exists()


def test_job_applies_the_access_rule_again(world, survey, run_jobs, media,
                                           django_capture_on_commit_callbacks):
    """Access may have changed since the upload: the worker checks it with the job's actor."""
    path = media / "x.upload"
    media.mkdir(parents=True)
    path.write_bytes(CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        job = survey_jobs.start_import(actor=world.reader, survey=survey, path=str(path),
                                       name="svar.csv", kind="respondents", dry_run=False)
    run_jobs()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["errors"][0]["message"] == \
        "Du får inte ändra den här undersökningen."
    assert not SurveyResult.objects.exists() and not path.exists()


# -- the API queues the same job -----------------------------------------------------------------


def _api_post(user, survey, data: bytes, **fields):
    return api_client(user).post(f"/api/v1/surveys/{survey.pk}/import/",
                                 {"file": SimpleUploadedFile("svar.csv", data), **fields},
                                 format="multipart")


def test_api_import_runs_as_a_job(world, survey, run_jobs, media,
                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_post(world.coordinator, survey, CSV.encode(), kind="respondents")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["kind"] == "surveys.import"
    job = Job.objects.get(pk=body["id"])
    assert job.params["survey"] == survey.pk and not job.params["dry_run"]
    stored = Path(job.params["path"])
    assert stored.is_file() and stored.is_relative_to(media)
    assert not SurveyResult.objects.exists()  # nothing done inside the request

    assert run_jobs() == 1
    client = api_client(world.coordinator)
    done = client.get(f"/api/v1/jobs/{body['id']}/").json()
    assert done["status"] == "succeeded" and done["progress"] == 1
    result = done["result"]
    assert result["rows"] == 4 and not result["dry_run"] and result["error_count"] == 0
    assert result["created"] == SurveyResult.objects.filter(survey=survey).count() > 0
    total = SurveyResult.objects.get(survey=survey, area="Fröslunda", question="",
                                     dimension="all")
    assert total.value == pytest.approx((9 / 3.5 + 4) / 2)
    survey.refresh_from_db()
    assert survey.answered == 4
    assert not stored.exists()
    # Another municipality's coordinator cannot read the job.
    assert api_client(world.other_municipality_user).get(
        f"/api/v1/jobs/{body['id']}/").status_code == 404

    # The same file again: nothing changed.
    with django_capture_on_commit_callbacks(execute=True):
        again = _api_post(world.coordinator, survey, CSV.encode())
    run_jobs()
    assert client.get(f"/api/v1/jobs/{again.json()['id']}/").json()["result"]["unchanged"]
    assert SurveyResult.objects.filter(survey=survey).count() == result["created"]


def test_api_dry_run_and_aggregated(world, survey, run_jobs, media,
                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_post(world.coordinator, survey, AGGREGATED.encode(),
                             kind="aggregated", dry_run=True)
    assert response.status_code == 202
    run_jobs()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "succeeded" and job.params["dry_run"]
    assert job.result["dry_run"] and job.result["rows"] == 5 and job.result["created"] > 0
    assert not SurveyResult.objects.exists()  # a check saves nothing
    assert not Path(job.params["path"]).exists()  # and keeps no file: the API has no confirm
    # On the survey's page such a check offers no import of a file that is gone.
    from django.test import Client

    page = Client()
    page.force_login(world.coordinator)
    html = page.get(reverse("surveys:import_job", args=[survey.pk, job.pk])).content.decode()
    assert 'id="import-not-kept"' in html and 'id="import-confirm"' not in html
    assert "Kontrollerad via API:t" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = _api_post(world.coordinator, survey, AGGREGATED.encode(),
                             kind="aggregated")
    run_jobs()
    assert Job.objects.get(pk=response.json()["id"]).result["error_count"] == 0
    assert SurveyResult.objects.get(survey=survey, area="Fröslunda", question="Nedskräpning",
                                    dimension="all").value == pytest.approx(4.2)


def test_api_bad_file_gives_row_errors_and_writes_nothing(world, survey, run_jobs, media,
                                                          django_capture_on_commit_callbacks):
    bad = CSV + "Fröslunda;Kvinna;16-29;tung;Kanske;Inget problem alls\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_post(world.coordinator, survey, bad.encode())
    assert response.status_code == 202
    run_jobs()
    job = api_client(world.coordinator).get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert job["status"] == "succeeded"
    result = job["result"]
    assert result["error_count"] == len(result["errors"]) >= 2
    assert {(e["row"], e["column"]) for e in result["errors"]} >= {(6, "vikt"),
                                                                   (6, "Nedskräpning")}
    assert all(e["row"] == 6 and e["message"] for e in result["errors"])
    assert result["error_summary"] and result["created"] == 0
    assert not SurveyResult.objects.exists()
    assert not Path(Job.objects.get(pk=job["id"]).params["path"]).exists()


def test_api_import_access_and_bad_requests(world, survey, media):
    assert _api_post(world.reader, survey, CSV.encode()).status_code == 403
    assert _api_post(world.other_municipality_user, survey, CSV.encode()).status_code == 404
    # Refused before a job is queued: no file, an empty file, an unknown kind.
    client = api_client(world.coordinator)
    url = f"/api/v1/surveys/{survey.pk}/import/"
    assert client.post(url, {"kind": "respondents"}, format="multipart").status_code == 400
    assert _api_post(world.coordinator, survey, b"").status_code == 400
    assert _api_post(world.coordinator, survey, CSV.encode(),
                     kind="anything").status_code == 400
    assert not Job.objects.exists()
    assert not media.exists() or not any(media.rglob("*.upload"))
