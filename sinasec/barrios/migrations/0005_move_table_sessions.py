"""The technical tables' sessions, attendance and agreements move to meetings.Session
(body "table", kind ordinary): every row copied with its id, so links, audit records
and API ids keep pointing at the same session and agreement. Reversible: backwards,
the table sessions are copied back into the old tables (0006 re-creates them first).
"""

from django.core.management.color import no_style
from django.db import migrations


def _reset_sequences(schema_editor, models):
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind: move them on."""
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), models):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    OldSession = apps.get_model("barrios", "TableSession")
    OldAttendance = apps.get_model("barrios", "Attendance")
    OldAgreement = apps.get_model("barrios", "Agreement")
    Session = apps.get_model("meetings", "Session")
    Attendance = apps.get_model("meetings", "Attendance")
    Agreement = apps.get_model("meetings", "Agreement")
    Session.objects.bulk_create(
        [
            Session(
                id=s.id,
                body="table",
                kind="ordinary",
                barrio_id=s.barrio_id,
                committee_id=s.committee_id,
                held_on=s.held_on,
                place=s.place,
                recorded_by_id=s.recorded_by_id,
                recorded_at=None,  # the old tables did not keep it
            )
            for s in OldSession.objects.order_by("id").iterator()
        ],
        batch_size=1000,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                id=a.id,
                session_id=a.session_id,
                institution_id=a.institution_id,
                attendees=a.attendees,
            )
            for a in OldAttendance.objects.order_by("id").iterator()
        ],
        batch_size=1000,
    )
    Agreement.objects.bulk_create(
        [
            Agreement(
                id=a.id,
                session_id=a.session_id,
                text=a.text,
                owner_id=a.owner_id,
                deadline=a.deadline,
                status=a.status,
                done_on=a.done_on,
            )
            for a in OldAgreement.objects.order_by("id").iterator()
        ],
        batch_size=1000,
    )
    _reset_sequences(schema_editor, [Session, Attendance, Agreement])


def backwards(apps, schema_editor):
    OldSession = apps.get_model("barrios", "TableSession")
    OldAttendance = apps.get_model("barrios", "Attendance")
    OldAgreement = apps.get_model("barrios", "Agreement")
    Session = apps.get_model("meetings", "Session")
    Attendance = apps.get_model("meetings", "Attendance")
    Agreement = apps.get_model("meetings", "Agreement")
    tables = Session.objects.filter(body="table")
    OldSession.objects.bulk_create(
        [
            OldSession(
                id=s.id,
                barrio_id=s.barrio_id,
                committee_id=s.committee_id,
                held_on=s.held_on,
                place=s.place,
                recorded_by_id=s.recorded_by_id,
            )
            for s in tables.order_by("id").iterator()
        ]
    )
    OldAttendance.objects.bulk_create(
        [
            OldAttendance(
                id=a.id,
                session_id=a.session_id,
                institution_id=a.institution_id,
                attendees=a.attendees,
            )
            for a in Attendance.objects.filter(session__in=tables, institution__isnull=False)
        ]
    )
    OldAgreement.objects.bulk_create(
        [
            OldAgreement(
                id=a.id,
                session_id=a.session_id,
                text=a.text,
                owner_id=a.owner_id,
                deadline=a.deadline,
                status=a.status,
                done_on=a.done_on,
            )
            for a in Agreement.objects.filter(session__in=tables)
        ]
    )
    Agreement.objects.filter(session__in=tables).delete()
    Attendance.objects.filter(session__in=tables).delete()
    tables.delete()
    _reset_sequences(schema_editor, [OldSession, OldAttendance, OldAgreement])


class Migration(migrations.Migration):
    dependencies = [
        ("barrios", "0004_barrio_version"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
