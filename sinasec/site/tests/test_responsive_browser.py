"""The main page of every module, as each kind of user, on a phone (375 x 812) and a laptop
(1366 x 768) in es-PE: nothing makes the page wider than the window (wide tables scroll in
their own box), and on the phone the menu folds behind a "Menú" button that opens it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.committees.models import Committee
from sinasec.conftest import log_in
from sinasec.plans.services import load_national_plan_2010

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SIZES = ((375, 812), (1366, 768))

# When the page is wider than the window: the outermost elements sticking out on the right
# (the root causes: their parent fits), widest first, outside any box that scrolls by itself.
OVERFLOW = """
() => {
  const width = window.innerWidth;
  const doc = document.documentElement.scrollWidth;
  if (doc <= width) return null;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const sticks = (el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  const causes = [...document.body.querySelectorAll("*")]
    .filter((el) => sticks(el) && !(el.parentElement && sticks(el.parentElement)))
    .map((el) => [Math.round(el.getBoundingClientRect().right), name(el)])
    .sort((a, b) => b[0] - a[0]).slice(0, 3);
  return {doc, causes};
}
"""


def pages(plan_id: int, committee_id: int, barrio_id: int) -> list[str]:
    """A representative page of every module, with ids that exist."""
    return [
        "/",
        "/territorios/",
        "/territorios/150122/",
        "/comites/",
        "/comites/cumplimiento/",
        f"/comites/{committee_id}/",  # with the event form for its secretary
        "/planes/",
        f"/planes/{plan_id}/",
        f"/planes/{plan_id}/reportar/",
        f"/planes/{plan_id}/avance/",
        "/instituciones/",
        "/instituciones/PNP/",
        "/servicios/",
        "/observatorio/",
        "/barrios/",
        f"/barrios/{barrio_id}/",
        f"/barrios/{barrio_id}/monitoreo/",
        "/barrios/focalizacion/",
        "/auditoria/",
        "/cuentas/yo/",
        "/cuentas/administrar/",
        "/avisos/",
        "/tareas/",
    ]


def overflows(page: Any, base: str, paths: list[str], who: str) -> list[str]:
    """Every page at both sizes; one line per page wider than the window."""
    found = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.status < 500, (who, path)
            for map_id in ("map", "barrio-map"):  # Leaflet draws after the load
                if page.locator(f"div#{map_id}").count():
                    page.wait_for_selector(f"#{map_id}[data-loaded=true]")
            wide = page.evaluate(OVERFLOW)
            if wide:
                found.append(f"{who} {path} at {width}px: {wide['doc']}px wide, {wide['causes']}")
    return found


def check_menu(page: Any, base: str) -> None:
    """At 375 px the links hide behind "Menú"; the button (mouse or keyboard) shows them."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(base + "/servicios/")
    toggle = page.locator("[data-testid=menu-toggle]")
    links = page.locator("nav#main-nav a")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.inner_text().strip() == "Menú"
    assert not links.first.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert links.nth(i).is_visible() and box is not None, links.nth(i).inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, links.nth(i).inner_text()
    page.keyboard.press("Escape")  # closes, the focus back on the button
    assert toggle.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first link follows the button in the tab order
    assert page.evaluate("document.activeElement.closest('nav#main-nav') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "/territorios/"
    page.set_viewport_size({"width": 1366, "height": 768})
    assert not toggle.is_visible() and links.first.is_visible()


@pytest.mark.usefixtures("reference_data", "population_2025")  # in this order
def test_it_fits_every_main_page_in_a_phone_and_a_laptop_window_for_every_role(
    browser: Any, live_server: Any, admin: User, secretary: User, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2026", status=BarrioStatus.LAUNCHED
    )
    committee = Committee.objects.get(territory_id="150122")
    paths = pages(plan.pk, committee.pk, barrio.pk)
    found: list[str] = []
    menus = []
    for user in (admin, secretary, focal_point, None):
        context = browser.new_context(locale="es-PE")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        if user is not None:
            log_in(page, user.username)
        found += overflows(page, live_server.url, paths, user.username if user else "anonymous")
        if user in (admin, None):  # the longest menu and the shortest
            menus.append(page)
        else:
            context.close()
    assert found == [], "\n".join(found)
    for page in menus:
        check_menu(page, live_server.url)
        page.context.close()
