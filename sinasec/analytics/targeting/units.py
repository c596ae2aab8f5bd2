"""The units a targeting run ranks, as arrays: what :func:`~sinasec.analytics.targeting.index.score`
needs from a stored data snapshot, whatever the unit.

Two snapshot layouts are read:

- **A list of units** (districts, custom polygons): ``snapshot["units"]`` holds one dict
  per unit with its code (``ubigeo``: the ubigeo of a district, the polygon's own code
  otherwise), name, population, indicator values and queen neighbours (codes; ``None``
  when the unit has no polygon). Readable as it is, and small (about 1,900 districts).
- **A grid** of square cells: up to millions of cells, so the snapshot keeps the grid's
  geometry (``snapshot["grid"]``), which cells are ranked (``kept``) and one count per
  ranked cell and indicator, as compressed NumPy arrays (:func:`pack` / :func:`unpack`,
  lossless). A cell's code is ``F<row>C<col>`` (row 0 is the northernmost); its centre
  and corners are computed from the grid, in longitude and latitude.
"""

from __future__ import annotations

import base64
import io
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from sinasec.analytics.hotspots import grid_weights
from sinasec.analytics.targeting.types import Geometry, GridData, UnitDescription

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

EARTH_RADIUS_M = 6_371_008.8
DEGREE_M = math.pi / 180 * EARTH_RADIUS_M  # metres in one degree of latitude


def pack(array: npt.ArrayLike) -> str:
    """A NumPy array as text for a JSON field: ``.npy`` bytes, zlib, base64 (exact)."""
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return base64.b64encode(zlib.compress(buffer.getvalue(), 6)).decode("ascii")


def unpack(text: str) -> npt.NDArray[Any]:
    """The array :func:`pack` wrote."""
    raw = zlib.decompress(base64.b64decode(text.encode("ascii")))
    return np.load(io.BytesIO(raw), allow_pickle=False)


@dataclass(frozen=True)
class GridGeometry:
    """A grid of square cells of ``cell_m`` metres in a local equirectangular projection:
    ``col = floor((lon - lon_min) * kx / cell_m)``, ``row = floor((lat_max - lat) * ky /
    cell_m)`` with ``ky`` the metres in a degree of latitude and ``kx = ky cos(lat0)``.
    Over a city or a region the distortion is far below the cell sizes used here."""

    lon_min: float
    lat_max: float
    lat0: float
    cell_m: float
    n_rows: int
    n_cols: int

    @property
    def kx(self) -> float:
        return DEGREE_M * math.cos(math.radians(self.lat0))

    @property
    def ky(self) -> float:
        return DEGREE_M

    @property
    def size(self) -> int:
        return self.n_rows * self.n_cols

    def as_dict(self) -> GridData:
        return {
            "lon_min": self.lon_min,
            "lat_max": self.lat_max,
            "lat0": self.lat0,
            "cell_m": self.cell_m,
            "n_rows": self.n_rows,
            "n_cols": self.n_cols,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GridGeometry:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})

    @classmethod
    def covering(
        cls, lon_min: float, lat_min: float, lon_max: float, lat_max: float, cell_m: float
    ) -> GridGeometry:
        """The grid whose top-left corner is ``(lon_min, lat_max)`` covering the box."""
        lat0 = (lat_min + lat_max) / 2
        probe = cls(lon_min, lat_max, lat0, cell_m, 1, 1)
        # floor + 1, not ceil: the eastern and southern edges fall inside the last cell.
        n_cols = math.floor((lon_max - lon_min) * probe.kx / cell_m) + 1
        n_rows = math.floor((lat_max - lat_min) * probe.ky / cell_m) + 1
        return cls(lon_min, lat_max, lat0, cell_m, n_rows, n_cols)

    def cell_of(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> IntArray:
        """The row-major index of the cell of each point (-1 outside the grid)."""
        col = np.floor((np.asarray(lon) - self.lon_min) * self.kx / self.cell_m)
        row = np.floor((self.lat_max - np.asarray(lat)) * self.ky / self.cell_m)
        inside = (col >= 0) & (col < self.n_cols) & (row >= 0) & (row < self.n_rows)
        return np.where(inside, row * self.n_cols + col, -1).astype(np.int64)

    def corners(
        self, index: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """West, south, east and north edges (degrees) of the cells ``index``."""
        row, col = np.divmod(np.asarray(index, dtype=np.int64), self.n_cols)
        west = self.lon_min + col * self.cell_m / self.kx
        north = self.lat_max - row * self.cell_m / self.ky
        return west, north - self.cell_m / self.ky, west + self.cell_m / self.kx, north

    def centres(self, index: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Longitude and latitude of the centres of the cells ``index``."""
        west, south, east, north = self.corners(index)
        return (west + east) / 2, (south + north) / 2

    def polygon(self, index: int) -> Geometry:
        """One cell as a GeoJSON polygon."""
        west, south, east, north = (float(v[0]) for v in self.corners([index]))
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}

    @staticmethod
    def code(index: int, n_cols: int) -> str:
        row, col = divmod(int(index), n_cols)
        return f"F{row}C{col}"

    def index_of(self, code: str) -> int | None:
        """The cell index of a code ``F<row>C<col>`` (None when it is not one)."""
        if not code.startswith("F") or "C" not in code:
            return None
        row_text, _sep, col_text = code[1:].partition("C")
        if not (row_text.isdigit() and col_text.isdigit()):
            return None
        row, col = int(row_text), int(col_text)
        if row >= self.n_rows or col >= self.n_cols:
            return None
        return row * self.n_cols + col


@dataclass
class UnitTable:
    """The units of a snapshot: ``values[key]`` one float per unit (NaN: unknown),
    ``weights`` the symmetric binary contiguity among them, ``has_geometry`` False for a
    unit without a polygon (never tested for hot spots). ``sort_key`` breaks ties in the
    ranking (the code of a district, the cell index of a grid). ``describe(i)`` gives what
    the stored result says about unit ``i`` besides its scores."""

    n: int
    values: dict[str, FloatArray]
    weights: sparse.csr_matrix
    has_geometry: BoolArray
    sort_key: npt.NDArray[Any]
    rows: Sequence[Mapping[str, Any]] | None = None  # list snapshots
    grid: GridGeometry | None = None
    cells: IntArray | None = None  # grid snapshots: the ranked cells' indices

    def describe(self, i: int, keys: Sequence[str]) -> UnitDescription:
        if self.rows is not None:
            unit = self.rows[i]
            return {
                "ubigeo": unit["ubigeo"],
                "name": unit["name"],
                "values": {k: unit["values"].get(k) for k in keys},
                "population": unit.get("population"),
            }
        assert self.grid is not None and self.cells is not None
        cell = int(self.cells[i])
        lon, lat = self.grid.centres([cell])
        return {
            "ubigeo": GridGeometry.code(cell, self.grid.n_cols),
            "name": f"{float(lat[0]):.5f}, {float(lon[0]):.5f}",
            "values": {k: float(self.values[k][i]) for k in keys},
            "population": None,
            "centre": [round(float(lon[0]), 6), round(float(lat[0]), 6)],
        }


def unit_table(snapshot: Mapping[str, Any], keys: Sequence[str]) -> UnitTable:
    if "grid" in snapshot:
        return _grid_table(snapshot, keys)
    return _list_table(snapshot["units"], keys)


def _list_table(units: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> UnitTable:
    n = len(units)
    values = {
        k: np.array(
            [np.nan if u["values"].get(k) is None else u["values"][k] for u in units],
            dtype=np.float64,
        )
        for k in keys
    }
    index = {u["ubigeo"]: i for i, u in enumerate(units)}
    rows, cols = [], []
    for i, unit in enumerate(units):
        for other in unit.get("neighbours") or ():
            j = index.get(other)
            if j is not None and j != i:
                rows.append(i)
                cols.append(j)
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0
    return UnitTable(
        n=n,
        values=values,
        weights=matrix.maximum(matrix.T).tocsr(),
        has_geometry=np.array([u.get("neighbours") is not None for u in units], dtype=bool),
        sort_key=np.array([u["ubigeo"] for u in units], dtype=str),
        rows=units,
    )


def _grid_table(snapshot: Mapping[str, Any], keys: Sequence[str]) -> UnitTable:
    grid = GridGeometry.from_dict(snapshot["grid"])
    cells = unpack(snapshot["cells"]).astype(np.int64)
    values = {k: unpack(snapshot["values"][k]).astype(np.float64) for k in keys}
    full = grid_weights(grid.n_rows, grid.n_cols)
    return UnitTable(
        n=cells.size,
        values=values,
        weights=full[cells][:, cells].tocsr(),
        has_geometry=np.ones(cells.size, dtype=bool),
        sort_key=cells,
        grid=grid,
        cells=cells,
    )


def unit_geometry(snapshot: Mapping[str, Any], code: str) -> Geometry | None:
    """The GeoJSON geometry of a grid cell or custom polygon of a snapshot (None for a
    district, whose polygon is the territory's, or for an unknown code)."""
    if "grid" in snapshot:
        grid = GridGeometry.from_dict(snapshot["grid"])
        index = grid.index_of(code)
        return None if index is None else grid.polygon(index)
    for unit in snapshot.get("units", ()):
        if unit["ubigeo"] == code:
            return unit.get("geometry")
    return None
