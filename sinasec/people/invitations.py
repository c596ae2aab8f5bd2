"""Invitations: a one-time activation link by e-mail, made with Django's token machinery.

The token is a ``PasswordResetTokenGenerator`` hash over the account's password hash
and last sign-in: once the invited person sets a password (and is signed in) every
link sent before stops working, so a link is good once. It expires after
``settings.INVITATION_DAYS`` days (``SINASEC_INVITATION_DAYS``); resending makes a new
one. The mail goes through Django's e-mail backend: the console in the demo, SMTP from
the ``SINASEC_EMAIL_*`` settings in production.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from sinasec.core.mail import default_mailer

log = logging.getLogger(__name__)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """A password-reset token of its own kind (another salt: a reset link is not an
    invitation) that lives ``INVITATION_DAYS`` instead of ``PASSWORD_RESET_TIMEOUT``."""

    key_salt = "sinasec.people.invitations.InvitationTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in secrets
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= settings.INVITATION_DAYS * 24 * 3600


invitation_token = InvitationTokenGenerator()


def activation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "people_accounts:activate",
        kwargs={"uidb64": uid, "token": invitation_token.make_token(user)},
    )


def invitation_message(user: User) -> EmailMessage:
    """The invitation e-mail for ``user``, in Spanish (the people it goes to read it)."""
    with override("es-pe"):
        link = settings.SITE_URL.rstrip("/") + activation_path(user)
        context = {"user": user, "link": link, "days": settings.INVITATION_DAYS}
        body = render_to_string("people/accounts/invitation_email.txt", context)
        subject = _("Your SINASEC account")
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_invitations(users: Iterable[User]) -> int:
    """Send one invitation to each user over one connection; how many were sent.

    Called after the accounts are committed: a mail server that is down leaves the
    accounts in place, not activated, for the administrator to resend."""
    messages = [invitation_message(user) for user in users if user.email]
    if not messages:
        return 0
    try:
        return default_mailer().send_messages(messages) or 0
    except OSError:
        log.exception("invitations not sent (%d)", len(messages))
        return 0
