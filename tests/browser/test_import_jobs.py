"""Issue 10 in a browser: a coordinator uploads an incident file; the check and the import run
as background jobs while the page shows their progress (htmx polling, no reload), then the
preview, the import and the job page."""
import threading
import time

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .conftest import login, screenshot, wait_for, wait_for_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator_password():
    from samverkan.demo.loader import DATA, DEMO_PASSWORD, ensure_users, load_agreement
    from samverkan.organizations.models import Municipality
    from samverkan.organizations.reference import ensure_reference_data
    from samverkan.situation.services import ensure_default_categories

    ensure_reference_data()
    load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    load_agreement(DATA / "karlshamn_2021_2024.json", actor=None)
    ensure_users(actor=None)
    ensure_default_categories(Municipality.objects.get(code="0484"), actor=None)
    return DEMO_PASSWORD


class Worker:
    """The job worker in a thread of the test process (the real queue and worker code); it
    starts when the test says so, so the page's first, queued state can be seen."""

    def __init__(self):
        self.go = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        from django.db import OperationalError, connection

        from samverkan.jobs.testing import run_queued_jobs

        self.go.wait()
        try:
            while not self.stop.is_set():
                try:
                    ran = run_queued_jobs()
                except OperationalError:  # SQLite busy: like db_worker, try again
                    ran = 0
                if not ran:
                    time.sleep(0.2)
        finally:
            connection.close()


def _progress_status(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, ".job-progress").get_attribute("data-status")


def test_web_import_shows_progress_then_the_result(browser, live_server, coordinator_password,
                                                   tmp_path, settings):
    from samverkan.jobs.models import Job
    from samverkan.situation.models import Incident
    from samverkan.situation.sample_files import write_incident_csv

    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_incident_csv(tmp_path / "est-export.csv", 20_000)
    worker = Worker()
    worker.thread.start()
    try:
        login(browser, live_server, "samordnare", coordinator_password)
        browser.get(live_server.url + reverse("situation:import"))
        browser.find_element(By.NAME, "file").send_keys(str(path))
        browser.find_element(By.ID, "import-check").click()
        wait_for_page(browser)
        # Queued: a progress bar that htmx polls every second.
        wait_for(browser, ".job-progress [role=progressbar]")
        assert _progress_status(browser) == "queued"
        screenshot(browser, "import-queued")
        worker.go.set()
        # The same page, without a reload, ends with the preview.
        confirm = wait_for(browser, "#import-confirm", timeout=120)
        assert "20000" in browser.find_element(By.ID, "import-created").text.replace(" ", "")
        assert not Incident.objects.exists()
        screenshot(browser, "import-preview")
        confirm.click()
        wait_for_page(browser)
        wait_for(browser, "#import-done", timeout=180)
        assert Incident.objects.filter(municipality_id="0484").count() == 20_000
        screenshot(browser, "import-done")
    finally:
        worker.stop.set()
        worker.go.set()
        worker.thread.join(timeout=30)

    # The job page: both jobs, who started them, how long they took.
    browser.get(live_server.url + reverse("jobs:job_list"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#job-table tbody tr")
    assert len(rows) == 2
    text = browser.find_element(By.ID, "job-table").text
    assert "Import av est-export.csv" in text and "Granskning av est-export.csv" in text
    assert text.count(" s\n") + text.endswith(" s") >= 1
    jobs = list(Job.objects.order_by("pk"))
    assert [j.params["dry_run"] for j in jobs] == [True, False]
    assert all(j.status == "succeeded" and j.started_by.username == "samordnare" for j in jobs)
    screenshot(browser, "jobs")
