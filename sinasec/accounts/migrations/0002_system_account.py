"""The 'sistema' account: the actor recorded for command-line changes by default.

It cannot log in (no usable password); it exists so every write has an author.
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations


def create(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("accounts", "Profile")
    user, _ = User.objects.get_or_create(
        username="sistema",
        defaults={"first_name": "Sistema", "last_name": "(línea de comandos)", "password": make_password(None)},
    )
    Profile.objects.get_or_create(user=user, defaults={"role": "national_admin"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
