"""Every municipality without incident categories gets the default EST set (the same as
services.ensure_default_categories), so that a first import or report finds them."""
from django.db import migrations

# A copy of choices.DEFAULT_CATEGORIES as it was when this migration was written.
DEFAULT_CATEGORIES = (
    ("klotter", "Klotter", "#7b3294"),
    ("skadegorelse", "Skadegörelse", "#c2a5cf"),
    ("nedskrapning", "Nedskräpning", "#a6761d"),
    ("anlagd_brand", "Anlagd brand", "#e31a1c"),
    ("ungdomar_stor", "Ungdomar som samlas och stör", "#fd8d3c"),
    ("narkotika", "Misstänkt narkotikahandel", "#1b9e77"),
    ("hot_vald", "Hot och våld", "#b2182b"),
    ("stold_inbrott", "Stöld och inbrott", "#2166ac"),
    ("otrygg_trafik", "Otrygg trafik (mopeder)", "#e6ab02"),
    ("mork_plats", "Mörk eller otrygg plats", "#404040"),
    ("ordningsstorning", "Ordningsstörning", "#66a61e"),
    ("ovrigt", "Övrigt", "#878787"),
)


def add_defaults(apps, schema_editor):
    Municipality = apps.get_model("organizations", "Municipality")
    Category = apps.get_model("situation", "Category")
    having = set(Category.objects.values_list("municipality_id", flat=True).distinct())
    Category.objects.bulk_create([
        Category(municipality_id=code, slug=slug, name=name, order=order * 10, colour=colour,
                 confidentiality="internal")
        for code in Municipality.objects.exclude(code__in=having).values_list("code", flat=True)
        for order, (slug, name, colour) in enumerate(DEFAULT_CATEGORIES, start=1)])


class Migration(migrations.Migration):
    dependencies = [
        ("situation", "0003_incident_indexes"),
        ("organizations", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
