"""django-axes announces every refused sign-in of a locked username; the audit log
records the lock once, when the limit is reached."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from sinasec.signin.services import record_lockout


@receiver(user_locked_out, dispatch_uid="sinasec.signin.lockout")
def lockout_recorded(
    sender: object, request: Any, username: str, ip_address: str, **kw: Any
) -> None:
    # axes counts the failures (and sets this) only on the attempt that reaches the
    # limit; the attempts refused during the lock come with it unset.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    record_lockout(username, ip_address)
