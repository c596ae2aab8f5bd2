"""Scorecard pages: one committee's (web and A4 PDF) and a region's in one PDF.

Reads only; access through the getters in ``access`` (the committees' own rule)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.core.exports import PDF_TYPE, attachment_response
from sinasec.core.params import SupportedDateField
from sinasec.scorecards.access import (
    get_region_for_user,
    get_scorecard_committee_for_user,
    printable_regions,
)
from sinasec.scorecards.selectors import Scorecard, scorecard, scorecards


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


def render_pdf(request: HttpRequest | None, cards: list[Scorecard], title: str) -> bytes:
    """One A4 document holding every scorecard, each starting on a new page."""
    from weasyprint import HTML  # imported here: it needs the system's pango

    html = render_to_string(
        "scorecards/scorecards_pdf.html",
        {"cards": cards, "title": title, "pdf": True},
        request=request,
    )
    return HTML(string=html).write_pdf()


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
    """Every scorecard of a region (``?region=CODE``) in one PDF, rendered as one
    document (bench/scorecards_region.py: faster than a render per committee merged)."""
    found, committees = get_region_for_user(request.user, request.GET.get("region", "")[:4])
    as_of = _as_of(request)
    title = _("Scorecards of the committees of %(region)s") % {"region": found.name}
    pdf = render_pdf(request, scorecards(committees, as_of), title)
    return attachment_response(pdf, f"fichas-{found.code}-{as_of.isoformat()}.pdf", PDF_TYPE)
