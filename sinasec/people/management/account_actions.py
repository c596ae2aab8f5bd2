"""The account actions of ``sinasec accounts``: their arguments and what each does."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sinasec.core.commands import add_actor_argument, print_json
from sinasec.people import accounts
from sinasec.people.filters import AccountFilter
from sinasec.people.importer import import_accounts
from sinasec.people.places import Places
from sinasec.people.selectors import account_row, accounts_for

SCOPE_HELP = (
    "ubigeo (district or province) or region code (07 Callao, 1501 Lima Metropolitana, "
    "15 Lima Provincias) of a committee secretary; region code of a regional administrator"
)
ROLE_HELP = (
    "national_admin, regional_admin, national_analyst, barrio_team, observatory_analyst, "
    "committee_secretary or focal_point (or its Spanish name: secretario, enlace...)"
)


def add_account_parsers(sub: Any) -> None:
    add = sub.add_parser(
        "add",
        help="create an account and e-mail its invitation",
        description=(
            "Create an account whose username is its e-mail, with a role and scope, and send "
            "the invitation e-mail (a one-time link to set the password). Example: "
            "sinasec accounts add 'María Quispe' maria@muni.gob.pe secretario --ubigeo 150122"
        ),
    )
    add.add_argument("name", metavar="NAME", help="full name")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("role", metavar="ROLE", help=ROLE_HELP)
    _scope_arguments(add)
    add.add_argument("--dni", default="", help="DNI, 8 digits (optional)")
    add.add_argument("--no-invite", action="store_true", help="create it without e-mailing")
    add_actor_argument(add)

    imp = sub.add_parser(
        "import",
        help="create and update accounts from an XLSX or CSV file, all or nothing",
        description=(
            "Import accounts from FILE (XLSX or CSV). Columns: nombre, correo, dni (optional), "
            "rol, ubigeo or institución. Any bad row rejects the whole file (row, column and "
            "reason printed, exit 3); importing the same file again changes nothing. Each new "
            "account is sent its invitation."
        ),
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    add_actor_argument(imp)

    lst = sub.add_parser(
        "list",
        help="list the accounts you manage",
        description="List accounts: username, role, scope, active, activated, last sign-in.",
    )
    lst.add_argument("--role", help=ROLE_HELP)
    lst.add_argument("--region", help="region code: accounts scoped inside it")
    lst.add_argument("--not-activated", action="store_true", help="only invitations pending")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    add_actor_argument(lst)

    role = sub.add_parser(
        "set-role",
        help="change an account's role and scope",
        description="Give USER a new ROLE and scope (audited). Example: "
        "sinasec accounts set-role maria@muni.gob.pe regional_admin --ubigeo 07",
    )
    role.add_argument("user", metavar="USER")
    role.add_argument("role", metavar="ROLE", help=ROLE_HELP)
    _scope_arguments(role)
    add_actor_argument(role)

    for name, text in (
        ("deactivate", "deactivate USER: sessions ended, API tokens revoked, never deleted"),
        ("reactivate", "reactivate USER (revoked tokens stay revoked)"),
        ("invite", "send USER's invitation again (not activated yet)"),
    ):
        action = sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        action.add_argument("user", metavar="USER")
        add_actor_argument(action)


def _scope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ubigeo", default="", help=SCOPE_HELP)
    parser.add_argument("--institution", default="", help="acronym of a focal point's institution")


def _line(user: User) -> str:
    row = account_row(user)
    state = ("active" if row.active else "deactivated") + (
        "" if row.activated else ", not activated"
    )
    login = f"{row.last_login:%Y-%m-%d %H:%M}" if row.last_login else "-"
    return f"{row.username}\t{row.role}\t{row.place or '-'}\t{state}\t{login}"


def add(out: Any, actor: User, options: dict[str, Any]) -> None:
    data = accounts.AccountInput(
        full_name=options["name"],
        email=options["email"],
        role=options["role"],
        place=options["ubigeo"],
        institution=options["institution"],
        dni=options["dni"],
    )
    user = accounts.create_account(actor, data, invite=not options["no_invite"])
    out.write(_line(user))


def import_file(out: Any, actor: User, options: dict[str, Any]) -> None:
    path: Path = options["file"]
    result = import_accounts(actor, path.name, path.read_bytes())
    out.write(
        f"{result.rows} rows: {result.created} created (invited), {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


def list_accounts(out: Any, actor: User, options: dict[str, Any]) -> None:
    role = Places().role(options["role"]) if options["role"] else None
    if options["role"] and role is None:
        raise ValidationError({"role": [_("unknown role “%s”") % options["role"]]})
    filters = AccountFilter(
        role=role,
        region=options["region"],
        activated=False if options["not_activated"] else None,
    )
    users = accounts_for(actor, filters)
    if options["format"] == "json":
        print_json(out, [account_row(user).__dict__ for user in users])
        return
    for user in users:
        out.write(_line(user))


def set_role(out: Any, actor: User, options: dict[str, Any]) -> None:
    user = accounts.update_account(
        actor,
        options["user"],
        role=options["role"],
        place=options["ubigeo"],
        institution=options["institution"],
    )
    out.write(_line(user))


def _simple(service: Callable[[User, str], User]) -> Callable[[Any, User, dict[str, Any]], None]:
    def run(out: Any, actor: User, options: dict[str, Any]) -> None:
        out.write(_line(service(actor, options["user"])))

    return run


ACTIONS: dict[str, Callable[[Any, User, dict[str, Any]], None]] = {
    "add": add,
    "import": import_file,
    "list": list_accounts,
    "set-role": set_role,
    "deactivate": _simple(accounts.deactivate_account),
    "reactivate": _simple(accounts.reactivate_account),
    "invite": _simple(accounts.resend_invitation),
}
