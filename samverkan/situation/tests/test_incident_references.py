"""The incident table's references (issue 10): checked per statement on PostgreSQL (the
foreign-key constraints became statement triggers, see migration situation 0007), and
deleting what an incident points at still behaves as Django's on_delete says, on every
database."""
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from samverkan.organizations.services import create_organization
from samverkan.situation.importers import import_incidents
from samverkan.situation.models import Category, Incident
from samverkan.situation.sample_files import HEADER, incident_rows

from .helpers import incident

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="the statement checks are PostgreSQL's")


def test_deleting_a_category_with_incidents_is_refused(world):
    report = incident(world)
    with pytest.raises(ProtectedError):
        report.category.delete()
    assert Incident.objects.filter(pk=report.pk, category=report.category).exists()


def test_deleting_an_organisation_user_or_merge_target_empties_the_reference(world):
    from django.contrib.auth import get_user_model

    from samverkan.organizations.choices import OrganizationKind

    organisation = create_organization(actor=None, municipality=world.eskilstuna,
                                       name="Fastighetsbolaget", abbreviation="FB",
                                       kind=OrganizationKind.OTHER)
    reporter = get_user_model().objects.create_user("tillfallig", password="x")
    target = incident(world)
    duplicate = incident(world, description="Samma klotter igen.")
    Incident.objects.filter(pk=duplicate.pk).update(organization=organisation,
                                                    reported_by=reporter, merged_into=target)
    organisation.delete()
    reporter.delete()
    target.delete()
    duplicate.refresh_from_db()
    assert (duplicate.organization_id, duplicate.reported_by_id, duplicate.merged_into_id) == (
        None, None, None)


@postgresql_only
@pytest.mark.parametrize("column", ["category_id", "municipality_id", "organization_id",
                                    "reported_by_id", "merged_into_id"])
def test_a_dangling_reference_is_refused_by_the_database(world, column):
    report = incident(world)
    missing = "9999" if column == "municipality_id" else 987654321
    with pytest.raises(IntegrityError, match=column), transaction.atomic():
        Incident.objects.filter(pk=report.pk).update(**{column: missing})
    values = {f.attname: getattr(report, f.attname) for f in Incident._meta.concrete_fields
              if not f.primary_key}
    values.update({column: missing, "source_id": "ny-1"})
    with pytest.raises(IntegrityError, match=column), transaction.atomic():
        Incident.objects.bulk_create([Incident(**values)])


@postgresql_only
def test_deleting_a_referenced_row_behind_djangos_back_is_refused(world):
    report = incident(world)
    with pytest.raises(IntegrityError, match="still referenced"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM situation_category WHERE id = %s", [report.category_id])
    assert Category.objects.filter(pk=report.category_id).exists()
    unused = Category.objects.filter(municipality=world.eskilstuna).exclude(
        pk=report.category_id).first()
    with connection.cursor() as cursor:  # a category without incidents may go
        cursor.execute("DELETE FROM situation_category WHERE id = %s", [unused.pk])
    assert not Category.objects.filter(pk=unused.pk).exists()


def test_importing_a_file_again_with_new_rows_creates_only_those(world, tmp_path):
    rows = incident_rows(600, prefix="ny-").tolist()
    first = tmp_path / "forsta.csv"
    first.write_text(HEADER + "\n" + "\n".join(rows[:400]) + "\n", encoding="utf-8")
    result = import_incidents(first, fmt="csv", municipality=world.eskilstuna, actor=None)
    assert (result.created, result.duplicates) == (400, 0)
    # The second file: 200 stored rows, 200 new ones, and 10 new ones given twice.
    second = tmp_path / "andra.csv"
    second.write_text(HEADER + "\n" + "\n".join(rows[200:] + rows[590:]) + "\n",
                      encoding="utf-8")
    result = import_incidents(second, fmt="csv", municipality=world.eskilstuna, actor=None)
    assert result.errors == []
    assert (result.rows, result.created, result.duplicates) == (410, 200, 210)
    stored = set(Incident.objects.filter(municipality=world.eskilstuna, source="import")
                 .values_list("source_id", flat=True))
    assert stored == {f"ny-{i}" for i in range(600)}
