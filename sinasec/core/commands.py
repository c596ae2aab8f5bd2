"""Support shared by the domain commands: who is acting, progress bars, errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from sinasec.core.errors import AccessDenied, EditConflict, ImportRejected
from sinasec.core.imports import Progress

SYSTEM_USERNAME = "sistema"


def add_actor_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        default=settings.CLI_USER or SYSTEM_USERNAME,
        metavar="USERNAME",
        help=(
            "account the change is recorded under in the audit log, with that account's "
            f"permissions (default: $SINASEC_CLI_USER or '{SYSTEM_USERNAME}')"
        ),
    )


def resolve_actor(username: str) -> User:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("There is no active account named “%s”.") % username)
    return user


@contextmanager
def progress_bar(label: str, enabled: bool = True) -> Iterator[Progress]:
    """A ``progress(done, total)`` callback drawing a bar on stderr (not in pipes)."""
    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if not enabled:
            return
        if bar is None:
            bar = tqdm(total=total, desc=label, unit=_("rows"), file=sys.stderr, leave=False)
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the services' errors into a clear message and a non-zero exit code."""
    try:
        yield
    except ImportRejected as exc:
        lines = [_("The file was rejected; nothing was saved. Problems:")]
        lines += [f"  - {p}" for p in exc.problems]
        raise CommandError("\n".join(lines), returncode=3) from None
    except AccessDenied as exc:
        raise CommandError(str(exc), returncode=2) from None
    except EditConflict as exc:  # a parallel writer won; nothing was saved
        raise CommandError(str(exc), returncode=4) from None


def print_json(stdout: Any, data: object) -> None:
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
