"""Parser for the sessions and public consultations users bring as an Excel workbook
(or a CSV): one row per session.

Columns (Spanish names accepted): ubigeo, level (nivel), kind (tipo: ordinaria,
extraordinaria, consulta), date (fecha), place (lugar), agenda, public_attendance
(asistencia_publica: a consultation's citizens), citizen_topics (temas_ciudadanos),
attendance (asistencia: ``PNP:3; MINSA:2``), agreements (acuerdos: ``text | OWNER |
YYYY-MM-DD`` separated by ``;`` or line breaks).

It only reads and validates; it never writes. Every problem (file, row, column,
reason) is raised together as ``ImportRejected``: a bad file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sinasec.committees.importers import LEVELS, _unknown_committee
from sinasec.core.imports import FirstSeen, ProblemList, finish_rows, map_columns
from sinasec.core.tabular import Cell, cell_text, read_table
from sinasec.core.tabular import cell_date as _date
from sinasec.core.text import header_key
from sinasec.meetings.models import SessionKind

COLUMNS: dict[str, tuple[str, ...]] = {
    "ubigeo": ("ubigeo",),
    "level": ("level", "nivel"),
    "kind": ("kind", "tipo"),
    "date": ("date", "fecha"),
    "place": ("place", "lugar"),
    "agenda": ("agenda",),
    "public_attendance": ("public_attendance", "asistencia_publica"),
    "citizen_topics": ("citizen_topics", "temas_ciudadanos"),
    "attendance": ("attendance", "asistencia"),
    "agreements": ("agreements", "acuerdos"),
}
REQUIRED = ("ubigeo", "level", "kind", "date")
SPANISH = {"level": "nivel", "kind": "tipo", "date": "fecha"}
KINDS: dict[str, str] = {
    **dict.fromkeys(("ordinary", "ordinaria"), SessionKind.ORDINARY),
    **dict.fromkeys(("extraordinary", "extraordinaria"), SessionKind.EXTRAORDINARY),
    **dict.fromkeys(
        ("consultation", "consulta", "consulta_publica", "consulta_ciudadana"),
        SessionKind.CONSULTATION,
    ),
}
ITEMS = re.compile(r"[;\n]")
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class SessionRow:
    row: int
    committee_id: int
    kind: str
    held_on: date
    place: str = ""
    agenda: str = ""
    public_attendance: int | None = None
    citizen_topics: str = ""
    attendance: tuple[tuple[str, int], ...] = ()  # (acronym, people)
    agreements: tuple[tuple[str, str, date], ...] = ()  # (text, acronym, deadline)


def parse_sessions(
    data: bytes,
    file_name: str,
    committees: dict[tuple[str, str], int],
    institutions: set[str],
    today: date,
) -> list[SessionRow]:
    """The sessions of the file, validated against ``committees`` ((level, ubigeo) ->
    id) and ``institutions`` (upper-case acronyms)."""
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)
    columns = map_columns(
        header,
        COLUMNS,
        REQUIRED,
        file_name,
        problems,
        shown=lambda key: f"{key} / {SPANISH[key]}" if key in SPANISH else key,
    )
    if any(key not in columns for key in REQUIRED):
        problems.raise_if_any()
    rows: list[SessionRow] = []
    seen = FirstSeen()
    data_rows = 0
    for number, values in records:
        if not any(cell_text(v) for v in values):
            continue
        data_rows += 1
        row = _Row(number, values, columns, header, file_name, problems).parse(
            committees, institutions, today
        )
        if row is None:
            continue
        first = seen.earlier((row.committee_id, row.kind, row.held_on), number)
        if first is not None:
            problems.add(
                number,
                None,
                _("duplicate row: the same session is already in row %(first)d") % {"first": first},
                file_name,
            )
            continue
        rows.append(row)
    finish_rows(problems, data_rows > 0, file_name)
    return rows


class _Row:
    """One row of the file, its cells and the problems it adds."""

    def __init__(
        self,
        number: int,
        values: list[Cell],
        columns: dict[str, int],
        header: list[str],
        file_name: str,
        problems: ProblemList,
    ) -> None:
        self.number, self.values, self.columns = number, values, columns
        self.header, self.file_name, self.problems = header, file_name, problems
        self.ok = True

    def raw(self, key: str) -> Cell:
        index = self.columns.get(key)
        return self.values[index] if index is not None and index < len(self.values) else None

    def cell(self, key: str) -> str:
        return cell_text(self.raw(key))

    def fail(self, key: str, reason: str) -> None:
        column = self.header[self.columns[key]] if key in self.columns else key
        self.problems.add(self.number, column, reason, self.file_name)
        self.ok = False

    def parse(
        self, committees: dict[tuple[str, str], int], institutions: set[str], today: date
    ) -> SessionRow | None:
        for key in REQUIRED:
            if not self.cell(key):
                self.fail(key, _("a value is required"))
        committee_id = self._committee(committees)
        kind = KINDS.get(header_key(self.cell("kind")))
        if kind is None and self.cell("kind"):
            self.fail("kind", _("unknown kind: use ordinaria, extraordinaria or consulta"))
        held_on = _date(self.raw("date"))
        if held_on is None and self.cell("date"):
            self.fail("date", _("not a date: use YYYY-MM-DD or DD/MM/YYYY"))
        elif held_on is not None and held_on > today:
            self.fail("date", _("the date cannot be in the future"))
        public = self._public(kind)
        for key in ("place", "agenda", "citizen_topics"):
            if len(self.cell(key)) > (160 if key == "place" else TEXT_LIMIT):
                self.fail(key, _("too long"))
        attendance = self._attendance(institutions)
        agreements = self._agreements(institutions, held_on)
        if not self.ok or committee_id is None or kind is None or held_on is None:
            return None
        return SessionRow(
            row=self.number,
            committee_id=committee_id,
            kind=kind,
            held_on=held_on,
            place=self.cell("place"),
            agenda=self.cell("agenda"),
            public_attendance=public,
            citizen_topics=self.cell("citizen_topics"),
            attendance=attendance,
            agreements=agreements,
        )

    def _committee(self, committees: dict[tuple[str, str], int]) -> int | None:
        level = LEVELS.get(header_key(self.cell("level")))
        if level is None and self.cell("level"):
            self.fail("level", _("unknown level: use regional, provincial or district"))
        written = ubigeo = self.cell("ubigeo")
        if not ubigeo:
            return None
        if not (ubigeo.isdigit() and len(ubigeo) <= 6):
            self.fail("ubigeo", _("“%(value)s” is not a ubigeo") % {"value": ubigeo})
            return None
        if len(ubigeo) % 2:
            ubigeo = "0" + ubigeo  # a spreadsheet dropped the leading zero; unambiguous
        if level is None:
            return None
        committee_id = committees.get((level, ubigeo))
        if committee_id is None:
            self.fail("ubigeo", _unknown_committee(level, ubigeo, written))
        return committee_id

    def _public(self, kind: str | None) -> int | None:
        text = self.cell("public_attendance")
        if kind == SessionKind.CONSULTATION and not text:
            self.fail("public_attendance", _("a consultation needs its public attendance"))
        if kind != SessionKind.CONSULTATION and (text or self.cell("citizen_topics")):
            self.fail(
                "public_attendance",
                _("public attendance and citizens' topics are for a consultation"),
            )
        if not text:
            return None
        if not text.isdigit():
            self.fail("public_attendance", _("not a whole number"))
            return None
        return int(text)

    def _attendance(self, institutions: set[str]) -> tuple[tuple[str, int], ...]:
        found: dict[str, int] = {}
        for item in filter(None, (i.strip() for i in ITEMS.split(self.cell("attendance")))):
            acronym, _sep, people = (p.strip() for p in item.partition(":"))
            acronym = acronym.upper()
            if acronym not in institutions:
                self.fail("attendance", _("unknown institution: %s") % acronym)
            elif (people and not people.isdigit()) or people == "0":
                self.fail(
                    "attendance", _("“%(item)s”: people must be a whole number") % {"item": item}
                )
            elif acronym in found:
                self.fail("attendance", _("%(inst)s is listed twice.") % {"inst": acronym})
            else:
                found[acronym] = int(people or 1)
        return tuple(found.items())

    def _agreements(
        self, institutions: set[str], held_on: date | None
    ) -> tuple[tuple[str, str, date], ...]:
        found = []
        for item in filter(None, (i.strip() for i in ITEMS.split(self.cell("agreements")))):
            parts = [p.strip() for p in item.split("|")]
            deadline = _date(parts[2]) if len(parts) == 3 else None
            if len(parts) != 3 or not parts[0] or deadline is None:
                self.fail(
                    "agreements",
                    _("“%(item)s”: write each agreement as text | OWNER | YYYY-MM-DD")
                    % {"item": item[:60]},
                )
            elif parts[1].upper() not in institutions:
                self.fail("agreements", _("unknown institution: %s") % parts[1])
            elif held_on is not None and deadline < held_on:
                self.fail("agreements", _("an agreement's deadline is before the session"))
            else:
                found.append((parts[0], parts[1].upper(), deadline))
        return tuple(found)
