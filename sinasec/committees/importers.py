"""Parser for the committee events users bring as a CSV or an Excel workbook: one row
per event (``ubigeo, level, event, date, year, person, document``).

It only reads and validates; it never writes. Every problem in the file is collected
(file, row, column, reason) and raised together as ``ImportRejected``, so a bad file
changes nothing and the user can fix it in one pass. Row numbers count the header as
row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.committees.models import ACRONYM, CommitteeLevel, EventKind
from sinasec.core.imports import FirstSeen, ProblemList, finish_rows, map_columns, too_long
from sinasec.core.peru import LIMA_METROPOLITANA
from sinasec.core.tabular import Cell, cell_date, cell_text, read_table
from sinasec.core.text import header_key
from sinasec.institutions.reference import resolve_alias

FIRST_PLAN_YEAR = 2003  # Ley 27933, which created the committees, is of February 2003
NAME_LENGTH = 160  # CommitteeEvent.person / document, Member.name
ROLE_LENGTH = 120  # Member.role

# Canonical column -> the normalised header names accepted for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "ubigeo": ("ubigeo",),
    "level": ("level", "nivel"),
    "event": ("event", "evento"),
    "date": ("date", "fecha"),
    "year": ("year", "ano"),
    "person": ("person", "persona"),
    "document": ("document", "documento"),
}
REQUIRED = ("ubigeo", "level", "event", "date")
SPANISH = {"level": "nivel", "event": "evento", "date": "fecha"}

LEVELS: dict[str, str] = {
    **dict.fromkeys(("regional", "region", "coresec"), CommitteeLevel.REGIONAL),
    **dict.fromkeys(("provincial", "provincia", "province", "coprosec"), CommitteeLevel.PROVINCIAL),
    **dict.fromkeys(("district", "distrital", "distrito", "codisec"), CommitteeLevel.DISTRICT),
}
EVENTS: dict[str, str] = {
    **dict.fromkeys(("installed", "installation", "instalacion", "instalado"), EventKind.INSTALLED),
    **dict.fromkeys(("sworn", "swearing_in", "juramentacion", "juramentado"), EventKind.SWORN),
    **dict.fromkeys(("plan", "plan_formulado"), EventKind.PLAN),
    **dict.fromkeys(
        ("secretary", "technical_secretary", "secretario", "secretario_tecnico"),
        EventKind.SECRETARY,
    ),
}
MEMBER_SEPARATORS = re.compile(r"[;\n]")


@dataclass(frozen=True)
class MemberRow:
    name: str
    institution: str = ""  # as written in the file
    institution_id: int | None = None
    role: str = ""


@dataclass(frozen=True)
class EventRow:
    row: int
    committee_id: int
    level: str
    ubigeo: str
    kind: str
    date: date
    year: int | None = None  # only for plans
    person: str = ""  # empty for a swearing-in: its people are ``members``
    document: str = ""
    members: tuple[MemberRow, ...] = ()


def parse_events(
    data: bytes,
    file_name: str,
    committees: dict[tuple[str, str], int],
    institutions: dict[str, int] | None = None,
    today: date | None = None,
) -> list[EventRow]:
    """The events of a CSV (UTF-8, ``;``, ``,`` or tab separated) or XLSX file (its
    first sheet), validated against ``committees`` ((level, ubigeo) -> id).

    ``institutions`` (upper-case acronym or alias -> id), when given, is what the
    members of a swearing-in may name; an institution not in it is an error.
    """
    today = today or timezone.localdate()
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
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        problems.raise_if_any()

    rows: list[EventRow] = []
    seen = FirstSeen()
    data_rows = 0
    for number, values in records:
        if not any(cell_text(v) for v in values):
            continue
        data_rows += 1
        row = _event_row(
            number, values, columns, header, file_name, committees, institutions, today, problems
        )
        if row is None:
            continue
        first = seen.earlier((row.committee_id, row.kind, row.date, row.year), number)
        if first is not None:
            problems.add(
                number,
                None,
                _("duplicate row: the same event is already in row %(first)d") % {"first": first},
                file_name,
            )
            continue
        rows.append(row)
    finish_rows(problems, data_rows > 0, file_name)
    return rows


# --- one row -------------------------------------------------------------------------


def _event_row(
    number: int,
    values: list[Cell],
    columns: dict[str, int],
    header: list[str],
    file_name: str,
    committees: dict[tuple[str, str], int],
    institutions: dict[str, int] | None,
    today: date,
    problems: ProblemList,
) -> EventRow | None:
    def raw(key: str) -> Cell:
        index = columns.get(key)
        return values[index] if index is not None else None

    def cell(key: str) -> str:
        return cell_text(raw(key))

    def column(key: str) -> str:
        return header[columns[key]] if key in columns else key

    def fail(key: str, reason: str) -> None:
        problems.add(number, column(key), reason, file_name)

    ok = True
    for key in REQUIRED:
        if not cell(key):
            fail(key, _("a value is required"))
            ok = False

    level = LEVELS.get(header_key(cell("level")))
    if level is None and cell("level"):
        fail(
            "level",
            _(
                "unknown level “%(value)s”: use regional, provincial or district "
                "(CORESEC, COPROSEC, CODISEC)"
            )
            % {"value": cell("level")},
        )
        ok = False

    ubigeo = cell("ubigeo")
    committee_id = None
    if ubigeo and not (ubigeo.isdigit() and len(ubigeo) <= 6):
        fail("ubigeo", _("“%(value)s” is not a ubigeo") % {"value": ubigeo})
        ok = False
    elif ubigeo:
        written = ubigeo
        if len(ubigeo) % 2:
            ubigeo = "0" + ubigeo  # a spreadsheet dropped the leading zero; unambiguous
        if level is not None:
            committee_id = committees.get((level, ubigeo))
            if committee_id is None:
                fail("ubigeo", _unknown_committee(level, ubigeo, written))
                ok = False

    kind = EVENTS.get(header_key(cell("event")))
    if kind is None and cell("event"):
        fail(
            "event",
            _(
                "unknown event “%(value)s”: use installed, sworn, plan or secretary "
                "(instalación, juramentación, plan, secretario)"
            )
            % {"value": cell("event")},
        )
        ok = False

    on = cell_date(raw("date"))
    if on is None and cell("date"):
        fail(
            "date",
            _("“%(value)s” is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")
            % {"value": cell("date")},
        )
        ok = False
    elif on is not None and on > today:
        fail("date", _("the date %s is in the future") % on.isoformat())
        ok = False

    year: int | None = None
    if kind == EventKind.PLAN:
        raw_year = cell("year")
        if not raw_year:
            fail("year", _("a plan event needs the year of the plan"))
            ok = False
        else:
            year = _year(raw_year)
            if year is None or not FIRST_PLAN_YEAR <= year <= today.year + 1:
                fail(
                    "year",
                    _("“%(value)s” is not a plan year (%(first)d to %(last)d)")
                    % {"value": raw_year, "first": FIRST_PLAN_YEAR, "last": today.year + 1},
                )
                ok = False

    person = cell("person")
    members: tuple[MemberRow, ...] = ()
    if kind == EventKind.SECRETARY and not person:
        fail("person", _("the accredited technical secretary's name is required"))
        ok = False
    elif kind == EventKind.SWORN:
        parsed = _members(person, institutions, lambda reason: fail("person", reason))
        if parsed is None:
            ok = False
        elif not parsed:
            fail("person", _("a swearing-in needs at least one member"))
            ok = False
        else:
            members, person = parsed, ""
    elif len(person) > NAME_LENGTH:
        fail("person", too_long(NAME_LENGTH))
        ok = False

    document = cell("document")
    if len(document) > NAME_LENGTH:
        fail("document", too_long(NAME_LENGTH))
        ok = False

    if not ok or committee_id is None or level is None or kind is None or on is None:
        return None
    return EventRow(
        row=number,
        committee_id=committee_id,
        level=level,
        ubigeo=ubigeo,
        kind=kind,
        date=on,
        year=year,
        person=person,
        document=document,
        members=members,
    )


def _unknown_committee(level: str, ubigeo: str, written: str) -> str:
    lima = _("its committee is the CORESEC of Lima Metropolitana (level regional, ubigeo 1501)")
    if level == CommitteeLevel.PROVINCIAL and ubigeo == LIMA_METROPOLITANA:
        return _("Lima province (1501) has no COPROSEC: %(lima)s") % {"lima": lima}
    if level == CommitteeLevel.DISTRICT and len(ubigeo) == 6 and ubigeo.endswith("01"):
        province = ubigeo[:4]
        if province == LIMA_METROPOLITANA:
            return _("district %(ubigeo)s is the capital of Lima province: %(lima)s") % {
                "ubigeo": ubigeo,
                "lima": lima,
            }
        return _(
            "district %(ubigeo)s is the capital of its province and has no CODISEC: its "
            "committee is the provincial one (level provincial, ubigeo %(province)s)"
        ) % {"ubigeo": ubigeo, "province": province}
    names = {"acronym": ACRONYM[CommitteeLevel(level)], "ubigeo": ubigeo, "written": written}
    if written != ubigeo:
        return (
            _(
                "unknown committee: there is no %(acronym)s with ubigeo %(ubigeo)s (written "
                "%(written)s)"
            )
            % names
        )
    return _("unknown committee: there is no %(acronym)s with ubigeo %(ubigeo)s") % names


def _members(
    text: str, institutions: dict[str, int] | None, fail: Callable[[str], None]
) -> tuple[MemberRow, ...] | None:
    """``name|INSTITUTION|role`` entries separated by ``;`` (or line breaks); the
    institution and role are optional. None when any entry is wrong (reported)."""
    members: list[MemberRow] = []
    ok = True
    for position, entry in enumerate(
        (e.strip() for e in MEMBER_SEPARATORS.split(text) if e.strip()), start=1
    ):
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) > 3 or not parts[0]:
            fail(
                _("member %(n)d (“%(entry)s”) is not written as name|INSTITUTION|role")
                % {"n": position, "entry": entry}
            )
            ok = False
            continue
        name, institution, role = (*parts, "", "")[:3]
        institution_id = None
        if institution and institutions is not None:
            institution_id = institutions.get(institution.upper()) or institutions.get(
                resolve_alias(institution) or ""
            )
            if institution_id is None:
                fail(
                    _("unknown institution “%(value)s” for member %(name)s")
                    % {"value": institution, "name": name}
                )
                ok = False
        if len(name) > NAME_LENGTH or len(role) > ROLE_LENGTH:
            fail(
                _("member %(n)d: %(reason)s")
                % {
                    "n": position,
                    "reason": too_long(NAME_LENGTH if len(name) > NAME_LENGTH else ROLE_LENGTH),
                }
            )
            ok = False
        members.append(MemberRow(name, institution, institution_id, role))
    return tuple(members) if ok else None


# --- cells ---------------------------------------------------------------------------


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) == 4 else None
