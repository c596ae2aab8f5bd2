# The old technical-table tables, emptied into meetings by 0005.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('barrios', '0005_move_table_sessions'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='agreement',
            name='owner',
        ),
        migrations.RemoveField(
            model_name='agreement',
            name='session',
        ),
        migrations.RemoveConstraint(
            model_name='attendance',
            name='attendance_once',
        ),
        migrations.RemoveField(
            model_name='tablesession',
            name='barrio',
        ),
        migrations.RemoveField(
            model_name='tablesession',
            name='committee',
        ),
        migrations.RemoveField(
            model_name='tablesession',
            name='recorded_by',
        ),
        migrations.DeleteModel(
            name='Agreement',
        ),
        migrations.DeleteModel(
            name='Attendance',
        ),
        migrations.DeleteModel(
            name='TableSession',
        ),
    ]
