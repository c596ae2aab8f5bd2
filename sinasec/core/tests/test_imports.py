"""The import toolkit: the cases the five former copies of decoding and delimiter
sniffing handled, now answered by one function each."""

from __future__ import annotations

import pytest
from django.utils import translation

from sinasec.core.errors import ImportRejected
from sinasec.core.imports import (
    MAX_PROBLEMS,
    ImportResult,
    ProblemList,
    csv_rows,
    decode_text,
    load_json,
    numbered_rows,
    sniff_delimiter,
)
from sinasec.core.peru import LAT_RANGE, LON_RANGE, inside_peru, region_code_for
from sinasec.core.tabular import read_csv
from sinasec.core.text import compact_key, fold_accents, header_key, name_key


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("ubigeo;poblacion;capital", ";"),  # INEI's directory, Excel es-PE
        ("ANIO,MES,DPTO_HECHO_NEW,UBIGEO_HECHO", ","),  # SIDPOL open data
        ("id\tdate\tlat\tlon", "\t"),
        ("id|fecha|latitud|longitud|delito", "|"),
        ("DEPARTAMENTO;2005;2006\nLIMA;1,5;2,5", ";"),  # the header decides, not the body
        ("nombre, apellido;edad;ciudad", ";"),  # the separator used most
        ("solo", ";"),  # one column: the Spanish spreadsheet default
        ("", ";"),
    ],
)
def test_one_sniffer_reads_every_separator(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header) == delimiter


def test_csv_rows_splits_with_the_sniffed_separator() -> None:
    delimiter, reader = csv_rows('a|b\n"1|2"|3\n')
    assert delimiter == "|"
    assert list(reader) == [["a", "b"], ["1|2", "3"]]


def test_numbered_rows_count_like_a_spreadsheet_and_skip_blank_lines() -> None:
    rows = [["1"], ["", " "], ["3"]]
    assert list(numbered_rows(rows)) == [(2, ["1"]), (4, ["3"])]


@pytest.mark.parametrize(
    "data",
    ["ubigeo;año\n".encode(), "\ufeffubigeo;año\n".encode(), b"\xef\xbb\xbfubigeo;a\xc3\xb1o\n"],
)
def test_it_decodes_utf8_with_or_without_bom(data: bytes) -> None:
    assert decode_text(data, "f.csv") == "ubigeo;año\n"


def test_it_rejects_latin1_naming_the_line_and_byte() -> None:
    data = "ubigeo;poblacion\n150101;1\nCañete;2\n".encode("latin-1")
    with pytest.raises(ImportRejected) as info:
        decode_text(data, "inei.csv")
    [problem] = info.value.problems
    assert (problem.file, problem.row) == ("inei.csv", 3)
    assert "UTF-8" in problem.reason and "0xf1" in problem.reason


@pytest.mark.parametrize("data", [b"", b"  \n\r\n", "\ufeff".encode()])
def test_it_rejects_an_empty_file(data: bytes) -> None:
    with translation.override("en"), pytest.raises(ImportRejected) as info:
        decode_text(data, "vacio.csv")
    assert info.value.problems[0].reason == "the file is empty"


def test_read_csv_reports_rows_with_the_wrong_number_of_fields() -> None:
    problems = ProblemList()
    header, records = read_csv(b"a\tb\n1\t2\n1\t2\t3\n\n4\t5\t\n", "t.tsv", problems)
    assert header == ["a", "b"]
    assert records == [(2, ["1", "2"]), (5, ["4", "5"])]  # a trailing separator is forgiven
    [problem] = problems
    assert problem.row == 3 and "\t" in problem.reason


def test_load_json_names_the_line_at_fault() -> None:
    assert load_json(b'{"type": "FeatureCollection"}', "a.geojson") == {"type": "FeatureCollection"}
    with pytest.raises(ImportRejected) as info:
        load_json(b'{\n"type": \n}', "a.geojson")
    assert info.value.problems[0].row == 3


def test_problem_list_keeps_the_first_problems_and_raises_them_together() -> None:
    problems = ProblemList()
    problems.raise_if_any()
    for row in range(MAX_PROBLEMS + 5):
        problems.add(row, "x", "bad", "f.csv")
    assert len(problems) == MAX_PROBLEMS
    with pytest.raises(ImportRejected) as info:
        problems.raise_if_any()
    assert len(info.value.problems) == MAX_PROBLEMS


def test_import_result_as_dict() -> None:
    result = ImportResult(file="f.csv", rows=3, created=2, unchanged=1)
    assert result.as_dict()["created"] == 2 and result.as_dict()["warnings"] == []


def test_one_accent_folding_serves_every_key() -> None:
    assert fold_accents("Áncash, Güe") == "Ancash, Gue"
    assert fold_accents("CAÑETE", keep="\u0303") == "CAÑETE"
    assert name_key(" Región  Lima ") == name_key("REGION LIMA") == "REGION LIMA"
    assert header_key("N° actividad") == "n_actividad"
    assert header_key("Población ") == "poblacion"
    assert header_key("fecha-hora hecho") == "fecha_hora_hecho"
    assert compact_key("ST- CONASEC") == compact_key("st-conasec") == "STCONASEC"
    assert compact_key("Defensoría") == compact_key("DEFENSORIA")


def test_peru_s_box_and_lima_s_two_regions() -> None:
    assert inside_peru(-12.05, -77.04) and not inside_peru(-77.04, -12.05)
    assert LAT_RANGE[0] < LAT_RANGE[1] and LON_RANGE[0] < LON_RANGE[1]
    assert region_code_for("150101") == "1501"
    assert region_code_for("150801") == "15"
    assert region_code_for("15") is None
    assert region_code_for("070101") == "07"


def test_it_takes_off_the_quote_an_export_put_before_a_formula_like_cell() -> None:
    from sinasec.core.tabular import read_xlsx
    from sinasec.core.tests.hostile import xlsx

    _delimiter, reader = csv_rows("a;b;c;d;e\n'=1+1;'-5;'@x;'+51;'texto\n")
    assert list(reader)[1] == ["=1+1", "-5", "@x", "+51", "'texto"]  # one "'" only, if escaped
    _delimiter, reader = csv_rows("a;b\n''=1;'+\n")  # "'=1" as an export writes it
    assert list(reader)[1] == ["'=1", "+"]
    _header, records = read_xlsx(xlsx([["a", "b"], ["'-Patrullaje", "'=A1"]]), "f.xlsx")
    assert records == [(2, ["-Patrullaje", "=A1"])]


def test_it_still_refuses_a_formula_that_no_export_escaped() -> None:
    _delimiter, reader = csv_rows("a;b\n1;=1+1\n", "f.csv")
    with pytest.raises(ImportRejected) as rejected:
        list(reader)
    assert (rejected.value.problems[0].row, rejected.value.problems[0].column) == (2, "b")


def test_it_counts_a_workbooks_rows_before_openpyxl_parses_any(settings, monkeypatch) -> None:
    """openpyxl parses a whole sheet without <dimension> before its first row is read:
    a workbook over the row limit is refused by counting its row tags first."""
    import openpyxl

    from sinasec.core.tabular import read_xlsx
    from sinasec.core.tests.hostile import xlsx

    settings.IMPORT_MAX_ROWS = 4
    data = xlsx([["a"], *[[1]] * 5])
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        read_xlsx(data, "filas.xlsx")
    assert "more than 4 rows" in rejected.value.problems[0].reason
    monkeypatch.undo()
    settings.IMPORT_MAX_ROWS = 4
    _header, records = read_xlsx(xlsx([["a"], *[[1]] * 4]), "f.xlsx")  # at the limit: read
    assert len(records) == 4


def test_it_reads_every_row_of_a_workbook_whose_dimension_says_less() -> None:
    """Some writers put <dimension ref="A1"/>; openpyxl then read one cell, silently."""
    import io
    import re
    import zipfile

    from sinasec.core.tabular import read_xlsx
    from sinasec.core.tests.hostile import xlsx

    original = zipfile.ZipFile(io.BytesIO(xlsx([["a", "b"], [1, 2], [3, 4]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as lying:
        for member in original.infolist():
            content = original.read(member)
            if member.filename.startswith("xl/worksheets/"):
                content, found = re.subn(
                    rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', content
                )
                assert found == 1
            lying.writestr(member, content)

    header, records = read_xlsx(out.getvalue(), "a1.xlsx")
    assert (header, records) == (["a", "b"], [(2, [1, 2]), (3, [3, 4])])
