"""Before ranking: a run whose indicators have no value at all for the year is refused
(it would rank every unit at 0 in code order and offer "create barrio" for the first),
saying which data to load; an indicator without values, or with some unknown, is
warned about by name. Warnings are stored as codes with their values and worded when
shown, so a run made in English reads in Spanish for a Spanish reader."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from sinasec.analytics.targeting.index import TargetingError, TargetingParams, indicator_label
from sinasec.observatory.models import CrimeCount
from sinasec.territories.models import Population


def _loaded(years: Any) -> list[int]:
    return sorted(set(years))


def _years_text(years: list[int]) -> str:
    return ", ".join(str(y) for y in years) if years else _("none")


def needs_of(parameters: TargetingParams, key: str) -> dict[str, Any]:
    """The data an indicator of ``parameters.year`` needs and the years loaded now, as
    values (stored with a run's warning, put into words when shown)."""
    needs: dict[str, Any] = {"unit": parameters.unit, "year": parameters.year, "key": key}
    if parameters.unit != "district":
        return needs
    needs["counts"] = _loaded(
        CrimeCount.objects.filter(territory__isnull=False).values_list("year", flat=True)
    )
    if key == "rate":
        needs["population"] = _loaded(
            y for (y,) in Population.objects.values_list("year").distinct()
        )
    return needs


def needs_text(needs: Mapping[str, Any]) -> str:
    """What to load, in the reader's language."""
    year = needs["year"]
    if needs["unit"] != "district":
        return _("import the incidents of %(year)d on the observatory's import page") % {
            "year": year
        }
    counts = _("import the crime counts of %(year)d per district (loaded: %(years)s)") % {
        "year": year,
        "years": _years_text(needs.get("counts", [])),
    }
    if needs["key"] != "rate":
        return counts
    return _("%(counts)s and the population of %(year)d (loaded: %(years)s)") % {
        "counts": counts,
        "year": year,
        "years": _years_text(needs.get("population", [])),
    }


def what_to_load(parameters: TargetingParams, key: str) -> str:
    """The data an indicator of ``parameters.year`` needs, and the years loaded now."""
    return needs_text(needs_of(parameters, key))


def check_values(parameters: TargetingParams, snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Raise ``TargetingError`` when no indicator has a value for any unit; else the
    warnings to add to the run's notes (one per indicator with unknown values), as codes
    with their values (:func:`warning_text` words them in the reader's language)."""
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
    notes: list[dict[str, Any]] = []
    for choice in parameters.indicators:
        code = choice.key.removeprefix("count:")
        indicator = {"indicator": choice.key, "name": names.get(code, code)}
        if known[choice.key] == 0:
            loading = needs_of(parameters, choice.key)
            notes.append({"code": "indicator_no_value", **indicator, "needs": loading})
        elif known[choice.key] < len(units):
            missing = len(units) - known[choice.key]
            notes.append(
                {"code": "indicator_unknown", **indicator, "n": missing, "total": len(units)}
            )
    return notes


def warning_text(note: Mapping[str, Any]) -> str:
    """A stored warning of :func:`check_values` in the reader's language."""
    key = note["indicator"]
    label = _(indicator_label(key, {key.removeprefix("count:"): note["name"]}))
    if note["code"] == "indicator_no_value":
        return _(
            "%(indicator)s has no value for %(year)d (it counts 0 for every unit): %(needs)s."
        ) % {
            "indicator": label,
            "year": note["needs"]["year"],
            "needs": needs_text(note["needs"]),
        }
    return _("%(indicator)s is unknown for %(n)d of %(total)d units (they count 0 for it).") % {
        "indicator": label,
        "n": note["n"],
        "total": note["total"],
    }
