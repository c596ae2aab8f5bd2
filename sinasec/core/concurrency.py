"""Concurrent writers: optimistic versions for records edited through a form or the
API, and locks that make two parallel imports of one target write once.

- A record edited by people carries ``version`` (an integer, 1 when created, one more
  on every save). The form or the API request carries the version it was read at; the
  service locks the row (``select_for_update``), calls :func:`check_version` and saves
  with the version one more: a stale edit raises ``EditConflict`` with both versions (HTTP 409, a message on the
  page), never a silent overwrite.
- An import first takes :func:`lock_target` on what it writes (a plan's year and
  committee, the committees of an events file), inside its transaction: a second
  import of the same target waits, then sees the first one's rows and writes nothing
  new. :func:`conflict_on_duplicate` turns a unique-constraint race left over into an
  ``EditConflict`` instead of a server error.
- A page whose edit meets a conflict keeps what the user typed (:func:`keep_typed`,
  in the session) and shows it again in its form (:func:`take_typed`) with the
  record's version now, beside messages with both versions and the fields that
  differ: saving once more applies it, knowingly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol

from django.contrib import messages
from django.db import IntegrityError, connection
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sinasec.core.errors import EditConflict

NONE = "—"  # the version of a record that did not exist


class Versioned(Protocol):
    version: int


def stale_edit(what: str, expected: int | None, current: int | None) -> EditConflict:
    """The refusal of an edit made from an old copy of ``what``, with both versions
    (``expected`` ``None`` or 0: the user saw no record; ``current`` ``None``: there is
    none now; both shown as ``NONE``)."""
    return EditConflict(
        _(
            "Someone changed %(what)s since you opened it (you opened version %(yours)s; "
            "it is now at version %(current)s). Nothing was saved: reload the page, check "
            "the changes and try again."
        )
        % {
            "what": what,
            "yours": expected or NONE,
            "current": current if current is not None else NONE,
        },
        expected=expected or None,
        current=current,
    )


def check_version(record: Versioned, expected: int | None, what: str) -> None:
    """Refuse a save of ``record`` (read with ``select_for_update``) made from another
    version than ``expected`` (``None``: not checked); the caller then saves it with
    ``version + 1``."""
    if expected is not None and record.version != expected:
        raise stale_edit(what, expected, record.version)


def lock_target(*key: object) -> None:
    """Hold a lock on a target named by ``key`` until the transaction ends, so the
    writers of one target (two parallel imports of one plan) take turns. PostgreSQL:
    a transaction-level advisory lock; SQLite serialises every writer already."""
    if connection.vendor != "postgresql":
        return
    text = "\x1f".join(map(str, key)).encode()
    number = int.from_bytes(hashlib.sha256(text).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


@contextmanager
def conflict_on_duplicate(what: str) -> Iterator[None]:
    """A unique constraint broken by a parallel writer (``IntegrityError``) becomes an
    ``EditConflict`` saying ``what`` was written meanwhile. Wrap a whole
    ``transaction.atomic()`` block: the transaction is rolled back first."""
    try:
        yield
    except IntegrityError:
        raise EditConflict(
            _(
                "Someone else saved %(what)s at the same time. Nothing was saved: reload "
                "the page and try again."
            )
            % {"what": what}
        ) from None


# --- after a conflict on a page ---------------------------------------------------------

TYPED_KEY = "sinasec.typed"  # the session's store of what users typed into refused edits


def keep_typed(
    request: HttpRequest,
    key: str,
    typed: Mapping[str, str],
    saved: Mapping[str, tuple[str, object]],
    conflict: EditConflict,
) -> None:
    """After ``conflict``: keep what the user typed (``typed``, field -> text) for the
    page they are sent back to, whose form shows it (:func:`take_typed`) with the
    record's version now, so that saving once more applies it; and say, besides the
    conflict and its two versions, every field where it differs from what is saved
    (``saved``: field -> (label, value now))."""
    messages.error(request, str(conflict))
    version = conflict.current if conflict.current is not None else NONE
    for field, (label, now) in saved.items():
        now_text = "" if now is None else str(now)
        if field in typed and typed[field].strip() != now_text.strip():
            messages.warning(
                request,
                _("%(field)s: you typed “%(yours)s”; version %(version)s holds “%(now)s”.")
                % {"field": label, "yours": typed[field], "version": version, "now": now_text},
            )
    messages.info(
        request,
        _(
            "What you typed is kept in the form: check it against the saved values and "
            "save again to apply it over version %(version)s."
        )
        % {"version": version},
    )
    stash = dict(request.session.get(TYPED_KEY, {}))
    stash[key] = dict(typed)
    request.session[TYPED_KEY] = stash


def take_typed(request: HttpRequest, key: str) -> dict[str, str]:
    """What the user typed into the edit ``key`` refused by a conflict (empty if none);
    shown once: taken out of the session."""
    stash = dict(request.session.get(TYPED_KEY, {}))
    typed = stash.pop(key, None)
    if typed is None:
        return {}
    request.session[TYPED_KEY] = stash
    return dict(typed)
