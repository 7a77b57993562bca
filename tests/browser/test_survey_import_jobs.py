"""Issue 11 in a browser, like the incident import (test_import_jobs.py): a coordinator uploads
a respondent-level safety survey; the check and the import run as background jobs while the page
shows their progress (htmx polling, no reload), then the preview, the import, and the results on
the survey's page."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from .conftest import login, screenshot, wait_for, wait_for_page
from .test_import_jobs import Worker, _progress_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey():
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.surveys import services

    ensure_reference_data()
    load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    record = services.create_survey(actor=None,
                                    municipality=Municipality.objects.get(code="0484"),
                                    name="Polisens trygghetsmätning", year=2026)
    return record, DEMO_PASSWORD


def test_survey_import_shows_progress_then_the_result(browser, live_server, survey, tmp_path,
                                                      settings):
    from samverkan.jobs.models import Job
    from samverkan.surveys.demo import respondent_file
    from samverkan.surveys.models import SurveyResult

    record, password = survey
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "trygghetsmatning-2026.csv"
    path.write_bytes(respondent_file())
    worker = Worker()
    worker.thread.start()
    try:
        login(browser, live_server, "samordnare", password)
        browser.get(live_server.url + record.get_absolute_url())
        Select(browser.find_element(By.NAME, "kind")).select_by_value("respondents")
        browser.find_element(By.NAME, "file").send_keys(str(path))
        browser.find_element(By.ID, "survey-import-check").click()
        wait_for_page(browser)
        wait_for(browser, ".job-progress [role=progressbar]")
        assert _progress_status(browser) == "queued"
        screenshot(browser, "survey-import-queued")
        worker.go.set()
        confirm = wait_for(browser, "#import-confirm", timeout=120)
        assert int(browser.find_element(By.ID, "import-rows").text) > 1000
        assert not SurveyResult.objects.exists()
        screenshot(browser, "survey-import-preview")
        confirm.click()
        wait_for_page(browser)
        wait_for(browser, "#import-done", timeout=120)
        assert SurveyResult.objects.filter(survey=record).count() > 0
        screenshot(browser, "survey-import-done")
    finally:
        worker.stop.set()
        worker.go.set()
        worker.thread.join(timeout=30)
    jobs = list(Job.objects.filter(kind="surveys.import").order_by("pk"))
    assert [j.params["dry_run"] for j in jobs] == [True, False]
    assert all(j.status == "succeeded" and j.started_by.username == "samordnare" for j in jobs)
    # The survey's page shows the results and lists the two jobs.
    browser.get(live_server.url + record.get_absolute_url())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#survey-recent-imports li")) == 2
