"""Cached public pages, correct under several app servers.

A page decorated with :func:`cached_public_page` is rendered once per *data generation*
of its area and then served from Django's cache to anonymous visitors. The key holds
the area's generation (``CacheGeneration``, in the database), the language, today's
date (pages whose default date is today), the htmx flag and the full path with its
query, so a per-process cache (LocMemCache, the default) is as correct as a shared one:
no server can serve a page older than the data it shows, only one older by at most
``SINASEC_CACHE_GENERATION_SECONDS`` (the generations are read once per that interval
per process, so a hit costs no query).

Under a stream of writes (every committee event changes the compliance report) a page
keyed only by generation would be rendered again on almost every visit. So an entry also
remembers when it was rendered: once its data changed, it is still served for what is
left of ``SINASEC_PAGE_REFRESH_SECONDS`` after that render, while one request (per cache)
renders it again and the others keep getting the previous one. A visitor may thus see
figures that old, never older; with the setting at 0 every write shows at once. Pages
whose data did not change are served until ``SINASEC_PAGE_CACHE_SECONDS``.

Writes call :func:`bump_generation` inside their own transaction, as its last statement:
the new generation commits with the data or not at all (an ``on_commit`` bump would be
lost if the process died between the commit and the callback).

Signed-in users never get a cached page (their pages show links of their role and
scope), nor do requests carrying a flash message. The CSRF token of the cached page
is replaced on every hit by the visitor's own.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from sinasec.core.models import CacheGeneration

AREAS = ("committees", "observatory", "territories")
CSRF_PLACEHOLDER = b"__sinasec_csrf_token__"
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HIT_HEADER = "X-SINASEC-Cache"

View = Callable[..., HttpResponse]


class _Generations:
    """The generations last read from the database, and when (per process)."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}
        self.read_at = float("-inf")
        self.lock = threading.Lock()

    def current(self) -> dict[str, int]:
        if time.monotonic() - self.read_at < settings.CACHE_GENERATION_SECONDS:
            return self.values
        with self.lock:
            if time.monotonic() - self.read_at >= settings.CACHE_GENERATION_SECONDS:
                self.values = _sums(CacheGeneration.objects.values_list("area", "value"))
                self.read_at = time.monotonic()
        return self.values

    def forget(self) -> None:
        self.read_at = float("-inf")


_generations = _Generations()


def generation(area: str) -> int:
    return _generations.current().get(area, 0)


def forget_generations() -> None:
    """Read the generations again on the next request (tests; this process's writes)."""
    _generations.forget()


def bump_generation(*areas: str) -> None:
    """Mark the pages of ``areas`` as changed. Call it inside the write's transaction,
    last: the row stays locked only until the commit, and commits with the data."""
    for area in sorted(set(areas)):  # one order everywhere: no deadlock between writers
        if area not in AREAS:
            raise ValueError(f"unknown cache area {area!r}")
        row = f"{area}{SHARD_MARK}{_shard()}"
        if not CacheGeneration.objects.filter(area=row).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    CacheGeneration.objects.create(area=row, value=1)
            except IntegrityError:  # created meanwhile by another writer
                CacheGeneration.objects.filter(area=row).update(value=F("value") + 1)
    forget_generations()
    transaction.on_commit(forget_generations)


# An area's generation is the sum of several counter rows. One row would make every
# writer of the area wait for the one before it to commit (a committee event holds the
# row lock until its commit, and under load its thread waits for the GIL meanwhile);
# each thread bumps its own of SHARDS rows, always the same one, so a transaction that
# bumps twice locks one row, and two transactions never wait for each other in a cycle.
SHARDS = 16
SHARD_MARK = "#"
_thread = threading.local()


def _shard() -> int:
    shard: int | None = getattr(_thread, "shard", None)
    if shard is None:
        where = f"{os.getpid()}:{threading.get_ident()}".encode()
        shard = _thread.shard = zlib.crc32(where) % SHARDS
    return shard


def _sums(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Each area's generation: the sum of its rows (``committees`` as first created,
    ``committees#3`` a shard), which grows with every committed bump."""
    sums: dict[str, int] = {}
    for row, value in rows:
        area = row.split(SHARD_MARK, 1)[0]
        sums[area] = sums.get(area, 0) + value
    return sums


def page_key(request: HttpRequest) -> str:
    """The key of a page: its path with the query, the language, today and the htmx flag.
    The data generations it was rendered under are stored in the entry."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    htmx = request.headers.get("HX-Request") == "true"
    return f"page:{get_language()}:{date.today().isoformat()}:{int(htmx)}:{path}"


def generations_of(*areas: str) -> str:
    """What a page showing the data of ``areas`` depends on: any write to one changes it."""
    return ":".join(f"{area}{generation(area)}" for area in areas)


def _usable(key: str, entry: dict[str, Any] | None, generations: str) -> str | None:
    """How the entry may be served: "hit" (current data), "stale" (the data changed, but
    the entry was rendered less than the refresh interval ago, or another request is
    already rendering it again) or None (render it)."""
    if entry is None or "generations" not in entry:
        return None
    if entry["generations"] == generations:
        return "hit"
    refresh = settings.PAGE_REFRESH_SECONDS
    if refresh <= 0:
        return None
    if time.time() - entry["rendered_at"] < refresh:
        return "stale"
    # One request renders it again; the others keep the previous page meanwhile.
    return None if cache.add(key + ":rendering", 1, refresh) else "stale"


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def _stored(response: HttpResponse, generations: str) -> dict[str, Any] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    content = response.content
    token = _CSRF_FIELD.search(content)
    if token:
        content = content.replace(token.group(1), CSRF_PLACEHOLDER)
    return {
        "content": content,
        "headers": dict(response.headers.items()),
        "generations": generations,
        "rendered_at": time.time(),
    }


def _served(request: HttpRequest, entry: dict[str, Any], how: str) -> HttpResponse:
    content: bytes = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    response["Content-Length"] = str(len(content))
    response[HIT_HEADER] = how
    return response


def cached_public_page(*areas: str) -> Callable[[View], View]:
    """Serve the view's anonymous GET responses from the cache, keyed by the data
    generations of ``areas`` (see the module's docstring)."""
    unknown = [area for area in areas if area not in AREAS]
    if unknown or not areas:
        raise ValueError(f"unknown cache areas {unknown!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key, generations = page_key(request), generations_of(*areas)
            entry = cache.get(key)
            how = _usable(key, entry, generations)
            if how is not None:
                return _served(request, entry, how)
            response = view(request, *args, **kwargs)
            stored = _stored(response, generations)
            if stored is not None:
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
                cache.delete(key + ":rendering")
                response[HIT_HEADER] = "miss"
            return response

        return wrapper

    return decorate
