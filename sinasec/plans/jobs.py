"""Plan files above ``SINASEC_JOB_THRESHOLD_MB`` uploaded on the import page are imported
by the background worker, through the same all-or-nothing service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from sinasec.core.imports import Progress
from sinasec.jobs.models import Job
from sinasec.jobs.runners import Outcome, runner, uploaded
from sinasec.plans.services import import_plan


@runner(Job.Kind.PLAN_IMPORT)
def run_plan_import(
    owner: User, params: dict[str, Any], path: Path | None, progress: Progress
) -> Outcome:
    name, data = uploaded(params, path, "plan")
    plan = import_plan(owner, name, data)
    return Outcome(
        summary=_("Plan imported. Its findings are shown beside it."),
        counts={"plan": plan.pk},
        url=reverse("plans:detail", kwargs={"plan_id": plan.pk}),
        link_text=_("Open the plan"),
    )
