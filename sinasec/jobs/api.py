"""The jobs API: the state of a job its owner (or a national administrator) started."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sinasec.accounts.auth import user_auth
from sinasec.core.schemas import ErrorOut
from sinasec.jobs.access import get_job_for_user
from sinasec.jobs.selectors import job_state

router = Router(tags=["jobs"], auth=user_auth)


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    finished: bool
    done: int
    total: int
    percent: int
    message: str
    file_name: str
    result: dict[str, Any] | None
    error: str
    created: str
    started: str | None
    finished_at: str | None


@router.get("/{job_id}", response={200: JobOut, 403: ErrorOut, 404: ErrorOut})
def get_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return job_state(get_job_for_user(request.user, job_id))
