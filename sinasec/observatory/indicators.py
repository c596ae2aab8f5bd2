"""Indicators from the aggregated counts: totals, change between years, shares, rates
per 100,000 (with the population year used) and rankings."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from django.db.models import Count

from sinasec.analytics.population import pick_population_year
from sinasec.analytics.proportions import two_proportion_test, wilson_interval
from sinasec.committees.compliance import pct
from sinasec.observatory.models import CrimeCount, Source, Survey
from sinasec.observatory.types import (
    Hotspots,
    HotspotUnit,
    IndicatorTable,
    SurveyChange,
    SurveySeries,
    SurveyWavePoint,
    TerritoryFigure,
)
from sinasec.territories import selectors as territory_selectors
from sinasec.territories.models import Population, Territory

LEVEL_LENGTH = {"department": 2, "province": 4, "district": 6}
NEAREST_ANY = 1000  # years: "the nearest loaded year", however far


def pick_source(year: int, code: str | None = None) -> Source | None:
    """The source the figures of ``year`` come from: the one asked for, else the one with
    data for that year, real data before demo data, then the most records. Figures of
    different sources are never added together."""
    if code:
        return Source.objects.filter(code=code).first()
    candidates = (
        Source.objects.filter(counts__year=year)
        .annotate(n=Count("counts"))
        .order_by("is_demo", "-n", "code")
    )
    return candidates.first()


def _counts(
    year: int, length: int, category: str | None, source: Source | None = None
) -> tuple[dict[str, int], int | None]:
    """{territory prefix: count} from records at that level or below, and the national
    total the source printed (None if it printed none)."""
    rows = CrimeCount.objects.filter(year=year, source=source)
    if category:
        rows = rows.filter(category__code=category)  # all categories when none is asked
    totals: dict[str, int] = defaultdict(int)
    published = None
    for territory_id, scope, count in rows.values_list("territory_id", "scope", "count"):
        if territory_id is None:
            if scope == "PE":
                published = (published or 0) + count
            continue
        if len(territory_id) >= length:
            totals[territory_id[:length]] += count
    return dict(totals), published


def population_years() -> list[int]:
    """The years with an imported population, in order."""
    return sorted(set(Population.objects.values_list("year", flat=True)))


def population_for_year(
    year: int, length: int, max_gap: int = 0
) -> tuple[int | None, dict[str, int]]:
    """The population year used for counts of ``year`` and its population per territory
    prefix of ``length`` digits: by default that same year, ``(None, {})`` when it is
    not loaded; else the closest loaded year at most ``max_gap`` years away (the
    dashboard's "nearest loaded year", only when the user asks for it, and then said;
    targeting's documented three years)."""
    chosen = pick_population_year(population_years(), year, max_gap=max_gap)
    if chosen is None:
        return None, {}
    return chosen, territory_selectors.population_by_prefix(chosen, length)


def indicators(
    year: int,
    level: str = "department",
    category: str | None = None,
    source_code: str | None = None,
    nearest_population: bool = False,
) -> IndicatorTable:
    length = LEVEL_LENGTH[level]
    source = pick_source(year, source_code)
    counts, published = _counts(year, length, category, source)
    previous_counts, previous_published = _counts(year - 1, length, category, source)
    listed = sum(counts.values())
    national = published if published is not None else (listed if counts else None)
    previous = (
        previous_published
        if previous_published is not None
        else (sum(previous_counts.values()) or None)
    )
    population_year, population = population_for_year(
        year, length, NEAREST_ANY if nearest_population else 0
    )
    names = dict(Territory.objects.filter(ubigeo__in=list(counts)).values_list("ubigeo", "name"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    territories: list[TerritoryFigure] = []
    for rank, (ubigeo, count) in enumerate(ranked, start=1):
        people = population.get(ubigeo)
        territories.append(
            {
                "rank": rank,
                "ubigeo": ubigeo,
                "name": names.get(ubigeo, ubigeo),
                "count": count,
                "share_pct": pct(count, national) if national else None,
                "rate_per_100k": round(count * 100_000 / people, 1) if people else None,
                "population_year": population_year if people else None,
            }
        )
    return {
        "year": year,
        "level": level,
        "category": category,
        "source": source.name if source else None,
        "is_demo": bool(source and source.is_demo),
        "national_total": national,
        "national_total_is_published": published is not None,
        "listed_total": listed,
        "unlisted_remainder": (national - listed) if national is not None else None,
        "previous_total": previous,
        "change_pct": round((national - previous) * 100 / previous, 1)
        if national and previous
        else None,
        "territories": territories,
        # Why a rate is unknown, or that it uses another year's population (asked for).
        "population_year": population_year,
        "population_years": population_years(),
        "population_is_nearest": population_year is not None and population_year != year,
    }


def survey_series(code: str) -> SurveySeries:
    survey = Survey.objects.get(code=code)
    waves = list(survey.waves.order_by("year"))
    claims = {(c.from_year, c.to_year): c.text for c in survey.claims.all()}
    out: list[SurveyWavePoint] = []
    for wave in waves:
        p = float(wave.pct) / 100
        low, high = wilson_interval(p, wave.base)
        out.append(
            {
                "year": wave.year,
                "label": wave.label,
                "pct": float(wave.pct),
                "n": wave.base,
                "ci_low": round(low * 100, 1),
                "ci_high": round(high * 100, 1),
            }
        )
    changes: list[SurveyChange] = []
    for before, after in pairwise(waves):
        test = two_proportion_test(
            float(before.pct) / 100, before.base, float(after.pct) / 100, after.base
        )
        claim = claims.get((before.year, after.year))
        changes.append(
            {
                "from": before.year,
                "to": after.year,
                "difference_points": round(test.difference * 100, 1),
                "z": round(test.z, 2),
                "p_value": round(test.p_value, 3),
                "significant": test.significant,
                "published_claim": claim,
                "claim_supported": test.significant if claim else None,
            }
        )
    return {
        "indicator": code,
        "question": survey.question,
        "answer": survey.answer,
        "waves": out,
        "changes": changes,
    }


def territory_hotspots(
    year: int, level: str = "department", category: str | None = None, q: float = 0.05
) -> Hotspots:
    """Gi* over the territories with a count for ``year`` and an imported boundary
    (queen contiguity), with Benjamini-Hochberg at FDR ``q``. Territories without a
    count are left out (unknown is not zero)."""
    import numpy as np
    from shapely.geometry import shape

    from sinasec.analytics.hotspots import classify, gi_star, queen_weights_from_polygons
    from sinasec.territories.models import Boundary

    counts, _published = _counts(year, LEVEL_LENGTH[level], category, pick_source(year))
    polygons = dict(
        Boundary.objects.filter(territory_id__in=list(counts)).values_list(
            "territory_id", "geometry"
        )
    )
    units = sorted(u for u in counts if u in polygons)
    result: Hotspots = {
        "year": year,
        "level": level,
        "category": category,
        "q": q,
        "units": [],
    }
    if len(units) < 3:
        result["note"] = "fewer than three territories with a count and a boundary"
        return result
    import json

    weights = queen_weights_from_polygons(
        [shape(json.loads(polygons[u])) for u in units], tolerance=1e-4
    )
    gi = gi_star(np.array([counts[u] for u in units], dtype=float), weights)
    labels = classify(gi, q)
    names = dict(Territory.objects.filter(ubigeo__in=units).values_list("ubigeo", "name"))
    label_names = {1: "hot", -1: "cold", 0: "not_significant"}
    units_out: list[HotspotUnit] = [
        {
            "ubigeo": u,
            "name": names.get(u, u),
            "count": counts[u],
            "z": round(float(gi.z[i]), 4),
            "p": round(float(gi.p[i]), 4),
            "class": label_names[int(labels[i])],
        }
        for i, u in enumerate(units)
    ]
    result["units"] = units_out
    result["left_out"] = sorted(set(counts) - set(units))
    return result
