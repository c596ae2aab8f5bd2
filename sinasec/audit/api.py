from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.audit.access import get_audit_events_for_user

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str
    summary: str
    before: object | None
    after: object | None
    territory_ubigeo: str
    institution_id: int | None


@router.get("/events", response=list[AuditEventOut], auth=user_auth)
@paginate
def events(request: HttpRequest) -> object:
    return get_audit_events_for_user(request.user)
