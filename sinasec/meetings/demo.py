"""Demo sessions and public consultations, consistent with the committees' demo
(the 2010 plan's tables 5-8): only a committee sworn in holds sessions, from the
quarter after its swearing-in to the end of 2010. Deterministic (a hash of the ubigeo
and quarter decides), labelled ``is_demo``, idempotent.

Per quarter a sworn committee holds one ordinary session; one in five quarters adds an
extraordinary one, and about half the quarters a public consultation (the plan asks for
one a quarter: most committees fall short, as they did). Each session agrees one or two
things with a deadline a month or two later; most are done, some late, some never.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from sinasec.committees.models import CommitteeEvent, EventKind
from sinasec.core.cache import bump_generation
from sinasec.core.commands import SYSTEM_USERNAME, resolve_actor
from sinasec.institutions.models import Institution
from sinasec.meetings.models import Agreement, AgreementStatus, Attendance, Body, Session

LAST_DAY = date(2010, 12, 31)
OWNERS = ("PNP", "GL", "MINSA", "MINEDU", "MP")
AGREEMENTS = (
    "Patrullaje integrado PNP-serenazgo en los puntos críticos",
    "Recuperación de espacios públicos con alumbrado",
    "Charlas de prevención en colegios",
    "Operativos contra la venta de alcohol a menores",
    "Actualizar el mapa del delito del distrito",
)
TOPICS = "Robos al paso; consumo de alcohol en la vía pública; alumbrado en parques"


def _n(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _quarters(start: date) -> list[date]:
    """The first day of each quarter after ``start`` up to the end of 2010."""
    year, quarter = start.year, (start.month - 1) // 3 + 2
    found: list[date] = []
    while True:
        if quarter > 4:
            year, quarter = year + 1, 1
        first = date(year, 3 * quarter - 2, 1)
        if first > LAST_DAY:
            return found
        found.append(first)
        quarter += 1


def load_meetings_demo() -> int:
    """Create the demo sessions (nothing if they exist); returns how many."""
    if Session.objects.filter(is_demo=True).exists():
        return 0
    sworn = (
        CommitteeEvent.objects.filter(kind=EventKind.SWORN, is_demo=True, date__lte=LAST_DAY)
        .select_related("committee")
        .order_by("committee_id", "date")
    )
    first_sworn: dict[int, CommitteeEvent] = {}
    for event in sworn:
        first_sworn.setdefault(event.committee_id, event)
    owners = {i.acronym: i for i in Institution.objects.filter(acronym__in=OWNERS)}
    actor = resolve_actor(SYSTEM_USERNAME)
    plans = []  # (session, attendance, agreements)
    for event in first_sworn.values():
        ubigeo = event.committee.ubigeo
        for first in _quarters(event.date):
            kinds = ["ordinary"]
            if _n(ubigeo, first, "x") % 5 == 0:
                kinds.append("extraordinary")
            if _n(ubigeo, first, "c") % 2 == 0:
                kinds.append("consultation")
            for i, kind in enumerate(kinds):
                held = first + timedelta(days=10 + 25 * i + _n(ubigeo, first, kind) % 20)
                if held > LAST_DAY:
                    continue
                plans.append(_session(actor, event, kind, held, owners))
    with transaction.atomic():
        sessions = Session.objects.bulk_create([p[0] for p in plans], batch_size=1000)
        attendance, agreements = [], []
        for session, (_s, people, agreed) in zip(sessions, plans, strict=True):
            for row in people:
                row.session = session
            for agreement in agreed:
                agreement.session = session
            attendance += people
            agreements += agreed
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        Agreement.objects.bulk_create(agreements, batch_size=2000)
        bump_generation("committees")
    return len(sessions)


def _session(
    actor: User, event: CommitteeEvent, kind: str, held: date, owners: dict[str, Institution]
) -> tuple[Session, list[Attendance], list[Agreement]]:
    ubigeo = event.committee.ubigeo
    present = [a for a in OWNERS if a in owners]
    session = Session(
        body=Body.COMMITTEE,
        kind=kind,
        committee=event.committee,
        held_on=held,
        place="Local municipal (demo)" if kind != "consultation" else "Plaza principal (demo)",
        agenda="Seguimiento del plan local de seguridad ciudadana (demo)",
        public_attendance=30 + _n(ubigeo, held, "p") % 150 if kind == "consultation" else None,
        citizen_topics=TOPICS if kind == "consultation" else "",
        is_demo=True,
        recorded_by=actor,
    )
    people = [
        Attendance(institution=owners[a], attendees=1 + _n(ubigeo, held, a) % 3)
        for a in present[: 2 + _n(ubigeo, held, "a") % 3]
    ]
    agreed = []
    for j in range(1 + _n(ubigeo, held, "n") % 2):
        pick = _n(ubigeo, held, j)
        deadline = held + timedelta(days=30 + pick % 45)
        late = pick % 10  # 0-5 done on time, 6-7 done late, 8-9 never done
        done_on = deadline - timedelta(days=pick % 20) if late < 6 else deadline + timedelta(21)
        done = late < 8 and done_on <= LAST_DAY
        agreed.append(
            Agreement(
                text=AGREEMENTS[pick % len(AGREEMENTS)] + " (demo)",
                owner=owners[present[pick % len(present)]],
                deadline=deadline,
                status=AgreementStatus.DONE if done else AgreementStatus.PENDING,
                done_on=max(done_on, held) if done else None,
            )
        )
    return session, people, agreed
