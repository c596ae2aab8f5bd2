"""The sessions API: the secretary records a session and marks an agreement done with
the version read (a stale version is a 409 that writes nothing); reads follow the
committee's scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.committees.models import Committee
from sinasec.conftest import login
from sinasec.meetings.models import Agreement

pytestmark = pytest.mark.django_db


def miraflores() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")


def body(**extra: object) -> dict[str, object]:
    return {
        "committee": miraflores().pk,
        "kind": "ordinary",
        "held_on": "2025-02-03",
        "attendance": [{"institution": "PNP", "attendees": 3}],
        "agreements": [{"text": "Patrullaje", "owner": "PNP", "deadline": "2025-03-03"}],
        **extra,
    }


def test_it_records_and_marks_done_with_the_version(client: Client, secretary: User) -> None:
    login(client, secretary)
    created = client.post("/api/v1/meetings/sessions", body(), content_type="application/json")
    assert created.status_code == 201, created.content
    agreement = created.json()["agreements"][0]
    assert (agreement["status"], agreement["version"]) == ("overdue", 1)
    url = f"/api/v1/meetings/agreements/{agreement['id']}/done"
    done = client.post(
        url, {"done_on": "2025-03-01", "version": 1}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    stale = client.post(
        url, {"done_on": "2025-03-02", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert Agreement.objects.get(pk=agreement["id"]).done_on == date(2025, 3, 1)
    listed = client.get(f"/api/v1/meetings/sessions?committee={miraflores().pk}").json()
    assert listed["count"] == 1 and listed["items"][0]["quorum"]["reached"] is None


def test_it_refuses_another_committee_and_a_bad_consultation(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    magdalena = Committee.objects.get(level="district", ubigeo="150120")
    refused = client.post(
        "/api/v1/meetings/sessions", body(committee=magdalena.pk), content_type="application/json"
    )
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/meetings/sessions", body(kind="consultation"), content_type="application/json"
    )
    assert bad.status_code == 422 and "public_attendance" in bad.json()["detail"]


def test_it_hides_sessions_from_a_focal_point(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    assert client.get("/api/v1/meetings/sessions").status_code == 403
