"""What each kind of job runs. The app that owns the work registers its runner
(``@runner(Job.Kind.X)`` in its ``jobs.py``, imported by its ``AppConfig.ready``), so
this low layer never imports the apps above it.

A runner gets the job's owner (it acts with their permissions, and the service it calls
audits the change under their name), the job's parameters, the uploaded file as a local
path (or ``None``) and a ``progress(done, total)`` callback. It calls one all-or-nothing
service and returns an ``Outcome``; anything it raises fails the job with nothing
written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from sinasec.core.imports import Progress, rejected


class JobFailed(Exception):
    """A runner's reason for failing that the user should read (already translated);
    like ``ImportRejected``, it is shown on the job page and not logged as a crash."""


@dataclass(frozen=True)
class Outcome:
    summary: str  # one sentence in the user's language
    counts: dict[str, int] = field(default_factory=dict)
    url: str = ""  # the page of what the job made
    link_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "counts": self.counts,
            "url": self.url,
            "link_text": self.link_text,
        }


def uploaded(params: dict[str, Any], path: Path | None, default: str) -> tuple[str, bytes]:
    """The uploaded file's name as the user gave it (``params["file_name"]``) and its
    bytes, for the importers that read a whole file; none: the file is refused."""
    name = str(params.get("file_name") or default)
    if path is None:
        raise rejected(name, _("No file was uploaded."))
    return name, path.read_bytes()


Runner = Callable[[User, dict[str, Any], Path | None, Progress], Outcome]
_RUNNERS: dict[str, Runner] = {}


def runner(kind: str) -> Callable[[Runner], Runner]:
    def register(function: Runner) -> Runner:
        _RUNNERS[kind] = function
        return function

    return register


def runner_for(kind: str) -> Runner:
    try:
        return _RUNNERS[kind]
    except KeyError:
        raise LookupError(f"no runner registered for job kind {kind!r}") from None
