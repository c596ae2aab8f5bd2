"""The Barrio Seguro team does in Barrio Seguro what a national administrator does
there (targeting, creating a barrio from a run, editing it, its commitments), and
elsewhere only reads: no plan approval, no account administration."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.barrios.models import Barrio, BarrioStatus, Commitment
from sinasec.barrios.targeting.services import run_and_store_targeting
from sinasec.barrios.tests.test_targeting import HIGHEST, PARAMS, sidpol_counts
from sinasec.conftest import login
from sinasec.core.errors import AccessDenied
from sinasec.people.accounts import AccountInput, create_account
from sinasec.plans.models import ExecutionReport, ReportStatus
from sinasec.plans.services import load_national_plan_2010
from sinasec.plans.tests.test_api import act, pnp_part, put

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("population_2025")
def test_it_lets_the_team_create_a_barrio_from_a_run_and_edit_it(
    client: Client, barrio_team: User
) -> None:
    sidpol_counts()
    run = run_and_store_targeting(barrio_team, PARAMS)
    login(client, barrio_team)
    explained = client.get(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/").content.decode()
    assert "create-barrio" in explained
    response = client.post(f"/barrios/focalizacion/{run.pk}/{HIGHEST}/crear-barrio/")
    assert response.status_code == 302
    barrio = Barrio.objects.get(district_id=HIGHEST)
    assert barrio.status == BarrioStatus.TARGETED
    data = {"version": str(barrio.version), "name": "Huáscar", "articulator": "B. Ruiz"}
    assert client.post(f"/barrios/{barrio.pk}/datos/", data).status_code == 302
    barrio.refresh_from_db()
    assert (barrio.name, barrio.articulator) == ("Huáscar", "B. Ruiz")
    commitment = {
        "sector": "PNP",
        "description": "Patrullaje integrado",
        "unit": "patrullajes",
        "target": "10",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    }
    assert client.post(f"/barrios/{barrio.pk}/compromisos/", commitment).status_code == 302
    assert Commitment.objects.filter(barrio=barrio).exists()
    actions = set(AuditEvent.objects.filter(actor=barrio_team).values_list("action", flat=True))
    assert {"barrios.create_from_target", "barrios.update_details"} <= actions


def test_it_refuses_the_team_a_plan_approval_and_account_administration(
    client: Client, barrio_team: User, focal_point: User
) -> None:
    plan = load_national_plan_2010()
    login(client, focal_point)
    report_id = put(client, plan, pnp_part(), "PNP", 18).json()["id"]
    act(client, plan, report_id, "submit")
    login(client, barrio_team)
    assert act(client, plan, report_id, "approve").status_code == 403
    assert client.get(f"/planes/{plan.pk}/revision/").status_code == 403
    assert ExecutionReport.objects.get(pk=report_id).status == ReportStatus.SUBMITTED
    assert client.get("/cuentas/administrar/").status_code == 403
    with pytest.raises(AccessDenied):
        create_account(barrio_team, AccountInput("X", "x@y.pe", "secretario", "150122"))
