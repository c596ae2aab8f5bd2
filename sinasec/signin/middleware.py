"""With SINASEC_REQUIRE_2FA_FOR_NATIONAL, a national administrator or analyst uses the
site only in a session that passed the TOTP code: without a confirmed device they are
sent to enrolment; with one, a session opened without its code (before enrolment, in
another browser) is ended and they sign in again."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinasec.accounts.scope import scope_for

# What a user on the way to enrolment may still reach.
OPEN_PREFIXES = ("/static/", "/i18n/", "/media/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.REQUIRE_2FA_FOR_NATIONAL or not self._concerns(request):
            return self.get_response(request)
        # A session verified with a TOTP device: OTPMiddleware loaded it from the session and
        # kept it only if confirmed and this user's, so no need to look for one again.
        if isinstance(getattr(request.user, "otp_device", None), TOTPDevice):
            return self.get_response(request)
        if TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=True).exists():
            logout(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
        return self._to_enrolment(request)

    @staticmethod
    def _concerns(request: HttpRequest) -> bool:
        user = request.user
        return user.is_authenticated and scope_for(user).is_national

    def _to_enrolment(self, request: HttpRequest) -> HttpResponse:
        enrol = reverse("signin:two_factor")
        if request.path in (enrol, reverse("accounts:logout")) or request.path.startswith(
            OPEN_PREFIXES
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Set up two-factor sign-in first: %(url)s") % {"url": enrol}
            return JsonResponse({"detail": message}, status=403)
        query = urlencode({"required": "1", "next": request.get_full_path()})
        return redirect(f"{enrol}?{query}")
