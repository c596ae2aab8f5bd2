"""axe-core (vendored: sinasec/static/vendor/axe-core-*.min.js) on the main pages, in real
Chromium, as every role of the cast and the public, in Spanish and English: no serious or
critical violation (contrast, names, labels, landmarks, ARIA...). The failure lists page,
role, language, rule and the elements it found.

The pages' HTML is read first through Django's test client and cut in two: the page's
<main> and the frame around it (menu, session, footer: the same on every page of a reader).
A page is opened in the browser only when one of the two (minus the CSRF tokens, the
reader's name and the page's own address) was not checked yet in that language: every
distinct content and every distinct frame is checked once, and the run stays short."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from sinasec.barrios.models import Barrio
from sinasec.committees.models import Committee
from sinasec.conftest import log_in
from sinasec.plans.models import Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AXE = sorted((Path(__file__).parents[2] / "static/vendor").glob("axe-core-*.min.js"))[-1]
ROLES = (
    "admin",
    "analyst",
    "barrio_team",
    "observatory_analyst",
    "secretary",
    "regional_secretary",
    "regional_admin",
    "focal_point",
    "other_focal_point",
    None,  # the public
)
LANGUAGES = ("es-pe", "en")

# axe's own rule set (WCAG 2.x A and AA and its best practices); only the serious and
# critical findings fail, the others are axe's advice.
RUN_AXE = """
async () => {
  const result = await window.axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                  more: Math.max(0, v.nodes.length - 5)}));
}
"""
# Leaflet and ECharts draw after the load event: axe reads what the user sees.
DRAWN = """
() => [...document.querySelectorAll("div#map, div#barrio-map")].every((m) => m.dataset.loaded)
  && [...document.querySelectorAll("figure[data-chart]")].every((f) => f.dataset.rendered)
"""
# What differs on every request or every page without changing what the reader gets.
VOLATILE = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": |name="next" value=)"[^"]*"')


def main_pages(committee: int, plan: int, national_plan: int, barrio: int) -> list[str]:
    """The start page, each module's list, a committee with its sessions, a plan's report
    pages, the observatory, compliance, the barrio pages, account, community pages, and
    the main forms."""
    return [
        "/",
        "/territorios/",
        "/territorios/150122/",
        "/instituciones/",
        "/servicios/",
        "/comites/",
        "/comites/cumplimiento/",
        f"/comites/{committee}/",
        f"/comites/{committee}/sesiones/",
        f"/comites/{committee}/consultas/",
        "/planes/",
        f"/planes/{plan}/reportar/",
        f"/planes/{plan}/avance/",
        f"/planes/{national_plan}/revision/",
        "/observatorio/",
        "/barrios/",
        f"/barrios/{barrio}/",
        f"/barrios/{barrio}/monitoreo/",
        "/barrios/focalizacion/",
        "/barrios/articulacion/",
        "/barrios/evaluacion/",
        "/comunidad/",
        "/comunidad/juntas/",
        "/comunidad/capacitaciones/",
        "/comunidad/proyectos/",
        "/cuentas/ingresar/",
        "/cuentas/yo/",
        "/cuentas/tokens/",
        "/cuentas/administrar/",
        "/cuentas/clave/cambiar/",
        "/auditoria/",
        "/avisos/",
        "/tareas/",
        # Forms of their own (the sessions' and community forms sit on the pages above).
        "/comites/importar/",
        "/planes/importar/",
        "/cuentas/administrar/nueva/",
    ]


def fingerprints(html: str, user: User | None) -> tuple[str, str]:
    """The digests of the page's frame and of its <main>."""
    html = VOLATILE.sub("", html)
    if user is not None:
        html = html.replace(user.get_full_name() or user.username, "")
    body, start, end = html.find("<body"), html.find("<main"), html.find("</main>")
    frame, main = html[body:start] + html[end:], html[start:end]  # <head>: the title
    return tuple(hashlib.sha256(part.encode()).hexdigest() for part in (frame, main))  # type: ignore[return-value]


def distinct_pages(
    user: User | None, language: str, paths: list[str], seen: set[str]
) -> Iterator[str]:
    """The paths (after redirects) showing a frame or a content not checked yet."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    for path in paths:
        response = client.get(path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        if "text/html" not in response.get("Content-Type", ""):
            continue
        keys = {language + digest for digest in fingerprints(response.content.decode(), user)}
        if not keys <= seen:
            seen |= keys
            yield final


def axe_violations(page: Any, path: str) -> list[dict[str, Any]]:
    response = page.goto(page.base + path)
    assert response is not None and response.status < 500, path
    page.wait_for_function(DRAWN)
    return page.evaluate(RUN_AXE)


def report(found: list[tuple[str, str, str, dict[str, Any]]]) -> str:
    lines = [f"{len(found)} serious or critical axe violations:"]
    for path, who, language, v in found:
        more = f" (+{v['more']} more)" if v["more"] else ""
        lines.append(f"{path} [{who}, {language}] {v['impact']} {v['id']}: {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"])
        if more:
            lines.append(f"   {more}")
    return "\n".join(lines)


@pytest.mark.usefixtures("reference_data", "population_2025", "records")  # in this order
def test_it_finds_no_serious_accessibility_violation_for_any_role_in_either_language(
    browser: Any,
    live_server: Any,
    request: pytest.FixtureRequest,
    national_plan: Plan,
    miraflores_plan: Plan,
) -> None:
    committee = Committee.objects.get(territory_id="150122")
    barrio = Barrio.objects.order_by("pk").first()
    assert barrio is not None
    paths = main_pages(committee.pk, miraflores_plan.pk, national_plan.pk, barrio.pk)
    started = time.monotonic()
    seen: set[str] = set()
    found: list[tuple[str, str, str, dict[str, Any]]] = []
    checked = 0
    for role in ROLES:
        user = request.getfixturevalue(role) if role else None
        # The pages run under their strict CSP: axe comes in as an init script, which
        # Playwright injects outside the page's policy (an add_script_tag would be blocked).
        context = browser.new_context(locale="es-PE")
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        if user is not None:
            log_in(page, user.username)
        for language in LANGUAGES:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.base}]
            )
            for path in distinct_pages(user, language, paths, seen):
                checked += 1
                for violation in axe_violations(page, path):
                    found.append((path, role or "public", language, violation))
        context.close()
    print(f"axe: {checked} distinct pages checked in {time.monotonic() - started:.0f} s")
    assert checked > len(paths)  # every role and language reached its pages
    assert found == [], report(found)


# The focused element, named as a selector, with the ring it shows.
FOCUSED = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, classes: [...el.classList],
          ring: el instanceof SVGElement ? "stroke " + style.strokeWidth
            : style.outlineStyle + " " + style.outlineWidth,
          top: el.getBoundingClientRect().top,
          text: el.textContent.trim().slice(0, 40)};
}
"""


@pytest.mark.usefixtures("reference_data")
def test_it_reaches_the_skip_link_first_and_the_map_controls_by_keyboard_with_a_ring(
    page: Any,
) -> None:
    page.goto(page.base + "/territorios/")
    page.wait_for_selector("#map[data-loaded=true]")
    assert page.get_attribute("html", "lang") == "es-pe"
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["classes"] == ["skip-link"] and first["text"] == "Saltar al contenido", first
    assert first["ring"] == "solid 3px" and first["top"] >= 0, first  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "content"  # past the menu
    reached = []
    for _ in range(150):  # the map, then its zoom buttons, follow the page's links
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.append(focused)
        if "leaflet-control-zoom-out" in focused["classes"]:
            break
    names = [" ".join(f["classes"]) for f in reached]
    assert any("leaflet-container" in n for n in names), names  # arrows pan, +/- zoom
    assert "leaflet-control-zoom-in" in " ".join(names), names
    # A territory's polygon (Leaflet makes them focusable) gets a thick outline instead.
    assert [f for f in reached if f["ring"] not in ("solid 3px", "stroke 4px")] == []
    # A chart: the name the server wrote (kept by charts.js) and its figures as a table.
    page.goto(page.base + "/comites/cumplimiento/")
    page.wait_for_function(DRAWN)
    charts = page.locator("figure[data-chart]")
    assert charts.count() > 0
    for i in range(charts.count()):
        canvas = charts.nth(i).locator(".chart-canvas")
        title = charts.nth(i).locator("figcaption strong").inner_text()
        assert canvas.get_attribute("role") == "img"
        assert (canvas.get_attribute("aria-label") or "").startswith(title + ": ")
        assert charts.nth(i).locator("details.chart-table table tbody tr").count() > 0
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.base}]
    )
    page.goto(page.base + "/servicios/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content("[data-testid=skip-link]") == "Skip to content"
