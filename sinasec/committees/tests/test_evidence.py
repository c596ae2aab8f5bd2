"""A committee event's acta: stored under a random name outside any URL, served only
through the committee's access check, refused unless it is really a PDF, JPEG or PNG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.committees import services
from sinasec.committees.models import Committee, CommitteeEvent
from sinasec.conftest import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% acta escaneada\n"


def own() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150122")  # Miraflores


def other() -> Committee:
    return Committee.objects.get(level="district", ubigeo="150120")  # Magdalena del Mar


def upload(name: str = "Acta de juramentación.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def sworn(actor: User, committee: Committee, evidence: SimpleUploadedFile | None) -> CommitteeEvent:
    return services.record_swearing_in(
        actor,
        committee.pk,
        date(2026, 1, 10),
        [services.MemberIn("Ana Pérez", "PNP")],
        evidence=evidence,
    )


def url(event: CommitteeEvent) -> str:
    return f"/comites/{event.committee_id}/eventos/{event.pk}/evidencia/"


def api_url(event: CommitteeEvent) -> str:
    return f"/api/v1/committees/{event.committee_id}/events/{event.pk}/evidence"


def test_it_serves_the_own_acta_as_a_nosniff_attachment(
    client: Client, secretary: User, media: Path
) -> None:
    event = sworn(secretary, own(), upload())
    login(client, secretary)
    response = client.get(url(event))
    assert response.status_code == 200
    assert response.getvalue() == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Acta_de_juramentacion.pdf"' in disposition
    assert "filename*=UTF-8''Acta%20de%20juramentaci%C3%B3n.pdf" in disposition
    page = client.get(f"/comites/{own().pk}/").content.decode()
    assert f'href="{url(event)}"' in page and "/media/" not in page


def test_it_stores_the_acta_under_a_random_name_through_the_storage(
    secretary: User, media: Path
) -> None:
    event = sworn(secretary, own(), upload("../../etc/acta <script>.pdf"))
    stored = event.evidence.name or ""
    assert stored.startswith("committees/") and stored.endswith(".pdf")
    assert "acta" not in stored and "script" not in stored
    assert (media / stored).read_bytes() == PDF
    assert event.evidence_name == "acta _script_.pdf"  # kept only for the download name


def test_it_refuses_another_districts_acta_with_403(
    client: Client, admin: User, secretary: User, media: Path
) -> None:
    event = sworn(admin, other(), upload())
    login(client, secretary)
    assert client.get(url(event)).status_code == 403
    assert client.get(api_url(event)).status_code == 403
    # Nor through its own committee's address with the other event's number.
    assert client.get(f"/comites/{own().pk}/eventos/{event.pk}/evidencia/").status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page_and_the_api_answers_401(
    client: Client, secretary: User, media: Path
) -> None:
    event = sworn(secretary, own(), upload())
    response = client.get(url(event))
    assert response.status_code == 302 and "/cuentas/" in response["Location"]
    assert client.get(api_url(event)).status_code == 401


def test_it_answers_a_guessed_media_url_with_404(
    client: Client, admin: User, secretary: User, media: Path
) -> None:
    event = sworn(admin, other(), upload())
    login(client, secretary)
    assert client.get(f"/media/{event.evidence.name}").status_code == 404
    assert client.get(f"/{event.evidence.name}").status_code == 404


def test_it_exposes_the_download_in_the_api_to_those_who_can_follow_it(
    client: Client, secretary: User, focal_point: User, media: Path
) -> None:
    event = sworn(secretary, own(), upload())
    sworn(secretary, own(), None)  # no acta: no URL
    login(client, secretary)
    events = client.get(f"/api/v1/committees/{own().pk}").json()["events"]
    assert sorted(e["evidence_url"] or "" for e in events) == ["", api_url(event)]
    response = client.get(api_url(event))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    login(client, focal_point)  # not a reader of committee records: neither list nor file
    assert client.get(f"/api/v1/committees/{own().pk}").status_code == 403
    assert client.get(api_url(event)).status_code == 403


def post_event(client: Client, evidence: SimpleUploadedFile) -> str:
    response = client.post(
        f"/comites/{own().pk}/registrar/",
        {
            "kind": "sworn",
            "date": "2026-01-10",
            "member-0-name": "Ana Pérez",
            "member-0-institution": "PNP",
            "evidence": evidence,
        },
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("acta.pdf", b"<html><script>alert(1)</script></html>", "no es un archivo PDF"),
        ("acta.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', ".svg"),
        ("acta.pdf", b'<?xml version="1.0"?><svg><script/></svg>', "no es un archivo PDF"),
        ("acta.html", PDF, ".html"),
        ("acta.png", PDF, "termina en .png"),
        ("acta", PDF, "sin extensión"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims_and_writes_nothing(
    client: Client, secretary: User, media: Path, name: str, content: bytes, reason: str
) -> None:
    login(client, secretary)
    audits = AuditEvent.objects.count()  # creating the cast is audited too
    page = post_event(client, SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert f"{name} no fue aceptado" in page and reason in page
    assert CommitteeEvent.objects.count() == 0 and AuditEvent.objects.count() == audits
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_it_refuses_an_acta_over_the_size_limit(
    client: Client, secretary: User, media: Path, settings
) -> None:
    settings.EVIDENCE_MAX_MB = 1
    login(client, secretary)
    page = post_event(client, upload("grande.pdf", PDF + b"0" * 1024 * 1024))
    assert "grande.pdf no fue aceptado" in page and "el límite es 1 MB" in page
    assert CommitteeEvent.objects.count() == 0


def test_it_accepts_jpeg_and_png_scans_with_their_type(
    client: Client, secretary: User, media: Path
) -> None:
    jpeg = sworn(secretary, own(), upload("foto.JPEG", b"\xff\xd8\xff\xe0 jfif"))
    png = sworn(secretary, own(), upload("foto.png", b"\x89PNG\r\n\x1a\n data"))
    login(client, secretary)
    assert (jpeg.evidence.name or "").endswith(".jpg")
    assert client.get(url(jpeg))["Content-Type"] == "image/jpeg"
    assert client.get(url(png))["Content-Type"] == "image/png"


def test_it_leaves_no_file_behind_when_the_event_is_rolled_back(
    secretary: User, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record_change", broken_audit)
    with pytest.raises(RuntimeError):
        sworn(secretary, own(), upload())
    assert CommitteeEvent.objects.count() == 0
    assert not any(p.is_file() for p in media.rglob("*"))
