from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.audit.access import get_audit_events_for_user
from sinasec.audit.filters import AuditEventFilter
from sinasec.core.schemas import ErrorOut

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_label: str
    action: str
    # The action as a sentence in the caller's language (Accept-Language); ``action``
    # is the stable code to filter on.
    action_text: str
    object_type: str
    object_id: str
    summary: str
    before: object | None
    after: object | None
    territory_ubigeo: str
    institution_id: int | None


@router.get(
    "/events",
    response={200: list[AuditEventOut], 401: ErrorOut, 403: ErrorOut},
    auth=user_auth,
    summary="The audit log within the caller's scope, newest first",
)
@paginate
def events(request: HttpRequest, filters: Query[AuditEventFilter]) -> object:
    return filters.filter(get_audit_events_for_user(request.user))
