"""The district of a monitored barrio, from the territories: its polygon and, per month,
its population and the year that population is from."""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from sinasec.analytics.monitoring import parse_boundary
from sinasec.analytics.population import pick_population_year
from sinasec.barrios.monitoring.store import Window
from sinasec.territories.models import Boundary, Population


def district_polygon(ubigeo: str | None) -> BaseGeometry | None:
    if not ubigeo:
        return None
    text = Boundary.objects.filter(territory_id=ubigeo).values_list("geometry", flat=True).first()
    return parse_boundary(text)


def district_population(ubigeo: str | None, window: Window) -> tuple[list, list]:
    """Per month: the district's population and the year it is from (``None``s when
    no year is close enough)."""
    n = window.n_months
    if not ubigeo:
        return [None] * n, [None] * n
    values = dict(Population.objects.filter(territory_id=ubigeo).values_list("year", "value"))
    people, years = [], []
    for label in window.labels:
        year = pick_population_year(values, int(label[:4]))
        people.append(values.get(year) if year is not None else None)
        years.append(year)
    return people, years
