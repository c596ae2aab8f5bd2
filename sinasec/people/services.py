"""Writes to accounts: creating users with a role and a scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from sinasec.accounts.models import Profile, Role
from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.audit.services import record_change
from sinasec.core.errors import AccessDenied


def _profile_dict(profile: Profile) -> dict[str, object]:
    return {
        "role": profile.role,
        "territory": profile.territory_id,
        "region": profile.region_id,
        "institution": profile.institution_id,
    }


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
    actor must be a national administrator.
    """
    if actor is not None and not scope_for(actor).is_admin:
        raise AccessDenied(_("Only a national administrator can manage accounts."))
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
