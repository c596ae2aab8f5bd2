"""sinasec restore ARCHIVE: a backup into an empty deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from sinasec.backups.commands import DocumentedCommand, backup_errors
from sinasec.backups.services import restore_backup

DESCRIPTION = """\
Restore an archive made by `sinasec backup` into this deployment, which must be empty:
a database with no tables (not even migrated), an empty file storage and an empty
incident store, as set by SINASEC_DATABASE_URL and the storage settings.

First the whole archive is verified, before anything is written: manifest.json present
and of a known format version, every member present with the size and SHA-256 the
manifest gives, the archive's engine the same as this deployment's, its migrations
known to this release. A damaged, truncated or partial archive is refused (exit 3),
naming the bad member, and so is a target that already holds data. Then the database
(pg_restore --no-owner in one transaction; SQLite: the copy moved into place), the
uploaded files (through the storage API) and the incident store are restored, and the
row count of every table is checked against the manifest.

Restoring across engines (a SQLite archive into PostgreSQL or back) is not supported.
An archive of an older release is restored as it was: run `sinasec migrate` after.
"""

EXAMPLES = """
examples:
  sinasec restore /srv/backups/sinasec/sinasec-backup-20261203T020000Z.tar
  SINASEC_DATABASE_URL=postgres://sinasec:...@db/sinasec_new \\
    sinasec restore sinasec-backup-20261203T020000Z.tar && sinasec migrate

"""


class Command(DocumentedCommand):
    help = DESCRIPTION
    examples = EXAMPLES

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="ARCHIVE", type=Path, help="a sinasec-backup-*.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        if not path.is_file():
            raise CommandError(_("%s: no such file") % path, returncode=2)
        with backup_errors():
            summary = restore_backup(path, report=self.stderr.write)
        self.stdout.write(
            _(
                "Restored: %(path)s (%(files)d files, %(rows)s rows in %(tables)d tables, %(seconds).1f s)"
            )
            % {
                "path": summary.path,
                "files": summary.files,
                "rows": f"{summary.rows:,}",
                "tables": summary.tables,
                "seconds": summary.seconds,
            }
        )
