"""Django's password views (reset by e-mail, change), in the site's layout, with the
request throttled per address and every step audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
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


class AuditedSave:
    """A password form whose save goes through ``set_password``: the new password and
    its audit record in one transaction."""

    action = ""
    user: User

    def save(self, commit: bool = True) -> User:
        parent_save = super().save  # type: ignore[misc]  # the form class mixed in
        set_password(self.user, lambda: parent_save(commit), self.action)
        return self.user


class AuditedSetPasswordForm(AuditedSave, SetPasswordForm):
    action = "accounts.password_reset"


class AuditedPasswordChangeForm(AuditedSave, PasswordChangeForm):
    action = "accounts.password_changed"


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

    form_class = AuditedSetPasswordForm


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "signin/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "signin/password_change_form.html"
    success_url = reverse_lazy("signin:password_change_done")

    form_class = AuditedPasswordChangeForm


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "signin/password_change_done.html"
