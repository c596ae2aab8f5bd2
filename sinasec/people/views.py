"""The signed-in user's API tokens: create (the secret shown once), list, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sinasec.people import services
from sinasec.people.access import get_api_tokens_for_user


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “PNP reporting system”."),
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.create_api_token(
            request.user, request.user.get_username(), form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": get_api_tokens_for_user(request.user, request.user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.revoke_api_token(request.user, token_id)
    messages.success(request, _("Token revoked."))
    return redirect("people:tokens")
