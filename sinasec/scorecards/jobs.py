"""A region's scorecards PDF is made by the background worker: laying out 43 A4 pages
takes several seconds (bench/scorecards_region.py), longer than a page should wait. The
job page shows its progress, then links to the file (``views.job_pdf``)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from sinasec.core.imports import Progress
from sinasec.jobs.models import Job
from sinasec.jobs.runners import Outcome, runner
from sinasec.scorecards.access import get_region_for_user
from sinasec.scorecards.render import render_pdf
from sinasec.scorecards.selectors import scorecards

# Where the finished PDFs are kept (Django's storage, so a worker on another machine
# writes where the web server reads). The name holds a random token.
RESULTS = "jobs/scorecards"
STEPS = 3  # read the records, lay out the pages, write the file


def result_name(token: str) -> str:
    return f"{RESULTS}/{token}.pdf"


@runner(Job.Kind.SCORECARDS_PDF)
def run_region_pdf(
    owner: User, params: dict[str, Any], path: Path | None, progress: Progress
) -> Outcome:
    """The region's scorecards as of ``params["al"]``, checked again with the owner's
    permissions as the job runs."""
    region, committees = get_region_for_user(owner, str(params["region"]))
    as_of = date.fromisoformat(str(params["al"]))
    progress(0, STEPS)
    cards = scorecards(committees, as_of)
    progress(1, STEPS)
    title = _("Scorecards of the committees of %(region)s") % {"region": region.name}
    pdf = render_pdf(None, cards, title, on_laid_out=lambda: progress(2, STEPS))
    token = secrets.token_urlsafe(16)
    default_storage.save(result_name(token), ContentFile(pdf))
    progress(STEPS, STEPS)
    return Outcome(
        summary=_("%(n)d scorecards of %(region)s as of %(date)s, one A4 page each.")
        % {"n": len(cards), "region": region.name, "date": as_of.isoformat()},
        counts={"committees": len(cards)},
        url=reverse("scorecards:job_pdf", args=[token]),
        link_text=_("Download the PDF"),
    )
