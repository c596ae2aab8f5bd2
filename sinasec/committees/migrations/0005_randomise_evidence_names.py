"""Actas stored before random names: renamed to one, the old name kept for downloads."""

from django.db import migrations

from sinasec.core.uploads import randomise_stored_names


def forwards(apps, schema_editor):
    event = apps.get_model("committees", "CommitteeEvent")
    randomise_stored_names(event, "evidence", "evidence_name", "committees")


class Migration(migrations.Migration):
    dependencies = [("committees", "0004_evidence_random_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
