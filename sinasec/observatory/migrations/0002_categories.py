"""Load the crime classification mapped to ICCS."""

from django.db import migrations


def load(apps, schema_editor):
    from sinasec.observatory.services import load_categories

    load_categories(apps.get_model("observatory", "CrimeCategory"))


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
