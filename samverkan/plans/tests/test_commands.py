"""The command line: create_agreement, import_plan, export_plan (issue 2, section 5)."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.agreements.models import Agreement
from samverkan.audit.models import AuditEntry
from samverkan.organizations.models import Organization
from samverkan.plans.io import CANONICAL_HEADERS
from samverkan.plans.models import Activity, Indicator

from .plan_files import (
    PLAN_2016_CSV,
    PLAN_2016_XLSX,
    add_committees,
    counts,
    csv_bytes,
    make_agreement,
    read_csv,
)

TITLE = "Samverkansöverenskommelse mellan Polismyndigheten och Eskilstuna kommun"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def agreement(world):
    add_committees(world)
    return make_agreement(world)


def test_create_agreement_prints_only_the_id(world):
    out, _err = run("create_agreement", "--municipality", "0484", "--title", TITLE,
                    "--start", "2016-01-01", "--end", "2018-12-31",
                    "--party", "Eskilstuna kommun", "--party", "LPO", "--status", "active",
                    "--user", "coordinator")
    agreement = Agreement.objects.get(pk=int(out.strip()))
    assert out == f"{agreement.pk}\n"
    assert agreement.title == TITLE and agreement.status == "active"
    assert agreement.municipality == world.eskilstuna
    assert {(p.organization, p.role) for p in agreement.parties.all()} == {
        (world.municipality_org, "municipality"), (world.police_org, "police")}
    entry = AuditEntry.objects.filter(action="create", object_id=str(agreement.pk),
                                      content_type__model="agreement").get()
    assert entry.actor == world.coordinator


def test_create_agreement_creates_missing_organisations(world):
    out, err = run("create_agreement", "--municipality", "1082", "--title",
                   "Samverkansöverenskommelse Karlshamn", "--start", "2021-01-01",
                   "--end", "2024-12-31", "--party", "Karlshamns kommun",
                   "--party", "Lokalpolisområde Karlshamn", "--party", "Karlshamnsbostäder")
    agreement = Agreement.objects.get(pk=int(out))
    roles = {p.organization.name: (p.organization.kind, p.role)
             for p in agreement.parties.all()}
    assert roles == {
        "Karlshamns kommun": ("municipality", "municipality"),
        "Lokalpolisområde Karlshamn": ("police", "police"),
        "Karlshamnsbostäder": ("other", "other"),
    }
    assert "Karlshamnsbostäder" in err
    assert Organization.objects.filter(municipality=world.karlshamn).count() == 3
    entry = AuditEntry.objects.filter(content_type__model="agreement").first()
    assert entry.actor is None and entry.actor_repr == "system"


def test_create_agreement_refuses_bad_input(world):
    with pytest.raises(CommandError):
        run("create_agreement", "--municipality", "9999", "--title", TITLE, "--start",
            "2016-01-01", "--end", "2018-12-31")
    with pytest.raises(CommandError):  # the period ends before it starts
        run("create_agreement", "--municipality", "0484", "--title", TITLE, "--start",
            "2018-01-01", "--end", "2016-12-31")
    with pytest.raises(CommandError):  # a reader may not create agreements
        run("create_agreement", "--municipality", "0484", "--title", TITLE, "--start",
            "2016-01-01", "--end", "2018-12-31", "--user", "reader")
    assert not Agreement.objects.exists()


def test_import_plan_json_has_exactly_the_contract(world, agreement):
    out, err = run("import_plan", str(PLAN_2016_XLSX), "--agreement", str(agreement.pk),
                   "--json")
    body = json.loads(out)
    assert body == {"focus_areas": 3, "activities": 21, "indicators": 6, "rows": 30,
                    "errors": []}
    assert out.count("\n") == 1
    assert "Skiftinge" in err  # the warnings go to standard error
    assert Activity.objects.filter(agreement=agreement).count() == 21
    assert AuditEntry.objects.filter(object_repr="Antal nattvandringsgrupper").get() \
        .actor_repr == "system"
    # The same file again: nothing new.
    before = counts()
    out, _err = run("import_plan", str(PLAN_2016_XLSX), "--agreement", str(agreement.pk),
                    "--json", "--user", "coordinator")
    assert json.loads(out)["activities"] == 21
    assert counts() == before


def test_import_plan_errors_exit_non_zero_and_write_nothing(world, agreement, tmp_path):
    rows = read_csv(PLAN_2016_CSV)
    header = rows[0]
    status, target_date = header.index("Status"), header.index("Måldatum")
    rows[2][status] = "pågår kanske"  # row 3 of the file
    rows[3][target_date] = "slutet av 2018"  # row 4
    rows[6][2] = ""  # row 7: the activity title is missing
    path = tmp_path / "atagandeplan.csv"
    path.write_bytes(csv_bytes(rows, bom=True))
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_plan", str(path), "--agreement", str(agreement.pk), "--json",
                     stdout=out, stderr=io.StringIO())
    assert raised.value.returncode == 1  # the exit status of `samverkan import_plan`
    body = json.loads(out.getvalue())
    assert set(body) == {"focus_areas", "activities", "indicators", "rows", "errors"}
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "Status"), (4, "Måldatum"), (7, "Aktivitet")]
    assert all(e["message"] for e in body["errors"])
    assert counts() == before


def test_import_plan_without_json_lists_the_bad_rows(world, agreement, tmp_path):
    rows = read_csv(PLAN_2016_CSV)
    rows[2][rows[0].index("Status")] = "pågår kanske"
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), "--agreement", str(agreement.pk), stdout=out,
                     stderr=io.StringIO())
    assert "pågår kanske" in out.getvalue() and "3" in out.getvalue()


def test_import_plan_dry_run_writes_nothing(world, agreement):
    before = counts()
    out, _err = run("import_plan", str(PLAN_2016_CSV), "--agreement", str(agreement.pk),
                    "--dry-run", "--json")
    assert json.loads(out)["activities"] == 21
    assert counts() == before
    out, _err = run("import_plan", str(PLAN_2016_CSV), "--agreement", str(agreement.pk),
                    "--dry-run")
    assert counts() == before


def test_import_plan_refuses_unknown_agreement_user_and_file(world, agreement, tmp_path):
    with pytest.raises(CommandError):
        run("import_plan", str(PLAN_2016_CSV), "--agreement", "999999")
    with pytest.raises(CommandError):
        run("import_plan", str(PLAN_2016_CSV), "--agreement", str(agreement.pk),
            "--user", "nobody")
    with pytest.raises(CommandError):  # a reader may not change the plan
        run("import_plan", str(PLAN_2016_CSV), "--agreement", str(agreement.pk),
            "--user", "reader")
    with pytest.raises(CommandError):  # another municipality's agreement is not found
        run("import_plan", str(PLAN_2016_CSV), "--agreement", str(agreement.pk),
            "--user", "other_municipality_user")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(tmp_path / "saknas.xlsx"), "--agreement",
                     str(agreement.pk), "--json", stdout=out)
    assert json.loads(out.getvalue())["errors"][0]["row"] == 0
    assert not Activity.objects.exists()


def test_export_plan_writes_each_format(world, agreement, tmp_path):
    run("import_plan", str(PLAN_2016_XLSX), "--agreement", str(agreement.pk))
    for fmt in ("xlsx", "docx", "csv"):
        path = tmp_path / f"plan.{fmt}"
        run("export_plan", "--agreement", str(agreement.pk), "--format", fmt,
            "--output", str(path))
        assert path.stat().st_size > 0
    sheet = openpyxl.load_workbook(tmp_path / "plan.xlsx").active
    assert [c.value for c in sheet[1]] == list(CANONICAL_HEADERS)
    assert (tmp_path / "plan.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8-sig").startswith("Fokusområde;")
    with pytest.raises(CommandError):
        run("export_plan", "--agreement", "999999", "--format", "csv", "--output",
            str(tmp_path / "x.csv"))


def test_a_script_creates_imports_and_exports(world, tmp_path):
    add_committees(world)
    out, _err = run("create_agreement", "--municipality", "0484", "--title", TITLE,
                    "--start", "2016-01-01", "--end", "2018-12-31",
                    "--party", "Eskilstuna kommun", "--party", "Lokalpolisområde Eskilstuna")
    agreement_id = out.strip()
    out, _err = run("import_plan", str(PLAN_2016_CSV), "--agreement", agreement_id, "--json")
    assert json.loads(out)["errors"] == []
    assert Indicator.objects.filter(agreement_id=agreement_id).count() == 6
    path = tmp_path / "plan.xlsx"
    run("export_plan", "--agreement", agreement_id, "--format", "xlsx", "--output", str(path))
    before = counts()
    out, _err = run("import_plan", str(path), "--agreement", agreement_id, "--json")
    assert json.loads(out)["activities"] == 21
    assert counts() == before
