"""Load the 2010 plan's 5 service types and 18 services with their providers."""

from django.db import migrations


def load(apps, schema_editor):
    from sinasec.catalog.loader import load_catalog

    load_catalog(
        apps.get_model("catalog", "ServiceType"),
        apps.get_model("catalog", "Service"),
        apps.get_model("catalog", "Provision"),
        apps.get_model("institutions", "Institution"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial"), ("institutions", "0002_load_reference")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
