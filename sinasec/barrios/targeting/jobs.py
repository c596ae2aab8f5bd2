"""Targeting runs over the incident store (grid cells, custom polygons) started from the
page run in the background worker, through the same service as the page's district
runs; the job's result links to the stored run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from sinasec.analytics.targeting.index import TargetingError, TargetingParams
from sinasec.barrios.messages import error_text
from sinasec.barrios.targeting import services
from sinasec.barrios.targeting.polygons import read_polygons
from sinasec.core.imports import Progress
from sinasec.jobs.models import Job
from sinasec.jobs.runners import JobFailed, Outcome, runner

# Units counted from the incident store: seconds to a minute at national scale, so the
# page queues them; district runs read the aggregated counts and answer in the request.
BACKGROUND_UNITS = ("grid", "polygons")


@runner(Job.Kind.TARGETING_RUN)
def run_targeting_job(
    owner: User, params: dict[str, Any], path: Path | None, progress: Progress
) -> Outcome:
    try:
        targeting = TargetingParams.from_dict(params["targeting"])
        features = (
            read_polygons(targeting.polygons or path.name, path.read_bytes()) if path else None
        )
        progress(0, 1)
        run = services.run_and_store_targeting(owner, targeting, features)
    except TargetingError as exc:
        raise JobFailed(error_text(exc)) from exc
    progress(1, 1)
    ranked = int(run.results.get("summary", {}).get("ranked", 0))
    return Outcome(
        summary=_("Targeting run #%(run)d stored.") % {"run": run.pk},
        counts={"run": run.pk, "ranked": ranked},
        url=reverse("barrios:run", kwargs={"run_id": run.pk}),
        link_text=_("Open the run"),
    )
