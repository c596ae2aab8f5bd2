"""Create the committee registry from the territories: 26 CORESEC, one COPROSEC per
province, one CODISEC per district that is not a provincial capital."""

from django.db import migrations


def create(apps, schema_editor):
    from sinasec.committees.registry import sync_registry

    sync_registry(
        apps.get_model("committees", "Committee"),
        apps.get_model("territories", "Territory"),
        apps.get_model("territories", "Region"),
    )


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_initial"), ("territories", "0002_load_inei_reference")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
