"""The district of a point: district polygons in an STR-tree (:class:`DistrictIndex`).

Where an imported row has no ubigeo, :func:`locate_staged` fills it by point in
polygon; a point in no polygon keeps it empty: the district is unknown, and counted as
such.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import shapely

from sinasec.incidents.progress import Tracker

PIP_CHUNK = 1_000_000


class DistrictIndex:
    """District polygons in an STR-tree, to find the district of many points at once."""

    def __init__(self, ubigeos: Sequence[str], polygons: Sequence[Any] | np.ndarray):
        if len(ubigeos) != len(polygons):
            raise ValueError("one ubigeo per polygon")
        self.ubigeos = pa.array(list(ubigeos), pa.string())
        self.polygons = np.asarray(polygons, dtype=object)
        shapely.prepare(self.polygons)  # ~1.4x faster point in polygon
        self.tree = shapely.STRtree(self.polygons)

    @classmethod
    def from_boundaries(cls, items: Iterable[tuple[str, str]]) -> DistrictIndex:
        """From ``(ubigeo, GeoJSON geometry text)`` pairs, as ``Boundary`` keeps them.
        Empty geometries are left out; invalid ones are repaired."""
        pairs = [(code, text) for code, text in items if text]
        if not pairs:
            return cls([], [])
        codes, texts = zip(*pairs, strict=True)
        geometries = shapely.from_geojson(np.array(texts, dtype=object))
        keep = ~shapely.is_empty(geometries)
        invalid = keep & ~shapely.is_valid(geometries)
        geometries[invalid] = shapely.make_valid(geometries[invalid])
        return cls(
            [c for c, k in zip(codes, keep, strict=True) if k],
            geometries[keep],
        )

    def __len__(self) -> int:
        return len(self.ubigeos)

    def locate_indices(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """For each point, the index of the polygon it lies within, or -1. Where
        simplified polygons overlap, the first polygon wins (deterministic).

        One thread: GEOS prepared polygons are not safe to share between threads."""
        lon, lat = np.asarray(lon, float), np.asarray(lat, float)
        result = np.full(len(lon), -1, dtype=np.int64)
        if len(self) == 0 or len(lon) == 0:
            return result
        points = shapely.points(lon, lat)
        point_idx, polygon_idx = self.tree.query(points, predicate="within")
        if len(point_idx):
            order = np.lexsort((polygon_idx, point_idx))
            point_idx, polygon_idx = point_idx[order], polygon_idx[order]
            first = np.r_[True, point_idx[1:] != point_idx[:-1]]
            result[point_idx[first]] = polygon_idx[first]
        return result

    def locate(self, lon: np.ndarray, lat: np.ndarray) -> list[str | None]:
        """The ubigeo of each point's district, or None where it falls in none."""
        return self.codes(self.locate_indices(lon, lat)).to_pylist()

    def codes(self, indices: np.ndarray) -> pa.Array:
        """Ubigeo per polygon index (null where the index is -1)."""
        if not len(self):
            return pa.nulls(len(indices), pa.string())
        return self.ubigeos.take(pa.array(np.maximum(indices, 0), mask=indices < 0))


def locate_staged(
    con: duckdb.DuckDBPyConnection,
    index: DistrictIndex,
    tracker: Tracker,
    start: float,
    end: float,
) -> int:
    """Fill the missing ubigeo by point in polygon; returns how many were found."""
    points = con.sql(
        "SELECT rowid AS rid, lon, lat FROM staged WHERE ubigeo IS NULL AND lat IS NOT NULL"
    ).to_arrow_table()
    total = points.num_rows
    if not total or not len(index):
        tracker.set(end)
        return 0
    rid = points["rid"].to_numpy()
    lon = points["lon"].to_numpy()
    lat = points["lat"].to_numpy()
    found = np.empty(total, dtype=np.int64)
    for first in range(0, total, PIP_CHUNK):
        chunk = slice(first, first + PIP_CHUNK)
        found[chunk] = index.locate_indices(lon[chunk], lat[chunk])
        tracker.set(start + (end - start) * min(1.0, (first + PIP_CHUNK) / total) * 0.9)
    hit = found >= 0
    located = pa.table(
        {"rid": pa.array(rid[hit]), "ubigeo": index.ubigeos.take(pa.array(found[hit]))}
    )
    con.register("located", located)
    con.execute(
        "UPDATE staged SET ubigeo = located.ubigeo FROM located WHERE staged.rowid = located.rid"
    )
    con.unregister("located")
    tracker.set(end)
    return int(hit.sum())
