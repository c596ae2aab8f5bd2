"""The observatory's background jobs: an incident file imported from the web page runs
in the worker, through the same all-or-nothing service as ``sinasec observatory import``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from sinasec.core.imports import Progress, rejected
from sinasec.jobs.models import Job
from sinasec.jobs.runners import Outcome, runner
from sinasec.observatory.services import import_incidents


@runner(Job.Kind.INCIDENTS_IMPORT)
def run_incident_import(
    owner: User, params: dict[str, Any], path: Path | None, progress: Progress
) -> Outcome:
    if path is None:
        raise rejected("", _("No file was uploaded."))
    result = import_incidents(owner, path, progress)
    return Outcome(
        summary=_("%(file)s imported: %(rows)d incidents, %(created)d new, %(updated)d replaced.")
        % {
            "file": result.file,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
        },
        counts={"rows": result.rows, "created": result.created, "updated": result.updated},
        url=reverse("observatory:index"),
        link_text=_("Open the observatory"),
    )
