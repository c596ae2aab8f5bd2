"""Writes of multi-year plans: starting one for a committee, and copying a year's
programme forward to the next year. Each owns its transaction and is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.committees.access import get_committee_for_user
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.core.cache import bump_generation
from sinasec.core.concurrency import conflict_on_duplicate, lock_target
from sinasec.plans.access import get_plan_for_user
from sinasec.plans.models import Activity, ActivityPart, Plan, Strategy
from sinasec.plans.multiyear.summary import refresh

# Directiva 006-2023-IN-DGSC: the committees' action plans run four years (2024-2027).
MAX_SPAN_YEARS = 4

ACTION_TITLES = {
    CommitteeLevel.REGIONAL: "Plan de Acción Regional de Seguridad Ciudadana {span} — {name}",
    CommitteeLevel.PROVINCIAL: "Plan de Acción Provincial de Seguridad Ciudadana {span} — {name}",
    CommitteeLevel.DISTRICT: "Plan de Acción Distrital de Seguridad Ciudadana {span} — {name}",
}


def programme_title(committee: Committee, start: int, end: int, year: int) -> str:
    """``Plan de Acción Distrital de Seguridad Ciudadana 2024-2027 — Miraflores
    (programación 2025)``."""
    title = ACTION_TITLES[CommitteeLevel(committee.level)].format(
        span=f"{start}-{end}", name=committee.name
    )
    return f"{title} (programación {year})"[:200]


def span_covering(committee: Committee, year: int) -> tuple[int, int] | None:
    """The span of the committee's multi-year plan that covers ``year``, if any."""
    plan = (
        Plan.objects.filter(committee=committee, start_year__lte=year, end_year__gte=year)
        .exclude(start_year=year, end_year=year)
        .first()
    )
    return None if plan is None else (plan.start_year, plan.end_year)


def _check_span(start: int, end: int) -> None:
    if end < start:
        raise ValidationError(_("The last year cannot be before the first."))
    if end - start + 1 > MAX_SPAN_YEARS:
        raise ValidationError(
            _("A multi-year plan spans at most %(n)d years.") % {"n": MAX_SPAN_YEARS}
        )


def start_multiyear_plan(actor: AnyUser, committee_id: int, start: int, end: int) -> Plan:
    """The committee's plan for ``start``..``end``: its first year's programme, empty
    (it is then filled from the plan template, or copied forward year by year).

    The committee's single-year plans of those years become that plan's programmes; a
    year already in another multi-year plan is refused, and nothing changes.
    """
    committee = get_committee_for_user(actor, committee_id, write=True)
    _check_span(start, end)
    with conflict_on_duplicate(_("this plan")), transaction.atomic():
        lock_target("plans.multiyear", committee.pk)
        # Every plan of the committee whose span meets the requested one.
        existing = list(
            Plan.objects.select_for_update()
            .filter(committee=committee, start_year__lte=end, end_year__gte=start)
            .order_by("year")
        )
        clash = next(
            (p for p in existing if p.is_multiyear and (p.start_year, p.end_year) != (start, end)),
            None,
        )
        if clash is not None:
            raise ValidationError(
                _("The year %(year)d is already in the committee's plan %(span)s.")
                % {"year": clash.year, "span": clash.span}
            )
        before = {p.year: [p.start_year, p.end_year] for p in existing}
        for plan in existing:
            plan.start_year, plan.end_year = start, end
            plan.title = programme_title(committee, start, end, plan.year)
            plan.save(update_fields=["start_year", "end_year", "title"])
        first = next((p for p in existing if p.year == start), None)
        if first is None:
            first = Plan.objects.create(
                year=start,
                start_year=start,
                end_year=end,
                committee=committee,
                title=programme_title(committee, start, end, start),
            )
        record_change(
            actor,
            "plans.start_multiyear_plan",
            first,
            _("Multi-year plan %(span)s started for %(committee)s")
            % {"span": f"{start}-{end}", "committee": committee.name},
            before=before or None,
            after={"start_year": start, "end_year": end, "programmes": sorted({*before, start})},
            territory_ubigeo=committee.ubigeo,
        )
        bump_generation("committees")
    return first


def copy_forward(actor: AnyUser, plan_id: int) -> Plan:
    """A copy of the plan's programme as the next year's (strategies, activities, parts
    with their responsibles, goals and monthly schedule; no execution), a draft to be
    adjusted. Refused when the plan's span ends that year or the next year's programme
    exists already: a programme is never overwritten."""
    plan = get_plan_for_user(actor, plan_id, write=True)
    target = plan.year + 1
    if target > plan.end_year:
        raise ValidationError(
            _("The plan %(span)s ends in %(year)d: there is no next year to copy to.")
            % {"span": plan.span, "year": plan.end_year}
        )
    with conflict_on_duplicate(_("this plan")), transaction.atomic():
        lock_target("plans.import_plan", target, plan.committee_id or "national")
        siblings = Plan.objects.filter(year=target)
        siblings = (
            siblings.filter(committee=plan.committee)
            if plan.committee
            else siblings.filter(committee__isnull=True)
        )
        if siblings.exists():
            raise ValidationError(
                _("The programme for %(year)d exists already: it is not overwritten.")
                % {"year": target}
            )
        new = Plan.objects.create(
            year=target,
            start_year=plan.start_year,
            end_year=plan.end_year,
            committee=plan.committee,
            title=(
                programme_title(plan.committee, plan.start_year, plan.end_year, target)
                if plan.committee
                else plan.title.replace(str(plan.year), str(target))[:200]
            ),
            source=_("Copied from the %(year)d programme") % {"year": plan.year},
            is_demo=plan.is_demo,
        )
        counts = _copy_contents(plan, new)
        record_change(
            actor,
            "plans.copy_forward",
            new,
            _("Programme %(source)d copied to %(target)d: %(activities)d activities")
            % {"source": plan.year, "target": target, "activities": counts["activities"]},
            after={"from_plan": plan.pk, "from_year": plan.year, "year": target, **counts},
            territory_ubigeo=plan.committee.ubigeo if plan.committee else "",
        )
        bump_generation("committees")
    return new


def _copy_contents(source: Plan, target: Plan) -> dict[str, int]:
    """Strategies, activities and parts with their links, in a few bulk inserts."""
    strategies = list(source.strategies.all())
    new_strategies = Strategy.objects.bulk_create(
        [Strategy(plan=target, number=s.number, name=s.name) for s in strategies]
    )
    strategy_of = {old.pk: new for old, new in zip(strategies, new_strategies, strict=True)}
    activities = list(Activity.objects.filter(strategy__plan=source).order_by("pk"))
    new_activities = Activity.objects.bulk_create(
        [
            Activity(
                strategy=strategy_of[a.strategy_id],
                number=a.number,
                description=a.description,
                unit=a.unit,
                source_text=a.source_text,
            )
            for a in activities
        ]
    )
    activity_of = {old.pk: new for old, new in zip(activities, new_activities, strict=True)}
    services = Activity.services.through
    services.objects.bulk_create(
        [
            services(activity_id=activity_of[row.activity_id].pk, service_id=row.service_id)
            for row in services.objects.filter(activity__strategy__plan=source)
        ]
    )
    parts = list(ActivityPart.objects.filter(activity__strategy__plan=source).order_by("pk"))
    new_parts = ActivityPart.objects.bulk_create(
        [
            ActivityPart(
                activity=activity_of[p.activity_id],
                order=p.order,
                responsible_text=p.responsible_text,
                goal=p.goal,
                programmed=list(p.programmed),
                note=p.note,
            )
            for p in parts
        ]
    )
    part_of = {old.pk: new for old, new in zip(parts, new_parts, strict=True)}
    institutions = ActivityPart.institutions.through
    institutions.objects.bulk_create(
        [
            institutions(
                activitypart_id=part_of[row.activitypart_id].pk, institution_id=row.institution_id
            )
            for row in institutions.objects.filter(activitypart__activity__strategy__plan=source)
        ]
    )
    if target.committee_id is not None:
        # The parts were bulk-created (no signals): the execution summary of that year.
        refresh(target.committee_id, target.year)
    return {"strategies": len(strategies), "activities": len(activities), "parts": len(parts)}
