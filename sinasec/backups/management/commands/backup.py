"""sinasec backup DIR: one archive of the whole deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from sinasec.backups.commands import DocumentedCommand, backup_errors
from sinasec.backups.services import create_backup

DESCRIPTION = """\
Back up the whole deployment into one file, DIR/sinasec-backup-<UTC time>.tar:

  database.dump       PostgreSQL: pg_dump --format=custom (password passed in the
                      environment, never on the command line)
  database.sqlite3    SQLite: a consistent copy made with the sqlite3 backup API
  media/...           every uploaded file (actas, evidence), read through Django's
                      storage API, wherever the storage keeps them
  incidents/...       the live version of the incident store (Parquet files)
  manifest.json       format version, time, engine, last migration of every app, row
                      counts per table, and the size and SHA-256 of every member

The database dump and its row counts come from one snapshot, taken while the site
keeps running. The archive is written under a temporary name and renamed when
complete: an interrupted backup leaves no file that looks like a backup. DIR is
created if missing. Restore it with `sinasec restore ARCHIVE`.
"""

EXAMPLES = """
examples:
  sinasec backup /srv/backups/sinasec
  SINASEC_DATABASE_URL=postgres://sinasec:...@db/sinasec sinasec backup /mnt/backups

"""


class Command(DocumentedCommand):
    help = DESCRIPTION
    examples = EXAMPLES

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", metavar="DIR", type=Path, help="folder for the archive")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("%s is not a folder") % directory, returncode=2)
        with backup_errors():
            summary = create_backup(directory, report=self.stderr.write)
        self.stdout.write(
            _("Backup written: %(path)s (%(files)d files, %(bytes)s bytes, %(seconds).1f s)")
            % {
                "path": summary.path,
                "files": summary.files,
                "bytes": f"{summary.bytes:,}",
                "seconds": summary.seconds,
            }
        )
