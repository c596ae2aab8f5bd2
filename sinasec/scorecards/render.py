"""The scorecards as one A4 PDF: one HTML document (every card on its own page), one
WeasyPrint layout. Rendering a document per committee and merging their pages is 1.3x
slower (bench/scorecards_region.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.template.loader import render_to_string

from sinasec.scorecards.selectors import Scorecard


def render_pdf(
    request: HttpRequest | None,
    cards: list[Scorecard],
    title: str,
    on_laid_out: Callable[[], None] | None = None,
) -> bytes:
    from weasyprint import HTML  # imported here: it needs the system's pango

    html = render_to_string(
        "scorecards/scorecards_pdf.html",
        {"cards": cards, "title": title, "pdf": True},
        request=request,
    )
    document = HTML(string=html).render()
    if on_laid_out is not None:
        on_laid_out()
    return document.write_pdf()
