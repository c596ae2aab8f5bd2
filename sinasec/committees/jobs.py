"""Committee-event files above ``SINASEC_JOB_THRESHOLD_MB`` uploaded on the import page
are imported by the background worker, through the same all-or-nothing service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from sinasec.committees.services import import_events
from sinasec.core.imports import Progress
from sinasec.jobs.models import Job
from sinasec.jobs.runners import Outcome, runner, uploaded


@runner(Job.Kind.COMMITTEE_EVENTS_IMPORT)
def run_events_import(
    owner: User, params: dict[str, Any], path: Path | None, progress: Progress
) -> Outcome:
    name, data = uploaded(params, path, "eventos")
    result = import_events(owner, name, data, progress)
    counts = {k: int(v) for k, v in result.as_dict().items() if isinstance(v, int)}
    return Outcome(
        summary=_(
            "%(file)s imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged."
        )
        % result.as_dict(),
        counts=counts,
        url=reverse("committees:compliance"),
        link_text=_("Open the committees"),
    )
