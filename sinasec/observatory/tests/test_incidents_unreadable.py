"""A CSV most of whose rows cannot be read is refused whole and cheaply: its first
problems are described from its head, with a count of the rest, and nothing of it,
the head included, is imported."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from django.utils import translation

from sinasec.core.errors import ImportRejected
from sinasec.incidents import source as incident_source
from sinasec.incidents.source import HEAD_LINES, REJECTS_LIMIT, Source, data_lines
from sinasec.observatory.tests.incidents_support import HEADER, snapshot, write_lines

GARBAGE = "zz{i},ayer,norte,oeste,robo,150122"  # neither a date nor numbers


def good(i: int) -> str:
    return f"g{i},2024-05-01 10:00:00,-12.1,-77.03,robo,150122"


@pytest.fixture
def staged_paths(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The files ``staged`` was read from, and whether the refused rows were kept."""
    seen: list[tuple[str, bool]] = []
    original = incident_source._create_staged

    def spy(
        con: duckdb.DuckDBPyConnection, source: Source, path: Path, *, rejects: bool = True
    ) -> None:
        seen.append((path.name, rejects))
        original(con, source, path, rejects=rejects)

    monkeypatch.setattr(incident_source, "_create_staged", spy)
    return seen


def test_it_refuses_a_mostly_unreadable_file_whole_describing_its_head(
    store, csv_file, tmp_path, staged_paths
) -> None:
    store.import_file(csv_file)
    before = snapshot(store)
    bad = REJECTS_LIMIT + 1_000
    lines = [HEADER, *(good(i) for i in range(10)), *(GARBAGE.format(i=i) for i in range(bad))]
    path = write_lines(tmp_path / "basura.csv", lines)

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    problems = rejected.value.problems
    assert (problems[0].row, problems[0].column) == (12, "datetime")
    assert "“ayer” is not a date" in problems[0].reason
    assert problems[-1].row is None
    assert problems[-1].reason == f"{bad} of {bad + 10} rows cannot be read; nothing was imported"
    assert snapshot(store) == before  # the ten good rows of the head were not imported
    # The whole file was only ever read skipping what it refuses; only its head kept them.
    assert ("basura.csv", True) not in staged_paths
    assert ("head.csv", True) in staged_paths


def test_it_still_refuses_a_file_whose_head_is_clean_and_its_rest_garbage(store, tmp_path) -> None:
    good_rows = [good(i) for i in range(HEAD_LINES + 10)]
    garbage = [GARBAGE.format(i=i) for i in range(REJECTS_LIMIT + 10)]
    path = write_lines(tmp_path / "tarde.csv", [HEADER, *good_rows, *garbage])

    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        store.import_file(path)

    assert rejected.value.problems[0].row == HEAD_LINES + 12
    assert store.count() == 0 and store.current_version() is None


def test_it_imports_a_file_whose_values_hold_line_breaks(store, tmp_path) -> None:
    # Two lines per row: the line count says half the rows are missing, which they are not.
    rows = [f'q{i},2024-05-01 10:00:00,-12.1,-77.03,"robo\nagravado",150122' for i in range(2_500)]
    path = write_lines(tmp_path / "saltos.csv", [HEADER, *rows])

    assert store.import_file(path).rows == 2_500


def test_it_counts_data_lines_without_blank_ones_or_a_missing_last_line_end(tmp_path) -> None:
    path = tmp_path / "lineas.csv"
    path.write_bytes(b"h\r\na\r\n\r\n\n\nb\nc")
    assert data_lines(path) == 3
