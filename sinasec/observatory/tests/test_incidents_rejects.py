"""The incident store refuses a bad file: it names the row and column, lists every
problem, and leaves the store as it was."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import translation

from sinasec.core.errors import ImportRejected
from sinasec.incidents import IncidentStore
from sinasec.observatory.tests.incidents_support import HEADER, snapshot, write_lines

START, END = date(2023, 1, 1), date(2023, 12, 31)
MIRAFLORES = "150122"
IN_MIRAFLORES = (-12.1188, -77.0298)  # lat, lon: inside the district polygon
AT_SEA = (-12.15, -77.10)  # the Pacific off Miraflores: no district


# --- rejected files ---------------------------------------------------------------------


def good_rows(n: int = 6) -> list[str]:
    return [f"{i},2024-05-0{i % 9 + 1} 10:00:00,-12.1,-77.03,robo,150122" for i in range(1, n + 1)]


BAD_FILES = {
    "missing column": (
        ["id,datetime,lon,crime_type", "1,2024-05-01 10:00:00,-77.03,robo"],
        1,
        "lat",
        "required column missing",
    ),
    "unparsable date": (
        [HEADER, *good_rows(3), "4,2024-02-30 10:00:00,-12.1,-77.03,robo,150122"],
        5,
        "datetime",
        "“2024-02-30 10:00:00” is not a date",
    ),
    "outside Peru": (
        [HEADER, *good_rows(2), "3,2024-05-01 10:00:00,12.1,-77.03,robo,150122"],
        4,
        "lat",
        "latitude 12.1 is outside Peru",
    ),
    "longitude outside Peru": (
        [HEADER, "1,2024-05-01 10:00:00,-12.1,-7.03,robo,150122"],
        2,
        "lon",
        "longitude -7.03 is outside Peru",
    ),
    "empty crime type": (
        [HEADER, *good_rows(2), "3,2024-05-01 10:00:00,-12.1,-77.03,,150122"],
        4,
        "crime_type",
        "the crime type is empty",
    ),
    "duplicate id": (
        [HEADER, *good_rows(4), "2,2024-05-03 11:00:00,-12.1,-77.03,hurto,150122"],
        6,
        "id",
        "duplicate id 2 (already in row 3)",
    ),
    "ubigeo without its leading zero": (
        [HEADER, "1,2024-05-01 10:00:00,-12.1,-77.03,robo,70101"],
        2,
        "ubigeo",
        "“70101” is not a 6-digit ubigeo",
    ),
    "wrong number of fields": (
        [HEADER, *good_rows(2), "3,2024-05-01 10:00:00,-12.1,-77.03,robo"],
        4,
        None,
        "expected 6 fields, found 5",
    ),
    "empty file": ([], None, None, "the file is empty"),
    "header only": ([HEADER], None, None, "no rows"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_rejected_naming_row_and_column_and_changes_nothing(
    case, store, csv_file, tmp_path
) -> None:
    store.import_file(csv_file)
    before = snapshot(store)
    lines, row, column, reason = BAD_FILES[case]
    path = tmp_path / "malo.csv"
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    problem = rejected.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("malo.csv", row, column)
    assert reason in problem.reason
    assert snapshot(store) == before
    assert not any(store.staging_dir.iterdir()) if store.staging_dir.exists() else True


def test_every_problem_is_listed_with_row_numbers_counting_blank_lines(store, tmp_path) -> None:
    path = write_lines(
        tmp_path / "varios.csv",
        [
            HEADER,
            "1,2024-05-01 10:00:00,-12.1,-77.03,robo,150122",
            "",
            "2,ayer,-12.1,-77.03,robo,150122",
            "3,2024-05-01 10:00:00,-12.1,-90.5,robo,150122",
            "1,2024-05-01 10:00:00,-12.1,-77.03,,150122",
        ],
    )

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    found = [(p.row, p.column) for p in rejected.value.problems]
    assert found == [(4, "datetime"), (5, "lon"), (6, "crime_type"), (6, "id")]
    assert "already in row 2" in rejected.value.problems[-1].reason
    assert store.count() == 0 and store.current_version() is None


def test_a_file_that_is_not_utf8_is_rejected_at_its_line(store, tmp_path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\n" + good_rows(1)[0] + "\n").encode() + b"2,2024-05-01,-12.1,-77.03,ri\xf1a,\n"
    )

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    problem = rejected.value.problems[0]
    assert problem.row == 3 and "not UTF-8" in problem.reason


def test_ubigeos_can_be_checked_against_the_code_list(store, tmp_path) -> None:
    path = write_lines(
        tmp_path / "codigos.csv",
        [
            HEADER,
            "1,2024-05-01 10:00:00,-12.1,-77.03,robo,150122",
            "2,2024-05-01 10:00:00,-12.1,-77.03,robo,159999",
        ],
    )

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path, known_districts={"150122", "150101"})

    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "ubigeo")]
    assert "unknown ubigeo 159999" in rejected.value.problems[0].reason
    assert store.import_file(path).rows == 2  # without the list, any 6 digits will do


def test_a_bad_parquet_value_is_named(store, tmp_path) -> None:
    path = tmp_path / "malo.parquet"
    pq.write_table(
        pa.table(
            {
                "id": ["1", "2"],
                "date": ["2024-05-01", "2024-05-02"],
                "lat": ["-12.1", "norte"],
                "lon": [-77.03, -77.03],
                "crime_type": ["robo", "robo"],
            }
        ),
        path,
    )

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    problem = rejected.value.problems[0]
    assert (problem.row, problem.column) == (2, "lat")
    assert "“norte” is not a number" in problem.reason


def test_a_failure_while_switching_versions_leaves_the_store_as_it_was(
    store, csv_file, tmp_path, monkeypatch
) -> None:
    store.import_file(csv_file)
    before = snapshot(store)
    versions = sorted(p.name for p in store.versions_dir.iterdir())

    def fail(self, version):
        raise OSError("disk full")

    monkeypatch.setattr(IncidentStore, "_switch", fail)
    more = write_lines(
        tmp_path / "mas.csv", [HEADER, "x1,2023-06-01 10:00:00,-12.1,-77.03,robo,150122"]
    )
    with pytest.raises(OSError):
        store.import_file(more)

    assert snapshot(store) == before
    assert sorted(p.name for p in store.versions_dir.iterdir()) == versions
