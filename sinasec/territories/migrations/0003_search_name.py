"""The names as searched and sorted: "Áncash" is found by "ancash" and sorts with the A's,
on SQLite and PostgreSQL alike (one folded column, filled here and on every save)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from sinasec.territories.reference import fill_search_names

    fill_search_names(apps.get_model("territories", "Territory"))
    fill_search_names(apps.get_model("territories", "Region"))


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0002_load_inei_reference"),
    ]

    operations = [
        migrations.AddField(
            model_name="region",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=80),
        ),
        migrations.AddField(
            model_name="territory",
            name="search_name",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=120),
        ),
        migrations.AlterModelOptions(
            name="region",
            options={
                "ordering": ["search_name"],
                "verbose_name": "region",
                "verbose_name_plural": "regions",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
