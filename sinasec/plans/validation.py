"""Validation rules for an operational plan, as pure functions over plain rows.

Every finding names the activity, the rule and a message in the interface language.
Findings never block saving a plan: they are shown beside it. ``error`` findings are
inconsistencies of the plan itself; ``warning`` ones are places where the source cannot
be read unambiguously.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SCHEDULE_VS_GOAL = "schedule_vs_goal"
NUMBERING_GAP = "numbering_gap"
UNKNOWN_RESPONSIBLE = "unknown_responsible"
MISSING_UNIT = "missing_unit"
MISSING_GOAL = "missing_goal"
AMBIGUOUS_CELL = "ambiguous_cell"


@dataclass(frozen=True)
class PartRow:
    responsible_text: str
    goal: int | None
    programmed: tuple[int | None, ...]
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActivityRow:
    strategy: int
    number: int
    unit: str
    parts: tuple[PartRow, ...] = field(default_factory=tuple)

    @property
    def code(self) -> str:
        return f"{self.strategy}.{self.number}"


@dataclass(frozen=True)
class Finding:
    activity: str
    rule: str
    message: str
    severity: str = "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "activity": self.activity,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


def validate(activities: Iterable[ActivityRow], strategies: Iterable[int] = ()) -> list[Finding]:
    rows = sorted(activities, key=lambda a: (a.strategy, a.number))
    findings: list[Finding] = []
    findings += _numbering_gaps(rows, strategies)
    for row in rows:
        findings += _check_activity(row)
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[int, int, str]:
    strategy, _sep, number = finding.activity.partition(".")
    return int(strategy), int(number), finding.rule


def _numbering_gaps(rows: list[ActivityRow], strategies: Iterable[int]) -> list[Finding]:
    numbers: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        numbers[row.strategy].add(row.number)
    for strategy in strategies:
        numbers.setdefault(strategy, set())
    findings = []
    for strategy, present in numbers.items():
        for missing in range(1, max(present, default=0) + 1):
            if missing not in present:
                findings.append(
                    Finding(
                        f"{strategy}.{missing}",
                        NUMBERING_GAP,
                        _("Activity %(code)s is missing: strategy %(strategy)d jumps over it.")
                        % {"code": f"{strategy}.{missing}", "strategy": strategy},
                    )
                )
    return findings


def _check_activity(row: ActivityRow) -> list[Finding]:
    findings = []
    if not row.unit.strip():
        findings.append(Finding(row.code, MISSING_UNIT, _("The unit of measure is missing.")))
    if len(row.parts) > 1:
        findings.append(
            Finding(
                row.code,
                AMBIGUOUS_CELL,
                _(
                    "One cell of the source holds %(n)d values (%(who)s): kept as separate parts, not added up."
                )
                % {"n": len(row.parts), "who": ", ".join(p.responsible_text for p in row.parts)},
                "warning",
            )
        )
    for part in row.parts:
        findings += _check_part(row, part)
    return findings


def _check_part(row: ActivityRow, part: PartRow) -> list[Finding]:
    findings = []
    who = f" ({part.responsible_text})" if len(row.parts) > 1 else ""
    for name in part.unresolved:
        findings.append(
            Finding(
                row.code,
                UNKNOWN_RESPONSIBLE,
                _("“%s” is not in the institutions catalogue.") % name,
            )
        )
    if part.goal is None:
        findings.append(Finding(row.code, MISSING_GOAL, _("The annual goal is missing%s.") % who))
        return findings
    if any(value is None for value in part.programmed):
        findings.append(
            Finding(
                row.code,
                AMBIGUOUS_CELL,
                _("Some months of the schedule cannot be read%s.") % who,
                "warning",
            )
        )
        return findings
    scheduled = sum(value or 0 for value in part.programmed)
    if scheduled != part.goal:
        findings.append(
            Finding(
                row.code,
                SCHEDULE_VS_GOAL,
                _("The months add up to %(scheduled)d but the annual goal is %(goal)d%(who)s.")
                % {"scheduled": scheduled, "goal": part.goal, "who": who},
            )
        )
    return findings
