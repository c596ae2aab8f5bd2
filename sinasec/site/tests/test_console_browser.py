"""Zero console errors: as each role of the cast and as the public, in es-PE and in
English, every page reachable by following the site's own links is opened in real
Chromium, and none logs a console error, throws, or has a request fail (a network error,
or a same-origin file or data request answering 400 or more).

The links are found by the same crawler as the 403 crawl and the translation test
(``crawl.py``, through Django's test client as the same user); each page it reads is then
loaded in the browser. One page per link shape (one committee, one district, one plan),
not all 1,900 committees: the scripts are the same for every page of a shape.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from sinasec.site.tests.crawl import crawl, route_shape
from sinasec.site.tests.test_crawl import ROLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

LANGUAGES = {"es-pe": "es-PE", "en": "en"}
# Pages that are the same for every reader, opened by the first role only: the API's
# docs load the whole OpenAPI schema (2.5 s a time).
SAME_FOR_ALL = {"/api/v1/docs"}
# Maps fetch their GeoJSON after the load; a page is done when no request is pending and
# every map has drawn (or a request failed, which is reported anyway).
MAPS_DRAWN = """
() => Array.from(document.querySelectorAll("[data-geojson]"))
  .every(function (el) { return el.dataset.loaded === "true"; })
"""


@dataclass
class Watch:
    """What one browser tab reports while a page loads."""

    origin: str
    errors: list[str] = field(default_factory=list)
    pending: set[Any] = field(default_factory=set)

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"exception: {exc}"))
        page.on("request", lambda request: self.pending.add(request))
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console: {message.text} ({where})")

    def _failed(self, request: Any) -> None:
        self.pending.discard(request)
        # Leaving a page cancels what it still loads (the favicon, fetched after the
        # load event): the crawl's doing, not the page's.
        if request.failure == "net::ERR_ABORTED":
            return
        self.errors.append(f"request failed: {request.url} {request.failure}")

    def _response(self, response: Any) -> None:
        same_origin = response.url.startswith(self.origin)
        if same_origin and response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status}: {urlsplit(response.url).path}")


def settle(page: Any, watch: Watch, timeout: float = 10.0) -> None:
    """Wait until no request is pending and the maps have drawn (not a fixed sleep: most
    pages have nothing pending once loaded)."""
    deadline = time.monotonic() + timeout
    while watch.pending and time.monotonic() < deadline:
        page.wait_for_timeout(25)
    if page.locator("[data-geojson]").count():
        try:
            page.wait_for_function(MAPS_DRAWN, timeout=5_000)
        except Exception:  # a map that never draws: its request failed, or a script threw
            watch.errors.append("a map did not draw")


def errors_as(
    browser: Any, base: str, client: Client, language: str, opened: set[str]
) -> tuple[dict[str, list[str]], int]:
    """The errors of every page the client's user reaches, per page; and the page count.
    ``opened``: the pages of ``SAME_FOR_ALL`` already opened by another role."""
    context = browser.new_context(locale=LANGUAGES[language])
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is not None:
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(origin=base)
    watch.attach(page)
    found: dict[str, list[str]] = {}

    def visit(url: str, _html: str) -> None:
        if url in opened:
            return
        if url in SAME_FOR_ALL:
            opened.add(url)
        watch.errors.clear()
        response = page.goto(base + url, wait_until="load")
        assert response is not None, url
        settle(page, watch)
        if watch.errors:
            found[url] = list(watch.errors)

    result = crawl(client, limit=300, visit=visit, per_shape=1, shape_of=route_shape)
    context.close()
    return found, sum(1 for s in result.visited.values() if s == 200)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_it_logs_no_console_error_on_any_page_for_any_role(
    language: str, records: None, browser: Any, live_server: Any, request: pytest.FixtureRequest
) -> None:
    report, counts, opened = [], [], set[str]()
    start = time.monotonic()
    for role in ROLES:
        client = Client(headers={"accept-language": language})
        if role:
            user: User = request.getfixturevalue(role)
            client.force_login(user)
        found, pages = errors_as(browser, live_server.url, client, language, opened)
        counts.append(f"{role or 'public'}: {pages}")
        report += [
            f"{role or 'public'} {language} {url}: {error}"
            for url, errors in sorted(found.items())
            for error in errors
        ]
    print(f"{language}: pages per role {', '.join(counts)}; {time.monotonic() - start:.0f} s")
    assert not report, "\n".join(report)


def test_it_catches_a_console_error_an_exception_and_a_missing_file(page: Any) -> None:
    watch = Watch(origin=page.base)
    watch.attach(page)
    page.goto(page.base + "/servicios/")
    page.evaluate("console.error('boom')")
    page.evaluate("fetch('/static/sinasec/missing.js').catch(function () {})")
    page.evaluate("setTimeout(function () { throw new Error('thrown'); })")
    page.wait_for_timeout(200)
    settle(page, watch)
    assert {e.split(":")[0] for e in watch.errors} == {"404", "console", "exception"}
    assert any("boom" in e for e in watch.errors)
