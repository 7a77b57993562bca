"""Bad input: formula injection in exports (with an exact round trip), zip bombs and XML
bombs in XLSX imports, upload limits and content checks."""
from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.core import cells
from samverkan.core.uploads import UnsafeFile, check_upload, check_zip
from samverkan.plans import services as plan_services
from samverkan.plans.io.exporter import export_plan
from samverkan.plans.io.importer import import_plan
from samverkan.plans.io.table import parse_plan_table
from samverkan.plans.models import Activity

from .plan_files import PLAN_2016_XLSX, add_committees, make_agreement

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"Klicka\")", "+46 16 710 00 00",
             "-1+1", "@SUM(A1:A2)", "=1+1"]


@pytest.fixture
def agreement(world):
    add_committees(world)
    agreement = make_agreement(world)
    assert import_plan(PLAN_2016_XLSX, PLAN_2016_XLSX.name, agreement=agreement,
                       actor=world.coordinator).ok
    area = Activity.objects.filter(agreement=agreement).first().focus_area
    for title in DANGEROUS:
        plan_services.create_activity(actor=world.coordinator, focus_area=area, title=title,
                                      status="ongoing")
    return agreement


def test_cells_are_neutralised_and_restored():
    for value in [*DANGEROUS, "\tx", "\rx"]:
        assert cells.neutralise(value).startswith("'")
        assert cells.restore(cells.neutralise(value)) == value
    assert cells.neutralise("Nattvandring") == "Nattvandring"
    assert cells.restore("'vanlig text") == "'vanlig text"
    assert cells.neutralise(5) == 5


@pytest.mark.django_db
def test_csv_export_has_no_formula_and_round_trips(world, agreement):
    data = export_plan(agreement, "csv").decode("utf-8-sig")
    fields = [f for line in data.splitlines() for f in line.split(";")]
    stripped = [f.strip('"') for f in fields]
    assert not [f for f in stripped if f.startswith(("=", "+", "-", "@"))]
    assert "'=1+1" in stripped
    fresh = make_agreement(world, title="Kopia")
    result = import_plan(io.BytesIO(data.encode("utf-8-sig")), "plan.csv", agreement=fresh,
                         actor=world.coordinator)
    assert result.ok, result.errors
    titles = set(Activity.objects.filter(agreement=fresh).values_list("title", flat=True))
    assert set(DANGEROUS) <= titles


@pytest.mark.django_db
def test_xlsx_export_stores_text_not_formulas_and_round_trips(world, agreement):
    data = export_plan(agreement, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    risky = [c for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert risky and all(c.data_type == "s" for c in risky)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    fresh = make_agreement(world, title="Kopia")
    assert import_plan(io.BytesIO(data), "plan.xlsx", agreement=fresh,
                       actor=world.coordinator).ok
    titles = set(Activity.objects.filter(agreement=fresh).values_list("title", flat=True))
    assert set(DANGEROUS) <= titles


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        # 400 MB of zeros packs into well under a megabyte.
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(400):
                entry.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb():
    return _zip_bomb()


def test_zip_bomb_is_refused_within_a_second(zip_bomb):
    assert len(zip_bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(UnsafeFile, match="packas upp|hårt"):
        check_zip(zip_bomb)
    plan = parse_plan_table(io.BytesIO(zip_bomb), "bomb.xlsx")
    # Refused at once: expanding 10^9 entities would take minutes and gigabytes. The bound
    # leaves room for a loaded machine (1.4 s seen with two suites on two cores).
    assert time.monotonic() - started < 10.0
    assert plan.errors and "inte" in plan.errors[0].message


def test_zip_with_a_hard_packed_entry_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"A" * (20 * 1024 * 1024))
    with pytest.raises(UnsafeFile, match="zip-bomb"):
        check_zip(buffer.getvalue())


def _billion_laughs_xlsx() -> bytes:
    source = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Fokusområde", "Aktivitet"])
    workbook.save(source)
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = f"<!DOCTYPE worksheet [{entities}]>" + data.decode()
                data = text.replace("Fokusområde", "&lol9;").encode()
            dst.writestr(item, data)
    return out.getvalue()


def test_billion_laughs_in_xlsx_is_refused():
    """openpyxl parses with defusedxml: the entity expansion is refused, never expanded."""
    from defusedxml import EntitiesForbidden

    data = _billion_laughs_xlsx()
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    root = caught.value
    while root.__cause__ or root.__context__:
        root = root.__cause__ or root.__context__
    assert isinstance(root, EntitiesForbidden)
    started = time.monotonic()
    plan = parse_plan_table(io.BytesIO(data), "laughs.xlsx")
    # Refused at once: expanding 10^9 entities would take minutes and gigabytes. The bound
    # leaves room for a loaded machine (1.4 s seen with two suites on two cores).
    assert time.monotonic() - started < 10.0
    assert plan.errors and "inte en läsbar" in plan.errors[0].message


def test_upload_checks_size_kind_and_content(settings):
    with pytest.raises(Exception, match="för stor"):
        check_upload(SimpleUploadedFile("plan.csv", b"a;b\n" * 100), max_bytes=10)
    with pytest.raises(Exception, match="inte en Excel"):
        check_upload(SimpleUploadedFile("plan.xlsx", b"not a zip at all"))
    with pytest.raises(Exception, match="inte en textfil"):
        check_upload(SimpleUploadedFile("plan.csv", b"PK\x03\x04\x00\x00binary"))
    with pytest.raises(Exception, match="tom"):
        check_upload(SimpleUploadedFile("plan.csv", b""))
    check_upload(SimpleUploadedFile("plan.csv", "Fokusområde;Aktivitet\n".encode()))


@pytest.mark.django_db
def test_zip_bomb_upload_gets_a_clear_message_on_the_page(client, world, zip_bomb):
    add_committees(world)
    agreement = make_agreement(world)
    client.force_login(world.coordinator)
    started = time.monotonic()
    response = client.post(f"/plans/agreements/{agreement.pk}/import/",
                           {"file": SimpleUploadedFile("bomb.xlsx", zip_bomb)})
    assert time.monotonic() - started < 2.0
    assert response.status_code == 200
    text = response.content.decode()
    assert "packas upp" in text or "hårt packad" in text, text[text.find("<main"):][:3000]
