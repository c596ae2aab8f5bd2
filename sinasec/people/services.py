"""Writes to accounts: creating users with a role and a scope, and their API tokens.

Account administration (create, update, deactivate, reactivate, invite) is in
``people/accounts.py``; this module keeps the demo's ``ensure_user_with_role`` and the
tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.models import ApiToken, Profile, Role
from sinasec.accounts.scope import AnyUser
from sinasec.accounts.tokens import new_secret
from sinasec.audit.services import record_change
from sinasec.people.access import (
    check_grant,
    get_account_for_user,
    get_api_token_for_user,
)


def _profile_dict(profile: Profile) -> dict[str, object]:
    return {
        "role": profile.role,
        "territory": profile.territory_id,
        "region": profile.region_id,
        "institution": profile.institution_id,
    }


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of ``user`` (deactivation); how many. The caller audits."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def ensure_user_with_role(
    actor: AnyUser | None,
    username: str,
    role: Role,
    *,
    password: str | None = None,
    full_name: str = "",
    territory: str | None = None,
    region: str | None = None,
    institution_id: int | None = None,
) -> tuple[User, bool]:
    """Create the account (or bring its role and scope up to date). Idempotent.

    ``actor`` None means the system itself (the demo loader, a migration); any other
    actor must be allowed to grant that role and scope.
    """
    if actor is not None:
        check_grant(actor, role, territory, region)
    first, _sep, last = full_name.partition(" ")
    with transaction.atomic():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        profile = Profile.objects.filter(user=user).first()
        before = _profile_dict(profile) if profile else None
        profile, _new = Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "territory_id": territory,
                "region_id": region,
                "institution_id": institution_id,
            },
        )
        after = _profile_dict(profile)
        if before != after:
            record_change(
                actor or user,
                "accounts.set_role",
                user,
                _("Account %(user)s: role %(role)s") % {"user": username, "role": role.label},
                before=before,
                after=after,
                territory_ubigeo=territory or "",
                institution_id=institution_id,
                object_type="user",
            )
    return user, created


def _token_dict(token: ApiToken) -> dict[str, object]:
    return {"user": token.user.get_username(), "name": token.name, "prefix": token.prefix}


def create_api_token(actor: AnyUser, username: str, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``username``, and its secret: shown once, stored only as a
    digest. Users make their own tokens; national administrators anyone's."""
    owner = get_account_for_user(actor, username, write=True)
    made = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner, name=name.strip()[:100], prefix=made.prefix, digest=made.digest
        )
        record_change(
            actor,
            "accounts.create_api_token",
            token,
            _("API token “%(name)s” created for %(user)s") % {"name": token.name, "user": username},
            after=_token_dict(token),
            object_type="api_token",
        )
    return token, made.secret


def revoke_api_token(actor: AnyUser, token_id: int) -> ApiToken:
    """Revoke a token for good; revoking it again changes nothing."""
    token = get_api_token_for_user(actor, token_id, write=True)
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(
            actor,
            "accounts.revoke_api_token",
            token,
            _("API token “%(name)s” of %(user)s revoked")
            % {"name": token.name, "user": token.user.get_username()},
            before=_token_dict(token),
            object_type="api_token",
        )
    return token
