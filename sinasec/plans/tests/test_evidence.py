"""A month's execution evidence: served only to those who may read the month, refused
unless it is really a PDF, JPEG or PNG, and a refused file saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.conftest import login
from sinasec.core.uploads import randomise_stored_names
from sinasec.institutions.models import Institution
from sinasec.plans.execution.services import add_evidence, save_report, submit_report
from sinasec.plans.models import ActivityPart, Evidence, ExecutionReport, Plan
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 informe de enero"


@pytest.fixture
def plan(db: None) -> Plan:
    return load_national_plan_2010()


def part_2_7() -> ActivityPart:  # PNP and MP answer for it; MINSA does not
    return ActivityPart.objects.get(activity__strategy__number=2, activity__number=7, order=1)


def pnp() -> int:
    return Institution.objects.get(acronym="PNP").pk


def evidence_of(focal_point: User, name: str = "Informe enero.pdf") -> Evidence:
    saved = save_report(focal_point, part_2_7().pk, pnp(), 1, 18)
    return add_evidence(focal_point, saved.pk, SimpleUploadedFile(name, PDF))


def url(plan: Plan, evidence: Evidence) -> str:
    return f"/planes/{plan.pk}/evidencias/{evidence.pk}/"


def api_url(plan: Plan, evidence: Evidence) -> str:
    return f"/api/v1/plans/{plan.pk}/execution/evidence/{evidence.pk}"


def test_it_serves_the_reporter_and_the_approver_the_evidence_as_an_attachment(
    client: Client, admin: User, focal_point: User, plan: Plan, media: Path
) -> None:
    evidence = evidence_of(focal_point)
    submit_report(focal_point, evidence.report_id)  # so the approver's queue shows it
    stored = evidence.file.name or ""
    assert stored.startswith("plans/") and "Informe" not in stored
    for reader in (focal_point, admin):
        login(client, reader)
        response = client.get(url(plan, evidence))
        assert response.status_code == 200
        assert response.getvalue() == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith(
            'attachment; filename="Informe_enero.pdf"'
        )
    page = client.get(f"/planes/{plan.pk}/revision/").content.decode()  # the approver's
    assert f'href="{url(plan, evidence)}"' in page


def test_it_refuses_the_evidence_to_those_outside_the_month(
    client: Client,
    analyst: User,
    secretary: User,
    focal_point: User,
    other_focal_point: User,
    plan: Plan,
    media: Path,
) -> None:
    evidence = evidence_of(focal_point)
    for outsider in (other_focal_point, analyst, secretary):
        login(client, outsider)
        assert client.get(url(plan, evidence)).status_code == 403
        assert client.get(api_url(plan, evidence)).status_code == 403
    other_plan = Plan.objects.exclude(pk=plan.pk).first()
    if other_plan is not None:  # the evidence is not reachable through another plan
        login(client, focal_point)
        assert client.get(url(other_plan, evidence)).status_code == 404


def test_it_sends_anonymous_visitors_to_login_and_the_api_answers_401(
    client: Client, focal_point: User, plan: Plan, media: Path
) -> None:
    evidence = evidence_of(focal_point)
    response = client.get(url(plan, evidence))
    assert response.status_code == 302 and "/cuentas/" in response["Location"]
    assert client.get(api_url(plan, evidence)).status_code == 401
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_it_lists_the_evidence_download_in_the_api_for_readers(
    client: Client, focal_point: User, plan: Plan, media: Path
) -> None:
    evidence = evidence_of(focal_point)
    login(client, focal_point)
    [month] = client.get(f"/api/v1/plans/{plan.pk}/execution").json()["items"]
    assert month["evidence"] == [
        {"id": evidence.pk, "name": "Informe enero.pdf", "url": api_url(plan, evidence)}
    ]
    response = client.get(month["evidence"][0]["url"])
    assert response.status_code == 200 and response.getvalue() == PDF


def post_month(client: Client, plan: Plan, evidence: SimpleUploadedFile) -> str:
    response = client.post(
        f"/planes/{plan.pk}/reportar/guardar/",
        {
            "part": part_2_7().pk,
            "institution": pnp(),
            "month": 1,
            "executed": 18,
            "evidence": evidence,
        },
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("informe.pdf", b"<html><body onload=alert(1)></html>", "no es un archivo PDF"),
        ("informe.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "“.svg”"),
        ("informe.pdf", b"x" * 10, "no es un archivo PDF"),
    ],
)
def test_it_refuses_a_disguised_file_and_saves_neither_file_nor_month(
    client: Client,
    focal_point: User,
    plan: Plan,
    media: Path,
    name: str,
    content: bytes,
    reason: str,
) -> None:
    login(client, focal_point)
    audits = AuditEvent.objects.count()  # creating the cast is audited too
    page = post_month(client, plan, SimpleUploadedFile(name, content))
    assert f"{name} no fue aceptado" in page and reason in page
    assert ExecutionReport.objects.count() == 0 and Evidence.objects.count() == 0
    assert AuditEvent.objects.count() == audits
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_it_refuses_oversized_evidence(
    client: Client, focal_point: User, plan: Plan, media: Path, settings
) -> None:
    settings.EVIDENCE_MAX_MB = 1
    login(client, focal_point)
    page = post_month(client, plan, SimpleUploadedFile("grande.pdf", PDF + b"0" * 1024 * 1024))
    assert "grande.pdf no fue aceptado" in page and "el límite es 1 MB" in page
    assert ExecutionReport.objects.count() == 0 and Evidence.objects.count() == 0


def test_it_gives_files_stored_under_the_users_name_a_random_one(
    client: Client, focal_point: User, plan: Plan, media: Path
) -> None:
    """What the data migration does to evidence uploaded before the random names."""
    evidence = evidence_of(focal_point)
    old = "plans/2025/Informe de Ana Pérez.pdf"
    (media / "plans/2025").mkdir(parents=True)
    (media / old).write_bytes(PDF)
    Evidence.objects.filter(pk=evidence.pk).update(file=old, original_name="")
    assert randomise_stored_names(Evidence, "file", "original_name", "plans") == 1
    evidence.refresh_from_db()
    stored = evidence.file.name or ""
    assert stored.startswith("plans/") and "Ana" not in stored and not (media / old).exists()
    assert evidence.original_name == "Informe de Ana Pérez.pdf"
    assert randomise_stored_names(Evidence, "file", "original_name", "plans") == 0
    login(client, focal_point)
    response = client.get(url(plan, evidence))
    assert response.getvalue() == PDF
    assert "Informe%20de%20Ana%20P%C3%A9rez.pdf" in response["Content-Disposition"]
