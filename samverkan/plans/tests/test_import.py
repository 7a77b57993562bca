"""Importing an action plan table into an agreement (samverkan.plans.io.importer), with the
seed plans: Eskilstuna's 2016 åtagandeplan and its 2013 plan."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from samverkan.agreements.models import FocusArea, PriorityArea
from samverkan.audit.models import AuditEntry
from samverkan.plans.io.importer import activity_row_key, import_plan
from samverkan.plans.models import Activity, Contribution, Indicator

from .plan_files import (
    PLAN_2013_CSV,
    PLAN_2016_CSV,
    PLAN_2016_XLSX,
    add_committees,
    counts,
    csv_bytes,
    make_agreement,
    read_csv,
)

FA2 = "2. Våld i offentlig miljö/krogmiljö"
FA2_GOAL = "Minska våldsbrott i offentlig miljö/krogmiljö"
NETWORK = "Nätverka med Hotel- och restaurangnäringen"
KROGAR = "Initiera och samordna konceptet krogar mot knark"
TILLSYN = "Genomföra kontroll/tillsyn av krogarna."
ALCOHOL = ("Ansvara för genomförande av utbildningen Ansvarsfull alkoholservering. (MRN)")
NIGHT_WALKS = "Bjuda in till träffar i syfte att få igång nattvandring lokalt i områden."
UNG_FRITID = ("Ung Fritid genomför verksamhet och skapar möjligheter till goda fritidsalternativ "
              "i prioriterade områden.")


@pytest.fixture
def agreement(world):
    add_committees(world)
    return make_agreement(world)


def test_bad_file_names_every_row_and_column_and_writes_nothing(world, agreement):
    rows = [
        ["Fokusområde", "Mål", "Aktivitet", "Status", "Åtgärd kommun", "Åtgärd polis",
         "Startdatum"],
        [FA2, FA2_GOAL, "", "", "", "", ""],
        ["", "", NETWORK, "pågående", NETWORK + " (KS, MRN)", "Delta", ""],
        ["", "", KROGAR, "planerad", KROGAR + " (KS)",
         "Ansvara för polisens roll inom ramen för krogar mot knark", "hösten 2016"],
        ["", "", TILLSYN, "pågår kanske", TILLSYN + " (MRN)",
         "Genomföra kontroll/tillsyn av krogarna", ""],
        ["", "", "", "pågående", ALCOHOL, "Delta i utbildningen Ansvarsfull "
                                          "alkoholservering som föredragshållare", ""],
    ]
    before = counts()
    result = import_plan(io.BytesIO(csv_bytes(rows)), "plan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "Startdatum"), (5, "Status"), (6, "Aktivitet")]
    assert "pågår kanske" in result.errors[1].message
    assert counts() == before
    body = result.to_json()
    assert body["errors"][0] == {"row": 4, "column": "Startdatum",
                                 "message": result.errors[0].message}


def test_seed_xlsx_imports_focus_areas_activities_contributions_indicators(world, agreement):
    result = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                         actor=world.coordinator)
    assert result.ok, result.errors
    assert result.to_json() == {"focus_areas": 3, "activities": 21, "indicators": 6,
                                "rows": 30, "errors": []}
    assert result.created["focus_area"] == 3 and result.created["activity"] == 21
    assert result.created["indicator"] == 6

    areas = list(FocusArea.objects.filter(agreement=agreement))
    assert [(a.number, a.title) for a in areas] == [
        (1, "Förebygga brott och kriminella gängbildningar bland unga"),
        (2, "Våld i offentlig miljö/krogmiljö"),
        (3, "Trygghet i offentlig miljö"),
    ]
    assert areas[1].goal == FA2_GOAL

    ung = Activity.objects.get(agreement=agreement, title=UNG_FRITID)
    assert ung.status == "ongoing" and ung.focus_area == areas[0]
    municipality = ung.contributions.get(party="municipality")
    assert municipality.text.endswith("(KFN)")
    assert [c.abbreviation for c in municipality.committees.all()] == ["KFN"]
    assert ung.contributions.get(party="police").text == "Samverkan med ung fritid."
    assert "KFN" in {o.abbreviation for o in ung.responsible_organizations.all()}
    assert ung.communication == "FB/ Twitter/ media"
    assert len(ung.row_key) == 64

    fields = Activity.objects.get(agreement=agreement, title__startswith="Fältande")
    assert {a.name for a in fields.priority_areas.all()} == {"Lagersberg", "Fröslunda"}
    assert fields.areas_text == "Lagersberg, Fröslunda"
    assert set(PriorityArea.objects.filter(agreement=agreement).values_list(
        "name", flat=True)) == {"Fröslunda", "Lagersberg", "Skiftinge", "Årby"}
    assert any("Skiftinge" in w for w in result.warnings)

    mapping = Activity.objects.get(agreement=agreement, title__startswith="Att tillsammans")
    assert (mapping.start_date, mapping.end_date) == (dt.date(2016, 1, 1), dt.date(2016, 12, 31))

    night = Indicator.objects.get(agreement=agreement, name="Antal nattvandringsgrupper")
    assert (night.baseline_value, night.target_value) == (Decimal(2), Decimal(8))
    assert night.target_text == "minst 8" and night.direction == "higher"
    assert night.goal_kind == "production" and night.unit == "grupper"
    assert night.baseline_date == dt.date(2016, 1, 1)
    assert night.target_date == dt.date(2018, 12, 31)
    assert night.activity.title == NIGHT_WALKS
    cannabis = Indicator.objects.get(agreement=agreement,
                                     name__startswith="Ungas attityd till cannabis")
    assert (cannabis.baseline_value, cannabis.target_value) == (Decimal("3.72"),
                                                                Decimal("4.72"))
    broken_loose = Indicator.objects.get(agreement=agreement, name__startswith="Unga individer")
    assert broken_loose.target_value == 15 and broken_loose.target_text == "minst 15"
    index = Indicator.objects.get(agreement=agreement, name__startswith="Trygghetsindex")
    assert index.direction == "lower" and index.target_text == "0-2"
    assert index.target_value == 2

    entries = AuditEntry.objects.filter(municipality=world.eskilstuna, action="create",
                                        actor=world.coordinator)
    assert entries.filter(object_repr=NIGHT_WALKS).count() == 1


def test_second_import_changes_nothing(world, agreement):
    first = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                        actor=world.coordinator)
    assert first.ok and first.changed
    before = counts()
    second = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                         actor=world.coordinator)
    assert second.ok and not second.changed
    assert second.unchanged["activity"] == 21 and second.unchanged["indicator"] == 6
    assert second.unchanged["focus_area"] == 3
    assert counts() == before
    # The CSV of the same plan is the same plan.
    third = import_plan(PLAN_2016_CSV, PLAN_2016_CSV.name, agreement=agreement,
                        actor=world.coordinator)
    assert third.ok and not third.changed
    assert counts() == before


def test_a_changed_row_updates_its_activity_once(world, agreement):
    import_plan(PLAN_2016_CSV, PLAN_2016_CSV.name, agreement=agreement, actor=world.coordinator)
    rows = read_csv(PLAN_2016_CSV)
    status = rows[0].index("Status")
    for row in rows:
        if row[2] == KROGAR and row[status]:
            row[status] = "pågående"
    before = counts()
    result = import_plan(io.BytesIO(csv_bytes(rows)), "plan.csv", agreement=agreement,
                         actor=world.police_officer)
    assert result.ok
    assert result.updated["activity"] == 1 and not result.created
    activity = Activity.objects.get(agreement=agreement, title=KROGAR)
    assert activity.status == "ongoing"
    after = counts()
    assert after["AuditEntry"] == before["AuditEntry"] + 1
    assert {k: v for k, v in after.items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"}
    entry = AuditEntry.objects.first()
    assert entry.action == "update" and entry.actor == world.police_officer
    assert entry.changes["after"]["status"] == "ongoing"


def test_a_changed_police_action_changes_only_that_contribution(world, agreement):
    import_plan(PLAN_2016_CSV, PLAN_2016_CSV.name, agreement=agreement, actor=world.coordinator)
    rows = read_csv(PLAN_2016_CSV)
    police = rows[0].index("Åtgärd polis")
    for row in rows:
        if row[2] == TILLSYN:
            row[police] = "Genomföra kontroll/tillsyn av krogarna tillsammans med MRN"
    before = counts()
    result = import_plan(io.BytesIO(csv_bytes(rows)), "plan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert result.ok and result.updated["activity"] == 1
    activity = Activity.objects.get(agreement=agreement, title=TILLSYN)
    assert activity.contributions.get(party="police").text.endswith("tillsammans med MRN")
    assert counts()["AuditEntry"] == before["AuditEntry"] + 1
    assert counts()["Contribution"] == before["Contribution"]


def test_columns_missing_from_the_file_are_left_alone(world, agreement):
    import_plan(PLAN_2016_CSV, PLAN_2016_CSV.name, agreement=agreement, actor=world.coordinator)
    # Only four columns: the statuses, police actions and indicators stay as they are. (The
    # rows that only carried an indicator for the activity above are left out.)
    rows = [r[:3] + [r[4]] for r in read_csv(PLAN_2016_CSV) if r[0] or r[3]]
    assert rows[0] == ["Fokusområde", "Mål", "Aktivitet", "Åtgärd kommun"]
    before = counts()
    result = import_plan(io.BytesIO(csv_bytes(rows)), "plan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert result.ok and not result.changed, (result.created, result.updated)
    assert counts() == before
    assert Activity.objects.get(agreement=agreement, title=UNG_FRITID).status == "ongoing"


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", True), (",", False)])
def test_csv_with_bom_and_either_delimiter(world, agreement, delimiter, bom):
    data = csv_bytes(read_csv(PLAN_2016_CSV), delimiter=delimiter, bom=bom)
    result = import_plan(io.BytesIO(data), "atagandeplan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert result.ok, result.errors
    assert (result.focus_areas, result.activities, result.indicators) == (3, 21, 6)
    assert Activity.objects.filter(agreement=agreement).count() == 21
    police = [r for r in read_csv(PLAN_2016_CSV)[1:] if r[2] and r[5]]
    assert Contribution.objects.filter(activity__agreement=agreement,
                                       party="police").count() == len(police) == 20


def test_dry_run_reports_and_writes_nothing(world, agreement):
    before = counts()
    result = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                         actor=world.coordinator, dry_run=True)
    assert result.ok and result.dry_run and not result.written
    assert result.created["activity"] == 21 and result.created["priority_area"] == 4
    assert counts() == before


def test_a_record_the_services_refuse_rolls_back_everything(world, agreement):
    # A target equal to the baseline is refused by the indicator's validation.
    rows = [
        ["Fokusområde", "Mål", "Aktivitet", "Status", "Indikator", "Utgångsvärde", "Målvärde"],
        ["3. Trygghet i offentlig miljö",
         "Öka tryggheten i Eskilstuna till ett normalvärde 2 i alla områden?", "", "", "", "",
         ""],
        ["", "", "Att fortsätta samverkan med fastighetsägarnätverket.", "pågående", "", "", ""],
        ["", "", NIGHT_WALKS, "planerad", "Antal nattvandringsgrupper", "2", "2"],
    ]
    before = counts()
    result = import_plan(io.BytesIO(csv_bytes(rows)), "plan.csv", agreement=agreement,
                         actor=world.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [(4, "Målvärde")]
    assert counts() == before


def test_heading_rows_of_the_2013_plan(world, agreement):
    result = import_plan(PLAN_2013_CSV, PLAN_2013_CSV.name, agreement=agreement,
                         actor=world.coordinator)
    assert result.ok
    assert (result.focus_areas, result.activities, result.indicators) == (3, 23, 0)
    area = FocusArea.objects.get(agreement=agreement, number=2)
    assert area.title == "Våld i offentlig miljö"
    assert area.goal.startswith("Våldet i de centrala delarna av Eskilstuna ska minska.")
    statuses = dict(Activity.objects.filter(focus_area=area).values_list("title", "status"))
    assert statuses["Kameraövervakning"] == "ongoing"
    possible = Activity.objects.filter(agreement=agreement, status="possible")
    assert "Here 4 you" in {a.title for a in possible}


def test_merged_cells_and_sub_goals(world, agreement, tmp_path):
    # Seed 001 (2024-2027): focus area and sub-goal merged downwards over their activities.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [
        ["Fokusområde", "Delmål", "Aktivitet", "Status", "Åtgärd polis"],
        ["Fokusområde 1 – Stoppa skjutningar och grovt våld",
         "Förebyggt och motverkat våldet i nätverkskriminella miljöer",
         "EST, effektiv samordning för trygghet", "pågående", "Deltar i EST"],
        [None, None, "Krogar mot knark", "pågående", None],
    ]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    result = import_plan(path, "plan.xlsx", agreement=agreement, actor=world.coordinator)
    assert result.ok
    area = FocusArea.objects.get(agreement=agreement)
    assert (area.number, area.title) == (1, "Stoppa skjutningar och grovt våld")
    sub_goal = area.sub_goals.get()
    assert list(Activity.objects.filter(focus_area=area).values_list("title", "sub_goal")) == [
        ("EST, effektiv samordning för trygghet", sub_goal.pk),
        ("Krogar mot knark", sub_goal.pk)]
    again = import_plan(path, "plan.xlsx", agreement=agreement, actor=world.coordinator)
    assert again.ok and not again.changed


def test_existing_focus_areas_are_matched_by_title(world, agreement):
    from samverkan.agreements.services import create_focus_area

    existing = create_focus_area(actor=world.coordinator, agreement=agreement, number=2,
                                 title="Våld i offentlig miljö/krogmiljö")
    result = import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                         actor=world.coordinator)
    assert result.ok and result.created["focus_area"] == 2
    existing.refresh_from_db()
    assert existing.goal == FA2_GOAL  # the file's goal was added
    assert existing.activities.count() == 7


def test_row_key_is_normalised():
    assert activity_row_key("Trygghet i offentlig miljö", "Nattvandring", "x") == \
        activity_row_key("  trygghet i  offentlig miljö ", "NATTVANDRING", "x")
    assert activity_row_key("A", "B", "x") != activity_row_key("A", "B", "y")


def test_unreadable_file_is_one_error(world, agreement):
    result = import_plan(io.BytesIO(b"not a workbook"), "plan.xlsx", agreement=agreement,
                         actor=world.coordinator)
    assert [(e.row, e.column) for e in result.errors] == [(0, "")]
    assert result.to_json()["activities"] == 0


# ------------------------------------------------------------------------- pages and API


def upload(client, agreement, path, name=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/plans/agreements/{agreement.pk}/import/", {
        "file": SimpleUploadedFile(name or path.name, path.read_bytes())})


def test_web_upload_preview_and_confirm(world, agreement, client):
    from django.urls import reverse

    url = reverse("plans:plan_import", args=[agreement.pk])
    assert url == f"/plans/agreements/{agreement.pk}/import/"
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200

    before = counts()
    preview = upload(client, agreement, PLAN_2016_XLSX)
    assert preview.status_code == 200
    assert counts() == before  # the preview is a dry run
    result = preview.context["result"]
    assert result.ok and result.activities == 21 and preview.context["token"]
    assert NIGHT_WALKS in preview.content.decode()
    assert "Skiftinge" in preview.content.decode()  # the warning about the new area

    done = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"] == agreement.get_absolute_url()
    assert Activity.objects.filter(agreement=agreement).count() == 21
    assert AuditEntry.objects.filter(actor=world.coordinator,
                                     object_repr=NIGHT_WALKS).count() == 1
    # The token is used up: confirming again imports nothing more.
    again = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert again.status_code == 302 and again["Location"] == url

    # The same file again: the preview says nothing would change, the import changes nothing.
    before = counts()
    preview = upload(client, agreement, PLAN_2016_XLSX)
    assert preview.context["result"].unchanged["activity"] == 21
    client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert counts() == before


def test_web_upload_with_errors_shows_them_in_swedish(world, agreement, client, tmp_path,
                                                      settings):
    settings.LANGUAGE_CODE = "sv"
    rows = read_csv(PLAN_2016_CSV)
    rows[2][rows[0].index("Status")] = "pågår kanske"
    path = tmp_path / "atagandeplan.csv"
    path.write_bytes(csv_bytes(rows))
    client.force_login(world.coordinator)
    before = counts()
    response = upload(client, agreement, path)
    assert response.status_code == 200
    assert response.context["token"] is None
    body = response.content.decode()
    assert "Okänd status ”pågår kanske”" in body
    assert 'name="confirm"' not in body
    assert counts() == before


def test_web_upload_refuses_other_files(world, agreement, client, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4")
    client.force_login(world.coordinator)
    response = upload(client, agreement, path)
    assert response.status_code == 200 and response.context["form"].errors
    assert response.context["result"] is None


def test_web_import_access(world, agreement, client):
    url = f"/plans/agreements/{agreement.pk}/import/"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(world.reader)
    assert client.get(url).status_code == 403
    assert upload(client, agreement, PLAN_2016_XLSX).status_code == 403
    client.force_login(world.contributor)
    assert client.get(url).status_code == 403
    client.force_login(world.other_municipality_user)
    assert client.get(url).status_code == 404
    assert upload(client, agreement, PLAN_2016_XLSX).status_code == 404
    assert not Activity.objects.exists()


def test_api_import(world, agreement):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samverkan.core.testing import api_client

    url = f"/api/v1/agreements/{agreement.pk}/import-plan/"

    def post(user, path=PLAN_2016_XLSX, **extra):
        return api_client(user).post(url, {
            "file": SimpleUploadedFile(path.name, path.read_bytes()), **extra},
            format="multipart")

    before = counts()
    response = post(world.coordinator, dry_run="true")
    assert response.status_code == 200
    assert response.json() == {"focus_areas": 3, "activities": 21, "indicators": 6,
                               "rows": 30, "errors": []}
    assert counts() == before
    assert post(world.reader).status_code == 403
    assert post(world.other_municipality_user).status_code == 404
    assert api_client().post(url, {}).status_code in (401, 403)
    assert counts() == before

    response = post(world.police_officer)
    assert response.status_code == 200
    assert Activity.objects.filter(agreement=agreement).count() == 21
    assert AuditEntry.objects.filter(actor=world.police_officer, action="create").count() > 21


def test_api_import_errors(world, agreement, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samverkan.core.testing import api_client

    rows = read_csv(PLAN_2016_CSV)
    rows[2][2] = ""
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(rows))
    before = counts()
    response = api_client(world.coordinator).post(
        f"/api/v1/agreements/{agreement.pk}/import-plan/",
        {"file": SimpleUploadedFile("plan.csv", path.read_bytes())}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(3, "Aktivitet")]
    assert counts() == before


def test_the_documented_example_file(world, agreement):
    from pathlib import Path

    example = Path(__file__).resolve().parents[3] / "docs" / "examples" / \
        "atgardsplan-exempel.csv"
    result = import_plan(example, example.name, agreement=agreement, actor=world.coordinator)
    # The numbers docs/import-formats.md shows.
    assert result.to_json() == {"focus_areas": 2, "activities": 6, "indicators": 3,
                                "rows": 11, "errors": []}


def test_responsible_organisations_are_linked_and_the_text_kept(world, agreement):
    responsible = "Kommunen i samverkan med polis, räddningstjänst, socialtjänst och handeln"
    rows = [
        ["Fokusområde", "Aktivitet", "Ansvarig", "När"],
        ["3. Trygghet i offentlig miljö", "Trygghetsvandringar", responsible,
         "Under höstterminen 2012"],
    ]
    result = import_plan(io.BytesIO(csv_bytes(rows, delimiter=",")), "plan.csv",
                         agreement=agreement, actor=world.coordinator)
    assert result.ok
    activity = Activity.objects.get(agreement=agreement)
    assert activity.responsible_text == responsible
    assert set(activity.responsible_organizations.all()) == {
        world.municipality_org, world.police_org, world.social_services}
    assert activity.timing_text == "Under höstterminen 2012"
    assert activity.start_date is not None and activity.start_date.year == 2012
