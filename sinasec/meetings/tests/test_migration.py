"""The technical tables' sessions move to meetings.Session without losing a row: the
database is taken back to before the move (barrios 0004), old-style sessions,
attendance and agreements are written, and the migrations are applied again."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("barrios", "0004_barrio_version")]
pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _old_rows(apps) -> dict[str, int]:
    """Two table sessions as the old barrios tables held them: one with an agreement done."""
    User = apps.get_model("auth", "User")
    Barrio = apps.get_model("barrios", "Barrio")
    Institution = apps.get_model("institutions", "Institution")
    OldSession = apps.get_model("barrios", "TableSession")
    OldAttendance = apps.get_model("barrios", "Attendance")
    OldAgreement = apps.get_model("barrios", "Agreement")
    user = User.objects.create(username="bea.vieja")
    pnp = Institution.objects.create(acronym="PNPX", name="Policía de prueba")
    muni = Institution.objects.create(acronym="MUNIX", name="Municipalidad de prueba")
    barrio = Barrio.objects.create(name="Barrio de prueba", cohort="2018", status="launched")
    first = OldSession.objects.create(
        barrio=barrio, held_on=date(2019, 3, 1), place="Local comunal", recorded_by=user
    )
    second = OldSession.objects.create(barrio=barrio, held_on=date(2019, 6, 1), recorded_by=user)
    OldAttendance.objects.create(session=first, institution=pnp, attendees=3)
    OldAttendance.objects.create(session=first, institution=muni, attendees=2)
    done = OldAgreement.objects.create(
        session=first,
        text="Patrullaje integrado",
        owner=pnp,
        deadline=date(2019, 4, 1),
        status="done",
        done_on=date(2019, 3, 20),
    )
    OldAgreement.objects.create(
        session=second, text="Alumbrado del parque", owner=muni, deadline=date(2019, 7, 1)
    )
    return {"barrio": barrio.pk, "first": first.pk, "second": second.pk, "done": done.pk}


def test_it_moves_the_table_sessions_to_meetings_without_losing_a_row() -> None:
    leaves = _leaves()
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    ids = _old_rows(old)
    new = _migrate(leaves).loader.project_state(leaves).apps
    Session = new.get_model("meetings", "Session")
    Agreement = new.get_model("meetings", "Agreement")
    sessions = Session.objects.filter(barrio_id=ids["barrio"]).order_by("held_on")
    assert [(s.pk, s.body, s.kind, s.held_on, s.place) for s in sessions] == [
        (ids["first"], "table", "ordinary", date(2019, 3, 1), "Local comunal"),
        (ids["second"], "table", "ordinary", date(2019, 6, 1), ""),
    ]
    first = sessions[0]
    assert sorted(
        (a.institution.acronym, a.attendees) for a in first.attendance.select_related("institution")
    ) == [("MUNIX", 2), ("PNPX", 3)]
    done = Agreement.objects.get(pk=ids["done"])
    assert (done.session_id, done.owner.acronym, done.status, done.done_on) == (
        ids["first"],
        "PNPX",
        "done",
        date(2019, 3, 20),
    )
    assert Agreement.objects.filter(session__barrio_id=ids["barrio"]).count() == 2
    # The id sequences moved past the copied ids: a new session does not collide.
    user = new.get_model("auth", "User").objects.get(username="bea.vieja")
    extra = Session.objects.create(
        body="table",
        kind="ordinary",
        barrio_id=ids["barrio"],
        held_on=date(2020, 1, 1),
        recorded_by=user,
    )
    assert extra.pk > ids["second"]


def test_it_moves_them_back_when_the_migration_is_reversed() -> None:
    leaves = _leaves()
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    ids = _old_rows(old)
    _migrate(leaves)
    back = _migrate(BEFORE).loader.project_state(BEFORE).apps
    OldAgreement = back.get_model("barrios", "Agreement")
    assert back.get_model("barrios", "TableSession").objects.count() == 2
    assert back.get_model("barrios", "Attendance").objects.count() == 2
    assert OldAgreement.objects.get(pk=ids["done"]).done_on == date(2019, 3, 20)
    _migrate(leaves)
    from sinasec.meetings.models import Session

    assert Session.objects.filter(barrio_id=ids["barrio"]).count() == 2
