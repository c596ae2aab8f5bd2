"""Demo juntas vecinales, trainings and investment projects, every record ``is_demo``.

Nothing here is a published figure: the 2010 plan gives no count of juntas, trainings
or projects by committee. What is taken from it is the programming: strategy 5 activity
3 (four trainings in public investment projects, March, June, September and December
2010) and activity 2 (22 projects formulated by the committees in 2010). The demo
records the four trainings linked to activity 5.3 and fewer formulated projects than
programmed (so the strategy 5 report shows a gap, as a real year would). Juntas are
allocated to a deterministic sample of the district committees sworn in by 2009
(ordered by a hash of the ubigeo), recognised 2007-2009, a few inactive since mid-2010.
Idempotent: nothing is created when demo juntas already exist.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from sinasec.committees.models import Committee, CommitteeLevel, EventKind
from sinasec.community.models import (
    Junta,
    JuntaState,
    JuntaStatus,
    Participation,
    Project,
    ProjectStage,
    RecognisedBy,
    Stage,
    Training,
)
from sinasec.core.cache import bump_generation
from sinasec.institutions.models import Institution
from sinasec.plans.models import Activity

DISTRICTS = 60  # district committees that get juntas
PROJECTS_FORMULATED = 15  # of the 22 programmed for 2010 (strategy 5, activity 2)
PIP_MONTHS = (3, 6, 9, 12)  # strategy 5 activity 3 as programmed
SECTORS = ("Sector Norte", "Sector Sur", "Sector Centro", "Sector Este")


def _rank(key: str, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:8], 16)


def _sworn_districts() -> list[Committee]:
    sworn = Committee.objects.filter(
        level=CommitteeLevel.DISTRICT,
        events__kind=EventKind.SWORN,
        events__date__lte=date(2009, 12, 31),
    ).distinct()
    return sorted(sworn, key=lambda c: _rank(c.ubigeo, "juntas"))[:DISTRICTS]


def load_community_demo() -> dict[str, int]:
    """Create the demo records once; how many of each were created."""
    if Junta.objects.filter(is_demo=True).exists():
        return {}
    institutions = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=["PNP", "MEF", "ST-CONASEC"])
    }
    if len(institutions) < 3:
        return {}
    with transaction.atomic():
        juntas = _juntas()
        trainings = _trainings(institutions, juntas)
        projects = _projects()
        bump_generation("committees")
    return {"juntas": len(juntas), "trainings": trainings, "projects": projects}


def _juntas() -> list[Junta]:
    juntas: list[Junta] = []
    for committee in _sworn_districts():
        for n in range(1 + _rank(committee.ubigeo, "n") % 4):
            key = f"{committee.ubigeo}:{n}"
            juntas.append(
                Junta(
                    district_id=committee.ubigeo,
                    name=f"Junta Vecinal {SECTORS[n]} (demo)",
                    sector=SECTORS[n],
                    coordinator=f"Coordinador(a) {n + 1} (demo)",
                    members=8 + _rank(key, "members") % 40,
                    recognised_by=RecognisedBy.PNP
                    if _rank(key, "by") % 3
                    else RecognisedBy.MUNICIPALITY,
                    recognised_on=date(2007, 1, 1) + timedelta(days=_rank(key, "on") % 1000),
                    is_demo=True,
                )
            )
    Junta.objects.bulk_create(juntas)
    saved = list(Junta.objects.filter(is_demo=True))
    JuntaStatus.objects.bulk_create(
        [
            JuntaStatus(
                junta=j,
                status=JuntaState.INACTIVE,
                since=max(j.recognised_on, date(2010, 6, 30)),
                note="demo",
            )
            for j in saved
            if _rank(str(j.pk), "inactive") % 10 == 0
        ]
    )
    return saved


def _trainings(institutions: dict[str, Institution], juntas: list[Junta]) -> int:
    pip = Activity.objects.filter(
        strategy__plan__year=2010,
        strategy__plan__committee__isnull=True,
        strategy__number=5,
        number=3,
    ).first()
    committees = _sworn_districts()
    created = 0
    for i, month in enumerate(PIP_MONTHS):
        training = Training.objects.create(
            event=f"Taller de proyectos de inversión pública {i + 1} (demo)",
            topic="Proyectos de inversión pública en seguridad ciudadana",
            organiser=institutions["MEF"],
            held_on=date(2010, month, 15),
            activity=pip,
            is_demo=True,
        )
        group = committees[i * 10 : i * 10 + 10]
        Participation.objects.bulk_create(
            [
                Participation(training=training, committee=c, people=1 + _rank(c.ubigeo, "p") % 3)
                for c in group
            ]
        )
        created += 1
    by_district: dict[str, list[Junta]] = {}
    for junta in juntas:
        by_district.setdefault(junta.district_id, []).append(junta)
    for n, (district, local) in enumerate(sorted(by_district.items())[:20]):
        training = Training.objects.create(
            event=f"Capacitación de juntas vecinales {district} (demo)",
            topic="Organización y patrullaje vecinal",
            organiser=institutions["PNP"],
            held_on=date(2010, 1 + n % 12, 10),
            is_demo=True,
        )
        Participation.objects.bulk_create(
            [Participation(training=training, junta=j, people=min(j.members, 10)) for j in local]
        )
        created += 1
    return created


def _projects() -> int:
    committees = sorted(
        Committee.objects.filter(level__in=[CommitteeLevel.PROVINCIAL, CommitteeLevel.REGIONAL]),
        key=lambda c: _rank(c.ubigeo, "pip"),
    )[:PROJECTS_FORMULATED]
    for n, committee in enumerate(committees):
        idea = date(2010, 1, 10) + timedelta(days=_rank(committee.ubigeo, "idea") % 200)
        project = Project.objects.create(
            cui=f"{9000000 + n}",
            name=f"Mejoramiento del servicio de seguridad ciudadana en {committee.name} (demo)",
            committee=committee,
            amount=Decimal(200_000 + _rank(committee.ubigeo, "amount") % 1_800_000),
            is_demo=True,
        )
        stages = [(Stage.IDEA, idea), (Stage.FORMULATED, idea + timedelta(days=60))]
        if n % 3 == 0:
            stages.append((Stage.VIABLE, idea + timedelta(days=120)))
        ProjectStage.objects.bulk_create(
            [ProjectStage(project=project, stage=s, reached_on=d) for s, d in stages]
        )
    return len(committees)
