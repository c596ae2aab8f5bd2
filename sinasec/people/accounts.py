"""Account administration: create, update, deactivate, reactivate and invite.

Every function checks access through ``people/access.py``, owns its transaction and
writes the audit record. An account is never deleted (its audit trail must keep
meaning): deactivation closes its sessions and revokes its API tokens at once.
Invitations are sent after the transaction commits, so a rolled-back change sends none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinasec.accounts.models import Profile
from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.concurrency import conflict_on_duplicate, lock_target
from sinasec.people.access import check_grant, get_managed_account_for_user
from sinasec.people.invitations import send_invitations
from sinasec.people.places import AccountScope, Places
from sinasec.people.services import revoke_all_tokens

DNI = re.compile(r"\d{8}")
MAX_NAME = 150


@dataclass(frozen=True)
class AccountInput:
    """An account as typed: role by code or name, place a ubigeo or region code,
    institution an acronym or name."""

    full_name: str
    email: str
    role: str
    place: str = ""
    institution: str = ""
    dni: str = ""


@dataclass(frozen=True)
class CleanAccount:
    full_name: str
    email: str
    dni: str
    scope: AccountScope


def clean_account(
    data: AccountInput,
    places: Places,
    *,
    own_pk: int | None = None,
    check_taken: bool = True,
    legacy: bool = False,
) -> tuple[CleanAccount | None, dict[str, str]]:
    """The account to save, or the problems by field (full_name, email, role, ubigeo,
    institution, dni). ``own_pk``: the account being edited keeps its own e-mail; the
    import (``check_taken`` False) matches e-mails to accounts itself; a ``legacy``
    account (made before invitations, by the demo or a migration) may stay without
    name and e-mail."""
    errors: dict[str, str] = {}
    name = " ".join(data.full_name.split())
    email = data.email.strip().lower()
    if not name and not legacy:
        errors["full_name"] = _("the name is missing")
    elif len(name) > MAX_NAME:
        errors["full_name"] = _("longer than %(limit)d characters") % {"limit": MAX_NAME}
    try:
        if email or not legacy:
            validate_email(email)
    except ValidationError:
        errors["email"] = (
            _("the e-mail is missing") if not email else _("“%s” is not an e-mail") % email[:60]
        )
    else:
        taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=own_pk or 0)
        if email and check_taken and taken.exists():
            errors["email"] = _("the e-mail %s already belongs to another account") % email
    dni = data.dni.strip()
    if dni and not DNI.fullmatch(dni):
        errors["dni"] = _("a DNI has 8 digits")
    role = places.role(data.role)
    scope = None
    if role is None:
        errors["role"] = (
            _("unknown role “%s”") % data.role.strip()[:40]
            if data.role.strip()
            else _("the role is missing")
        )
    else:
        scope, problems = places.resolve(role, data.place, data.institution)
        errors.update(dict(problems))
    if errors or scope is None:
        return None, errors
    return CleanAccount(name, email, dni, scope), {}


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [reason] for field, reason in errors.items()})


def account_dict(user: User) -> dict[str, object]:
    """What the audit log keeps of an account."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "active": user.is_active,
        "role": profile.role if profile else None,
        "territory": profile.territory_id if profile else None,
        "region": profile.region_id if profile else None,
        "institution": profile.institution_id if profile else None,
        "dni": profile.dni if profile else "",
    }


def _place(scope: AccountScope) -> str:
    """Where the audit log files the change (a secretary's region reads it there)."""
    return scope.territory or scope.region or ""


def _split(name: str) -> tuple[str, str]:
    first, _sep, last = name.partition(" ")
    return first[:150], last[:150]


def new_user(clean: CleanAccount) -> User:
    """An unsaved user, not activated (no usable password) until the invitation."""
    first, last = _split(clean.full_name)
    user = get_user_model()(
        username=clean.email, email=clean.email, first_name=first, last_name=last
    )
    user.set_unusable_password()
    return user


def new_profile(user: User, clean: CleanAccount) -> Profile:
    scope = clean.scope
    return Profile(
        user=user,
        role=scope.role,
        territory_id=scope.territory,
        region_id=scope.region,
        institution_id=scope.institution_id,
        dni=clean.dni,
    )


def create_account(actor: AnyUser, data: AccountInput, *, invite: bool = True) -> User:
    """A new account, its username its e-mail; invited by e-mail unless ``invite`` is
    False. A role or scope ``actor`` may not grant is refused (403)."""
    clean, errors = clean_account(data, Places())
    _raise(errors)
    assert clean is not None
    check_grant(actor, clean.scope.role, clean.scope.territory, clean.scope.region)
    if get_user_model().objects.filter(username=clean.email).exists():
        _raise({"email": _("the e-mail %s already belongs to another account") % clean.email})
    with conflict_on_duplicate(_("this account")), transaction.atomic():
        lock_target("accounts")
        user = new_user(clean)
        user.save()
        new_profile(user, clean).save()
        record_change(
            actor,
            "accounts.create",
            user,
            _("Account %(user)s created (%(role)s)")
            % {"user": user.username, "role": clean.scope.role.label},
            after=account_dict(user),
            object_type="user",
            territory_ubigeo=_place(clean.scope),
            institution_id=clean.scope.institution_id,
        )
    if invite:
        send_invitations([user])
    return user


def current_input(user: User) -> AccountInput:
    """An account as its edit form shows it."""
    profile = Profile.objects.select_related("institution").filter(user=user).first()
    return AccountInput(
        full_name=user.get_full_name(),
        email=user.email,
        role=profile.role if profile else "",
        place=(profile.region_id or profile.territory_id or "") if profile else "",
        institution=profile.institution.acronym if profile and profile.institution else "",
        dni=profile.dni if profile else "",
    )


def update_account(actor: AnyUser, username: str, **changes: str) -> User:
    """Change an account's name, e-mail, DNI, role or scope (``changes`` are fields of
    ``AccountInput``; the rest stay). ``actor`` must manage the account as it is and be
    able to grant what it becomes. Saving what is already there records nothing."""
    user = get_managed_account_for_user(actor, username, write=True)
    data = replace(current_input(user), **changes)
    legacy = not user.email
    clean, errors = clean_account(data, Places(), own_pk=user.pk, legacy=legacy)
    _raise(errors)
    assert clean is not None
    check_grant(actor, clean.scope.role, clean.scope.territory, clean.scope.region)
    before = account_dict(user)
    with transaction.atomic():
        user.first_name, user.last_name = _split(clean.full_name)
        user.email = clean.email
        user.save(update_fields=["first_name", "last_name", "email"])
        profile = new_profile(user, clean)
        Profile.objects.update_or_create(
            user=user,
            defaults={
                f: getattr(profile, f)
                for f in ("role", "territory_id", "region_id", "institution_id", "dni")
            },
        )
        after = account_dict(user)
        if after != before:
            record_change(
                actor,
                "accounts.update",
                user,
                _("Account %(user)s changed") % {"user": user.username},
                before=before,
                after=after,
                object_type="user",
                territory_ubigeo=_place(clean.scope),
                institution_id=clean.scope.institution_id,
            )
    return user


def end_sessions(user: User) -> int:
    """Delete ``user``'s sessions from the database session store; how many. Their next
    request is anonymous (sent to sign in)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def deactivate_account(actor: AnyUser, username: str) -> User:
    """Close an account without deleting it: no sign-in, its sessions ended and its
    API tokens revoked, at once. Deactivating it again changes nothing."""
    return _set_active(actor, username, False)


def reactivate_account(actor: AnyUser, username: str) -> User:
    """Open a deactivated account again. Its revoked tokens stay revoked."""
    return _set_active(actor, username, True)


def _set_active(actor: AnyUser, username: str, active: bool) -> User:
    user = get_managed_account_for_user(actor, username, write=True)
    if user.is_active == active:
        return user
    before = account_dict(user)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if active:
            action, summary = "accounts.reactivate", _("Account %(user)s reactivated")
            counts: dict[str, object] = {"user": user.username}
        else:  # in the same transaction: no session or token outlives the change
            action = "accounts.deactivate"
            summary = _(
                "Account %(user)s deactivated (%(sessions)d sessions ended, "
                "%(tokens)d tokens revoked)"
            )
            counts = {
                "user": user.username,
                "tokens": revoke_all_tokens(user),
                "sessions": end_sessions(user),
            }
        record_change(
            actor,
            action,
            user,
            summary % counts,
            before=before,
            after=account_dict(user),
            object_type="user",
        )
    return user


def resend_invitation(actor: AnyUser, username: str) -> User:
    """A new invitation for an active account that has not been activated yet."""
    user = get_managed_account_for_user(actor, username, write=True)
    if user.has_usable_password():
        _raise({"__all__": _("%s has already activated the account.") % user.username})
    if not user.is_active:
        _raise({"__all__": _("%s is deactivated: reactivate it first.") % user.username})
    if not user.email:
        _raise({"email": _("the account has no e-mail")})
    with transaction.atomic():
        record_change(
            actor,
            "accounts.invite",
            user,
            _("Invitation sent again to %(user)s") % {"user": user.username},
            object_type="user",
        )
    send_invitations([user])
    return user


def activate_account(user: User, password: str) -> None:
    """The invited person sets their password (already checked by the validators)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_change(
            user,
            "accounts.activate",
            user,
            _("Account %(user)s activated") % {"user": user.username},
            object_type="user",
        )
