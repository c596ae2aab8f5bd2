"""The barrio registry pages: who reads which barrio, who may write what, the status
order, the barrio page's sections and the registry's goal figures."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.barrios.access import get_barrio_for_user, get_barrios_for_user
from sinasec.barrios.articulation.services import (
    add_commitment,
    mark_agreement_done,
    record_table_session,
)
from sinasec.barrios.models import Agreement, Barrio, BarrioStatus, Commitment, Delivery
from sinasec.barrios.registry.services import change_barrio_status, load_seed_demo
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied

pytestmark = pytest.mark.django_db

TODAY = date.today()
START, END = TODAY - timedelta(days=60), TODAY + timedelta(days=60)


def make_barrio(district: str | None, name: str = "", region: str | None = None) -> Barrio:
    return Barrio.objects.create(
        name=name,
        district_id=district,
        region_id=region,
        cohort="2026",
        status=BarrioStatus.TARGETED,
    )


def ids(html: str, attribute: str = "data-barrio-id") -> set[int]:
    return {int(n) for n in re.findall(rf'{attribute}="(\d+)"', html)}


@pytest.fixture
def barrios() -> dict[str, Barrio]:
    return {
        "miraflores": make_barrio("150122", "Santa Cruz"),
        "lima": make_barrio("150101", "Barrios Altos"),
        "ventanilla": make_barrio("070106", "Ventanilla"),
        "callao_unplaced": make_barrio(None, region="07"),
    }


def test_it_shows_each_role_only_the_barrios_it_may_read(
    client: Client,
    barrios: dict[str, Barrio],
    admin: User,
    analyst: User,
    secretary: User,
    regional_secretary: User,
    focal_point: User,
) -> None:
    every = {b.pk for b in barrios.values()}
    expected = {
        admin: every,
        analyst: every,
        focal_point: every,  # they report deliveries to any barrio
        secretary: {barrios["miraflores"].pk},
        regional_secretary: {barrios["ventanilla"].pk, barrios["callao_unplaced"].pk},
    }
    for user, visible in expected.items():
        assert set(get_barrios_for_user(user).values_list("pk", flat=True)) == visible
        login(client, user)
        listed = ids(client.get("/barrios/").content.decode().split('data-testid="barrios"')[1])
        assert listed == visible, user.username
        matrix = client.get("/barrios/articulacion/").content.decode()
        assert ids(matrix) == visible
    login(client, secretary)
    assert client.get(f"/barrios/{barrios['miraflores'].pk}/").status_code == 200
    assert client.get(f"/barrios/{barrios['lima'].pk}/").status_code == 403
    with pytest.raises(AccessDenied):
        get_barrio_for_user(secretary, barrios["ventanilla"].pk)
    client.logout()
    assert client.get("/barrios/").status_code == 302  # to the log-in page


def test_it_lets_only_the_sector_s_focal_point_report_its_deliveries(
    client: Client,
    barrios: dict[str, Barrio],
    admin: User,
    focal_point: User,
    other_focal_point: User,
) -> None:
    barrio = barrios["miraflores"]
    pnp = add_commitment(admin, barrio.pk, "PNP", "Patrullaje", "patrullajes", 40, START, END)
    url = f"/barrios/{barrio.pk}/"
    post = {"commitment": pnp.pk, "delivered_on": TODAY.isoformat(), "quantity": "5"}

    login(client, other_focal_point)  # MINSA: no form, and a forged POST is refused
    assert 'data-testid="delivery-form"' not in client.get(url).content.decode()
    assert client.post(url + "entregas/", post).status_code == 403
    assert client.post(url + "entregas/", {**post, "quantity": "x"}).status_code == 403
    assert not Delivery.objects.exists()

    login(client, focal_point)  # PNP
    assert 'data-testid="delivery-form"' in client.get(url).content.decode()
    assert client.post(url + "entregas/", post).status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.quantity, delivery.reported_by) == (5, focal_point)
    assert AuditEvent.objects.filter(action="barrios.report_delivery").count() == 1
    html = client.get(url).content.decode()
    row = re.search(rf'data-commitment-id="{pnp.pk}".*?</tr>', html, re.S)
    assert row and 'data-testid="coverage">12.5 %' in row.group(0).replace("12,5", "12.5")
    # A commitment of another barrio cannot be reached through this barrio's page.
    other = add_commitment(admin, barrios["lima"].pk, "PNP", "x", "u", 3, START, END)
    assert client.post(url + "entregas/", {**post, "commitment": other.pk}).status_code == 404


def test_it_refuses_every_write_of_the_analyst(
    client: Client, barrios: dict[str, Barrio], admin: User, analyst: User
) -> None:
    barrio = barrios["miraflores"]
    commitment = add_commitment(admin, barrio.pk, "PNP", "x", "u", 4, START, END)
    session = record_table_session(admin, barrio.pk, TODAY, {"GL": 2}, [("Iluminar", "GL", END)])
    agreement = session.agreements.get()
    events = AuditEvent.objects.count()
    login(client, analyst)
    html = client.get(f"/barrios/{barrio.pk}/").content.decode()
    for form in ("details", "status", "boundary", "commitment", "delivery", "session", "done"):
        assert f'data-testid="{form}-form"' not in html
    url = f"/barrios/{barrio.pk}/"
    posts = {
        "estado/": {"status": "planned", "on_date": TODAY.isoformat()},
        "datos/": {"version": "1", "name": "Otro", "population": "10"},
        "limite/": {},
        "compromisos/": {
            "sector": "MINSA",
            "description": "x",
            "unit": "u",
            "target": "1",
            "starts_on": START.isoformat(),
            "ends_on": END.isoformat(),
        },
        "entregas/": {"commitment": commitment.pk, "delivered_on": TODAY, "quantity": "1"},
        "mesas/": {"held_on": TODAY.isoformat(), "attendance-0-institution": "PNP"},
        f"acuerdos/{agreement.pk}/cumplido/": {"done_on": TODAY.isoformat()},
    }
    for path, data in posts.items():
        assert client.post(url + path, data).status_code == 403, path
    barrio.refresh_from_db()
    agreement.refresh_from_db()
    assert (barrio.status, barrio.name, barrio.population) == ("targeted", "Santa Cruz", None)
    assert agreement.status == "pending"
    assert (Commitment.objects.count(), Delivery.objects.count()) == (1, 0)
    assert AuditEvent.objects.count() == events


def test_it_moves_a_barrio_forward_only_with_dates_in_order(
    client: Client, barrios: dict[str, Barrio], admin: User
) -> None:
    barrio = barrios["miraflores"]
    d1, d2 = TODAY - timedelta(days=30), TODAY - timedelta(days=10)
    change_barrio_status(admin, barrio.pk, "planned", d1)
    with pytest.raises(ValidationError):
        change_barrio_status(admin, barrio.pk, "launched", d1 - timedelta(days=1))  # before
    with pytest.raises(ValidationError):
        change_barrio_status(admin, barrio.pk, "launched", TODAY + timedelta(days=1))  # future
    with pytest.raises(ValidationError):
        change_barrio_status(admin, barrio.pk, "planned", d2)  # not forward
    change_barrio_status(admin, barrio.pk, "launched", d2)
    with pytest.raises(ValidationError):
        change_barrio_status(admin, barrio.pk, "planned", d2)  # backwards
    barrio.refresh_from_db()
    assert (barrio.status, barrio.planned_on, barrio.launched_on) == ("launched", d1, d2)
    events = AuditEvent.objects.filter(action="barrios.change_status", object_id=str(barrio.pk))
    assert [(e.after or {})["status"] for e in events.order_by("id")] == ["planned", "launched"]

    # Through the page: a skipped step keeps its date unknown, a step back is refused.
    other = barrios["lima"]
    login(client, admin)
    url = f"/barrios/{other.pk}/"
    assert client.post(url + "estado/", {"status": "launched", "on_date": d2}).status_code == 302
    assert client.post(url + "estado/", {"status": "planned", "on_date": d2}).status_code == 302
    other.refresh_from_db()
    assert (other.status, other.planned_on, other.launched_on) == ("launched", None, d2)
    html = client.get(url).content.decode()
    assert re.search(r'data-step="planned" data-reached="true">[^<]*<span class="unknown"', html)
    assert 'data-testid="status-history"' in html


def test_it_edits_a_barrio_keeping_blank_values_unknown(
    client: Client, barrios: dict[str, Barrio], admin: User
) -> None:
    barrio = barrios["ventanilla"]
    login(client, admin)
    data = {
        "version": str(barrio.version),
        "name": " Ventanilla Alta ",
        "articulator": "R. Quispe",
        "population": "",
        "goal_year": "2026",
    }
    assert client.post(f"/barrios/{barrio.pk}/datos/", data).status_code == 302
    barrio.refresh_from_db()
    assert (barrio.name, barrio.articulator, barrio.population, barrio.goal_year) == (
        "Ventanilla Alta",
        "R. Quispe",
        None,
        2026,
    )
    event = AuditEvent.objects.get(action="barrios.update_details")
    assert event.before == {"name": "Ventanilla", "articulator": "", "goal_year": None}
    html = client.get(f"/barrios/{barrio.pk}/").content.decode()
    assert re.search(r'data-testid="population"><span class="unknown"', html)


def test_it_records_a_technical_table_and_marks_an_agreement_done(
    client: Client,
    barrios: dict[str, Barrio],
    secretary: User,
    regional_secretary: User,
) -> None:
    barrio = barrios["miraflores"]
    url = f"/barrios/{barrio.pk}/"
    login(client, secretary)
    assert 'data-testid="session-form"' in client.get(url).content.decode()
    post = {
        "held_on": (TODAY - timedelta(days=20)).isoformat(),
        "place": "Local comunal",
        "attendance-0-institution": "PNP",
        "attendance-0-attendees": "2",
        "attendance-1-institution": "GL",
        "attendance-1-attendees": "3",
        "agreement-0-text": "Iluminar el parque",
        "agreement-0-owner": "GL",
        "agreement-0-deadline": (TODAY + timedelta(days=10)).isoformat(),
        "agreement-1-text": "Charla en colegios",
        "agreement-1-owner": "PNP",
        "agreement-1-deadline": (TODAY - timedelta(days=5)).isoformat(),
    }
    # A half-filled agreement row is refused and nothing is written.
    bad = {**post, "agreement-2-text": "Sin responsable"}
    assert client.post(url + "mesas/", bad).status_code == 302
    assert not Agreement.objects.exists()
    assert client.post(url + "mesas/", post).status_code == 302
    session = barrio.table_sessions.get()
    assert session.committee is not None and session.committee.ubigeo == "150122"
    assert dict(session.attendance.values_list("institution__acronym", "attendees")) == {
        "PNP": 2,
        "GL": 3,
    }
    html = client.get(url).content.decode()
    statuses = dict(re.findall(r'data-agreement-id="(\d+)" data-agreement-status="(\w+)"', html))
    park = session.agreements.get(text="Iluminar el parque")
    talk = session.agreements.get(text="Charla en colegios")
    assert statuses == {str(park.pk): "pending", str(talk.pk): "overdue"}

    done_url = url + f"acuerdos/{talk.pk}/cumplido/"
    login(client, regional_secretary)  # Callao: not this district
    assert client.post(done_url, {"done_on": TODAY.isoformat()}).status_code == 403
    login(client, secretary)
    assert client.post(done_url, {"done_on": TODAY.isoformat()}).status_code == 302
    talk.refresh_from_db()
    assert (talk.status, talk.done_on) == ("done", TODAY)
    assert AuditEvent.objects.filter(action="barrios.mark_agreement_done").count() == 1
    with pytest.raises(ValidationError):
        mark_agreement_done(secretary, talk.pk, TODAY)  # already done
    with pytest.raises(ValidationError):
        mark_agreement_done(secretary, park.pk, session.held_on - timedelta(days=1))
    html = client.get(url).content.decode()
    assert f'data-agreement-id="{talk.pk}" data-agreement-status="done"' in html


def test_it_shows_the_seed_s_barrios_with_unknown_names_as_unknown_and_marked_demo(
    client: Client, analyst: User
) -> None:
    load_seed_demo()
    login(client, analyst)
    html = client.get("/barrios/?cohort=2018").content.decode()
    listing = html.split('data-testid="barrios"')[1]
    assert len(ids(listing)) == 30
    # Three are named by the document; the others carry a demo label, never a made-up name.
    assert listing.count("data-demo-label") == 27
    assert 'data-unknown="name"' not in listing
    assert listing.count('data-testid="demo"') == 30
    assert re.search(r'data-testid="goal-value">30<', html)
    assert re.search(r'data-testid="goal-barrios">30<', html)
    # No dates in the seed: every barrio counted as date unknown, none in a month.
    planned = re.search(r'<tr data-series="planned">.*?</tr>', html, re.S)
    assert planned is not None
    assert re.findall(r'data-month="\d+">(\d+)<', planned.group(0)) == ["0"] * 12
    assert 'data-column="unknown">30<' in planned.group(0)
    territory = re.search(r'<tr data-territory="">.*?</tr>', html, re.S)
    assert territory and 'class="unknown"' in territory.group(0)


def test_it_links_the_registry_from_the_menu_and_the_targeting_page(
    client: Client, secretary: User, analyst: User
) -> None:
    login(client, secretary)
    home = client.get("/").content.decode()
    assert 'data-testid="nav-barrios" href="/barrios/"' in home or (
        'href="/barrios/" data-testid="nav-barrios"' in home
    )
    login(client, analyst)
    targeting = client.get("/barrios/focalizacion/").content.decode()
    assert 'href="/barrios/" data-testid="registry-link"' in targeting
    registry = client.get("/barrios/").content.decode()
    assert 'data-testid="targeting-link"' in registry
