"""The one access check for accounts and their API tokens.

National administrators manage every account and every token; any signed-in user
manages their own tokens; the public none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import ApiToken
from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied


def can_manage_accounts(user: AnyUser | None) -> bool:
    return scope_for(user).is_admin


def can_manage_tokens_of(user: AnyUser | None, owner: User) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.pk == owner.pk or can_manage_accounts(user)


def check_manage_accounts(user: AnyUser | None) -> None:
    if not can_manage_accounts(user):
        raise AccessDenied(_("Only a national administrator can manage accounts."))


def _check_tokens_of(user: AnyUser | None, owner: User) -> None:
    if not can_manage_tokens_of(user, owner):
        raise AccessDenied(_("You can only manage your own API tokens."))


def get_account_for_user(user: AnyUser | None, username: str, *, write: bool = False) -> User:
    """An account, for managing its tokens: its owner and national administrators
    (reading and writing alike)."""
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        raise Http404(_("There is no account named %s.") % username)
    _check_tokens_of(user, account)
    return account


def get_api_token_for_user(user: AnyUser | None, token_id: int, *, write: bool = False) -> ApiToken:
    """A token: its owner and national administrators read and revoke it alike."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise Http404(_("There is no API token %s.") % token_id)
    _check_tokens_of(user, token.user)
    return token


def get_api_tokens_for_user(user: AnyUser | None, owner: User) -> QuerySet[ApiToken]:
    _check_tokens_of(user, owner)
    return ApiToken.objects.filter(user=owner).order_by("-created", "-id")
