"""The scorecard of a committee (page and A4 PDF) and a region's scorecards in one PDF:
figures computed from the records, what is missing from the compliance engine, and
each page behind the committees' own access rule."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.committees import services as committee_services
from sinasec.committees.compliance import compliance_as_of
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.community.models import Junta, Participation, Training
from sinasec.conftest import login
from sinasec.institutions.models import Institution
from sinasec.jobs.models import Job
from sinasec.jobs.services import run_job
from sinasec.meetings import services as meeting_services
from sinasec.meetings.services import AgreementIn, SessionIn

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 11, 30)
AL = AS_OF.isoformat()


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def miraflores(secretary: User) -> Committee:
    """Miraflores with a swearing-in, a session with two agreements (one done, one
    overdue as of AS_OF), an older open one, a consultation, a junta and a training."""
    committee = Committee.objects.get(level=CommitteeLevel.DISTRICT, ubigeo="150122")
    committee_services.record_swearing_in(
        secretary,
        committee.pk,
        date(2025, 1, 20),
        [committee_services.MemberIn("Ana Pérez", "PNP")],
    )
    session = meeting_services.record_session(
        secretary,
        committee.pk,
        SessionIn(
            "ordinary",
            date(2025, 3, 10),
            agreements=[
                AgreementIn("Patrullaje integrado en el malecón", "PNP", date(2025, 4, 10)),
                AgreementIn("Alumbrado del parque Kennedy", "GL", date(2025, 5, 10)),
            ],
        ),
    )
    meeting_services.record_session(
        secretary,
        committee.pk,
        SessionIn(
            "ordinary",
            date(2024, 6, 1),
            agreements=[AgreementIn("Cámaras en la avenida Larco", "GL", date(2024, 8, 1))],
        ),
    )
    meeting_services.record_session(
        secretary,
        committee.pk,
        SessionIn("consultation", date(2025, 2, 14), public_attendance=80),
    )
    done = session.agreements.get(owner__acronym="PNP")
    meeting_services.mark_agreement_done(secretary, done.pk, date(2025, 4, 8), done.version)
    Junta.objects.create(
        district_id="150122",
        name="Junta Vecinal Parque Salazar",
        sector="Sector 3",
        members=25,
        recognised_by="pnp",
        recognised_on=date(2024, 5, 1),
    )
    pnp = Institution.objects.get(acronym="PNP")
    training = Training.objects.create(
        event="Taller de patrullaje",
        topic="Patrullaje integrado",
        organiser=pnp,
        held_on=date(2025, 9, 3),
    )
    Participation.objects.create(training=training, committee=committee, people=4)
    Participation.objects.create(training=training, committee=committee, institution=pnp, people=2)
    return committee


def test_it_shows_the_scorecard_computed_from_the_records(
    client: Client, secretary: User, miraflores: Committee
) -> None:
    page = login(client, secretary).get(f"/comites/{miraflores.pk}/ficha/", {"al": AL})
    assert page.status_code == 200
    card = page.context["card"]
    held = {s.kind: s.held for s in card.sessions}
    assert held == {"ordinary": 1, "extraordinary": 0, "sessions": 1, "consultation": 1}
    assert card.agreement_counts == {"pending": 0, "done": 1, "overdue": 2}
    statuses = {a.text: a.status for a in card.agreements}
    assert statuses == {
        "Patrullaje integrado en el malecón": "done",
        "Alumbrado del parque Kennedy": "overdue",
        "Cámaras en la avenida Larco": "overdue",  # last year's, still open
    }
    assert [j.name for j in card.juntas] == ["Junta Vecinal Parque Salazar"]
    assert [(t.event, t.people) for t in card.trainings] == [("Taller de patrullaje", 6)]
    milestones = {m.key: m.reached_on for m in card.milestones.items}
    assert milestones["sworn"] == date(2025, 1, 20) and milestones["installed"] is None
    html = page.content.decode()
    assert 'data-testid="scorecard-pdf"' in html and "Parque Salazar" in html


def test_it_takes_what_is_missing_from_the_compliance_engine(
    client: Client, secretary: User, miraflores: Committee
) -> None:
    card = (
        login(client, secretary).get(f"/comites/{miraflores.pk}/ficha/", {"al": AL}).context["card"]
    )
    report = compliance_as_of(AS_OF)
    pending = {
        code for code, rows in report.pending.items() if any(r.id == miraflores.pk for r in rows)
    }
    assert {c.code for c in card.missing} == pending
    assert "installed" in pending and "sworn" not in pending


def test_it_prints_the_scorecard_on_a4(
    client: Client, secretary: User, miraflores: Committee
) -> None:
    response = login(client, secretary).get(f"/comites/{miraflores.pk}/ficha.pdf", {"al": AL})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "ficha-150122-2025-11-30.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "CODISEC Miraflores" in text
    assert "Patrullaje integrado en el malecón" in text and "Alumbrado del parque Kennedy" in text
    assert "vencido" in text and "cumplido" in text


def test_it_keeps_scorecards_inside_the_readers_scope(
    client: Client, secretary: User, focal_point: User, analyst: User
) -> None:
    callao = Committee.objects.get(level=CommitteeLevel.PROVINCIAL, ubigeo="0701")
    login(client, secretary)
    assert client.get(f"/comites/{callao.pk}/ficha/").status_code == 403
    assert client.get(f"/comites/{callao.pk}/ficha.pdf").status_code == 403
    assert client.get("/comites/999999/ficha/").status_code == 404
    assert login(client, focal_point).get(f"/comites/{callao.pk}/ficha/").status_code == 403
    assert login(client, analyst).get(f"/comites/{callao.pk}/ficha/").status_code == 200
    client.logout()
    assert client.get(f"/comites/{callao.pk}/ficha/").status_code == 302  # sign in first


def test_it_refuses_a_date_that_is_not_valid(client: Client, analyst: User) -> None:
    callao = Committee.objects.get(level=CommitteeLevel.PROVINCIAL, ubigeo="0701")
    response = login(client, analyst).get(f"/comites/{callao.pk}/ficha/", {"al": "2025-13-01"})
    assert response.status_code == 400


def region_pdf(client: Client, region: str) -> tuple[Job, bytes]:
    """Ask for a region's PDF as the page's button does, run the job as the worker
    would, then download the file its page links to."""
    response = client.get("/comites/fichas.pdf", {"region": region, "al": AL})
    job = Job.objects.get(kind=Job.Kind.SCORECARDS_PDF, status=Job.Status.QUEUED)
    assert response.status_code == 302 and response["Location"] == f"/tareas/{job.pk}/"
    job = run_job(job.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result is not None
    assert job.result["url"] in client.get(f"/tareas/{job.pk}/").content.decode()
    download = client.get(job.result["url"])
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)  # type: ignore[attr-defined]


def test_it_prints_a_regions_scorecards_for_the_national_and_regional_secretariats(
    client: Client, analyst: User, regional_secretary: User, media: Path
) -> None:
    callao = Committee.objects.filter(ubigeo__startswith="07")
    names = list(callao.values_list("name", flat=True))
    for user in (analyst, regional_secretary):
        job, pdf = region_pdf(login(client, user), "07")
        text = pdf_text(pdf)
        assert all(name in text for name in names)
        assert text.count("\f") == len(names)  # one A4 page per committee
        assert job.result and job.result["counts"] == {"committees": len(names)}
    page = client.get("/comites/fichas/").content.decode()
    assert 'value="07"' in page and 'value="1501"' not in page


def test_it_gives_a_regions_pdf_only_to_who_may_read_its_job(
    client: Client, analyst: User, secretary: User, media: Path
) -> None:
    job, _pdf = region_pdf(login(client, analyst), "07")
    assert job.result is not None
    assert login(client, secretary).get(job.result["url"]).status_code == 403
    assert client.get("/comites/fichas/descarga/otro.pdf").status_code == 404


def test_it_refuses_a_regions_scorecards_to_anybody_else(
    client: Client,
    regional_secretary: User,
    secretary: User,
    regional_admin: User,
    focal_point: User,
    analyst: User,
) -> None:
    assert (
        login(client, regional_secretary).get("/comites/fichas.pdf", {"region": "1501"}).status_code
        == 403
    )
    for user in (secretary, regional_admin, focal_point):
        assert login(client, user).get("/comites/fichas.pdf", {"region": "07"}).status_code == 403
    assert login(client, analyst).get("/comites/fichas.pdf", {"region": "99"}).status_code == 404


def test_it_labels_a_scorecard_with_demo_records(
    client: Client, secretary: User, miraflores: Committee
) -> None:
    login(client, secretary)
    url = f"/comites/{miraflores.pk}/ficha/"
    assert 'data-testid="demo-badge"' not in client.get(url, {"al": AL}).content.decode()
    meeting_services.record_session(
        secretary, miraflores.pk, SessionIn("extraordinary", date(2025, 8, 1)), is_demo=True
    )
    html = client.get(url, {"al": AL}).content.decode()
    assert 'data-testid="demo-badge"' in html and "datos de demostración" in html
