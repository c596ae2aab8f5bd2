"""Nobody reads or marks another's notifications; the bell counts one's unread ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.conftest import login
from sinasec.notifications.models import Kind, Notification
from sinasec.notifications.services import Draft, emit

pytestmark = pytest.mark.django_db


def _notice(user: User, n: int = 1) -> Notification:
    drafts = [
        Draft(user, Kind.REPORT_DUE, "plans.plan", 1, f"2026-{i:02d}", f"Aviso {i}", "Texto", "/")
        for i in range(1, n + 1)
    ]
    emit(drafts)
    return Notification.objects.filter(recipient=user).latest("id")


def test_it_shows_nobody_another_persons_notifications(
    client: Client, focal_point: User, other_focal_point: User
) -> None:
    notice = _notice(focal_point)
    login(client, other_focal_point)
    assert "Aviso 1" not in client.get("/avisos/").content.decode()
    assert client.post(f"/avisos/{notice.pk}/leido/").status_code == 404
    assert client.post(f"/api/v1/notifications/{notice.pk}/read").status_code == 404
    assert client.get("/api/v1/notifications").json()["items"] == []
    notice.refresh_from_db()
    assert notice.read_at is None


def test_it_asks_the_anonymous_to_sign_in(client: Client, focal_point: User) -> None:
    notice = _notice(focal_point)
    assert client.get("/avisos/").status_code == 302
    assert client.post(f"/avisos/{notice.pk}/leido/").status_code == 302
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post(f"/api/v1/notifications/{notice.pk}/read").status_code == 401


def test_it_lists_and_marks_ones_own(client: Client, focal_point: User) -> None:
    notice = _notice(focal_point, 3)
    login(client, focal_point)
    body = client.get("/avisos/").content.decode()
    assert body.index("Aviso 3") < body.index("Aviso 1")  # newest first
    page = client.get("/api/v1/notifications?limit=2").json()
    assert (page["count"], [n["title"] for n in page["items"]]) == (3, ["Aviso 3", "Aviso 2"])
    answer = client.post(f"/api/v1/notifications/{notice.pk}/read")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 2
    client.post("/avisos/leidos/")
    assert Notification.objects.filter(recipient=focal_point, read_at=None).count() == 0


def test_it_opens_the_link_when_asked(client: Client, focal_point: User) -> None:
    notice = _notice(focal_point)
    login(client, focal_point)
    answer = client.post(f"/avisos/{notice.pk}/leido/", {"open": "1"})
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_it_counts_the_unread_in_the_bell(client: Client, focal_point: User) -> None:
    _notice(focal_point, 2)
    login(client, focal_point)
    page = client.get("/avisos/preferencias/").content.decode()
    assert 'data-testid="unread">2<' in page
    client.post("/avisos/leidos/")
    assert 'data-testid="unread"' not in client.get("/avisos/preferencias/").content.decode()
    assert 'data-testid="bell"' not in Client().get("/").content.decode()  # anonymous


def test_it_counts_the_bell_in_one_query(focal_point: User, django_assert_num_queries) -> None:
    from django.test import RequestFactory

    from sinasec.notifications.context_processors import bell

    _notice(focal_point, 2)
    request = RequestFactory().get("/")
    request.user = focal_point
    with django_assert_num_queries(1):
        assert int(str(bell(request)["unread_notifications"])) == 2


def test_it_saves_the_email_preferences(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    client.post("/avisos/preferencias/", {"email": [Kind.REPORT_DUE, "no-such-kind"]})
    page = client.get("/avisos/preferencias/").content.decode()
    assert f'value="{Kind.REPORT_DUE}" checked' in page
    assert f'value="{Kind.REPORT_RETURNED}" checked' not in page
    _notice(focal_point)  # a report_due: e-mail still wanted (the user has no address, though)
    emit([Draft(focal_point, Kind.REPORT_OVERDUE, "plans.plan", 1, "x", "T", "B")])
    assert not Notification.objects.get(kind=Kind.REPORT_OVERDUE).email_wanted
