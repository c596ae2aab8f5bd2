"""Cached public pages (core/cache.py): served from the cache to anonymous visitors,
never older than the refresh interval after a write, never served to signed-in users."""

from __future__ import annotations

import re
import time
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.test import Client, RequestFactory

import sinasec.core.cache as cache_module
from sinasec.committees.models import Committee
from sinasec.committees.services import MemberIn, record_swearing_in
from sinasec.conftest import login
from sinasec.core.cache import (
    HIT_HEADER,
    bump_generation,
    forget_generations,
    generation,
    page_key,
)
from sinasec.core.models import CacheGeneration

pytestmark = pytest.mark.django_db

COMPLIANCE = "/comites/cumplimiento/"
FILTERS = {"fecha": "2026-06-30", "indicador": "sworn"}


def _pending(response: Any) -> int:
    """The number of committees not sworn in yet, as the page's heading prints it."""
    found = re.search(r'<h2>[^<(]*\((\d+)\)</h2>\s*<ul data-testid="pending">', response.text)
    assert found, "the pending list's heading is not on the page"
    return int(found.group(1))


def test_it_serves_a_public_page_from_the_cache_without_a_query(
    client: Client, django_assert_num_queries
) -> None:
    first = client.get(COMPLIANCE, FILTERS)
    assert first.status_code == 200 and first[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(COMPLIANCE, FILTERS)
    assert second[HIT_HEADER] == "hit"
    assert second.content.count(b"CODISEC") == first.content.count(b"CODISEC") > 0
    other = client.get(COMPLIANCE, {**FILTERS, "indicador": "plan"})
    assert other[HIT_HEADER] == "miss"  # another query string is another page


def test_it_keys_by_language(client: Client) -> None:
    spanish = client.get(COMPLIANCE, FILTERS, HTTP_ACCEPT_LANGUAGE="es-PE")
    english = client.get(COMPLIANCE, FILTERS, HTTP_ACCEPT_LANGUAGE="en")
    assert english[HIT_HEADER] == "miss"
    assert b'lang="en"' in english.content and b'lang="es-pe"' in spanish.content


def test_it_shows_a_swearing_in_recorded_after_the_page_was_cached(
    client: Client, secretary: User
) -> None:
    miraflores = Committee.objects.get(level="district", ubigeo="150122")
    before = _pending(client.get(COMPLIANCE, FILTERS))
    assert _pending(client.get(COMPLIANCE, FILTERS)) == before  # a hit
    generation_before = generation("committees")
    record_swearing_in(
        secretary,
        miraflores.pk,
        date(2026, 3, 1),
        [MemberIn("Ana Pérez", "PNP", "")],
        document="Acta 1",
    )
    forget_generations()
    assert generation("committees") == generation_before + 1
    after = client.get(COMPLIANCE, FILTERS)
    assert after[HIT_HEADER] == "miss"
    assert _pending(after) == before - 1


def test_it_never_serves_the_anonymous_page_to_a_signed_in_user(
    client: Client, secretary: User
) -> None:
    anonymous = client.get(COMPLIANCE, FILTERS)
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "hit"
    login(client, secretary)
    signed_in = client.get(COMPLIANCE, FILTERS)
    assert HIT_HEADER not in signed_in
    assert b'data-testid="who"' in signed_in.content
    assert b'data-testid="who"' not in anonymous.content
    client.logout()
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "hit"  # still there for visitors


def test_it_gives_each_visitor_a_csrf_token_that_works() -> None:
    first = Client(enforce_csrf_checks=True)
    first.get(COMPLIANCE, FILTERS)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(COMPLIANCE, FILTERS)
    assert page[HIT_HEADER] == "hit"
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302  # a cached page's token from someone else: 403


def test_it_caches_the_observatory_and_its_downloads_until_its_data_changes(
    client: Client, django_assert_num_queries
) -> None:
    assert client.get("/observatorio/", {"nivel": "department"}).status_code == 200
    csv = client.get("/observatorio/datos.csv")
    assert csv[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/observatorio/datos.csv")
        assert client.get("/observatorio/", {"nivel": "department"})[HIT_HEADER] == "hit"
    assert again.content == csv.content
    assert again["Content-Disposition"] == csv["Content-Disposition"]
    bump_generation("observatory")
    assert client.get("/observatorio/datos.csv")[HIT_HEADER] == "miss"
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "miss"  # first visit
    bump_generation("observatory")
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "hit"  # another area


def test_it_reads_the_generations_at_most_once_per_interval(
    client: Client, settings, django_assert_num_queries
) -> None:
    settings.CACHE_GENERATION_SECONDS = 3600
    client.get(COMPLIANCE, FILTERS)
    before = generation("committees")
    # Another server's write: this process sees it only when the interval has passed.
    CacheGeneration.objects.create(area="committees#elsewhere", value=99)
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "hit"
    settings.CACHE_GENERATION_SECONDS = 0
    with django_assert_num_queries(1):  # the generations, then nothing else: a miss renders
        assert generation("committees") == 99 + before


def test_it_caches_the_public_start_page_until_any_of_its_areas_changes(
    client: Client, django_assert_num_queries
) -> None:
    assert client.get("/")[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        assert client.get("/")[HIT_HEADER] == "hit"
    for area in ("committees", "observatory", "territories"):
        bump_generation(area)
        assert client.get("/")[HIT_HEADER] == "miss", area  # each area it shows counts
        assert client.get("/")[HIT_HEADER] == "hit"


def _record_swearing_in(secretary: User) -> None:
    miraflores = Committee.objects.get(level="district", ubigeo="150122")
    record_swearing_in(
        secretary, miraflores.pk, date(2026, 3, 1), [MemberIn("Ana Pérez", "PNP", "")]
    )


def test_it_keeps_a_page_changed_by_a_write_for_the_rest_of_the_refresh_interval(
    client: Client, secretary: User, settings, django_assert_num_queries
) -> None:
    settings.PAGE_REFRESH_SECONDS = 30
    before = _pending(client.get(COMPLIANCE, FILTERS))
    _record_swearing_in(secretary)
    with django_assert_num_queries(1):  # the generations, read again after the write
        stale = client.get(COMPLIANCE, FILTERS)
    assert stale[HIT_HEADER] == "stale" and _pending(stale) == before


def test_it_renders_a_changed_page_again_once_the_interval_has_passed(
    client: Client, secretary: User, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PAGE_REFRESH_SECONDS = 30
    before = _pending(client.get(COMPLIANCE, FILTERS))
    _record_swearing_in(secretary)
    later = time.time() + 31
    monkeypatch.setattr("sinasec.core.cache.time.time", lambda: later)
    fresh = client.get(COMPLIANCE, FILTERS)
    assert fresh[HIT_HEADER] == "miss" and _pending(fresh) == before - 1
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "hit"


def test_it_lets_one_request_render_while_the_others_get_the_previous_page(
    client: Client, secretary: User, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PAGE_REFRESH_SECONDS = 30
    client.get(COMPLIANCE, FILTERS)
    _record_swearing_in(secretary)
    later = time.time() + 31
    monkeypatch.setattr("sinasec.core.cache.time.time", lambda: later)
    key = page_key(RequestFactory().get(COMPLIANCE, FILTERS))
    assert cache.add(key + ":rendering", 1, 30)  # another request is rendering it
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "stale"
    cache.delete(key + ":rendering")
    assert client.get(COMPLIANCE, FILTERS)[HIT_HEADER] == "miss"


def test_it_shows_a_write_at_once_on_a_page_rendered_before_the_interval(
    client: Client, secretary: User, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page rendered long ago, then a write: no lag (the interval counts from the
    render, so only a page rendered less than 30 s ago waits)."""
    settings.PAGE_REFRESH_SECONDS = 30
    before = _pending(client.get(COMPLIANCE, FILTERS))
    later = time.time() + 60
    monkeypatch.setattr("sinasec.core.cache.time.time", lambda: later)
    _record_swearing_in(secretary)
    after = client.get(COMPLIANCE, FILTERS)
    assert after[HIT_HEADER] == "miss" and _pending(after) == before - 1


def test_it_counts_an_area_over_its_rows_each_thread_bumping_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    CacheGeneration.objects.create(area="committees", value=5)  # a row from before shards
    before = {row.area: row.value for row in CacheGeneration.objects.all()}
    monkeypatch.setattr(cache_module._thread, "shard", 3, raising=False)
    with transaction.atomic():
        bump_generation("committees")
        bump_generation("committees", "observatory")  # its own row again: no cycle
    monkeypatch.setattr(cache_module._thread, "shard", 7)  # another thread's row
    bump_generation("committees")
    after = {row.area: row.value for row in CacheGeneration.objects.all()}
    assert after["committees#3"] == before.get("committees#3", 0) + 2
    assert after["committees#7"] == before.get("committees#7", 0) + 1
    assert after["committees"] == 5
    forget_generations()
    committees = sum(v for k, v in after.items() if k.split("#")[0] == "committees")
    assert generation("committees") == committees
    assert generation("observatory") == sum(
        v for k, v in after.items() if k.split("#")[0] == "observatory"
    )
