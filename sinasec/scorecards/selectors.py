"""A committee's scorecard as of a date, for one committee or a region's at once.

Every figure is read from the records through the selectors of the apps that own them
(milestones: ``committees.selectors``; sessions, consultations and agreements:
``meetings.selectors``; juntas and trainings: ``community.selectors``; plan execution:
``plans.multiyear.rates``), and "what is missing" is the compliance engine's own
verdict (``committees.compliance.indicators()``), so the scorecard and the compliance
page never disagree. Built for many committees at once: each figure is one grouped query
for the whole set, never one per committee (milestones aside: one small query each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from sinasec.committees.compliance import indicators
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.committees.selectors import Milestones, milestones
from sinasec.community.models import Junta, Participation, Training
from sinasec.community.selectors import active_juntas
from sinasec.core.peru import region_code_for
from sinasec.meetings.indicators import sessions_expected
from sinasec.meetings.models import Agreement, AgreementStatus, Body, Session, SessionKind
from sinasec.meetings.selectors import (
    DONE,
    agreement_status,
    agreements_by_status,
    expected_consultations,
    sessions_by_quarter,
)
from sinasec.plans.multiyear.rates import (
    SEMESTER,
    Period,
    PeriodRate,
    execution_rates,
    threshold_pct,
)

# A scorecard fits one A4 page: lists show their first rows and say how many more (the
# counts always cover every record). Open agreements come first, then the done ones.
AGREEMENTS_LISTED = 8
JUNTAS_LISTED = 5
TRAININGS_LISTED = 5


@dataclass(frozen=True)
class Check:
    """One compliance indicator for this committee, as the compliance engine sees it."""

    code: str
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class SessionCount:
    kind: str
    label: str
    held: int  # this year, up to the date
    expected: str  # the engine's words for the expectation ("" when it sets none)


@dataclass(frozen=True)
class AgreementRow:
    text: str
    owner: str
    held_on: date
    deadline: date
    status: str  # pending / done / overdue, as of the date
    done_on: date | None
    is_demo: bool


@dataclass(frozen=True)
class TrainingRow:
    held_on: date
    event: str
    topic: str
    organiser: str
    people: int
    is_demo: bool


@dataclass(frozen=True)
class SemesterRow:
    label: str
    due: bool  # some month of it has ended by the date
    rate: PeriodRate | None  # None: no programme for that year


@dataclass
class Scorecard:
    committee: Committee
    as_of: date
    milestones: Milestones
    sessions: list[SessionCount] = field(default_factory=list)
    agreement_counts: dict[str, int] = field(default_factory=dict)
    agreements: list[AgreementRow] = field(default_factory=list)
    more_agreements: int = 0
    juntas: list[Junta] = field(default_factory=list)
    junta_members: int = 0
    trainings: list[TrainingRow] = field(default_factory=list)
    training_people: int = 0
    semesters: list[SemesterRow] = field(default_factory=list)
    threshold: int = 75
    checks: list[Check] = field(default_factory=list)
    demo_sessions: bool = False

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def juntas_listed(self) -> list[Junta]:
        return self.juntas[:JUNTAS_LISTED]

    @property
    def trainings_listed(self) -> list[TrainingRow]:
        return self.trainings[:TRAININGS_LISTED]

    @property
    def more_juntas(self) -> int:
        return max(0, len(self.juntas) - JUNTAS_LISTED)

    @property
    def more_trainings(self) -> int:
        return max(0, len(self.trainings) - TRAININGS_LISTED)

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.met]

    @property
    def has_demo(self) -> bool:
        """Whether anything the scorecard counts is demo data (then it says so)."""
        return (
            self.committee.is_demo
            or self.demo_sessions
            or any(a.is_demo for a in self.agreements)
            or any(j.is_demo for j in self.juntas)
            or any(t.is_demo for t in self.trainings)
        )


LEVEL_ORDER: dict[str, int] = {"regional": 0, "provincial": 1, "district": 2}


def scorecard(committee: Committee, as_of: date) -> Scorecard:
    return scorecards([committee], as_of)[0]


def scorecards(committees: Sequence[Committee], as_of: date) -> list[Scorecard]:
    """The scorecards of ``committees`` as of ``as_of``, regional first, then by ubigeo."""
    ordered = sorted(committees, key=lambda c: (LEVEL_ORDER.get(c.level, 9), c.ubigeo))
    ids = [c.pk for c in ordered]
    cards = {c.pk: Scorecard(c, as_of, milestones(c, as_of)) for c in ordered}
    _add_checks(cards, ordered, as_of)
    _add_sessions(cards, ids, as_of)
    _add_agreements(cards, ids, as_of)
    _add_juntas(cards, ordered, as_of)
    _add_trainings(cards, ids, as_of)
    _add_execution(cards, ids, as_of)
    return [cards[pk] for pk in ids]


def _add_checks(cards: dict[int, Scorecard], committees: Sequence[Committee], as_of: date) -> None:
    """Each registered indicator that applies to the committee's level: met or not, with
    the engine's own words for it (the pending lists' detail)."""
    for indicator in indicators():
        applies = [c.pk for c in committees if c.level in indicator.levels]
        if not applies:
            continue
        done = indicator.done(as_of, as_of.year, applies)
        details = indicator.detail(as_of, as_of.year, applies) if indicator.detail else {}
        for pk in applies:
            cards[pk].checks.append(
                Check(indicator.code, str(indicator.label), pk in done, details.get(pk, ""))
            )


def _expectation(card: Scorecard, code: str) -> str:
    return next((c.detail for c in card.checks if c.code == code), "")


def _add_sessions(cards: dict[int, Scorecard], ids: list[int], as_of: date) -> None:
    """Sessions held this year by kind, against what the compliance rules expect
    (``meetings.indicators``: sessions expected to date, consultations a year and the
    last quarter's verdict in the engine's words)."""
    held = sessions_by_quarter(as_of, ids)
    sessions = _("%(n)d expected to date (%(year)d a year)") % {
        "n": sessions_expected(as_of),
        "year": settings.SESSIONS_PER_YEAR,
    }
    consultations = _("%(n)d a year") % {"n": expected_consultations(as_of.year)}
    demo = set(
        Session.objects.filter(
            body=Body.COMMITTEE, committee_id__in=ids, is_demo=True, held_on__year=as_of.year
        )
        .values_list("committee_id", flat=True)
        .distinct()
    )
    for pk, card in cards.items():
        n: dict[str, int] = defaultdict(int)
        for (year, _quarter, kind), count in held.get(pk, {}).items():
            if year == as_of.year:
                n[kind] += count
        last_quarter = _expectation(card, "consultations")
        card.sessions = [
            SessionCount("ordinary", str(SessionKind.ORDINARY.label), n["ordinary"], ""),
            SessionCount(
                "extraordinary", str(SessionKind.EXTRAORDINARY.label), n["extraordinary"], ""
            ),
            SessionCount(
                "sessions",
                _("Sessions (ordinary and extraordinary)"),
                n["ordinary"] + n["extraordinary"],
                sessions,
            ),
            SessionCount(
                "consultation",
                str(SessionKind.CONSULTATION.label),
                n["consultation"],
                f"{consultations}; {last_quarter}" if last_quarter else consultations,
            ),
        ]
        card.demo_sessions = pk in demo


def _year_before(day: date) -> date:
    """The same day a year before (28 February for a 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _add_agreements(cards: dict[int, Scorecard], ids: list[int], as_of: date) -> None:
    """Counts by status over every agreement up to the date; listed: those of the
    sessions of the twelve months up to the date, and older ones still open on it."""
    counts = agreements_by_status(as_of, ids)
    done_by_then = Q(status=AgreementStatus.DONE) & (
        Q(done_on__isnull=True) | Q(done_on__lte=as_of)
    )
    listed = (
        Agreement.objects.filter(
            session__body=Body.COMMITTEE,
            session__committee_id__in=ids,
            session__held_on__lte=as_of,
        )
        .filter(Q(session__held_on__gt=_year_before(as_of)) | ~done_by_then)
        .select_related("owner", "session")
        .order_by("session__committee_id", "-session__held_on", "deadline", "id")
    )
    rows: dict[int, list[AgreementRow]] = defaultdict(list)
    for agreement in listed:
        rows[agreement.session.committee_id].append(  # type: ignore[index]
            AgreementRow(
                agreement.text,
                agreement.owner.acronym if agreement.owner else "",
                agreement.session.held_on,
                agreement.deadline,
                agreement_status(agreement, as_of),
                agreement.done_on,
                agreement.session.is_demo,
            )
        )
    for pk, found in rows.items():
        found.sort(key=lambda a: (a.status == DONE, -a.held_on.toordinal(), a.deadline))
        cards[pk].agreements = found[:AGREEMENTS_LISTED]
        cards[pk].more_agreements = len(found) - len(cards[pk].agreements)
    for pk, card in cards.items():
        card.agreement_counts = counts.get(pk, {"pending": 0, "done": 0, "overdue": 0})


def _covers(committee: Committee, district: str) -> bool:
    """Whether a district's juntas belong to a committee's territory."""
    if committee.level == CommitteeLevel.REGIONAL:
        return region_code_for(district) == committee.region_id
    return district.startswith(committee.ubigeo)


def _add_juntas(cards: dict[int, Scorecard], committees: Sequence[Committee], as_of: date) -> None:
    """The juntas vecinales active on the date in each committee's territory."""
    prefixes = Q()
    for prefix in {c.ubigeo[:2] for c in committees}:
        prefixes |= Q(district__ubigeo__startswith=prefix)
    juntas = list(
        active_juntas(as_of, Junta.objects.filter(prefixes)).order_by("district_id", "name")
    )
    for committee in committees:
        card = cards[committee.pk]
        mine = [j for j in juntas if _covers(committee, j.district_id)]
        card.junta_members = sum(j.members for j in mine)
        card.juntas = mine


def _add_trainings(cards: dict[int, Scorecard], ids: list[int], as_of: date) -> None:
    """The trainings the committee's people took part in this year, up to the date
    (one row per training, its participants summed)."""
    people: dict[tuple[int, int], int] = defaultdict(int)
    trainings: dict[int, Training] = {}
    participations = Participation.objects.filter(
        committee_id__in=ids,
        training__held_on__lte=as_of,
        training__held_on__gte=date(as_of.year, 1, 1),
    ).select_related("training__organiser")
    for p in participations.order_by("training__held_on", "training_id"):
        assert p.committee_id is not None  # filtered above
        people[(p.committee_id, p.training_id)] += p.people
        trainings[p.training_id] = p.training
    for (committee_id, training_id), n in people.items():
        t = trainings[training_id]
        cards[committee_id].trainings.append(
            TrainingRow(t.held_on, t.event, t.topic, t.organiser.acronym, n, t.is_demo)
        )
        cards[committee_id].training_people += n


def _add_execution(cards: dict[int, Scorecard], ids: list[int], as_of: date) -> None:
    """Both semesters of the date's year, flagged below the threshold (the multi-year
    plans' rule: ``plans.multiyear.rates``)."""
    threshold = threshold_pct()
    for number in (1, 2):
        period = Period(as_of.year, SEMESTER, number)
        due = bool(period.months_due(as_of))
        rates = execution_rates(period, as_of, committees=ids)
        for pk, card in cards.items():
            card.threshold = threshold
            card.semesters.append(SemesterRow(period.label, due, rates.get(pk)))
