"""A job: work a user started that runs in the background worker (``sinasec worker``),
with its progress, its result or its error. The task queue's own row
(``django_tasks_db``) only says whether the worker ran it; this one is what people see."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def input_path(job: Job, name: str) -> str:
    """``jobs/<random>/<name>``: under one prefix of the shared storage, so any app
    server or the worker on another machine reads it; never two uploads in one place."""
    return f"jobs/{uuid.uuid4().hex}/{PurePosixPath(name).name}"


class Job(models.Model):
    class Kind(models.TextChoices):
        INCIDENTS_IMPORT = "incidents_import", _("Incident import")
        TARGETING_RUN = "targeting_run", _("Targeting run")
        BACKTEST = "backtest", _("Backtest")
        COMMITTEE_EVENTS_IMPORT = "committee_events_import", _("Committee events import")
        PLAN_IMPORT = "plan_import", _("Plan import")
        SCORECARDS_PDF = "scorecards_pdf", _("Scorecards of a region (PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    # What the runner needs besides the file (JSON: a targeting run's parameters...).
    params = models.JSONField(default=dict, blank=True)
    # The language the user started it in: the result and the error are written in it.
    language = models.CharField(max_length=10, default="es-pe")
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # {"summary": "...", "counts": {...}, "url": "/..."}: what was made and where it is.
    result = models.JSONField(null=True, blank=True)
    # A message for the user; the traceback goes to the logs only.
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Written while the job runs (progress, and every 30 s besides): a running job whose
    # heartbeat stopped lost its worker, and is failed by the next worker's sweep.
    heartbeat = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    file = models.FileField(upload_to=input_path, max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["owner", "-created"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0
