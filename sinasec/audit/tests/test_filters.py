"""The audit log filter serves the page and the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.conftest import login
from sinasec.institutions.services import update_institution_contact

pytestmark = pytest.mark.django_db


def test_the_page_and_the_api_filter_by_action(client: Client, admin: User) -> None:
    update_institution_contact(admin, "PNP", 1, phone="111")
    login(client, admin)
    api = client.get("/api/v1/audit/events", {"action": "institutions.update_contact"}).json()
    assert api["count"] == 1 and api["items"][0]["action"] == "institutions.update_contact"
    assert client.get("/api/v1/audit/events", {"action": "nothing.like.this"}).json()["count"] == 0
    page = client.get("/auditoria/", {"action": "institutions.update_contact"}).content.decode()
    assert "<code>institutions.update_contact</code>" in page
    empty = client.get("/auditoria/", {"q": "no-such-change"}).content.decode()
    assert "<code>institutions.update_contact</code>" not in empty
