"""Imports of survey results: all or nothing, row by row, idempotent; a result recorded as an
indicator's measurement. The page and the API run them as jobs: test_import_jobs."""
import datetime as dt

import pytest

from samverkan.agreements import services as agreements
from samverkan.audit.models import AuditEntry
from samverkan.core.testing import api_client
from samverkan.plans import services as plans
from samverkan.surveys import services
from samverkan.surveys.models import SurveyResult

from .test_access import make_survey
from .test_index import CSV

AGGREGATED = """område;fråga;index;andel;antal;kön
Fröslunda;Nedskräpning;4,2;;310;
Fröslunda;Trafiken;3,1;;305;
Fröslunda;Nedskräpning;4,8;;160;Kvinna
Fröslunda;Otrygg ute sent på kvällen (%);;38;300;
Lagersberg;Totalt;2,4;;250;
"""


@pytest.fixture
def survey(world):
    return make_survey(world)


def test_respondents_import_is_idempotent_and_audited_once(world, survey):
    before = AuditEntry.objects.count()
    result = services.import_respondents(survey, CSV.encode(), "svar.csv",
                                         actor=world.coordinator)
    assert result.ok and result.created > 0
    assert AuditEntry.objects.count() == before + 1
    total = survey.results.get(area="Fröslunda", question="", dimension="all")
    assert total.value == pytest.approx((9 / 3.5 + 4) / 2)
    women = survey.results.get(area="Fröslunda", question="Nedskräpning", dimension="sex",
                               group="Kvinna")
    assert women.n == 2 and women.uncertain
    again = services.import_respondents(survey, CSV.encode(), "svar.csv",
                                        actor=world.coordinator)
    assert again.unchanged and AuditEntry.objects.count() == before + 1


def test_bad_file_writes_nothing(world, survey):
    bad = CSV + "Lagersberg;Man;65+;x;Kanske;Vet ej\n"
    result = services.import_respondents(survey, bad.encode(), "svar.csv",
                                         actor=world.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [(6, "vikt"), (6, "Nedskräpning")]
    assert not SurveyResult.objects.exists()


def test_aggregated_import_with_totals_and_percentages(world, survey):
    result = services.import_aggregated(survey, AGGREGATED.encode(), "index.csv",
                                        actor=world.coordinator)
    assert result.ok, result.errors
    frosl = survey.results.get(area="Fröslunda", question="", dimension="all")
    assert frosl.value == pytest.approx((4.2 + 3.1) / 2)  # computed: no total in the file
    assert survey.results.get(area="Lagersberg", question="").value == 2.4
    share = survey.results.get(question="Otrygg ute sent på kvällen (%)")
    assert share.percentage == 38 and share.value is None
    assert frosl.band() == "attention"


def test_aggregated_errors_row_by_row(world, survey):
    text = "område;fråga;index\nA;Q;7\n;Q;2\nB;Q;två\nB;Q;1\nB;Q;1\n"
    result = services.import_aggregated(survey, text.encode(), "index.csv",
                                        actor=world.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "index"), (3, "område"), (4, "index"), (6, "fråga")]
    assert not SurveyResult.objects.exists()


def test_result_recorded_as_measurement_in_one_step(world, survey):
    services.import_aggregated(survey, AGGREGATED.encode(), "index.csv",
                               actor=world.coordinator)
    agreement = agreements.create_agreement(
        actor=world.coordinator, municipality=world.eskilstuna, title="Överenskommelse",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 12, 31))
    area = agreements.create_focus_area(actor=world.coordinator, agreement=agreement,
                                        title="Trygghet i offentlig miljö")
    indicator = plans.create_indicator(actor=world.coordinator, focus_area=area,
                                       name="Trygghetsindex i Fröslunda")
    total = survey.results.get(area="Fröslunda", question="", dimension="all")
    response = api_client(world.coordinator).post(
        f"/api/v1/survey-results/{total.pk}/record-measurement/", {"indicator": indicator.pk},
        format="json")
    assert response.status_code == 201, response.content
    measurement = indicator.measurements.get()
    assert float(measurement.value) == round(total.value, 2)
    assert measurement.measured_on == dt.date(2025, 12, 31)
    assert "Fröslunda" in measurement.source


def test_page_shows_bands_groups_and_imports(world, survey, client):
    services.import_respondents(survey, CSV.encode(), "svar.csv", actor=world.coordinator)
    client.force_login(world.coordinator)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "band--attention" in page and "Nedskräpning" in page
    assert "osäker" in page
    page = client.get(survey.get_absolute_url() + "?by=sex").content.decode()
    assert "Kvinna" in page
    assert 'id="survey-import-check"' in page  # the import runs as a job (test_import_jobs)
