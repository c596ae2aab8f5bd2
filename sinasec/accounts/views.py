from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sinasec.accounts.models import Profile


@login_required
def me(request: HttpRequest) -> HttpResponse:
    profile = (
        Profile.objects.select_related("territory", "region", "institution")
        .filter(user_id=request.user.pk or 0)
        .first()
    )
    return render(request, "accounts/me.html", {"profile": profile})
