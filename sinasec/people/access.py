"""The one access check for accounts and their API tokens.

National administrators manage every account and every token and grant every role. A
regional administrator manages, like DHIS2 by organisation unit, only the accounts of
committee secretaries inside their region (district, provincial and regional
committees there) and grants only that role there. Any signed-in user manages their
own tokens; the public none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import ApiToken, Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.core.peru import region_code_for


def can_manage_accounts(user: AnyUser | None) -> bool:
    """National administrators, and regional administrators (inside their region)."""
    return scope_for(user).manages_accounts


def grantable_roles(user: AnyUser | None) -> list[Role]:
    """The roles ``user`` may give an account."""
    scope = scope_for(user)
    if scope.is_admin:
        return list(Role)
    if scope.administered_region is not None:
        return [Role.COMMITTEE_SECRETARY]
    return []


def can_grant(user: AnyUser | None, role: str, territory: str | None, region: str | None) -> bool:
    """Whether ``user`` may give an account this role with this scope."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    managed = scope.administered_region
    if managed is None or role != Role.COMMITTEE_SECRETARY:
        return False
    if region:
        return region == managed
    return bool(territory) and region_code_for(territory or "") == managed


def check_grant(user: AnyUser | None, role: str, territory: str | None, region: str | None) -> None:
    if not can_grant(user, role, territory, region):
        raise AccessDenied(refusal(user))


def refusal(user: AnyUser | None) -> str:
    """Why ``user`` may not give (or manage) that role and scope, in their terms."""
    region = scope_for(user).administered_region
    if region is None:
        return _("Only a national or regional administrator can manage accounts.")
    return _(
        "A regional administrator manages only the accounts of committee secretaries "
        "inside their region (%(region)s)."
    ) % {"region": region}


def _managed_q(scope: Scope) -> Q:
    """The users (``User`` rows) a scope manages."""
    if scope.is_admin:
        return Q()
    region = scope.administered_region
    if region is None:
        return Q(pk__in=[])
    inside = Scope(role=Role.COMMITTEE_SECRETARY, region=region)
    return Q(profile__role=Role.COMMITTEE_SECRETARY) & (
        Q(profile__region_id=region)
        | (Q(profile__territory__isnull=False) & inside.territory_q("profile__territory__ubigeo"))
    )


def get_managed_accounts_for_user(user: AnyUser | None) -> QuerySet[User]:
    """Every account ``user`` may see and manage (an empty set refused outright)."""
    if not can_manage_accounts(user):
        raise AccessDenied(refusal(user))
    return get_user_model().objects.filter(_managed_q(scope_for(user)))


def get_managed_account_for_user(
    user: AnyUser | None, username: str, *, write: bool = False
) -> User:
    """One account to see or manage (reading and writing alike): 404 when there is no
    such account, 403 when it is outside ``user``'s reach. Nobody deactivates or
    demotes themselves through it (``write``): another administrator must."""
    accounts = get_managed_accounts_for_user(user)
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        raise Http404(_("There is no account named %s.") % username)
    if not accounts.filter(pk=account.pk).exists():
        raise AccessDenied(refusal(user))
    if write and user is not None and account.pk == user.pk:
        raise AccessDenied(_("You cannot change your own account; ask another administrator."))
    return account


def can_manage_tokens_of(user: AnyUser | None, owner: User) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.pk == owner.pk:
        return True
    return can_manage_accounts(user) and _manages(user, owner)


def _manages(user: AnyUser | None, account: User) -> bool:
    query = get_user_model().objects.filter(pk=account.pk)
    return query.filter(_managed_q(scope_for(user))).exists()


def check_manage_accounts(user: AnyUser | None) -> None:
    if not can_manage_accounts(user):
        raise AccessDenied(refusal(user))


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
