"""Django's password views (reset by e-mail, change), in the site's layout, with the
request throttled per address and every step audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from sinasec.signin.services import request_password_reset, set_password


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail (to every active account with the address, as Django
    does) at most once per address in the cool-down, and audits the request."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        email = self.cleaned_data["email"]
        request_password_reset(
            email, lambda: super(ThrottledPasswordResetForm, self).save(*args, **kwargs)
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    template_name = "signin/password_reset_form.html"
    email_template_name = "signin/password_reset_email.txt"
    subject_template_name = "signin/password_reset_subject.txt"
    success_url = reverse_lazy("signin:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "signin/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "signin/password_reset_confirm.html"
    success_url = reverse_lazy("signin:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        set_password(form.user, form.save, "accounts.password_reset")
        # The parent saves again and (post_reset_login off) only redirects: skip it.
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "signin/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "signin/password_change_form.html"
    success_url = reverse_lazy("signin:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        set_password(form.user, form.save, "accounts.password_changed")
        # Keep this session signed in (Django's view does it after its own save).
        update_session_auth_hash(self.request, form.user)
        return super(auth_views.PasswordChangeView, self).form_valid(form)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "signin/password_change_done.html"
