"""Writes about sign-in, each in its own transaction with its audit record: a lock, a
lock lifted, a password reset asked for and done, a password changed, a second factor
enrolled."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from axes.utils import reset as reset_axes_attempts
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinasec.accounts.scope import AnyUser
from sinasec.audit.models import AuditEvent
from sinasec.audit.services import record_change
from sinasec.core.concurrency import lock_target
from sinasec.signin.access import get_lock_for_user

RESET_REQUESTED = "accounts.password_reset_requested"


def _account(username: str) -> User | None:
    return get_user_model().objects.filter(username=username).first()


def record_lockout(username: str, ip_address: str | None) -> None:
    """A username just reached the failure limit: the lock goes in the audit log about
    the account it names, made by the public (whoever typed the passwords)."""
    account = _account(username)
    with transaction.atomic():
        record_change(
            AnonymousUser(),
            "accounts.locked",
            account or username,
            _(
                "Sign-in locked for %(user)s for %(minutes)s minutes after %(limit)s wrong "
                "passwords (last from %(ip)s)"
            )
            % {
                "user": username,
                "minutes": settings.LOGIN_LOCKOUT_MINUTES,
                "limit": settings.AXES_FAILURE_LIMIT,
                "ip": ip_address or "?",
            },
            after={"username": username, "ip_address": ip_address},
            object_type="user",
        )


def unlock_account(actor: AnyUser, username: str) -> None:
    """Lift a lock before its time (national administrators)."""
    lock = get_lock_for_user(actor, username, write=True)
    account = _account(username)
    with transaction.atomic():
        reset_axes_attempts(username=username)
        record_change(
            actor,
            "accounts.unlocked",
            account or username,
            _("Sign-in lock of %(user)s lifted") % {"user": username},
            before={"failures": lock.failures, "until": lock.until.isoformat()},
            object_type="user",
        )


def _email_key(email: str) -> str:
    """The audit record's object: the digest of the address, always 64 characters."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def request_password_reset(email: str, send: Callable[[], None]) -> bool:
    """Record a reset request for ``email`` and ``send`` its e-mail, at most once per
    address every SINASEC_PASSWORD_RESET_COOLDOWN_MINUTES (False: refused quietly).

    The requester is told the same either way, whether or not an account has this
    address; the audit log (read by national staff) says which accounts it matched.
    """
    key = _email_key(email)
    since = timezone.now() - timedelta(minutes=settings.PASSWORD_RESET_COOLDOWN_MINUTES)
    with transaction.atomic():
        lock_target("password_reset", key)  # two requests at once: the second waits
        recent = AuditEvent.objects.filter(action=RESET_REQUESTED, object_id=key, at__gt=since)
        if recent.exists():
            return False
        accounts = list(
            get_user_model()
            .objects.filter(email__iexact=email.strip(), is_active=True)
            .values_list("username", flat=True)
        )
        record_change(
            AnonymousUser(),
            RESET_REQUESTED,
            key,
            _("Password reset requested for %(email)s (matching accounts: %(count)s)")
            % {"email": email.strip(), "count": len(accounts)},
            after={"email": email.strip(), "accounts": accounts},
            object_type="password_reset",
        )
    send()  # outside the transaction: Django logs, never raises, a mail server's failure
    return True


def set_password(user: User, save: Callable[[], object], action: str) -> None:
    """Save a new password (a reset or a change) through ``save`` with its audit record."""
    summaries = {
        "accounts.password_reset": _("Password of %(user)s set from a reset link"),
        "accounts.password_changed": _("Password of %(user)s changed by its owner"),
    }
    with transaction.atomic():
        save()
        record_change(
            user,
            action,
            user,
            summaries[action] % {"user": user.get_username()},
            object_type="user",
        )


def pending_device(user: User) -> TOTPDevice:
    """The user's TOTP device being enrolled (made the first time): its key is shown
    until a code from it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="SINASEC", confirmed=False)
    return device


def confirm_device(user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm a device with a code it generated now; False when the code is wrong."""
    with transaction.atomic():
        if not device.verify_token(code.strip()):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record_change(
            user,
            "accounts.two_factor_enrolled",
            user,
            _("Two-factor sign-in enrolled for %(user)s") % {"user": user.get_username()},
            object_type="user",
        )
    return True
