"""Before ranking: a run whose indicators have no value at all for the year is refused
(it would rank every unit at 0 in code order and offer "create barrio" for the first),
saying which data to load; an indicator without values, or with some unknown, is
warned about by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sinasec.analytics.targeting.index import TargetingError, TargetingParams, indicator_label
from sinasec.observatory.models import CrimeCount
from sinasec.territories.models import Population


def _loaded(years: Any) -> str:
    found = sorted(set(years))
    return ", ".join(str(y) for y in found) if found else _("none")


def what_to_load(parameters: TargetingParams, key: str) -> str:
    """The data an indicator of ``parameters.year`` needs, and the years loaded now."""
    year = parameters.year
    if parameters.unit != "district":
        return _("import the incidents of %(year)d on the observatory's import page") % {
            "year": year
        }
    counts = _("import the crime counts of %(year)d per district (loaded: %(years)s)") % {
        "year": year,
        "years": _loaded(
            CrimeCount.objects.filter(territory__isnull=False).values_list("year", flat=True)
        ),
    }
    if key != "rate":
        return counts
    return _("%(counts)s and the population of %(year)d (loaded: %(years)s)") % {
        "counts": counts,
        "year": year,
        "years": _loaded(y for (y,) in Population.objects.values_list("year").distinct()),
    }


def check_values(parameters: TargetingParams, snapshot: Mapping[str, Any]) -> list[str]:
    """Raise ``TargetingError`` when no indicator has a value for any unit; else the
    warnings to add to the run's notes (one per indicator with unknown values)."""
    units = snapshot.get("units")
    if not isinstance(units, list) or not units:
        return []  # a grid (its zeros are counts), or nothing left after the filters
    names = snapshot.get("category_names", {})
    known = {
        i.key: sum(1 for u in units if u["values"].get(i.key) is not None)
        for i in parameters.indicators
    }
    if not any(known.values()):
        needs = "; ".join(
            dict.fromkeys(what_to_load(parameters, i.key) for i in parameters.indicators)
        )
        raise TargetingError(
            _("No indicator has a value for %(year)d, so there is nothing to rank: %(needs)s.")
            % {"year": parameters.year, "needs": needs}
        )
    notes = []
    for choice in parameters.indicators:
        label = _(indicator_label(choice.key, names))
        if known[choice.key] == 0:
            notes.append(
                _(
                    "%(indicator)s has no value for %(year)d (it counts 0 for every unit): %(needs)s."
                )
                % {
                    "indicator": label,
                    "year": parameters.year,
                    "needs": what_to_load(parameters, choice.key),
                }
            )
        elif known[choice.key] < len(units):
            notes.append(
                _("%(indicator)s is unknown for %(n)d of %(total)d units (they count 0 for it).")
                % {
                    "indicator": label,
                    "n": len(units) - known[choice.key],
                    "total": len(units),
                }
            )
    return notes
