"""The main pages under the strict Content-Security-Policy, in real Chromium: nothing
blocked (no inline script, style or handler left), no error in the console."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.conftest import log_in
from sinasec.plans.services import load_national_plan_2010

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# Recorded before any page script runs (Playwright injects it outside the page's policy).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def visit(page: Any, path: str, errors: list[str]) -> None:
    response = page.goto(page.base + path)
    assert response is not None and response.status == 200, path
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
    page.wait_for_load_state("networkidle")
    for map_id in ("map", "barrio-map"):  # drawn by our scripts, Leaflet included
        if page.locator(f"div#{map_id}").count():
            page.wait_for_selector(f"#{map_id}[data-loaded=true]")
    violations = page.evaluate("window.__csp")
    assert violations == [], (path, violations)
    assert errors == [], (path, errors)


@pytest.mark.usefixtures("reference_data", "population_2025")  # in this order
def test_it_shows_the_main_pages_to_the_admin_with_no_csp_violation_or_console_error(
    page: Any, admin: User
) -> None:
    plan = load_national_plan_2010()
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.LAUNCHED
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(WATCH_VIOLATIONS)
    log_in(page, admin.username)
    for path in (
        "/",
        "/territorios/",
        "/territorios/150122/",
        "/instituciones/",
        "/servicios/",
        "/comites/",
        "/comites/cumplimiento/",
        "/comites/importar/",
        "/planes/",
        f"/planes/{plan.pk}/",
        f"/planes/{plan.pk}/avance/",
        f"/planes/{plan.pk}/reportar/",
        f"/planes/{plan.pk}/revision/",
        "/planes/importar/",
        "/observatorio/",
        "/barrios/",
        f"/barrios/{barrio.pk}/",
        "/barrios/focalizacion/",
        "/barrios/articulacion/",
        "/auditoria/",
        "/cuentas/tokens/",
        "/avisos/",
        "/avisos/preferencias/",
        "/api/v1/docs",
    ):
        visit(page, path, errors)
    page.wait_for_selector(".swagger-ui .opblock")  # the docs page works under the policy
    assert page.evaluate("window.__csp") == [] and errors == []
    # The language picker submits on change from a static script, not an onchange="".
    page.goto(page.base + "/servicios/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("window.__csp") == [] and errors == []
