"""Onboarding from a spreadsheet: accounts imported from XLSX or CSV, all or nothing.

Columns (any order, accents and case ignored): ``nombre``, ``correo``, ``dni``
(optional), ``rol``, and ``ubigeo`` (committee secretaries, regional administrators)
or ``institución`` (focal points). An account is known by its e-mail: a row whose
account exists updates it when something changed and is left alone when not, so
importing the same file again creates nothing and records nothing. Every problem of
the file is reported (row and column) and nothing is saved; the new accounts are
created in one transaction with bulk inserts, then each is sent its invitation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.models import Profile
from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import audit_event, record_changes
from sinasec.core.concurrency import conflict_on_duplicate, lock_target
from sinasec.core.exports import xlsx_bytes
from sinasec.core.imports import (
    FirstSeen,
    ImportResult,
    ProblemList,
    finish_rows,
    map_columns,
)
from sinasec.core.tabular import cell_text, read_table
from sinasec.institutions.models import Institution
from sinasec.people.access import can_grant, check_manage_accounts, get_managed_accounts_for_user
from sinasec.people.accounts import (
    AccountInput,
    CleanAccount,
    account_dict,
    clean_account,
    new_profile,
    new_user,
    update_account,
)
from sinasec.people.invitations import send_invitations
from sinasec.people.places import Places

# The header each field is written with in the template, then other spellings.
ALIASES = {
    "full_name": ("nombre", "nombres", "nombre_completo", "name"),
    "email": ("correo", "correo_electronico", "email", "e_mail"),
    "dni": ("dni", "documento"),
    "role": ("rol", "role"),
    "place": ("ubigeo", "region", "codigo"),
    "institution": ("institucion", "institution", "entidad"),
}
REQUIRED = ("full_name", "email", "role")
EXAMPLE_MARK = "(ejemplo)"  # a template row whose name ends so is the example: skipped


@dataclass(frozen=True)
class Row:
    number: int
    account: CleanAccount


def template_bytes() -> bytes:
    """The XLSX to fill in: the headers and one example row, marked as an example."""
    header = [ALIASES[f][0] for f in ("full_name", "email", "dni", "role", "place", "institution")]
    example = [
        f"María Quispe Huamán {EXAMPLE_MARK}",
        "maria.quispe@munimiraflores.gob.pe",
        "40123456",
        "secretario",
        "150122",
        "",
    ]
    return xlsx_bytes([("cuentas", header, [example])])


def _cell(values: list[object], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cell_text(values[index]) if index is not None else ""


def read_accounts(
    actor: AnyUser, file_name: str, data: bytes, places: Places
) -> tuple[list[Row], ProblemList]:
    """The file's accounts, each checked alone and against the others."""
    problems = ProblemList()
    header, records = read_table(data, file_name, problems)
    shown = {name: spellings[0] for name, spellings in ALIASES.items()}
    columns = map_columns(header, ALIASES, REQUIRED, file_name, problems, shown.__getitem__)
    if "place" not in columns and "institution" not in columns:
        problems.add(1, "ubigeo", _("the file needs a column ubigeo or institución"), file_name)
    if problems:
        return [], problems
    emails, dnis = FirstSeen(), FirstSeen()
    rows: list[Row] = []
    for number, values in records:
        fields = {name: _cell(values, columns, name) for name in ALIASES}
        if not any(fields.values()) or fields["full_name"].endswith(EXAMPLE_MARK):
            continue
        clean, errors = clean_account(AccountInput(**fields), places, check_taken=False)
        for field, reason in errors.items():
            problems.add(number, shown.get(field, field), reason, file_name)
        if clean is None:
            continue
        first = emails.earlier(clean.email, number)
        if first is not None:
            reason = _("duplicate e-mail %(email)s, already in row %(row)d")
            problems.add(
                number, shown["email"], reason % {"email": clean.email, "row": first}, file_name
            )
        first = dnis.earlier(clean.dni, number) if clean.dni else None
        if first is not None:
            reason = _("duplicate DNI %(dni)s, already in row %(row)d")
            problems.add(number, shown["dni"], reason % {"dni": clean.dni, "row": first}, file_name)
        scope = clean.scope
        if not can_grant(actor, scope.role, scope.territory, scope.region):
            reason = _("you may not give the role “%(role)s” with this scope")
            problems.add(number, shown["role"], reason % {"role": scope.role.label}, file_name)
        rows.append(Row(number, clean))
    if not rows and not problems:  # no rows, or only the template's example
        finish_rows(problems, False, file_name)
    return rows, problems


def import_accounts(actor: AnyUser, file_name: str, data: bytes) -> ImportResult:
    """Create and update the accounts of a file, all or nothing (``ImportRejected``).

    Two imports at once take turns (``lock_target``): the second sees the first one's
    accounts as existing and creates nothing twice; a duplicate left over by a writer
    that does not take the lock is an ``EditConflict``, nothing saved."""
    check_manage_accounts(actor)
    places = Places()
    rows, problems = read_accounts(actor, file_name, data, places)
    if not rows:
        problems.raise_if_any()
    result = ImportResult(file=file_name, rows=len(rows))
    with conflict_on_duplicate(_("these accounts")), transaction.atomic():
        lock_target("accounts")
        existing = _existing_accounts(rows)
        _check_owners(actor, rows, existing, problems, file_name)
        finish_rows(problems, True, file_name)  # every problem of the file, by row
        created = _create(actor, [row for row in rows if row.account.email not in existing])
        for row in rows:
            user = existing.get(row.account.email)
            if user is not None:
                changed = _update(actor, user, row.account)
                result.updated += changed
                result.unchanged += not changed
    result.created = len(created)
    send_invitations(created)
    return result


def _check_owners(
    actor: AnyUser,
    rows: list[Row],
    existing: dict[str, User],
    problems: ProblemList,
    file_name: str,
) -> None:
    """A row whose e-mail is an account ``actor`` does not manage (or another account's
    username) is a problem: the import never reaches outside the importer's scope."""
    managed = _managed_pks(actor, existing)
    taken = _taken_usernames(
        [row.account.email for row in rows if row.account.email not in existing]
    )
    for row in rows:
        user = existing.get(row.account.email)
        if (user is not None and user.pk not in managed) or row.account.email in taken:
            reason = _("the e-mail %s already belongs to an account outside your scope")
            problems.add(row.number, ALIASES["email"][0], reason % row.account.email, file_name)


CHUNK = 500  # query parameters per IN (...): under every database's bound


def _existing_accounts(rows: list[Row]) -> dict[str, User]:
    """The accounts the file's e-mails already belong to (e-mails are stored lower case
    by every path that writes them)."""
    emails = [row.account.email for row in rows]
    found: dict[str, User] = {}
    for start in range(0, len(emails), CHUNK):
        for user in get_user_model().objects.filter(email__in=emails[start : start + CHUNK]):
            found[user.email.lower()] = user
    return found


def _managed_pks(actor: AnyUser, existing: dict[str, User]) -> set[int]:
    pks = [user.pk for user in existing.values()]
    managed: set[int] = set()
    accounts = get_managed_accounts_for_user(actor)
    for start in range(0, len(pks), CHUNK):
        chunk = accounts.filter(pk__in=pks[start : start + CHUNK])
        managed.update(chunk.values_list("pk", flat=True))
    return managed


def _taken_usernames(emails: list[str]) -> set[str]:
    """New accounts' usernames (their e-mails) some other account already has."""
    taken: set[str] = set()
    for start in range(0, len(emails), CHUNK):
        names = get_user_model().objects.filter(username__in=emails[start : start + CHUNK])
        taken.update(names.values_list("username", flat=True))
    return taken


def _create(actor: AnyUser, rows: list[Row]) -> list[User]:
    """The new accounts, their profiles and their audit records, in bulk."""
    users = [new_user(row.account) for row in rows]
    get_user_model().objects.bulk_create(users, batch_size=500)
    if users and users[0].pk is None:  # a backend that does not return keys
        by_name = get_user_model().objects.in_bulk(
            [u.username for u in users], field_name="username"
        )
        users = [by_name[u.username] for u in users]
    Profile.objects.bulk_create(
        [new_profile(user, row.account) for user, row in zip(users, rows, strict=True)],
        batch_size=500,
    )
    record_changes(
        [
            audit_event(
                actor,
                "accounts.create",
                user,
                _("Account %(user)s created (%(role)s), imported")
                % {"user": user.username, "role": row.account.scope.role.label},
                after=_created_dict(user, row.account),
                territory_ubigeo=row.account.scope.territory or row.account.scope.region or "",
                institution_id=row.account.scope.institution_id,
                object_type="user",
            )
            for user, row in zip(users, rows, strict=True)
        ]
    )
    return users


def _created_dict(user: User, account: CleanAccount) -> dict[str, object]:
    scope = account.scope
    return {
        "username": user.username,
        "name": account.full_name,
        "email": account.email,
        "active": True,
        "role": scope.role.value,
        "territory": scope.territory,
        "region": scope.region,
        "institution": scope.institution_id,
        "dni": account.dni,
    }


def _update(actor: AnyUser, user: User, account: CleanAccount) -> bool:
    """Bring an existing account up to the row; whether anything changed."""
    wanted = _created_dict(user, account)
    have = account_dict(user)
    wanted["active"], wanted["username"] = have["active"], have["username"]
    if wanted == have:
        return False
    scope = account.scope
    update_account(
        actor,
        user.username,
        full_name=account.full_name,
        email=account.email,
        dni=account.dni,
        role=scope.role.value,
        place=scope.place,
        institution=_acronym(scope.institution_id),
    )
    return True


def _acronym(institution_id: int | None) -> str:
    if institution_id is None:
        return ""
    return Institution.objects.values_list("acronym", flat=True).get(pk=institution_id)
