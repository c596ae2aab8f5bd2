"""The synthetic control of one barrio, beside its WDD test: the barrio's monthly
incidents before the launch matched by a weighted average of donor barrios (weights
non-negative, summing to one), the gap after the launch, and the placebo-in-space rank
(:func:`sinasec.analytics.evaluation.synth.synthetic_control`).

The donor pool: the other barrios with a boundary that the user reads and that were not
launched before the end of the window (a donor treated before or during the window would
carry the programme's own effect into the synthetic barrio), or those given by id. Counts come
from the incident store, as the monitoring's (:func:`~sinasec.barrios.evaluation.did.barrio_counts`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, TypedDict

from django.utils.translation import gettext_lazy as _

from sinasec.analytics.evaluation.synth import SynthData, SynthError, synthetic_control
from sinasec.analytics.monitoring import Month, month_from_number, month_label, month_number
from sinasec.barrios.evaluation.did import barrio_counts
from sinasec.barrios.evaluation.wdd import unavailable
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.types import Unavailable
from sinasec.incidents import IncidentStore

#: At most this many donors (the closest before the launch, by RMSE): a placebo is one
#: optimisation per donor, and a page must answer in a moment.
MAX_DONORS = 40

SYNTH_REASONS = {
    "no_boundary": _("The barrio has no boundary: its incidents cannot be counted."),
    "not_launched": _("The barrio has no launch date: there is no before and after."),
    "launch_outside_window": _(
        "The window needs at least two months before the launch and the launch month itself."
    ),
    "no_donors": _(
        "A synthetic control needs at least two donor barrios with a boundary, not launched "
        "before the end of the window."
    ),
}


class DonorWeight(TypedDict):
    id: int
    label: str
    weight: float


class SynthFigures(TypedDict):
    available: Literal[True]
    months: list[str]
    launch_month: str
    donors: list[DonorWeight]  # every donor, heaviest first
    result: SynthData


def synth_of_barrio(
    barrio: Barrio,
    donors: Sequence[Barrio],
    store: IncidentStore,
    start: date | Month | str,
    end: date | Month | str,
) -> SynthFigures | Unavailable:
    """The synthetic control of ``barrio`` from the ``donors`` (those launched before
    the end of the window are left out) over the window, or why it is not available."""
    if not barrio.boundary:
        return unavailable("no_boundary")
    if barrio.launched_on is None:
        return unavailable("not_launched")
    pool = [d for d in donors if d.pk != barrio.pk and d.boundary]
    window, units, _excluded = barrio_counts([barrio, *pool], store, start, end)
    if not units or units[0]["id"] != barrio.pk:
        return unavailable("no_boundary")
    treated, candidates = units[0], [u for u in units[1:] if u["start"] is None]
    launch = treated["start"]
    if launch is None or not 2 <= launch < window.n_months:
        return unavailable("launch_outside_window")
    candidates = _closest(treated["count"][:launch], candidates, MAX_DONORS)
    if len(candidates) < 2:
        return unavailable("no_donors")
    try:
        result = synthetic_control(
            treated["count"],
            [[u["count"][i] for u in candidates] for i in range(window.n_months)],
            launch,
            [str(u["id"]) for u in candidates],
        )
    except SynthError as exc:
        return unavailable(exc.code)
    first = month_number(window.first)
    donors_out: list[DonorWeight] = sorted(
        (
            {"id": u["id"], "label": u["label"], "weight": round(float(w), 6)}
            for u, w in zip(candidates, result.weights, strict=True)
        ),
        key=lambda d: (-d["weight"], d["label"]),
    )
    return {
        "available": True,
        "months": [month_label(month_from_number(first + i)) for i in range(window.n_months)],
        "launch_month": month_label(month_from_number(first + launch)),
        "donors": donors_out,
        "result": result.as_dict(),
    }


def _closest(pre: list[int], candidates: list[Any], limit: int) -> list[Any]:
    """The ``limit`` candidates whose pre-launch series are closest to ``pre``."""

    def distance(unit: Any) -> float:
        return sum((a - b) ** 2 for a, b in zip(unit["count"], pre, strict=False))

    return sorted(candidates, key=lambda u: (distance(u), u["id"]))[:limit]
