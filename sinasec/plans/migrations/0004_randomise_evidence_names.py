"""Execution evidence stored before random names: renamed to one, the old name kept."""

from django.db import migrations

from sinasec.core.uploads import randomise_stored_names


def forwards(apps, schema_editor):
    evidence = apps.get_model("plans", "Evidence")
    randomise_stored_names(evidence, "file", "original_name", "plans")


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_evidence_random_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
