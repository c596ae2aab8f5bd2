"""The hostile-file corpus: files a careless user or an attacker brings to an importer,
generated in code (nothing MB-sized is committed).

Each kind is a function of a seed (a valid header and row of the importer) returning
the file's bytes. ``TABLE_KINDS`` fit every CSV importer, ``WORKBOOK_KINDS`` the ones
that also read XLSX, ``GEOJSON_KINDS`` every boundary importer. Some kinds need a lower
limit to stay small (``LIMITS``: settings to override while the file is imported).
"""

from __future__ import annotations

import functools
import io
import json
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

HUGE_FIELD = 200 * 1024  # over the 128 KiB a CSV value may hold
DEEP = 200_000  # nesting of the JSON that broke the parser
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


@dataclass(frozen=True)
class Seed:
    """A valid header and data row of an importer's CSV, with its separator."""

    header: str
    row: str
    delimiter: str = ";"

    def text(self, *rows: str) -> str:
        return "\n".join((self.header, *rows)) + "\n"

    def cells(self) -> tuple[list[str], list[str]]:
        return self.header.split(self.delimiter), self.row.split(self.delimiter)

    def with_last(self, value: str) -> str:
        """The row with its last value replaced."""
        _header, cells = self.cells()
        return self.delimiter.join([*cells[:-1], value])


Kind = Callable[[Seed], bytes]


def junk(size: int = 4096, seed: int = 16) -> bytes:
    return random.Random(seed).randbytes(size)


TABLE_KINDS: dict[str, Kind] = {
    "empty": lambda s: b"",
    "whitespace_only": lambda s: b"  \r\n\t\n   \n",
    "header_only": lambda s: (s.header + "\n").encode(),
    "latin1": lambda s: s.text(s.with_last("Año Señor")).encode("latin-1"),
    "utf16_bom": lambda s: s.text(s.row).encode("utf-16"),
    "double_bom": lambda s: ("\ufeff\ufeff" + s.text(s.row)).encode(),
    "binary_junk": lambda s: junk(),
    "wrong_extension_pdf": lambda s: PDF + junk(512),
    "huge_field": lambda s: s.text(s.with_last("x" * HUGE_FIELD)).encode(),
    "formula": lambda s: s.text(s.with_last('=HYPERLINK("http://evil.example","x")')).encode(),
    "duplicates": lambda s: s.text(s.row, s.row).encode(),
    "too_many_rows": lambda s: s.text(*[s.row] * 6).encode(),
    "nul_bytes": lambda s: s.text(s.row).replace("\n", "\x00\n").encode(),
}


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # Text that reads as a formula (a formula proper, without the cached
                # value Excel stores, reads as empty and is validated as such).
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def entity_expansion(seed: Seed) -> bytes:
    """A workbook whose sheet XML expands an entity a billion times."""
    header, cells = seed.cells()
    source = zipfile.ZipFile(io.BytesIO(xlsx([header, cells])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1].replace(
                    b"<sheetData>",
                    b"<sheetData><row r='99'><c t='inlineStr'><is><t>&lol9;</t></is></c></row>",
                    1,
                )
                data = BILLION_LAUGHS + body
            target.writestr(member, data)
    return out.getvalue()


@functools.cache
def zip_bomb(megabytes: int = 300) -> bytes:
    """A 'workbook' of a few hundred kilobytes whose sheet unpacks to ``megabytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(block)
    return out.getvalue()


WORKBOOK_KINDS: dict[str, Kind] = {
    "xlsx_entity_expansion": entity_expansion,
    "xlsx_zip_bomb": lambda s: zip_bomb(),
    "xlsx_formula": lambda s: xlsx([s.cells()[0], [*s.cells()[1][:-1], '=HYPERLINK("x")']]),
    "xlsx_damaged": lambda s: xlsx([s.cells()[0], s.cells()[1]])[:600],
    "xlsx_too_many_rows": lambda s: xlsx([s.cells()[0], *[s.cells()[1]] * 6]),
}

# Settings the corpus lowers so that its files stay small.
LIMITS = {
    "IMPORT_MAX_ROWS": 4,
    "IMPORT_MAX_FEATURES": 3,
    "IMPORT_MAX_VERTICES_PER_FEATURE": 40,
}

# --- GeoJSON ---------------------------------------------------------------------------

MIRAFLORES = [[-77.04, -12.13], [-77.02, -12.13], [-77.02, -12.11], [-77.04, -12.11]]
NEW_YORK = [[-74.02, 40.70], [-73.97, 40.70], [-73.97, 40.75], [-74.02, 40.75]]


def ring(points: list[list[float]]) -> list[list[float]]:
    return [*points, points[0]]


def feature(coordinates: object, kind: str = "Polygon", **properties: object) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def circle(vertices: int) -> list[list[float]]:
    """A closed ring of ``vertices`` around Miraflores (6 decimals, as GIS exports)."""
    import math

    step = 2 * math.pi / vertices
    return ring(
        [
            [
                round(-77.03 + 0.01 * math.cos(i * step), 6),
                round(-12.12 + 0.01 * math.sin(i * step), 6),
            ]
            for i in range(vertices)
        ]
    )


def geojson(document: object) -> bytes:
    return json.dumps(document).encode()


def deep_nesting(_props: dict) -> bytes:
    return b'{"type":"FeatureCollection","features":' + b"[" * DEEP + b"]" * DEEP + b"}"


GeoKind = Callable[[dict], bytes]
GEOJSON_KINDS: dict[str, GeoKind] = {
    "empty": lambda p: b"",
    "whitespace_only": lambda p: b" \n\t ",
    "latin1": lambda p: json.dumps(
        collection(feature([ring(MIRAFLORES)], **p, nombre="Año")), ensure_ascii=False
    ).encode("latin-1"),
    "utf16_bom": lambda p: json.dumps(collection(feature([ring(MIRAFLORES)], **p))).encode(
        "utf-16"
    ),
    "binary_junk": lambda p: junk(),
    "wrong_extension_csv": lambda p: b"ubigeo;poblacion\n150122;1000\n",
    "not_a_collection": lambda p: b"[1, 2, 3]",
    "deep_nesting": deep_nesting,
    "nan_coordinates": lambda p: geojson(
        collection(feature([ring([[float("nan"), -12.13], *MIRAFLORES[1:]])], **p))
    ),
    "infinite_coordinates": lambda p: geojson(collection(feature([ring(MIRAFLORES)], **p))).replace(
        b"-77.04", b"-1e400", 1
    ),
    "new_york": lambda p: geojson(collection(feature([ring(NEW_YORK)], **p))),
    "lat_lon_swapped": lambda p: geojson(
        collection(feature([ring([[y, x] for x, y in MIRAFLORES])], **p))
    ),
    "unclosed_ring": lambda p: geojson(collection(feature([MIRAFLORES], **p))),
    "too_few_positions": lambda p: geojson(collection(feature([MIRAFLORES[:2]], **p))),
    "too_many_vertices": lambda p: geojson(collection(feature([circle(60)], **p))),
    "too_many_features": lambda p: geojson(collection(*[feature([ring(MIRAFLORES)], **p)] * 5)),
    "point": lambda p: geojson(collection(feature([-77.03, -12.12], "Point", **p))),
    "strings_as_coordinates": lambda p: geojson(
        collection(feature([[[str(x), str(y)] for x, y in ring(MIRAFLORES)]], **p))
    ),
}
