"""The interface speaks Spanish (Peru) first and English second."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.test import Client

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_it_has_every_message_translated_to_spanish() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.django_db
def test_it_serves_spanish_by_default_and_english_on_request(client: Client) -> None:
    spanish = client.get("/territorios/").content.decode()
    assert 'lang="es-pe"' in spanish and "Gobiernos regionales" in spanish
    english = client.get("/territorios/", headers={"accept-language": "en"}).content.decode()
    assert 'lang="en"' in english and "Regional governments" in english
