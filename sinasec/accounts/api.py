from django.http import HttpRequest
from ninja import Router, Schema

from sinasec.accounts.auth import user_or_public_auth
from sinasec.accounts.scope import scope_for

router = Router(tags=["accounts"])


class MeOut(Schema):
    authenticated: bool
    username: str | None
    role: str | None
    territory: str | None
    region: str | None
    institution_id: int | None


@router.get(
    "/me",
    response=MeOut,
    auth=user_or_public_auth,
    summary="Who is calling (token, session or the public), with their role and scope",
)
def me(request: HttpRequest) -> dict:
    scope = scope_for(request.user)
    return {
        "authenticated": request.user.is_authenticated,
        "username": request.user.get_username() if request.user.is_authenticated else None,
        "role": scope.role,
        "territory": scope.territory,
        "region": scope.region,
        "institution_id": scope.institution_id,
    }
