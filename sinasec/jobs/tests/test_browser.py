"""The job page in real Chromium: its script polls the state and moves the progress bar,
then shows the result when the job ends, with no CSP violation or console error."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from sinasec.conftest import log_in
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_the_progress_then_shows_the_result(page: Any, admin: User) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    job = enqueue_job(admin, Job.Kind.INCIDENTS_IMPORT, {}, file=ContentFile(b"x", name="a.csv"))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=10, total=100)
    log_in(page, admin.username)
    page.goto(f"{page.base}/tareas/{job.pk}/")
    assert page.get_attribute("[data-testid=job-progress]", "value") == "10"

    Job.objects.filter(pk=job.pk).update(done=60)
    # (expect() polls from Python: the page's policy forbids evaluating strings.)
    expect(page.locator("[data-job-field=done]")).to_have_text("60", timeout=10_000)
    assert page.get_attribute("[data-testid=job-progress]", "value") == "60"

    result = {"summary": "a.csv importado", "counts": {}, "url": "/observatorio/", "link_text": ""}
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=result)
    page.wait_for_selector("[data-testid=job-result]", timeout=10_000)
    assert page.inner_text("[data-testid=job-result]") == "a.csv importado"
    assert page.get_attribute("[data-testid=job-link]", "href") == "/observatorio/"
    assert errors == []
