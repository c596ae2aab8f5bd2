"""What a monitoring request asks for (window, buffer, comparison barrios) and its
result, read the same way by the page, its CSV and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.barrios.access import get_comparison_barrios_for_user
from sinasec.barrios.models import Barrio
from sinasec.barrios.monitoring.series import (
    DEFAULT_BUFFER_M,
    MonitoringError,
    default_window,
    monitor_barrio,
    month_key,
)
from sinasec.barrios.monitoring.types import Monitoring
from sinasec.incidents import IncidentStore


@dataclass(frozen=True)
class Options:
    start: str
    end: str
    buffer_m: float
    comparison_ids: list[int] | None

    def query(self) -> str:
        query = QueryDict(mutable=True)
        query.update({"desde": self.start, "hasta": self.end, "buffer": f"{self.buffer_m:g}"})
        if self.comparison_ids is not None:
            query.setlist("comparacion", [str(i) for i in self.comparison_ids])
        return query.urlencode()


def read_options(
    store: IncidentStore, start: str, end: str, buffer: str, comparison: list[str]
) -> Options | None:
    """The window, buffer and comparison barrios asked for (the store's last 24 months,
    400 m and the most similar barrios by default); ``None`` when the store is empty
    and no window was given. Raises ``MonitoringError`` for values it cannot read."""
    window = default_window(store)
    start, end = start.strip(), end.strip()
    if not (start and end):
        if window is None:
            return None
        start = start or f"{window[0][0]:04d}-{window[0][1]:02d}"
        end = end or f"{window[1][0]:04d}-{window[1][1]:02d}"
    for value in (start, end):
        month_key(value)  # raises MonitoringError on a bad month
    raw_buffer = buffer.strip().replace(",", ".")
    try:
        buffer_m = float(raw_buffer) if raw_buffer else DEFAULT_BUFFER_M
    except ValueError:
        raise MonitoringError(_("The buffer must be a number of metres.")) from None
    ids = [i for i in comparison if i.strip()]
    if not all(i.strip().isdigit() for i in ids):
        raise MonitoringError(_("Choose comparison barrios from the list."))
    return Options(start, end, buffer_m, [int(i) for i in ids] if ids else None)


def monitoring_result(
    user: AnyUser | None, barrio: Barrio, start: str, end: str, buffer: str, comparison: list[str]
) -> tuple[Options | None, Monitoring | None]:
    """The options and the monitoring result (both ``None``: the store is empty and no
    window was given), compared only with barrios the user reads. Raises
    ``MonitoringError``."""
    store = IncidentStore(settings.INCIDENTS_DIR)
    options = read_options(store, start, end, buffer, comparison)
    if options is None:
        return None, None
    result = monitor_barrio(
        barrio,
        store,
        options.start,
        options.end,
        options.buffer_m,
        options.comparison_ids,
        among=get_comparison_barrios_for_user(user, barrio),
    )
    return options, result


def comparison_candidates(user: AnyUser | None, barrio: Barrio) -> QuerySet[Barrio]:
    """The barrios the page offers as comparisons: every other one with a boundary that
    the user reads."""
    return (
        get_comparison_barrios_for_user(user, barrio)
        .select_related("district")
        .defer("boundary", "note", "district__creation_law")
        .order_by("territory_label", "name", "pk")
    )
