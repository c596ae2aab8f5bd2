"""Reads of jobs: a user's own list, and the state the page polls and the API returns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sinasec.accounts.scope import AnyUser
from sinasec.jobs.models import Job


def jobs_of(user: AnyUser) -> QuerySet[Job]:
    """The jobs ``user`` started, newest first (none for the anonymous)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner_id=user.pk).order_by("-created", "-id")


def job_state(job: Job) -> dict[str, Any]:
    """Everything the job page shows, as JSON (the page polls it; the API returns it)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": str(job.get_kind_display()),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.is_finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "file_name": job.file_name,
        "result": job.result,
        "error": job.error,
        "created": job.created.isoformat(),
        "started": job.started.isoformat() if job.started else None,
        "finished_at": job.finished.isoformat() if job.finished else None,
    }
