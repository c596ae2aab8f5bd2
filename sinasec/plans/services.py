"""Every write to plans."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import get_committee_for_user
from sinasec.committees.models import ACRONYM, Committee, CommitteeLevel, EventKind
from sinasec.committees.services import record_event
from sinasec.core.cache import bump_generation
from sinasec.core.concurrency import conflict_on_duplicate, lock_target
from sinasec.core.errors import AccessDenied, ImportProblem, ImportRejected
from sinasec.institutions.models import Institution
from sinasec.plans import reference_2010
from sinasec.plans.access import can_import_plans, can_write_national_plans, get_plan_for_user
from sinasec.plans.importers import ParsedPart, ParsedPlan, parse_plan, same_responsible
from sinasec.plans.models import (
    Activity,
    ActivityPart,
    ExecutionReport,
    Plan,
    PlanStatus,
    Strategy,
)
from sinasec.plans.multiyear.services import programme_title, span_covering
from sinasec.plans.selectors import institutions_by_acronym, resolve_responsibles
from sinasec.plans.template import export_plan_csv


def load_national_plan_2010() -> Plan:
    """The 2010 national operational plan as transcribed from the seed (idempotent).

    Rows the text extraction lost are not invented: validation reports them as gaps.
    """
    existing = Plan.objects.filter(year=2010, committee__isnull=True).first()
    if existing is not None:
        return existing
    institutions = institutions_by_acronym()
    with transaction.atomic():
        plan = Plan.objects.create(
            year=2010,
            title="Plan Operativo Nacional de Seguridad Ciudadana 2010",
            status=PlanStatus.SUBMITTED,
            source="ST-CONASEC, Plan Operativo Nacional de Seguridad Ciudadana 2010 (sección V)",
        )
        strategies = {
            ref.number: Strategy.objects.create(plan=plan, number=ref.number, name=ref.name)
            for ref in reference_2010.STRATEGIES
        }
        for ref in reference_2010.ACTIVITIES:
            activity = Activity.objects.create(
                strategy=strategies[ref.strategy],
                number=ref.number,
                description=ref.description,
                unit=ref.unit,
                source_text=ref.raw,
            )
            for order, part in enumerate(ref.parts, start=1):
                row = ActivityPart.objects.create(
                    activity=activity,
                    order=order,
                    responsible_text=part.responsible,
                    goal=part.goal,
                    programmed=list(part.months),
                    note=part.note,
                )
                found, _unresolved = resolve_responsibles(part.responsible, institutions)
                row.institutions.add(*found)
    return plan


# --- import from the plan template ----------------------------------------------------

NATIONAL_TITLE = "Plan Operativo Nacional de Seguridad Ciudadana {year}"
COMMITTEE_TITLES = {
    CommitteeLevel.REGIONAL: "Plan Regional de Seguridad Ciudadana {year} — {name}",
    CommitteeLevel.PROVINCIAL: "Plan Provincial de Seguridad Ciudadana {year} — {name}",
    CommitteeLevel.DISTRICT: "Plan Distrital de Seguridad Ciudadana {year} — {name}",
}


def plan_digest(plan: Plan) -> str:
    """The sha256 of the plan as the template CSV: equal digests, equal plans."""
    return hashlib.sha256(export_plan_csv(plan)).hexdigest()


def _plan_summary(plan: Plan) -> dict[str, object]:
    return {
        "strategies": plan.strategies.count(),
        "activities": Activity.objects.filter(strategy__plan=plan).count(),
        "parts": ActivityPart.objects.filter(activity__strategy__plan=plan).count(),
        "content_sha256": plan_digest(plan),
    }


def import_plan(actor: AnyUser, file_name: str, data: bytes) -> Plan:
    """A plan written in the plan template (``sinasec/plans/template.py``), CSV or XLSX.

    The file names its plan (``plan_anio``, and ``comite_ubigeo`` / ``comite_nivel`` for a
    committee's): the national plan may be imported by national administrators only; a
    committee's plan by them or by that committee's secretary. The plan is created when
    it does not exist yet.

    All or nothing: the whole file is validated, and the actor's right checked, before
    anything is written. The plan's strategies, activities and parts then become exactly
    the file's, in one transaction: what the file does not have is removed, what it
    changes is updated. Rows are matched to what is recorded by strategy number, activity
    number and responsible (a part whose responsible was rewritten is matched by its
    position in the activity), so what the template does not carry stays with its row:
    the plan itself (id, title, status), an activity's source text and services, a
    part's note and its execution reports. A part that has execution reports cannot be
    removed: such a file is rejected.

    Months that do not add up, numbering gaps and the like are imported as written:
    they are validation findings, shown beside the plan, not import errors. Re-importing
    the same file changes nothing and records nothing; otherwise one audit record holds
    the counts and content digest before and after, and the file's sha256.
    """
    if not can_import_plans(actor):
        raise AccessDenied(
            _("Only national administrators and committee secretaries can import plans.")
        )
    parsed = parse_plan(data, file_name)
    committee = _plan_committee(actor, parsed)
    if committee is None and not can_write_national_plans(actor):
        raise AccessDenied(_("Only national administrators can import the national plan."))
    institutions = institutions_by_acronym()
    with conflict_on_duplicate(_("this plan")), transaction.atomic():
        # Two imports of one plan take turns: the second finds the plan the first created.
        lock_target("plans.import_plan", parsed.year, committee.pk if committee else "national")
        plans = Plan.objects.select_for_update()
        plan = (
            plans.filter(year=parsed.year, committee=committee).first()
            if committee
            else plans.filter(year=parsed.year, committee__isnull=True).first()
        )
        before = None if plan is None else _plan_summary(plan)
        if plan is None:
            plan = _create_plan(parsed.year, committee, file_name)
        changes = _apply_plan(plan, parsed, institutions)
        if before is not None and not changes:
            return plan
        digest = hashlib.sha256(data).hexdigest()
        after = _plan_summary(plan)
        record_change(
            actor,
            "plans.import_plan",
            plan,
            _(
                "Plan “%(plan)s” imported from %(file)s: %(strategies)d strategies, "
                "%(activities)d activities, %(parts)d parts"
            )
            % {
                "plan": plan.title,
                "file": file_name,
                "strategies": after["strategies"],
                "activities": after["activities"],
                "parts": after["parts"],
            },
            before=before,
            after={**after, "file": file_name, "sha256": digest, "changes": dict(changes)},
            territory_ubigeo=committee.ubigeo if committee else "",
        )
        bump_generation("committees")
    return plan


def _create_plan(year: int, committee: Committee | None, file_name: str) -> Plan:
    span = span_covering(committee, year) if committee else None
    if committee and span:
        # A year of the committee's multi-year plan: that plan's programme for the year.
        return Plan.objects.create(
            year=year,
            start_year=span[0],
            end_year=span[1],
            committee=committee,
            title=programme_title(committee, span[0], span[1], year),
            source=file_name[:200],
        )
    title = (
        COMMITTEE_TITLES[CommitteeLevel(committee.level)].format(year=year, name=committee.name)
        if committee
        else NATIONAL_TITLE.format(year=year)
    )
    return Plan.objects.create(
        year=year, committee=committee, title=title[:200], source=file_name[:200]
    )


def _plan_committee(actor: AnyUser, parsed: ParsedPlan) -> Committee | None:
    """The committee whose plan the file is (None: the national plan), if the actor may
    write it."""
    if parsed.is_national:
        return None
    committee = Committee.objects.filter(
        level=parsed.committee_level, ubigeo=parsed.committee_ubigeo
    ).first()
    if committee is None:
        raise ImportRejected(
            [
                ImportProblem(
                    parsed.file_name,
                    parsed.first_row,
                    parsed.headers["comite_ubigeo"],
                    _("unknown committee: there is no %(acronym)s with ubigeo %(ubigeo)s")
                    % {
                        "acronym": ACRONYM[CommitteeLevel(parsed.committee_level)],
                        "ubigeo": parsed.committee_ubigeo,
                    },
                )
            ]
        )
    try:
        return get_committee_for_user(actor, committee.pk, write=True)
    except AccessDenied:
        raise AccessDenied(_("You can only import the plan of your own committee.")) from None


def _match_parts(
    new: tuple[ParsedPart, ...], old: list[ActivityPart]
) -> tuple[list[tuple[ParsedPart, ActivityPart | None]], list[ActivityPart]]:
    """Pair the file's parts of one activity with the recorded ones: same responsible
    first, then what is left in order. Returns the pairs and the recorded parts left."""
    left = list(old)
    found: list[ActivityPart | None] = []
    for part in new:
        hit = next(
            (
                p
                for p in left
                if same_responsible(p.responsible_text) == same_responsible(part.responsible)
            ),
            None,
        )
        if hit is not None:
            left.remove(hit)
        found.append(hit)
    for index, hit in enumerate(found):
        if hit is None and left:
            found[index] = left.pop(0)
    return list(zip(new, found, strict=True)), left


Pair = tuple[int, int, ParsedPart, ActivityPart | None]  # strategy, activity, file, recorded


def _apply_plan(
    plan: Plan, parsed: ParsedPlan, institutions: dict[str, Institution]
) -> Counter[str]:
    """Make the plan's contents the file's; what changed, counted."""
    changes: Counter[str] = Counter()
    strategies = {s.number: s for s in plan.strategies.all()}
    activities = {
        (a.strategy.number, a.number): a
        for a in Activity.objects.filter(strategy__plan=plan).select_related("strategy")
    }
    # Decide everything first: a removal the execution reports forbid writes nothing.
    pairs = _remove_what_the_file_lacks(plan, parsed, strategies, activities, changes)
    _apply_strategies(plan, parsed, strategies, changes)
    _apply_activities(parsed, strategies, activities, changes)
    _apply_parts(pairs, activities, institutions, changes)
    return +changes  # only what is not zero


def _remove_what_the_file_lacks(
    plan: Plan,
    parsed: ParsedPlan,
    strategies: dict[int, Strategy],
    activities: dict[tuple[int, int], Activity],
    changes: Counter[str],
) -> list[Pair]:
    """Delete the strategies, activities and parts the file does not have (refused when
    a part has execution reports); the file's parts paired with the recorded ones."""
    parts_of: dict[int, list[ActivityPart]] = defaultdict(list)
    for part in (
        ActivityPart.objects.filter(activity__strategy__plan=plan)
        .prefetch_related("institutions")
        .order_by("order", "pk")
    ):
        parts_of[part.activity_id].append(part)
    wanted = {(a.strategy, a.number) for a in parsed.activities}
    gone_activities = [a for key, a in activities.items() if key not in wanted]
    gone_parts = [p for a in gone_activities for p in parts_of[a.pk]]
    pairs: list[Pair] = []
    for item in parsed.activities:
        old = activities.get((item.strategy, item.number))
        matched, left = _match_parts(item.parts, parts_of[old.pk] if old else [])
        pairs += [(item.strategy, item.number, new, hit) for new, hit in matched]
        gone_parts += left
    _refuse_removing_reported_parts(parsed.file_name, gone_parts)
    numbers = {x.number for x in parsed.strategies}
    gone_strategies = [s for number, s in strategies.items() if number not in numbers]

    ActivityPart.objects.filter(pk__in=[p.pk for p in gone_parts]).delete()
    Activity.objects.filter(pk__in=[a.pk for a in gone_activities]).delete()
    Strategy.objects.filter(pk__in=[s.pk for s in gone_strategies]).delete()
    changes["parts_deleted"] = len(gone_parts)
    changes["activities_deleted"] = len(gone_activities)
    changes["strategies_deleted"] = len(gone_strategies)
    return pairs


def _apply_strategies(
    plan: Plan, parsed: ParsedPlan, strategies: dict[int, Strategy], changes: Counter[str]
) -> None:
    for named in parsed.strategies:
        strategy = strategies.get(named.number)
        if strategy is None:
            strategies[named.number] = Strategy.objects.create(
                plan=plan, number=named.number, name=named.name
            )
            changes["strategies_created"] += 1
        elif strategy.name != named.name:
            strategy.name = named.name
            strategy.save(update_fields=["name"])
            changes["strategies_updated"] += 1


def _apply_activities(
    parsed: ParsedPlan,
    strategies: dict[int, Strategy],
    activities: dict[tuple[int, int], Activity],
    changes: Counter[str],
) -> None:
    for item in parsed.activities:
        activity = activities.get((item.strategy, item.number))
        if activity is None:
            activities[(item.strategy, item.number)] = Activity.objects.create(
                strategy=strategies[item.strategy],
                number=item.number,
                description=item.description,
                unit=item.unit,
            )
            changes["activities_created"] += 1
        elif (activity.description, activity.unit) != (item.description, item.unit):
            activity.description, activity.unit = item.description, item.unit
            activity.save(update_fields=["description", "unit"])
            changes["activities_updated"] += 1


def _apply_parts(
    pairs: list[Pair],
    activities: dict[tuple[int, int], Activity],
    institutions: dict[str, Institution],
    changes: Counter[str],
) -> None:
    order: Counter[tuple[int, int]] = Counter()
    for strategy_number, activity_number, new, old_part in pairs:
        order[(strategy_number, activity_number)] += 1
        fields = {
            "order": order[(strategy_number, activity_number)],
            "responsible_text": new.responsible,
            "goal": new.goal,
            "programmed": list(new.months),
        }
        found, _unresolved = resolve_responsibles(new.responsible, institutions)
        if old_part is None:
            part = ActivityPart.objects.create(
                activity=activities[(strategy_number, activity_number)], **fields
            )
            part.institutions.add(*found)
            changes["parts_created"] += 1
        elif _update_part(old_part, fields, found):
            changes["parts_updated"] += 1


def _update_part(part: ActivityPart, fields: dict[str, object], found: list[Institution]) -> bool:
    """Write what changed of a recorded part; whether anything did."""
    changed = [name for name, value in fields.items() if getattr(part, name) != value]
    for name in changed:
        setattr(part, name, fields[name])
    if changed:
        part.save(update_fields=changed)
    if {i.pk for i in part.institutions.all()} != {i.pk for i in found}:
        part.institutions.set(found)
        changed.append("institutions")
    return bool(changed)


def _refuse_removing_reported_parts(file_name: str, parts: list[ActivityPart]) -> None:
    if not parts:
        return
    counts = dict(
        ExecutionReport.objects.filter(part__in=parts)
        .values_list("part")
        .annotate(n=Count("id"))
        .values_list("part", "n")
    )
    if not counts:
        return
    problems = []
    for part in parts:
        if part.pk in counts:
            activity = Activity.objects.select_related("strategy").get(pk=part.activity_id)
            problems.append(
                ImportProblem(
                    file_name,
                    None,
                    None,
                    _(
                        "activity %(code)s (%(who)s) has %(n)d execution reports and is not in "
                        "the file: a part with reported execution cannot be removed"
                    )
                    % {
                        "code": activity.code,
                        "who": part.responsible_text or "—",
                        "n": counts[part.pk],
                    },
                )
            )
    raise ImportRejected(problems)


def submit_plan(actor: AnyUser, plan_id: int) -> Plan:
    """Submit a plan. A committee's plan for year Y, once submitted, is that committee's
    "plan formulated" milestone for Y in the registry (recorded as its event, same day)."""
    plan = get_plan_for_user(actor, plan_id, write=True)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.SUBMITTED:
            return locked
        locked.status = PlanStatus.SUBMITTED
        locked.save(update_fields=["status"])
        record_change(
            actor,
            "plans.submit_plan",
            locked,
            _("Plan “%s” submitted") % locked.title,
            before={"status": PlanStatus.DRAFT},
            after={"status": PlanStatus.SUBMITTED},
            territory_ubigeo=locked.committee.ubigeo if locked.committee else "",
        )
        if locked.committee_id is not None:
            record_event(
                actor,
                locked.committee_id,
                EventKind.PLAN,
                timezone.localdate(),
                year=locked.year,
                document=_("Plan %(year)d (SINASEC plan %(id)d)")
                % {"year": locked.year, "id": locked.pk},
            )
    return locked
