"""Load the 290 municipalities, 21 counties and the police areas (reference data).

Read from the JSON fixtures with the historical models, so the migration keeps working when
the models change later. Idempotent: existing rows are updated, not duplicated."""
import json
from pathlib import Path

from django.db import migrations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(apps, schema_editor):
    County = apps.get_model("organizations", "County")
    Municipality = apps.get_model("organizations", "Municipality")
    PoliceArea = apps.get_model("organizations", "PoliceArea")
    rows = json.loads((FIXTURES / "municipalities.json").read_text(encoding="utf-8"))
    for row in rows:
        if row["model"] == "organizations.county":
            County.objects.update_or_create(code=row["pk"], defaults=row["fields"])
    for row in rows:
        if row["model"] == "organizations.municipality":
            fields = dict(row["fields"])
            fields["county_id"] = fields.pop("county")
            Municipality.objects.update_or_create(code=row["pk"], defaults=fields)
    areas = json.loads((FIXTURES / "police_areas.json").read_text(encoding="utf-8"))
    for row in areas:
        fields = {k: v for k, v in row["fields"].items() if k not in ("parent", "municipalities")}
        PoliceArea.objects.update_or_create(pk=row["pk"], defaults=fields)
    for row in areas:
        area = PoliceArea.objects.get(pk=row["pk"])
        area.parent_id = row["fields"]["parent"]
        area.save(update_fields=["parent"])
        area.municipalities.set(row["fields"]["municipalities"])
    # Explicit primary keys leave PostgreSQL's sequence behind; move it past them.
    from django.core.management.color import no_style

    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [PoliceArea]):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
