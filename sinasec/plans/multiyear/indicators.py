"""The compliance indicator of plan execution, registered with the committees' compliance
engine in ``PlansConfig.ready()``. The rule (the README "Compliance" section and the
page's notes say the same):

- *execution*: in the last semester ended by the date (on 31 December, the second of that
  year; from 30 June to 30 December, the first; before 30 June, the second of the year
  before), the committee's execution rate as of the date (``rates.semester_rates``:
  approved months only) is at least ``SINASEC_EXECUTION_THRESHOLD_PCT``. A committee
  without a programme for that year, or with nothing programmed in the semester, does
  not meet it (its detail says so). The report's plan year does not change the semester.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import partial

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.committees.compliance import LEVELS, Indicator, per_run, register
from sinasec.plans.multiyear.rates import PeriodRate, semester_rates, threshold_pct
from sinasec.plans.progress import months_due

Ids = Collection[int] | None


def last_semester(as_of: date) -> tuple[int, int]:
    """(year, semester) of the last semester ended by the date."""
    ended = months_due(as_of.year, as_of) // 6
    return (as_of.year, ended) if ended else (as_of.year - 1, 2)


def _rates(as_of: date, committee_ids: Ids) -> dict[int, PeriodRate]:
    year, semester = last_semester(as_of)
    compute = partial(semester_rates, as_of, year, semester)
    return per_run(("semester_rates", as_of), committee_ids, compute)


def execution_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    limit = threshold_pct()
    rates = _rates(as_of, committee_ids)
    return {cid for cid, r in rates.items() if r.rate is not None and r.rate >= limit}


def execution_detail(as_of: date, plan_year: int, committee_ids: Ids) -> dict[int, str]:
    year, semester = last_semester(as_of)
    rates = _rates(as_of, committee_ids)
    limit = threshold_pct()
    detail = {}
    for cid in committee_ids or rates:
        rate = rates.get(cid)
        if rate is None:
            detail[cid] = _("no programme for %(year)d") % {"year": year}
        elif rate.rate is None:
            detail[cid] = _("nothing programmed in semester %(n)d") % {"n": semester}
        else:
            detail[cid] = _("%(rate)s %% in semester %(n)d (threshold %(limit)d %%)") % {
                "rate": number_format(rate.rate, 1),
                "n": semester,
                "limit": limit,
            }
    return detail


def register_indicators() -> None:
    register(
        Indicator(
            "execution",
            gettext_lazy("Plan executed in the last semester"),
            LEVELS,
            execution_done,
            execution_detail,
            gettext_lazy(
                "Execution rate (approved months only) of the last semester ended by the "
                "date at least SINASEC_EXECUTION_THRESHOLD_PCT; a committee without a "
                "programme for that year, or with nothing programmed in the semester, does "
                "not meet it."
            ),
        )
    )
