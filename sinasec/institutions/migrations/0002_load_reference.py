"""Load the SINASEC member institutions named in the 2010 plan and Barrio Seguro 2018."""

from django.db import migrations


def load(apps, schema_editor):
    from sinasec.institutions.loader import load_institutions

    load_institutions(apps.get_model("institutions", "Institution"), apps.get_model("institutions", "Alias"))


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
