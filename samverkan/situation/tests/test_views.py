"""The EST pages: a contributor reports from the phone form, the checklist, the coordinators'
review (correct, merge, reject), the import page with preview and confirm."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.situation.models import Incident, NothingToReport

from .helpers import FRISTADSTORGET, JARNTORGET, categories, centrum, incident

pytestmark = pytest.mark.django_db


def test_contributor_reports_with_the_map(world, client):
    cats = categories(world)
    area = centrum(world)
    client.force_login(world.contributor)
    page = client.get(reverse("situation:report"))
    assert page.status_code == 200
    html = page.content.decode()
    for marker in ('name="category"', 'id="report-map"', 'id="report-submit"',
                   'name="lat"', 'name="lon"', 'name="description"', "vendor/leaflet/"):
        assert marker in html
    before = AuditEntry.objects.count()
    response = client.post(reverse("situation:report"), {
        "category": cats["klotter"].pk, "lat": FRISTADSTORGET[0], "lon": FRISTADSTORGET[1],
        "description": "Nytt klotter på elskåpet.", "occurred_at": "2024-05-03T23:40"})
    assert response.status_code == 302
    reported = Incident.objects.get()
    assert response["Location"] == reverse("situation:report_done", args=[reported.pk])
    assert reported.reported_by == world.contributor
    assert reported.organization == world.social_services
    assert reported.source == "est_report" and reported.precision == "exact"
    assert list(reported.areas.all()) == [area]
    assert AuditEntry.objects.count() == before + 1
    done = client.get(response["Location"])
    assert "report-another" in done.content.decode()
    mine = client.get(reverse("situation:my_reports")).content.decode()
    assert "Klotter" in mine


def test_report_without_map_needs_a_typed_place(world, client):
    cats = categories(world)
    client.force_login(world.contributor)
    response = client.post(reverse("situation:report"), {"category": cats["nedskrapning"].pk})
    assert response.status_code == 200 and not Incident.objects.exists()
    response = client.post(reverse("situation:report"), {
        "category": cats["nedskrapning"].pk, "place_name": "J.A. Selanders gata"})
    assert response.status_code == 302
    assert Incident.objects.get().precision == "address"


def test_reader_cannot_report(world, client):
    categories(world)
    client.force_login(world.reader)
    assert client.get(reverse("situation:report")).status_code == 403


def test_checklist_nothing_to_report(world, client):
    area = centrum(world)
    client.force_login(world.contributor)
    url = reverse("situation:checklist") + "?week=2024-18"
    assert client.get(url).status_code == 200
    client.post(url, {"area": area.pk, "week": "2024-18"})
    client.post(url, {"area": area.pk, "week": "2024-18"})  # idempotent
    entry = NothingToReport.objects.get()
    assert (entry.iso_year, entry.iso_week, entry.area, entry.reported_by) == (
        2024, 18, area, world.contributor)
    client.post(url, {"undo": entry.pk, "week": "2024-18"})
    assert not NothingToReport.objects.exists()


def test_review_corrects_and_merges(world, client):
    cats = categories(world)
    first = incident(world, actor=world.contributor, category="skadegorelse")
    duplicate = incident(world, actor=world.contributor, category="klotter",
                         description="Klotter vid torget, samma som nyss.")
    other = incident(world, actor=world.contributor, place=JARNTORGET, category="ovrigt")
    client.force_login(world.contributor)
    assert client.get(reverse("situation:review")).status_code == 403
    client.force_login(world.coordinator)
    page = client.get(reverse("situation:review")).content.decode()
    assert f'id="incident-{first.pk}"' in page
    before = AuditEntry.objects.count()
    client.post(reverse("situation:review_action", args=[first.pk]),
                {"action": "review", "category": cats["klotter"].pk})
    client.post(reverse("situation:review_action", args=[duplicate.pk]),
                {"action": "merge", "merge_into": first.pk})
    client.post(reverse("situation:review_action", args=[other.pk]), {"action": "reject"})
    assert AuditEntry.objects.count() == before + 3
    first.refresh_from_db()
    duplicate.refresh_from_db()
    other.refresh_from_db()
    assert (first.status, first.category.slug) == ("reviewed", "klotter")
    assert (duplicate.status, duplicate.merged_into) == ("merged", first)
    assert other.status == "rejected"
    assert list(Incident.objects.counted()) == [first]


def test_other_municipality_cannot_review(world, client):
    reported = incident(world)
    client.force_login(world.other_municipality_user)
    response = client.post(reverse("situation:review_action", args=[reported.pk]),
                           {"action": "reject"})
    assert response.status_code == 404


def test_import_page_checks_then_imports_in_background_jobs(
        world, client, run_jobs, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    categories(world)
    client.force_login(world.coordinator)
    csv = (b"kategori;tid;lat;lon;plats\n"
           b"Klotter;2024-05-03 23:40;59.3712;16.5098;Fristadstorget\n")
    with django_capture_on_commit_callbacks(execute=True):
        upload = client.post(reverse("situation:import"), {
            "what": "incidents", "format": "csv", "area_kind": "district",
            "file": SimpleUploadedFile("est.csv", csv)})
    assert upload.status_code == 302  # to the page that follows the check
    page = client.get(upload.url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "est.csv" in page  # queued: polling
    assert list((tmp_path / "imports").iterdir())  # the upload is a file, not in the session
    run_jobs()
    preview = client.get(upload.url).content.decode()
    assert 'id="import-confirm"' in preview and "hx-trigger" not in preview
    assert not Incident.objects.exists()
    job_id = int(upload.url.rstrip("/").split("/")[-1])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("situation:import_confirm", args=[job_id]))
        again = client.post(reverse("situation:import_confirm", args=[job_id]))
    assert confirmed.status_code == 302 and again.url == confirmed.url  # one import per check
    run_jobs()
    assert 'id="import-done"' in client.get(confirmed.url).content.decode()
    assert Incident.objects.get().place_name == "Fristadstorget"
    assert not list((tmp_path / "imports").iterdir())  # the stored file is gone after import

    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post(reverse("situation:import"), {
            "what": "incidents", "format": "csv", "area_kind": "district",
            "file": SimpleUploadedFile("bad.csv", b"kategori;tid;plats\nKlotter;igar;Torget\n"
                                                  b"Klotter;igar;Torget\n")})
    run_jobs()
    page = client.get(bad.url).content.decode()
    assert "igar" in page and 'id="import-error-summary"' in page
    assert 'id="import-confirm"' not in page and Incident.objects.count() == 1
    # Another municipality's coordinator cannot see the job.
    client.force_login(world.other_municipality_user)
    assert client.get(bad.url).status_code == 404


def test_incident_and_area_pages(world, client):
    area = centrum(world)
    reported = incident(world)
    client.force_login(world.reader)
    assert client.get(reverse("situation:incident_list")).status_code == 200
    assert client.get(reported.get_absolute_url()).status_code == 200
    assert client.get(area.get_absolute_url()).status_code == 200
    assert client.get(reverse("situation:area_list")).status_code == 200
    assert client.get(reverse("situation:statistics")).status_code == 200
    listing = client.get(reverse("situation:incident_list") + f"?area={area.pk}")
    assert reported.get_absolute_url() in listing.content.decode()
