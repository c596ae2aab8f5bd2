"""Account administration pages (/cuentas/administrar/) and the invitation's activation
page (/cuentas/activar/...). Thin: the services and the access getter decide."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinasec.core.errors import EditConflict, ImportRejected
from sinasec.core.exports import (
    CSV_TYPE,
    XLSX_TYPE,
    attachment_response,
    csv_bytes,
    sheet_name,
    table,
    wants_codes,
    xlsx_bytes,
)
from sinasec.core.filters import from_query
from sinasec.people import accounts as services
from sinasec.people.access import (
    check_manage_accounts,
    get_managed_account_for_user,
    grantable_roles,
)
from sinasec.people.filters import AccountFilter
from sinasec.people.forms import AccountForm, ImportForm
from sinasec.people.importer import import_accounts, template_bytes
from sinasec.people.invitations import invitation_token
from sinasec.people.selectors import REVIEW_COLUMNS, account_row, accounts_for, review_rows
from sinasec.territories.models import Region
from sinasec.territories.selectors import by_name

PAGE_SIZE = 50


def _filters_context(request: HttpRequest) -> dict[str, object]:
    filters = from_query(AccountFilter, request.GET)
    chosen = filters.role
    return {
        "filters": filters,
        "query": urlencode(filters.model_dump(exclude_none=True)),
        "roles": [(r.value, r.label, r == chosen) for r in grantable_roles(request.user)],
        "regions": by_name(Region.objects.all()),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    context = _filters_context(request)
    accounts = accounts_for(request.user, context["filters"])  # type: ignore[arg-type]
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "rows": [account_row(user) for user in page]}
    return render(request, "people/accounts/index.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    check_manage_accounts(request.user)
    form = AccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(request.user, form.account_input())
        except ValidationError as exc:
            form.show(exc)
        except EditConflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account %s created; the invitation was sent.") % user)
            return redirect("people_accounts:index")
    return render(request, "people/accounts/form.html", {"form": form, "account": None})


@login_required
def edit(request: HttpRequest, username: str) -> HttpResponse:
    account = get_managed_account_for_user(request.user, username)
    initial = services.current_input(account).__dict__
    form = AccountForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(request.user, username, **form.account_input().__dict__)
        except ValidationError as exc:
            form.show(exc)
        else:
            messages.success(request, _("Account %s saved.") % username)
            return redirect("people_accounts:index")
    row = account_row(account)
    return render(request, "people/accounts/form.html", {"form": form, "account": row})


def _act(request: HttpRequest, action: str, username: str, done: str) -> HttpResponse:
    try:
        getattr(services, action)(request.user, username)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % username)
    return redirect(request.POST.get("next") or reverse("people_accounts:index"))


@login_required
@require_POST
def deactivate(request: HttpRequest, username: str) -> HttpResponse:
    done = _("Account %s deactivated: its sessions were ended and its API tokens revoked.")
    return _act(request, "deactivate_account", username, done)


@login_required
@require_POST
def reactivate(request: HttpRequest, username: str) -> HttpResponse:
    return _act(request, "reactivate_account", username, _("Account %s reactivated."))


@login_required
@require_POST
def resend(request: HttpRequest, username: str) -> HttpResponse:
    return _act(request, "resend_invitation", username, _("Invitation sent again to %s."))


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    check_manage_accounts(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_accounts(request.user, upload.name or "cuentas", upload.read())
        except ImportRejected as exc:
            problems = exc.problems
        except EditConflict as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _(
                    "%(created)d accounts created (invited), %(updated)d updated, %(unchanged)d unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("people_accounts:index")
    return render(request, "people/accounts/import.html", {"form": form, "problems": problems})


@login_required
def template(request: HttpRequest) -> HttpResponse:
    check_manage_accounts(request.user)
    return attachment_response(template_bytes(), "plantilla_cuentas.xlsx", XLSX_TYPE)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    context = _filters_context(request)
    filters = context["filters"]
    export = request.GET.get("formato")
    if export in ("csv", "xlsx"):
        codes = wants_codes(request)
        header, rows = table(
            REVIEW_COLUMNS,
            review_rows(request.user, filters),  # type: ignore[arg-type]
            codes,
        )
        if export == "csv":
            content = csv_bytes([header, *rows])
            return attachment_response(content, "revision_accesos.csv", CSV_TYPE)
        content = xlsx_bytes([(sheet_name("accesos", _("accesses"), codes), header, rows)])
        return attachment_response(content, "revision_accesos.xlsx", XLSX_TYPE)
    accounts = accounts_for(request.user, filters)  # type: ignore[arg-type]
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "rows": [account_row(user) for user in page]}
    return render(request, "people/accounts/review.html", context)


class ActivateView(PasswordResetConfirmView):
    """The invitation link: set a password (Django's validators) and be signed in. The
    link works once: setting the password changes what its token was made from."""

    token_generator = invitation_token
    template_name = "people/accounts/activate.html"
    reset_url_token = "definir-clave"

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None  # deactivated: no link

    def form_valid(self, form: SetPasswordForm) -> HttpResponseBase:  # type: ignore[override]
        user = form.user
        services.activate_account(user, form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, "django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Your account is active. Welcome to SINASEC."))
        return redirect("site:home")
