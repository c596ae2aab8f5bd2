"""The one evidence check: type by content and name, size, and the random stored name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sinasec.core.uploads import RandomName, check_evidence, content_type_of

PDF = b"%PDF-1.7\n"
JPEG = b"\xff\xd8\xff\xdb"
PNG = b"\x89PNG\r\n\x1a\n\x00"


def refusal(name: str, content: bytes) -> str:
    with translation.override("es-pe"), pytest.raises(ValidationError) as info:
        check_evidence(SimpleUploadedFile(name, content, content_type="application/pdf"))
    [message] = info.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [("a.pdf", PDF, "pdf"), ("A.JPG", JPEG, "jpg"), ("a.jpeg", JPEG, "jpg"), ("a.png", PNG, "png")],
)
def test_it_accepts_pdf_jpeg_and_png_whose_name_agrees(
    name: str, content: bytes, extension: str
) -> None:
    checked = check_evidence(SimpleUploadedFile(name, content))
    assert checked.extension == extension and checked.original_name == name
    assert checked.stored_name == f"evidencia.{extension}"


def test_it_refuses_html_disguised_as_pdf_naming_the_file() -> None:
    message = refusal("informe.pdf", b"<!DOCTYPE html><script>alert(1)</script>")
    assert message.startswith("informe.pdf no fue aceptado: su contenido no es un archivo PDF")


def test_it_refuses_svg_whatever_its_name() -> None:
    assert "“.svg”" in refusal("mapa.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert "no es un archivo PDF" in refusal("mapa.png", b"<svg/>")


def test_it_refuses_a_name_that_disagrees_with_the_content() -> None:
    assert "es un archivo PDF pero su nombre termina en .jpg" in refusal("foto.jpg", PDF)
    assert "es un archivo PNG pero su nombre termina en .pdf" in refusal("foto.pdf", PNG)


def test_it_refuses_empty_and_oversized_files(settings) -> None:
    assert "está vacío" in refusal("a.pdf", b"")
    settings.EVIDENCE_MAX_MB = 1
    assert "el límite es 1 MB" in refusal("a.pdf", PDF + b"0" * 1024 * 1024)
    check_evidence(SimpleUploadedFile("a.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))))


def test_it_names_stored_files_randomly_keeping_only_a_known_extension() -> None:
    name = RandomName("committees")
    first, second = name(None, "acta.pdf"), name(None, "acta.pdf")
    assert first != second and first.startswith("committees/") and first.endswith(".pdf")
    assert "acta" not in first
    assert not name(None, "x.html").endswith(".html")
    assert content_type_of("plans/2026/abc.png") == "image/png"
    assert content_type_of("plans/2026/old-upload.html") == "application/octet-stream"


def test_it_links_no_uploaded_file_by_its_storage_url() -> None:
    """Files are served only by permission-checked views: no template prints a file
    field's ``.url`` and nothing routes or builds ``MEDIA_URL`` links."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in {".html", ".py"}
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and re.search(r"\.(file|evidence)\.url\b|MEDIA_URL", path.read_text("utf-8"))
    ]
    assert offenders == []
