"""Fixtures the incident-store tests share: the shipped districts, a synthetic year of
incidents, its CSV, and an empty store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from sinasec.incidents import IncidentStore, synthetic
from sinasec.observatory.synthetic import shipped_districts

START, END = date(2023, 1, 1), date(2023, 12, 31)


@pytest.fixture(scope="module")
def districts() -> synthetic.Districts:
    from django.conf import settings

    return shipped_districts(Path(settings.SHARED_DATA_DIR) / "ubigeo_inei_2025.csv")


@pytest.fixture(scope="module")
def table(districts: synthetic.Districts) -> pa.Table:
    return synthetic.generate(3_000, 11, START, END, districts=districts)


@pytest.fixture
def store(tmp_path: Path) -> IncidentStore:
    return IncidentStore(tmp_path / "store")


@pytest.fixture
def csv_file(tmp_path: Path, table: pa.Table) -> Path:
    path = tmp_path / "incidentes.csv"
    synthetic.write_csv(table, path)
    return path
