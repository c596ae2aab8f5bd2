"""API tokens of the signed-in user, mounted at /api/v1/accounts/tokens."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.accounts.models import ApiToken
from sinasec.core.schemas import ErrorOut
from sinasec.people import services
from sinasec.people.access import get_api_tokens_for_user

router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str  # shown once: only its digest is stored


class TokenIn(Schema):
    name: str


@router.get(
    "", response={200: list[TokenOut], 401: ErrorOut}, auth=user_auth, summary="My API tokens"
)
@paginate
def tokens(request: HttpRequest) -> object:
    return get_api_tokens_for_user(request.user, request.user)  # type: ignore[arg-type]


@router.post(
    "",
    response={201: TokenCreatedOut, 401: ErrorOut},
    auth=user_auth,
    summary="Create an API token; its secret is returned once",
)
def create(request: HttpRequest, payload: TokenIn) -> tuple[int, TokenCreatedOut]:
    token, secret = services.create_api_token(
        request.user, request.user.get_username(), payload.name
    )
    return 201, TokenCreatedOut(**TokenOut.from_orm(token).dict(), secret=secret)


@router.delete(
    "/{token_id}",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=user_auth,
    summary="Revoke an API token",
)
def revoke(request: HttpRequest, token_id: int) -> ApiToken:
    return services.revoke_api_token(request.user, token_id)
