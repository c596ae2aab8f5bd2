"""Issue 16's reproductions on Barrio Seguro: the monitoring comparison that revealed
barrios outside the user's scope, and the stale barrio form that reverted another
administrator's change. (The analyst creating barrios is refused in
``test_targeting.py``, ``test_targeting_grid.py`` and ``test_api.py``.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from sinasec.barrios.models import Barrio
from sinasec.barrios.tests import monitoring_data as data
from sinasec.conftest import login

pytestmark = pytest.mark.django_db
CALLAO = "070101"


@pytest.fixture
def own_and_other(settings, tmp_path: Path) -> tuple[Barrio, Barrio]:
    """A barrio of Miraflores (the secretary's) and one of Callao beside it (not theirs),
    with the monitoring scenario's incidents."""
    data.district_with_population()
    own = data.barrio("Barrio propio", 0.0, launched_on=data.LAUNCH, population=8_000)
    other = data.barrio("Barrio ajeno del Callao", data.COMPARISON_DX)
    Barrio.objects.filter(pk=other.pk).update(district_id=CALLAO, region_id="07")
    settings.INCIDENTS_DIR = data.write_store(tmp_path, data.scenario_incidents()).root
    return own, other


def test_the_monitoring_comparison_never_reveals_a_barrio_outside_the_users_scope(
    client: Client, secretary: User, admin: User, own_and_other: tuple[Barrio, Barrio]
) -> None:
    own, other = own_and_other
    query = f"desde={data.WINDOW[0]}&hasta={data.WINDOW[1]}&comparacion={other.pk}"
    login(client, admin)
    assert client.get(f"/barrios/{own.pk}/monitoreo/series.csv?{query}").status_code == 200
    assert other.name in client.get(f"/barrios/{own.pk}/monitoreo/").content.decode()

    login(client, secretary)
    assert client.get(f"/barrios/{other.pk}/monitoreo/series.csv").status_code == 403
    csv = client.get(f"/barrios/{own.pk}/monitoreo/series.csv?{query}")
    assert csv.status_code == 400  # unknown to them, as a barrio that does not exist
    assert b"comparison" not in csv.content and str(other.pk).encode() in csv.content
    page = client.get(f"/barrios/{own.pk}/monitoreo/").content.decode()
    assert other.name not in page  # the picker offers only barrios they read
    api = f"/api/v1/barrios/{own.pk}/monitoring?from={data.WINDOW[0]}&to={data.WINDOW[1]}"
    assert client.get(f"{api}&compare={other.pk}").status_code == 422
    chosen = client.get(api).json()["comparison"]  # chosen by similarity: theirs only
    assert other.pk not in [b["id"] for b in chosen.get("barrios", [])]


def test_a_stale_barrio_form_never_reverts_another_administrators_change(
    client: Client, admin: User
) -> None:
    barrio = Barrio.objects.create(
        name="Santa Cruz", district_id="150122", cohort="2024", status="targeted"
    )
    login(client, admin)
    url = f"/barrios/{barrio.pk}/datos/"
    opened = client.get(f"/barrios/{barrio.pk}/").content.decode()
    assert 'name="version" value="1"' in opened
    first = {"version": "1", "name": "Santa Cruz", "population": "5400"}
    assert client.post(url, first).status_code == 302  # the first administrator saves
    stale = {"version": "1", "name": "Santa Cruz Baja", "population": ""}
    response = client.post(url, stale, headers={"accept-language": "en"})
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("version 1" in m and "version 2" in m for m in said)
    barrio.refresh_from_db()
    assert (barrio.name, barrio.population, barrio.version) == ("Santa Cruz", 5400, 2)

    api = f"/api/v1/barrios/{barrio.pk}"
    patch = client.patch(api, {"version": 1, "population": 1}, content_type="application/json")
    assert patch.status_code == 409
    assert (patch.json()["your_version"], patch.json()["current_version"]) == (1, 2)
    status = {"status": "planned", "on_date": "2024-01-02", "version": 1}
    assert client.post(f"{api}/status", status, content_type="application/json").status_code == 409
    fresh = client.patch(api, {"version": 2, "population": 1}, content_type="application/json")
    assert fresh.status_code == 200 and fresh.json()["version"] == 3
