"""sinasec accounts: account administration (add, import, list, set-role, deactivate,
reactivate, invite) and personal API tokens for machine clients."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from sinasec.accounts.models import ApiToken
from sinasec.core.commands import add_actor_argument, domain_errors, resolve_actor
from sinasec.people import services
from sinasec.people.access import get_account_for_user, get_api_tokens_for_user
from sinasec.people.management.account_actions import ACTIONS, add_account_parsers


class Command(BaseCommand):
    help = (
        "Accounts: add, import, list, set-role, deactivate, reactivate and invite accounts; "
        "create, list and revoke personal API tokens (Authorization: Bearer). Changes are "
        "audited under --as and checked against its permissions (exit 2 when refused, "
        "3 when the input or file is invalid: nothing is saved)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add_account_parsers(sub)
        create = sub.add_parser(
            "token-create",
            help="create an API token for USER and print its secret (shown only once)",
            description=(
                "Create a personal API token for USER, named NAME. The secret is printed "
                "once and only its SHA-256 digest is stored: keep it somewhere safe. A "
                "token acts with USER's permissions; it is audited."
            ),
        )
        create.add_argument("user", metavar="USER", help="username the token acts for")
        create.add_argument("name", metavar="NAME", help="what the token is for")
        add_actor_argument(create)
        revoke = sub.add_parser(
            "token-revoke",
            help="revoke the API token ID for good",
            description="Revoke a token: requests with it get 401 from now on. Audited.",
        )
        revoke.add_argument("id", metavar="ID", type=int, help="token id (see 'tokens')")
        add_actor_argument(revoke)
        listing = sub.add_parser(
            "tokens",
            help="list USER's API tokens (never their secrets)",
            description="List USER's tokens: id, name, prefix, created, last used, revoked.",
        )
        listing.add_argument("user", metavar="USER")
        add_actor_argument(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = resolve_actor(options["actor"])
        try:
            with domain_errors():
                self._run(actor, options)
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("\n".join(_messages(exc)), returncode=3) from None

    def _run(self, actor: Any, options: dict[str, Any]) -> None:
        action = ACTIONS.get(options["action"])
        if action is not None:
            action(self.stdout, actor, options)
        elif options["action"] == "token-create":
            token, secret = services.create_api_token(actor, options["user"], options["name"])
            self.stdout.write(f"{token.pk}\t{token.name}\t{secret}")
        elif options["action"] == "token-revoke":
            token = services.revoke_api_token(actor, options["id"])
            self.stdout.write(
                f"{token.pk}\t{token.name}\trevoked {token.revoked_at:%Y-%m-%d %H:%M}"
            )
        else:
            owner = get_account_for_user(actor, options["user"])
            for token in get_api_tokens_for_user(actor, owner):
                self.stdout.write(_token_line(token))


def _token_line(token: ApiToken) -> str:
    state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
    used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "-"
    created = f"{token.created:%Y-%m-%d}"
    return f"{token.pk}\t{token.name}\t{token.prefix}…\t{created}\t{used}\t{state}"


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)
