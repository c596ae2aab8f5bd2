"""Sign-in in two steps when the account has a second factor, the lockout page, TOTP
enrolment and the national administrator's page of locks."""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinasec.signin.access import get_locks_for_user
from sinasec.signin.services import confirm_device, pending_device, unlock_account

PENDING = "signin_pending"  # the session's half-done sign-in: password right, code due
PENDING_SECONDS = 300
CODE_TRIES = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in (through axes' lockout check); an account with a confirmed
    TOTP device is signed in only after its code (``verify``)."""

    template_name = "signin/login.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,  # set by authenticate
            "at": time.time(),
            "next": self.get_success_url(),
            "tries": 0,
        }
        return redirect("signin:verify")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the device, a few tries, a few minutes."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("Your sign-in expired. Enter your password again."))
        return redirect("signin:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["code"].strip()):
            del request.session[PENDING]
            user.otp_device = device  # type: ignore[attr-defined]  # django_otp keeps it in the session
            login(request, user, backend=pending["backend"])
            return redirect(_safe_next(request, pending["next"]))
        pending["tries"] += 1
        if pending["tries"] >= CODE_TRIES:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes. Enter your password again."))
            return redirect("signin:login")
        request.session[PENDING] = pending
        form.add_error("code", _("The code is not valid. Enter the current one from your app."))
    return render(request, "signin/verify.html", {"form": form})


def _safe_next(request: HttpRequest, target: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_out(request: HttpRequest, response: Any = None, credentials: Any = None) -> HttpResponse:
    """axes' lockout response: the sign-in page says why and for how long (429)."""
    context = {"minutes": settings.LOGIN_LOCKOUT_MINUTES, "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "signin/locked.html", context, status=429)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrolment: the key to scan or type, then a code from the app to confirm it."""
    user = request.user
    assert isinstance(user, User)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return render(request, "signin/two_factor.html", {"enrolled": True})
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_device(user, device, form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on for your account."))
            return redirect(_safe_next(request, request.GET.get("next", "")))
        form.add_error("code", _("The code is not valid. Enter the current one from your app."))
    uri = device.config_url
    context = {
        "form": form,
        "uri": uri,
        "secret": _grouped_secret(device),
        "qr": segno.make(uri, error="m").svg_inline(scale=4, omitsize=False),
        "required": request.GET.get("required") == "1",
    }
    return render(request, "signin/two_factor.html", context)


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def locks(request: HttpRequest) -> HttpResponse:
    context = {"locks": get_locks_for_user(request.user), "limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "signin/locks.html", context)


@login_required
@require_POST
def unlock(request: HttpRequest, username: str) -> HttpResponse:
    unlock_account(request.user, username)
    messages.success(request, _("%(user)s can sign in again.") % {"user": username})
    return redirect("signin:locks")
