"""With SINASEC_REQUIRE_2FA_FOR_NATIONAL, a national administrator or analyst without a
confirmed TOTP device is sent to enrolment before anything else."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
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
        if settings.REQUIRE_2FA_FOR_NATIONAL and self._must_enrol(request):
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
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or not scope_for(user).is_national:
            return False
        return not TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
