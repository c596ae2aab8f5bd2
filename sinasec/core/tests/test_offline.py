"""The system must work on an intranet with no internet: no page loads anything from
another host (scripts, styles, the API docs' Swagger UI, map tiles)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

ASSET = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/territorios/",
        "/territorios/150122/",
        "/servicios/",
        "/api/v1/docs",
        "/observatorio/",
        "/comites/cumplimiento/",
    ],
)
def test_it_loads_every_asset_from_its_own_server(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assets = ASSET.findall(response.content.decode())
    assert assets, "the page should reference its own assets"
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []
