"""Scorecard pages: one committee's (web and A4 PDF) and a region's in one PDF.

Reads only; access through the getters in ``access`` (the committees' own rule)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.core.exports import PDF_TYPE, attachment_response, stored_file_response
from sinasec.core.params import SupportedDateField
from sinasec.jobs.access import get_job_for_user
from sinasec.jobs.models import Job
from sinasec.jobs.services import enqueue_job
from sinasec.scorecards.access import (
    get_region_for_user,
    get_scorecard_committee_for_user,
    printable_regions,
)
from sinasec.scorecards.jobs import result_name
from sinasec.scorecards.render import render_pdf
from sinasec.scorecards.selectors import scorecard


def _as_of(request: HttpRequest) -> date:
    """``?al=YYYY-MM-DD`` (today by default); a date that is not valid is a 400."""
    raw = request.GET.get("al", "")
    try:
        value = SupportedDateField(required=False).clean(raw)
    except ValidationError as exc:
        raise BadRequest(
            _("The date %(value)s is not valid: %(reason)s")
            % {"value": raw, "reason": " ".join(exc.messages)}
        ) from exc
    return value or timezone.localdate()


@login_required
def committee(request: HttpRequest, committee_id: int) -> HttpResponse:
    found = get_scorecard_committee_for_user(request.user, committee_id)
    as_of = _as_of(request)
    return render(
        request,
        "scorecards/scorecard.html",
        {"card": scorecard(found, as_of), "as_of": as_of},
    )


@login_required
def committee_pdf(request: HttpRequest, committee_id: int) -> HttpResponse:
    found = get_scorecard_committee_for_user(request.user, committee_id)
    as_of = _as_of(request)
    pdf = render_pdf(request, [scorecard(found, as_of)], found.name)
    return attachment_response(pdf, f"ficha-{found.ubigeo}-{as_of.isoformat()}.pdf", PDF_TYPE)


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    """The regions whose scorecards the user may print, with the date to print them at."""
    return render(
        request,
        "scorecards/regions.html",
        {
            "regions": printable_regions(request.user),
            "chosen": request.GET.get("region", ""),
            "as_of": _as_of(request),
        },
    )


@login_required
def region_pdf(request: HttpRequest) -> HttpResponse:
    """Every scorecard of a region (``?region=CODE``) in one PDF, made by the worker
    (``jobs.run_region_pdf``): the page goes to the job's page, which links to the file."""
    found, _committees = get_region_for_user(request.user, request.GET.get("region", "")[:4])
    as_of = _as_of(request)
    job = enqueue_job(
        request.user, Job.Kind.SCORECARDS_PDF, {"region": found.code, "al": as_of.isoformat()}
    )
    return redirect("jobs:detail", job.pk)


@login_required
def job_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    """A finished region PDF, to whoever may read its job (who started it, national
    administrators) and still prints that region."""
    found = Job.objects.filter(kind=Job.Kind.SCORECARDS_PDF, result__url=request.path).first()
    if found is None or not default_storage.exists(result_name(token)):
        raise Http404(_("There is no such file."))
    job = get_job_for_user(request.user, found.pk)
    get_region_for_user(request.user, str(job.params["region"]))
    name = f"fichas-{job.params['region']}-{job.params['al']}.pdf"
    return stored_file_response(default_storage.open(result_name(token)), name, PDF_TYPE)
