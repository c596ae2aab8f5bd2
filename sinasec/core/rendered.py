"""HTML rendered once per process and reused: pieces of a page that are the same for
every reader with the same key (a blank form, the top bar), where rendering them again
on every request was a large share of a signed-in page's CPU.

The key must hold everything the HTML shows (the language among it), so a changed input
is another key, never stale HTML; nothing of one reader may be in it (their values are
written in per request). A test that changes settings (URLs, languages, templates)
starts again with nothing kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.signals import setting_changed

T = TypeVar("T")


class RenderedOnce(Generic[T]):
    """At most ``limit`` pieces by key; past it, everything is dropped and rendered
    again as asked (keys change only when their inputs do: rare)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: dict[Hashable, T] = {}
        setting_changed.connect(self._forget, weak=False)

    def get(self, key: Hashable, render: Callable[[], T]) -> T:
        found = self.kept.get(key)
        if found is None:
            if len(self.kept) >= self.limit:
                self.kept.clear()
            found = self.kept[key] = render()
        return found

    def _forget(self, **kwargs: Any) -> None:
        self.kept.clear()
