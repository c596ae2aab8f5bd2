"""Every web upload page against the hostile-file corpus (``sinasec.core.tests.hostile``):
posted by a user allowed to upload there, each file is refused on the page in Spanish
(never a 500) and nothing is written (the target's tables and the audit log count the
same before and after; the barrio keeps its boundary and version). A request over
``SINASEC_MAX_UPLOAD_MB`` is a 413 naming the limit, before the file is read.

The importers' own corpus test (``test_hostile_files``) covers every kind of file; this
one covers the path a browser takes: the form, the upload handler, the page's refusal."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sinasec.barrios.models import Barrio, BarrioStatus
from sinasec.conftest import login
from sinasec.core.tests.hostile import GEOJSON_KINDS, TABLE_KINDS, WORKBOOK_KINDS
from sinasec.site.tests.test_hostile_files import SEEDS, TARGETING_ONLY, snapshot

pytestmark = pytest.mark.django_db

SPANISH = {"accept-language": "es-PE"}
REJECTED = "El archivo fue rechazado; no se guardó nada."


@dataclass(frozen=True)
class Page:
    """A web upload page: its URL (some name a barrio), the file input, the other fields
    its form posts, whose tables a refusal must leave alone, and who uploads there."""

    url: Callable[[Barrio], str]
    file_field: str
    apps: tuple[str, ...]
    uploader: str  # the conftest fixture of a user allowed to upload there
    fields: dict[str, str] = field(default_factory=dict)
    properties: dict[str, object] = field(default_factory=dict)  # of a GeoJSON feature
    seed: str = ""  # of a table page (``test_hostile_files.SEEDS``)
    listed: bool = True  # the page lists the problems under "the file was rejected"


PAGES: dict[str, Page] = {
    "population": Page(
        lambda b: reverse("territories:import"),
        "pop-file",
        ("territories",),
        "admin",
        fields={"pop-year": "2025"},
        seed="population",
    ),
    "territory_boundaries": Page(
        lambda b: reverse("territories:import"),
        "geo-file",
        ("territories",),
        "admin",
        fields={"geo-level": "district"},
        properties={"UBIGEO": "150122"},
    ),
    "committee_events": Page(
        lambda b: reverse("committees:import"),
        "file",
        ("committees",),
        "secretary",
        seed="committee_events",
    ),
    "plan": Page(lambda b: reverse("plans:upload"), "file", ("plans",), "admin", seed="plan"),
    "barrio_boundary": Page(
        lambda b: reverse("barrios:upload_boundary", args=[b.pk]),
        "file",
        ("barrios",),
        "admin",
        fields={"version": "1"},
        listed=False,
    ),
    "targeting_polygons": Page(
        lambda b: reverse("barrios:targeting"),
        "polygons_file",
        ("barrios",),
        "admin",
        fields={"unit": "polygons", "method": "minmax", "indicator-0": "rate", "weight-0": "1"},
        properties={"codigo": "A1", "poblacion": 1200},
        listed=False,
    ),
}

# What the page says in Spanish about each kind of file.
SAYS = {
    "huge_field": "un valor de más de 131072 caracteres",
    "formula": "es una fórmula de hoja de cálculo, no un valor",
    "nul_bytes": "el archivo contiene bytes NUL",
    "binary_junk": "el archivo no es texto UTF-8",
    "xlsx_zip_bomb": "el libro se descomprime a más de 256 MB",
    "xlsx_entity_expansion": "el XML del libro declara entidades (un DOCTYPE)",
    "deep_nesting": "el JSON está anidado a demasiada profundidad",
    "new_york": "la posición [-74.0200, 40.7000] no está en el Perú",
    "lat_lon_swapped": "la posición [-12.1300, -77.0400] no está en el Perú",
    "nan_coordinates": "“NaN” no es un número que JSON admita",
    "infinite_coordinates": "no es una posición [longitud, latitud]",
    "unclosed_ring": "un anillo no está cerrado",
    "population_infinity_literal": "“Infinity” no es un número que JSON admita",
    "xlsx_formula": "es una fórmula de hoja de cálculo, no un valor",
    "latin1": "el archivo no es texto UTF-8 (byte 0x",
}
CASES = {
    "population": ("huge_field", "formula", "nul_bytes", "binary_junk", "latin1"),
    "territory_boundaries": (
        "deep_nesting",
        "new_york",
        "lat_lon_swapped",
        "infinite_coordinates",
        "nan_coordinates",
        "unclosed_ring",
        "latin1",
    ),
    "committee_events": (
        "xlsx_zip_bomb",
        "xlsx_entity_expansion",
        "xlsx_formula",
        "huge_field",
        "formula",
        "latin1",
    ),
    "plan": (
        "xlsx_zip_bomb",
        "xlsx_entity_expansion",
        "xlsx_formula",
        "huge_field",
        "formula",
        "binary_junk",
        "latin1",
    ),
    "barrio_boundary": (
        "deep_nesting",
        "new_york",
        "lat_lon_swapped",
        "nan_coordinates",
        "infinite_coordinates",
        "latin1",
    ),
    "targeting_polygons": (
        "deep_nesting",
        "new_york",
        "lat_lon_swapped",
        "nan_coordinates",
        "infinite_coordinates",
        "population_infinity_literal",
        "unclosed_ring",
        "latin1",
    ),
}
# Where the page says the problem is: the row (a GeoJSON's line, or its feature) and the
# column; a whole-file reason (a zip bomb, entities, nesting, junk) names neither.
LAST_COLUMN = {"population": "capital", "committee_events": "documento", "plan": "dic"}
CELL_KINDS = ("huge_field", "formula", "xlsx_formula")
GEOMETRY_KINDS = ("new_york", "lat_lon_swapped", "unclosed_ring", "infinite_coordinates")


def where(name: str, kind: str) -> str | None:
    if kind in CELL_KINDS:
        return f"fila 2, columna “{LAST_COLUMN[name]}”"
    if kind == "latin1":  # the first accent: in the header (población, año) or the row
        return "fila 2" if name == "plan" else "fila 1"
    if kind in ("nan_coordinates", "nul_bytes"):  # a JSON's line; the end of the header
        return "fila 1"
    if kind in GEOMETRY_KINDS:
        return "fila 1, columna “geometry”" if name != "barrio_boundary" else "columna “geometry”"
    return None


def hostile_file(page: Page, kind: str) -> SimpleUploadedFile:
    """The corpus's file of ``kind`` for ``page``, named as its user would name it."""
    if kind in TARGETING_ONLY:
        return SimpleUploadedFile(f"{kind}.geojson", TARGETING_ONLY[kind])
    if kind in GEOJSON_KINDS and not page.seed:  # some kinds (latin1) are tables too
        return SimpleUploadedFile(f"{kind}.geojson", GEOJSON_KINDS[kind](page.properties))
    if kind in WORKBOOK_KINDS:
        return SimpleUploadedFile(f"{kind}.xlsx", WORKBOOK_KINDS[kind](SEEDS[page.seed]))
    return SimpleUploadedFile(f"{kind}.csv", TABLE_KINDS[kind](SEEDS[page.seed]))


@pytest.fixture
def barrio(db: None) -> Barrio:
    return Barrio.objects.create(
        name="Hostil", district_id="150122", cohort="2026", status=BarrioStatus.PLANNED
    )


def post(client: Client, page: Page, barrio: Barrio, upload: SimpleUploadedFile) -> str:
    """The page after the upload (a redirect followed), as the user reads it; never a
    server error on the way."""
    data = {**page.fields, page.file_field: upload}
    response = client.post(page.url(barrio), data, headers=SPANISH, follow=True)
    statuses = [status for _url, status in response.redirect_chain] + [response.status_code]
    assert all(status < 500 for status in statuses), statuses
    assert response.status_code == 200, statuses
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("name", "kind"), [(n, k) for n, kinds in CASES.items() for k in kinds])
def test_it_refuses_hostile_files_on_every_upload_page_in_spanish_and_writes_nothing(
    request: pytest.FixtureRequest, client: Client, barrio: Barrio, name: str, kind: str
) -> None:
    page = PAGES[name]
    user: User = request.getfixturevalue(page.uploader)
    login(client, user)
    upload = hostile_file(page, kind)
    file_name = str(upload.name)
    before = snapshot(page.apps), (barrio.boundary, barrio.version)
    text = post(client, page, barrio, upload)
    assert SAYS[kind] in text, f"the page does not say why {file_name} was refused"
    assert file_name in text, "the refusal names the file"
    at = where(name, kind)
    if at:
        assert f"{file_name}, {at}" in text, f"the page does not say where: {at}"
    if kind == "latin1":  # how to save it, in the words of the program that made it
        assert ("“CSV UTF-8”" if page.seed else "“GeoJSON (UTF-8)”") in text
    if page.listed:
        assert REJECTED in text
    barrio.refresh_from_db()
    after = snapshot(page.apps), (barrio.boundary, barrio.version)
    assert after == before, "a refused file wrote nothing"


@pytest.mark.parametrize("name", PAGES)
def test_it_refuses_an_upload_over_the_size_limit_with_413_before_reading_it(
    request: pytest.FixtureRequest, client: Client, barrio: Barrio, name: str, settings
) -> None:
    settings.MAX_UPLOAD_MB = 1
    page = PAGES[name]
    login(client, request.getfixturevalue(page.uploader))
    big = SimpleUploadedFile("grande.csv", b"ubigeo;poblacion\n" + b"150122;1\n" * 200_000)
    before = snapshot(page.apps)
    response = client.post(page.url(barrio), {**page.fields, page.file_field: big}, headers=SPANISH)
    assert response.status_code == 413
    assert "La solicitud supera el límite de 1 MB; no se guardó nada." in html.unescape(
        response.content.decode()
    )
    assert snapshot(page.apps) == before
