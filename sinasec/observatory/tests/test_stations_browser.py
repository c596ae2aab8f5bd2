"""The police stations are a layer of the usable-coordinates page's map. In real
Chromium."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sinasec.territories.services import import_police_stations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_it_shows_the_police_stations_on_the_map(page, admin: User) -> None:
    data = (
        "codigo;nombre;ubigeo;latitud;longitud\n"
        "C1;Comisaría Miraflores;150122;-12.1211;-77.0297\n"
        "C2;Comisaría San Isidro;150131;-12.0977;-77.0365\n"
        "C3;Comisaría Callao;070101;-12.0566;-77.1181\n"
    ).encode()
    import_police_stations(admin, "comisarias.csv", data)
    page.goto(page.base + "/observatorio/coordenadas/?territorio=15")
    page.wait_for_selector("#map[data-stations-loaded]")
    assert page.get_attribute("#map", "data-stations-loaded") == "2"  # Lima's two
    assert page.locator("#map path.leaflet-interactive").count() >= 2
