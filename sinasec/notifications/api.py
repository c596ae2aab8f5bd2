"""The signed-in person's notifications, mounted at /api/v1/notifications."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.schemas import ErrorOut
from sinasec.notifications import services
from sinasec.notifications.access import get_notifications_for_user
from sinasec.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    object_type: str
    object_id: int | None
    title: str
    body: str
    link: str
    created: datetime
    read_at: datetime | None
    emailed_at: datetime | None


@router.get(
    "",
    response={200: list[NotificationOut], 401: ErrorOut},
    auth=user_auth,
    summary="My notifications, newest first",
)
@paginate
def notifications(request: HttpRequest, unread: bool = False) -> object:
    found = get_notifications_for_user(request.user)
    return found.filter(read_at__isnull=True) if unread else found


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    auth=user_auth,
    summary="Mark one of my notifications as read",
)
def read(request: HttpRequest, notification_id: int) -> Notification:
    return services.mark_read(request.user, notification_id)
