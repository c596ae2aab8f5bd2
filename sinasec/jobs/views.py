"""The jobs pages: my jobs, one job (its progress, then its result or error) and the
JSON state the job page's script polls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from sinasec.jobs.access import get_job_for_user
from sinasec.jobs.selectors import job_state, jobs_of

LIST_SIZE = 100


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/index.html", {"jobs": jobs_of(request.user)[:LIST_SIZE]})


@login_required
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    return render(request, "jobs/detail.html", {"job": job})


@login_required
def state(request: HttpRequest, job_id: int) -> JsonResponse:
    job = get_job_for_user(request.user, job_id)
    response = JsonResponse(job_state(job))
    response["Cache-Control"] = "no-store"
    return response
