"""A bounded breadth-first crawl of the site as one user, through Django's test client.

Follows every same-site link (GET only) from the start page, skipping downloads, the
API's machine endpoints, static and media files, the language switch and the log-out;
records every page that answered 403 or 500 with the page that linked to it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Downloads and non-pages: following them proves nothing about links and costs time.
SKIPPED = re.compile(
    r"^/(static|media|i18n)/|/salir/|\.(csv|xlsx|pdf|geojson|json|zip|png|svg)$|^/api/v1/(?!docs$)"
)
# Links that differ only in numbers or query values are the same page shape: a few of
# each shape show whether it answers, without crawling 1,893 districts.
PER_SHAPE = 3


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _same_site(href: str) -> str | None:
    url, _ = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return re.sub(r"\d+", "#", parts.path) + "?" + "&".join(keys)


def route_shape(url: str) -> str:
    """The URL pattern a link resolves to, with its query's keys: every institution's
    page (``/instituciones/PNP/``, ``/instituciones/MINSA/``) is one shape."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        return _shape(url)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return route + "?" + "&".join(keys)


@dataclass
class Crawl:
    visited: dict[str, int] = field(default_factory=dict)  # url -> status
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # url, status, from

    def count(self, status: int) -> int:
        return sum(1 for s in self.visited.values() if s == status)


def crawl(
    client: Client,
    start: str = "/",
    limit: int = 300,
    visit: Callable[[str, str], None] | None = None,
    per_shape: int = PER_SHAPE,
    shape_of: Callable[[str], str] = _shape,
) -> Crawl:
    """Crawl from ``start``; ``visit(url, html)`` is called with every HTML page read;
    at most ``per_shape`` links of each shape (``shape_of``) are followed."""
    result = Crawl()
    queue: deque[tuple[str, str]] = deque([(start, "")])
    seen = {start}
    shapes: dict[str, int] = {}
    client.raise_request_exception = False
    while queue and len(result.visited) < limit:
        url, referrer = queue.popleft()
        response = client.get(url)
        result.visited[url] = response.status_code
        if response.status_code in (403, 500):
            result.broken.append((url, response.status_code, referrer))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if visit is not None:
            visit(url, html)
        for href in links_of(html):
            target = _same_site(href)
            if target is None or target in seen:
                continue
            shape = shape_of(target)
            if shapes.get(shape, 0) >= per_shape:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return result
