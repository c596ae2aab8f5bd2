"""Account administration, mounted at /api/v1/accounts/users: the same services and
access getter as the pages (a regional administrator sees and changes their region's
committee secretaries only)."""

from collections.abc import Sequence
from datetime import datetime
from typing import overload

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.schemas import ConflictOut, ErrorOut, InvalidOut
from sinasec.people import accounts as services
from sinasec.people.access import get_managed_account_for_user
from sinasec.people.filters import AccountFilter
from sinasec.people.selectors import AccountRow, account_row, accounts_for

router = Router(tags=["accounts"])


class AccountOut(Schema):
    username: str
    name: str
    email: str
    role: str
    scope: str
    place: str = Field(description="ubigeo, region code or institution acronym")
    active: bool
    activated: bool = Field(description="false: invited, password never set")
    last_login: datetime | None
    can_read: str
    can_write: str


class AccountIn(Schema):
    full_name: str = Field(max_length=150)
    email: str = Field(max_length=254)
    role: str = Field(max_length=40, description="national_admin, regional_admin, ...")
    place: str = Field("", max_length=6, description="ubigeo or region code")
    institution: str = Field("", max_length=200, description="acronym, e.g. PNP")
    dni: str = Field("", max_length=8)
    invite: bool = True


class AccountPatch(Schema):
    full_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    role: str | None = Field(None, max_length=40)
    place: str | None = Field(None, max_length=6)
    institution: str | None = Field(None, max_length=200)
    dni: str | None = Field(None, max_length=8)


class Rows(Sequence[AccountRow]):
    """Accounts as rows, built only for the page asked for."""

    def __init__(self, accounts: "QuerySet[User]"):
        self.accounts = accounts

    def __len__(self) -> int:
        return self.accounts.count()

    @overload
    def __getitem__(self, index: int) -> AccountRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[AccountRow]: ...
    def __getitem__(self, index: int | slice) -> AccountRow | list[AccountRow]:
        if isinstance(index, slice):
            return [account_row(user) for user in self.accounts[index]]
        return account_row(self.accounts[index])


READ = {200: AccountOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 422: InvalidOut}


def _out(user: User) -> AccountOut:
    return AccountOut(**account_row(user).__dict__)


@router.get(
    "",
    response={200: list[AccountOut], 401: ErrorOut, 403: ErrorOut},
    auth=user_auth,
    summary="The accounts the caller manages (national: all; regional: their region's)",
)
@paginate
def accounts(request: HttpRequest, filters: Query[AccountFilter]) -> Rows:
    return Rows(accounts_for(request.user, filters))


@router.get("/{username}", response=READ, auth=user_auth, summary="One account")
def account(request: HttpRequest, username: str) -> AccountOut:
    return _out(get_managed_account_for_user(request.user, username))


@router.post(
    "",
    response={201: AccountOut, 401: ErrorOut, 403: ErrorOut, 409: ConflictOut, 422: InvalidOut},
    auth=user_auth,
    summary="Create an account (username = e-mail) and send its invitation",
)
def create(request: HttpRequest, payload: AccountIn) -> tuple[int, AccountOut]:
    data = payload.dict()
    invite = data.pop("invite")
    user = services.create_account(request.user, services.AccountInput(**data), invite=invite)
    return 201, _out(user)


@router.patch(
    "/{username}", response=WRITE, auth=user_auth, summary="Change name, e-mail, role or scope"
)
def update(request: HttpRequest, username: str, payload: AccountPatch) -> AccountOut:
    changes = payload.dict(exclude_none=True)
    return _out(services.update_account(request.user, username, **changes))


@router.post(
    "/{username}/deactivate",
    response=READ,
    auth=user_auth,
    summary="Deactivate: sessions ended and API tokens revoked at once; never deleted",
)
def deactivate(request: HttpRequest, username: str) -> AccountOut:
    return _out(services.deactivate_account(request.user, username))


@router.post("/{username}/reactivate", response=READ, auth=user_auth, summary="Reactivate")
def reactivate(request: HttpRequest, username: str) -> AccountOut:
    return _out(services.reactivate_account(request.user, username))


@router.post(
    "/{username}/invitation",
    response=WRITE,
    auth=user_auth,
    summary="Send the invitation again (an account not activated yet)",
)
def resend(request: HttpRequest, username: str) -> AccountOut:
    return _out(services.resend_invitation(request.user, username))
