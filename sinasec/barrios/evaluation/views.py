"""The staggered difference in differences over the barrios the user reads: the panel
and event-study estimate of :func:`sinasec.barrios.evaluation.did.panel_for_did`, as
tables (the command ``sinasec barrios did`` prints the same)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.analytics.monitoring import MonitoringError, month_from_number, month_key, month_number
from sinasec.barrios.access import get_barrios_for_user
from sinasec.barrios.evaluation.did import panel_for_did
from sinasec.barrios.messages import error_text
from sinasec.incidents import IncidentStore
from sinasec.observatory.access import can_import_crime_data
from sinasec.observatory.selectors import demo_incident_count

# Without a window asked for: the store's last five years at most (launches, with
# months before and after them, fit in it; the panel stays small).
DEFAULT_MONTHS = 60


def _default_window(store: IncidentStore) -> tuple[str, str] | None:
    partitions = store.partitions()
    if not partitions:
        return None
    first, last = month_number(min(partitions)), month_number(max(partitions))
    start = month_from_number(max(first, last - DEFAULT_MONTHS + 1))
    end = month_from_number(last)
    return f"{start[0]:04d}-{start[1]:02d}", f"{end[0]:04d}-{end[1]:02d}"


@login_required
def did(request: HttpRequest) -> HttpResponse:
    store = IncidentStore(settings.INCIDENTS_DIR)
    window = _default_window(store)
    start = request.GET.get("desde", "").strip() or (window[0] if window else "")
    end = request.GET.get("hasta", "").strip() or (window[1] if window else "")
    result, error = None, None
    if start and end:
        try:
            month_key(start), month_key(end)
            barrios = get_barrios_for_user(request.user).order_by("pk")
            result = panel_for_did(list(barrios), store, start, end)
        except MonitoringError as exc:
            error = error_text(exc)
    return render(
        request,
        "barrios/evaluation/did.html",
        {
            "form": {"desde": start, "hasta": end},
            "result": result,
            "error": error,
            "store_empty": window is None,
            "demo_incidents": demo_incident_count(),
            "panel_rows": [(u, sum(u["count"])) for u in result["barrios"]] if result else [],
            "can_import": can_import_crime_data(request.user),
        },
    )
