"""The incident store: imports (CSV and Parquet, all or nothing), partitions,
aggregation, re-imports, point in polygon, and the synthetic generator."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sinasec.incidents import DistrictIndex, synthetic
from sinasec.observatory.districts import district_index_from_database
from sinasec.observatory.tests.incidents_support import HEADER, write_lines

START, END = date(2023, 1, 1), date(2023, 12, 31)
MIRAFLORES = "150122"
IN_MIRAFLORES = (-12.1188, -77.0298)  # lat, lon: inside the district polygon
AT_SEA = (-12.15, -77.10)  # the Pacific off Miraflores: no district


def recount(rows: list[dict], level: int = 6, start: date | None = None, end: date | None = None):
    """Counts by territory, year, month and category, in plain Python."""
    counts: Counter = Counter()
    for row in rows:
        day = row["datetime"].date() if "datetime" in row else row["date"]
        if (start and day < start) or (end and day > end):
            continue
        territory = row["ubigeo"][:level] if row["ubigeo"] else None
        counts[(territory, day.year, day.month, row["crime_type"])] += 1
    return dict(counts)


def as_counts(aggregate: list[dict]) -> dict:
    return {(r["territory"], r["year"], r["month"], r["crime_type"]): r["n"] for r in aggregate}


# --- importing -------------------------------------------------------------------------


def test_it_imports_a_csv_into_year_month_partitions(store, csv_file, table) -> None:
    progress: list[tuple[int, int]] = []
    summary = store.import_file(
        csv_file, progress=lambda done, total: progress.append((done, total))
    )

    assert (summary.rows, summary.inserted, summary.replaced) == (3_000, 3_000, 0)
    assert summary.unknown_district == 0 and summary.located == 0
    assert store.count() == 3_000
    assert store.partitions() == [(2023, m) for m in range(1, 13)]
    for month in range(1, 13):
        folder = store.current_dir() / "year=2023" / f"month={month}"
        assert list(folder.glob("*.parquet")), folder
    assert summary.partitions == 12
    assert progress and progress[-1][0] == progress[-1][1]
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)


def test_aggregate_counts_equal_a_recount(store, csv_file, table) -> None:
    store.import_file(csv_file)
    rows = table.to_pylist()

    assert as_counts(store.aggregate()) == recount(rows)
    assert as_counts(store.aggregate("province")) == recount(rows, level=4)
    assert as_counts(store.aggregate("department")) == recount(rows, level=2)
    # A period that starts and ends inside a month, and one category.
    start, end = date(2023, 3, 15), date(2023, 8, 10)
    robbery = store.aggregate("department", start, end, categories=["robo"])
    expected = {k: n for k, n in recount(rows, 2, start, end).items() if k[3] == "robo"}
    assert as_counts(robbery) == expected
    assert sum(r["n"] for r in robbery) == sum(expected.values()) > 0
    arrow = store.aggregate_arrow()
    assert arrow.column_names == ["territory", "year", "month", "crime_type", "n"]
    assert sum(arrow["n"].to_pylist()) == 3_000
    # Ordered by territory, year, month, category.
    keys = [(r["territory"], r["year"], r["month"], r["crime_type"]) for r in store.aggregate()]
    assert keys == sorted(keys)


def test_it_imports_parquet_with_dates_only(store, tmp_path, districts) -> None:
    table = synthetic.generate(1_500, 5, START, END, districts=districts, with_time=False)
    path = tmp_path / "incidentes.parquet"
    pq.write_table(table, path)

    summary = store.import_file(path)

    assert summary.rows == 1_500
    assert as_counts(store.aggregate()) == recount(table.to_pylist())
    stored = store.query("SELECT count(*) AS n, count(datetime) AS timed FROM incidents")
    assert stored == [{"n": 1_500, "timed": 0}]


def test_it_reads_spanish_headers_semicolons_and_decimal_commas(store, tmp_path) -> None:
    path = write_lines(
        tmp_path / "sidpol.csv",
        [
            "\ufeffCódigo;Fecha;Latitud;Longitud;Delito;Ubigeo",
            "A-1;15/03/2024;-12,1188;-77,0298;Robo ;150122",
            "A-2;16/03/2024;-12,0464;-77,0428;hurto;150101",
        ],
    )

    store.import_file(path)

    rows = store.query("SELECT id, date, lat, crime_type, ubigeo FROM incidents ORDER BY id")
    assert rows == [
        {
            "id": "A-1",
            "date": date(2024, 3, 15),
            "lat": -12.1188,
            "crime_type": "robo",
            "ubigeo": "150122",
        },
        {
            "id": "A-2",
            "date": date(2024, 3, 16),
            "lat": -12.0464,
            "crime_type": "hurto",
            "ubigeo": "150101",
        },
    ]


def test_reimporting_the_same_file_does_not_duplicate(store, csv_file, table) -> None:
    store.import_file(csv_file)
    before = as_counts(store.aggregate())

    summary = store.import_file(csv_file)

    assert (summary.inserted, summary.replaced) == (0, 3_000)
    assert store.count() == 3_000
    assert as_counts(store.aggregate()) == before
    # The previous version is kept for readers still on it; older ones are removed.
    store.import_file(csv_file)
    assert len(list(store.versions_dir.iterdir())) == 2


def test_a_corrected_record_replaces_the_old_one_even_in_another_month(store, tmp_path) -> None:
    header = "id,date,lat,lon,crime_type,ubigeo"
    store.import_file(
        write_lines(
            tmp_path / "a.csv",
            [
                header,
                "1,2024-01-10,-12.1,-77.03,robo,150122",
                "2,2024-01-11,-12.1,-77.03,hurto,150122",
            ],
        )
    )

    summary = store.import_file(
        write_lines(
            tmp_path / "b.csv",
            [
                header,
                "1,2024-02-03,-12.1,-77.03,estafa,150122",
                "3,2024-02-04,-12.1,-77.03,robo,150122",
            ],
        )
    )

    assert (summary.inserted, summary.replaced) == (1, 1)
    rows = store.query("SELECT id, year, month, crime_type FROM incidents ORDER BY id")
    assert rows == [
        {"id": "1", "year": 2024, "month": 2, "crime_type": "estafa"},
        {"id": "2", "year": 2024, "month": 1, "crime_type": "hurto"},
        {"id": "3", "year": 2024, "month": 2, "crime_type": "robo"},
    ]


def test_an_empty_store_answers_empty(store) -> None:
    assert store.count() == 0
    assert store.aggregate() == []
    assert store.aggregate_arrow().num_rows == 0
    assert store.partitions() == []


# --- point in polygon -------------------------------------------------------------------


@pytest.fixture
def miraflores_boundary(admin, shared_data: Path) -> None:
    """The polygon of district 150122 only, imported through the territories' own
    importer from the INEI district file."""
    from sinasec.territories.services import import_boundaries

    document = json.loads((shared_data / "peru_distrital_simple.geojson").read_text("utf-8"))
    document["features"] = [
        f for f in document["features"] if f["properties"]["IDDIST"] == MIRAFLORES
    ]
    data = json.dumps(document).encode()
    import_boundaries(admin, "miraflores.geojson", data, "district", skip_unknown=True)


def test_point_in_polygon_fills_the_district_or_leaves_it_unknown(
    miraflores_boundary, store, tmp_path
) -> None:
    from sinasec.territories.models import Boundary

    index = DistrictIndex.from_boundaries(
        Boundary.objects.filter(territory__level="district").values_list("territory_id", "geometry")
    )
    assert len(index) == 1 and len(district_index_from_database()) == 1
    path = write_lines(
        tmp_path / "sin_ubigeo.csv",
        [
            HEADER,
            f"1,2024-05-01 10:00:00,{IN_MIRAFLORES[0]},{IN_MIRAFLORES[1]},robo,",
            f"2,2024-05-01 11:00:00,{AT_SEA[0]},{AT_SEA[1]},hurto,",
            f"3,2024-05-01 12:00:00,{IN_MIRAFLORES[0]},{IN_MIRAFLORES[1]},estafa,150101",
        ],
    )

    summary = store.import_file(path, district_index=index)

    assert (summary.located, summary.unknown_district) == (1, 1)
    rows = store.query("SELECT id, ubigeo FROM incidents ORDER BY id")
    # Found by its point; at sea: unknown; a ubigeo given is kept as given.
    assert rows == [
        {"id": "1", "ubigeo": MIRAFLORES},
        {"id": "2", "ubigeo": None},
        {"id": "3", "ubigeo": "150101"},
    ]
    assert as_counts(store.aggregate()) == {
        ("150101", 2024, 5, "estafa"): 1,
        (MIRAFLORES, 2024, 5, "robo"): 1,
        (None, 2024, 5, "hurto"): 1,
    }


def test_the_index_locates_many_points_at_once() -> None:
    square = json.dumps(
        {
            "type": "Polygon",
            "coordinates": [[[-77, -12], [-76, -12], [-76, -11], [-77, -11], [-77, -12]]],
        }
    )
    index = DistrictIndex.from_boundaries([("150101", square), ("150102", "")])

    found = index.locate(np.array([-76.5, -75.0, -76.9]), np.array([-11.5, -11.5, -11.1]))

    assert len(index) == 1
    assert found == ["150101", None, "150101"]


# --- the synthetic generator ------------------------------------------------------------


def test_the_generator_is_seeded_and_realistic(districts) -> None:
    first = synthetic.generate(20_000, 3, date(2020, 1, 1), date(2023, 12, 31), districts=districts)
    again = synthetic.generate(20_000, 3, date(2020, 1, 1), date(2023, 12, 31), districts=districts)
    assert first.equals(again)
    assert first.column_names == ["id", "datetime", "lat", "lon", "crime_type", "ubigeo"]
    assert first.num_rows == 20_000
    rows = first.to_pylist()
    assert len({r["id"] for r in rows}) == 20_000
    assert {r["crime_type"] for r in rows} <= set(synthetic.CATEGORIES)
    assert all(-19.5 <= r["lat"] <= 0.5 and -82 <= r["lon"] <= -68 for r in rows)
    moments = [r["datetime"] for r in rows]
    assert min(moments) >= datetime(2020, 1, 1) and max(moments) < datetime(2024, 1, 1)
    # In proportion to population: Lima Metropolitana (1501) holds about 30 %.
    lima_people = districts.population[np.char.startswith(districts.ubigeo.astype(str), "1501")]
    share = sum(r["ubigeo"].startswith("1501") for r in rows) / len(rows)
    assert abs(share - lima_people.sum() / districts.population.sum()) < 0.03
    # The trend: a rate 30 % higher at the end than at the start puts 53.3 % of the
    # incidents in the second half of the period.
    later = sum(m >= datetime(2022, 1, 1) for m in moments)
    assert 0.52 < later / len(rows) < 0.55


def test_near_repeats_cluster_in_space_and_time(districts) -> None:
    def close_pairs(table: pa.Table) -> int:
        lat = np.radians(np.array(table["lat"]))
        lon = np.radians(np.array(table["lon"]))
        days = np.array(table["datetime"].cast(pa.int64())) / 86_400
        dy = (lat[:, None] - lat[None, :]) * 6_371_000
        dx = (lon[:, None] - lon[None, :]) * 6_371_000 * np.cos(lat[:, None])
        near = (np.hypot(dx, dy) < 250) & (np.abs(days[:, None] - days[None, :]) <= 15)
        return int((near.sum() - len(lat)) // 2)

    kwargs = {"districts": districts, "start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    with_repeats = synthetic.generate(3_000, 9, near_repeat=0.15, **kwargs)
    without = synthetic.generate(3_000, 9, near_repeat=0.0, **kwargs)

    assert close_pairs(with_repeats) > 300 > close_pairs(without)


def test_write_csv_reads_back(tmp_path, districts) -> None:
    table = synthetic.generate(50, 1, START, END, districts=districts, unknown_ubigeo=0.5)
    path = tmp_path / "x.csv"

    size = synthetic.write_csv(table, path)

    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert size == path.stat().st_size and len(rows) == 50
    assert rows[0].keys() == {"id", "datetime", "lat", "lon", "crime_type", "ubigeo"}
    assert any(r["ubigeo"] == "" for r in rows) and any(r["ubigeo"] for r in rows)
