"""Multi-year plans: every plan gets a span; an existing plan spans its own year."""

from django.db import migrations, models


def span_own_year(apps, schema_editor):  # type: ignore[no-untyped-def]
    Plan = apps.get_model("plans", "Plan")
    Plan.objects.update(start_year=models.F("year"), end_year=models.F("year"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_randomise_evidence_names")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="start_year",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="first year of the plan"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="plan",
            name="end_year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="last year of the plan"),
            preserve_default=False,
        ),
        migrations.RunPython(span_own_year, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(start_year__lte=models.F("year"))
                & models.Q(end_year__gte=models.F("year")),
                name="plan_year_within_span",
            ),
        ),
    ]
