"""What the two commands share: a help page laid out as written, and the services'
errors turned into a message and an exit code (never a traceback)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.db import DatabaseError
from django.utils.translation import gettext as _

from sinasec.backups.errors import BackupFailed, BackupRefused

EXIT_CODES = """\
exit codes:
  0  done
  1  failed on the way (a tool, the disk); no archive or a message saying what is left
  2  usage: a wrong option, a missing file or folder
  3  refused, nothing changed: a damaged or partial archive, another engine, or a
     target that is not empty
"""


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's order of options, with the description's paragraphs and examples kept."""


class DocumentedCommand(BaseCommand):
    """A command whose ``--help`` shows its description as written, then ``examples``
    and the exit codes. It reads no system checks: a restore target has no tables."""

    examples = ""
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("epilog", self.examples + EXIT_CODES)
        return super().create_parser(prog_name, subcommand, **kwargs)


@contextmanager
def backup_errors() -> Iterator[None]:
    try:
        yield
    except BackupRefused as exc:
        raise CommandError(str(exc), returncode=3) from None
    except BackupFailed as exc:
        raise CommandError(str(exc), returncode=1) from None
    except DatabaseError as exc:  # not reachable, no such database, no permission
        raise CommandError(_("The database failed: %s") % exc, returncode=1) from None
    except OSError as exc:  # a full disk, a folder not writable
        raise CommandError(_("Reading or writing a file failed: %s") % exc, returncode=1) from None
