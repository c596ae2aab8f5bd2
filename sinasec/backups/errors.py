"""What can stop a backup or a restore, and the exit code each one gives.

- ``BackupRefused`` (exit code 3): the archive is damaged, partial or of another engine,
  or the target deployment is not empty. Nothing was changed.
- ``BackupFailed`` (exit code 1): a tool or the disk failed on the way (``pg_dump``
  could not connect, the disk is full...). A backup leaves no archive behind.
"""

from __future__ import annotations


class BackupRefused(Exception):
    """The archive or the target is not fit; nothing was changed."""


class BackupFailed(Exception):
    """Something failed while working; the message says what."""
