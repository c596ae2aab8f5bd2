"""Audit actions read as sentences in the reader's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from sinasec.audit.actions import ACTIONS, action_text
from sinasec.audit.models import AuditEvent
from sinasec.committees.models import EventKind
from sinasec.conftest import login

SOURCE = Path(__file__).resolve().parents[2]
CODE = re.compile(
    r'"((?:accounts|barrios|committees|institutions|jobs|notifications|'
    r'observatory|plans|territories|meetings|community)\.[a-z_]+)"'
)


def test_it_says_an_action_as_a_sentence_in_each_language() -> None:
    with translation.override("es-pe"):
        assert action_text("committees.record_sworn") == "Registró la juramentación del comité"
    with translation.override("en"):
        assert action_text("committees.record_sworn") == "Recorded the committee's swearing-in"
    assert action_text("future.unknown_code") == "future.unknown_code"


def test_it_has_a_sentence_for_every_action_the_services_record() -> None:
    written = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "record_change" in text or "audit_event" in text or 'action = "' in text:
            written.update(CODE.findall(text))
    written.update(f"committees.record_{kind}" for kind in EventKind.values)
    # Object types (of notices, imports) and lock names, not actions.
    written -= {"plans.executionreport", "plans.plan", "plans.multiyear"}
    written -= {"community.junta", "community.training"}
    assert written - set(ACTIONS) == set()


@pytest.mark.django_db
def test_it_shows_the_sentence_on_the_page_and_in_the_api(client: Client, admin: User) -> None:
    AuditEvent.objects.create(
        actor=admin,
        actor_label=admin.username,
        action="committees.record_sworn",
        object_type="committees.committeeevent",
        object_id="1",
        summary="Juramentación",
    )
    login(client, admin)
    page = client.get("/auditoria/").content.decode()
    assert "Registró la juramentación del comité" in page
    assert "<code>committees.record_sworn</code>" in page
    english = client.get("/api/v1/audit/events", headers={"accept-language": "en"}).json()
    assert english["items"][0]["action"] == "committees.record_sworn"
    assert english["items"][0]["action_text"] == "Recorded the committee's swearing-in"
