"""Errors shared by every app, with the meaning views, the API and commands give them.

- ``AccessDenied``: the user may not read or write the object (HTTP 403, exit code 2).
- ``EditConflict``: somebody else saved the record since it was read (HTTP 409, exit
  code 4).
- ``ImportRejected``: a file had problems; nothing was written. Carries every problem
  with file, row, column and reason, so a user can fix the whole file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class AccessDenied(Exception):
    """The user may not read or write this object."""


class EditConflict(Exception):
    """The record changed since the user read it; their edit would overwrite it.

    ``expected`` is the version the user read (``None``: none, or not known) and
    ``current`` the record's version now; the API answers both with the 409."""

    def __init__(self, message: str, *, expected: int | None = None, current: int | None = None):
        super().__init__(message)
        self.expected = expected
        self.current = current


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


class ImportRejected(Exception):
    """A file was rejected as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
