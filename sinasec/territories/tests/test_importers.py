"""Imports of population and boundaries: the real INEI files, and bad files that must
change nothing and say exactly what is wrong."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from shapely.geometry import shape

from sinasec.audit.models import AuditEvent
from sinasec.core.errors import AccessDenied, ImportRejected
from sinasec.territories import selectors
from sinasec.territories.models import Boundary, Population, Territory
from sinasec.territories.services import import_boundaries, import_population

HEADER = "departamento;provincia;distrito;ubigeo;capital_legal;categoría;altitud;población;latitud;longitud\n"
MIRAFLORES = "Lima;Lima;Miraflores;150122;Miraflores;Ciudad;79.0;98877;-12.1211;-77.0297\n"
CHACHAPOYAS = (
    "Amazonas;Chachapoyas;Chachapoyas;010101;Chachapoyas;Ciudad;2338.0;41843;-6.2294;-77.8727\n"
)


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    text = header + "".join(rows)
    return ("\ufeff" + text).encode("utf-8") if bom else text.encode("utf-8")


def rejected(admin: User, data: bytes, name: str = "poblacion.csv") -> list[str]:
    with pytest.raises(ImportRejected) as info:
        import_population(admin, name, data, 2025)
    assert Population.objects.count() == 0
    assert not AuditEvent.objects.filter(action="territories.import_population").exists()
    return [str(p) for p in info.value.problems]


def test_it_imports_the_inei_2025_directory(admin: User, shared_data: Path) -> None:
    path = shared_data / "ubigeo_inei_2025.csv"
    result = import_population(admin, path.name, path.read_bytes(), 2025)
    assert (result.rows, result.created, result.updated) == (1891, 1891, 0)
    summary = selectors.summary()
    assert summary["population"] == {
        "year": 2025,
        "total": 34_350_244,
        "districts_with_data": 1891,
        "years": [2025],
    }
    miraflores = Territory.objects.get(ubigeo="150122")
    assert miraflores.capital == "Miraflores"
    assert miraflores.latitude == pytest.approx(-12.12, abs=0.05)
    # The two districts the 2025 directory does not list stay unknown, not zero.
    assert selectors.population_total(2025, prefix="090708") is None


def test_it_changes_nothing_when_the_same_file_is_imported_again(
    admin: User, shared_data: Path
) -> None:
    data = (shared_data / "ubigeo_inei_2025.csv").read_bytes()
    import_population(admin, "a.csv", data, 2025)
    events = AuditEvent.objects.count()
    again = import_population(admin, "a.csv", data, 2025)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1891)
    assert AuditEvent.objects.count() == events


def test_it_audits_an_update_with_before_and_after(admin: User) -> None:
    import_population(admin, "v1.csv", csv_bytes(MIRAFLORES), 2025)
    result = import_population(
        admin, "v2.csv", csv_bytes(MIRAFLORES.replace("98877", "99000")), 2025
    )
    assert (result.created, result.updated) == (0, 1)
    event = AuditEvent.objects.filter(action="territories.import_population").first()
    assert event is not None and event.actor == admin
    assert event.before == {
        "changes": [{"ubigeo": "150122", "year": 2025, "before": 98877, "after": 99000}]
    }
    assert event.after is not None
    assert event.after["changes"] == [
        {"ubigeo": "150122", "year": 2025, "before": 98877, "after": 99000}
    ]
    assert Population.objects.get(territory_id="150122", year=2025).value == 99000


def test_it_accepts_a_ubigeo_that_lost_its_leading_zero(admin: User) -> None:
    import_population(admin, "x.csv", csv_bytes(CHACHAPOYAS.replace(";010101;", ";10101;")), 2025)
    assert Population.objects.get(territory_id="010101").value == 41843


def test_it_rejects_a_file_that_is_not_utf8(admin: User) -> None:
    data = (HEADER + MIRAFLORES.replace("Lima", "Lima ñ")).encode("latin-1")
    with pytest.raises(ImportRejected) as info:
        import_population(admin, "poblacion.csv", data, 2025)
    [problem] = info.value.problems
    assert problem.row == 1  # the í of the header's "categoría" is the first non-UTF-8 byte
    assert "UTF-8" in problem.reason and "0xed" in problem.reason
    assert Population.objects.count() == 0


def test_it_rejects_a_file_without_the_population_column(admin: User) -> None:
    header = HEADER.replace(";población", ";habitantes")
    problems = rejected(admin, csv_bytes(MIRAFLORES, header=header))
    assert len(problems) == 1
    assert "población" in problems[0] and "habitantes" in problems[0]


def test_it_rejects_an_unknown_ubigeo_and_lists_every_bad_row(admin: User) -> None:
    data = csv_bytes(
        MIRAFLORES, MIRAFLORES.replace("150122", "150199"), CHACHAPOYAS.replace("41843", "mucho")
    )
    problems = rejected(admin, data)
    assert len(problems) == 2
    assert "150199" in problems[0] and "3" in problems[0] and "ubigeo" in problems[0]
    assert "mucho" in problems[1] and "población" in problems[1]


def test_it_rejects_a_duplicate_row(admin: User) -> None:
    problems = rejected(admin, csv_bytes(MIRAFLORES, CHACHAPOYAS, MIRAFLORES))
    assert len(problems) == 1
    assert "150122" in problems[0] and "4" in problems[0] and "2" in problems[0]


@pytest.mark.parametrize("data", [b"", b"   \n", "\ufeff".encode()])
def test_it_rejects_an_empty_file(admin: User, data: bytes) -> None:
    problems = rejected(admin, data)
    assert len(problems) == 1 and "poblacion.csv" in problems[0]


def test_it_rejects_a_header_without_rows(admin: User) -> None:
    assert len(rejected(admin, csv_bytes())) == 1


def test_it_rejects_coordinates_outside_peru(admin: User) -> None:
    problems = rejected(admin, csv_bytes(MIRAFLORES.replace("-77.0297", "77.0297")))
    assert len(problems) == 1 and "77.0297" in problems[0]


@pytest.mark.parametrize("who", ["analyst", "secretary", "focal_point"])
def test_it_lets_only_national_administrators_import(
    who: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(AccessDenied):
        import_population(user, "p.csv", csv_bytes(MIRAFLORES), 2025)
    with pytest.raises(AccessDenied):
        import_boundaries(user, "b.geojson", b"{}", "district")
    assert Population.objects.count() == 0 and Boundary.objects.count() == 0


def test_it_rejects_the_2007_district_file_unless_told_to_skip_retired_codes(
    admin: User, shared_data: Path
) -> None:
    data = (shared_data / "peru_distrital_simple.geojson").read_bytes()
    with pytest.raises(ImportRejected) as info:
        import_boundaries(admin, "distritos.geojson", data, "district")
    assert [p.row for p in info.value.problems] == [1832, 1834]
    assert "160109" in str(info.value.problems[0])
    assert Boundary.objects.count() == 0

    result = import_boundaries(admin, "distritos.geojson", data, "district", skip_unknown=True)
    assert result.created == 1824
    assert sorted(p.row or 0 for p in result.skipped) == [1832, 1834]
    assert len([w for w in result.warnings if w.column == "geometry"]) >= 8
    tacna = Territory.objects.get(ubigeo="230110")
    assert (tacna.creation_law, tacna.creation_date) == ("LEY 27415", date(2001, 2, 2))
    assert Territory.objects.get(ubigeo="230101").creation_date_text == "EPOCA INDEP."


def test_it_merges_a_province_drawn_as_two_features(admin: User, shared_data: Path) -> None:
    data = (shared_data / "peru_provincial_simple.geojson").read_bytes()
    result = import_boundaries(admin, "provincias.geojson", data, "province")
    assert result.created == 195  # 197 features, two provinces in two parts each
    features = [f for f in json.loads(data)["features"] if f["properties"]["FIRST_IDPR"] == "2001"]
    merged = shape(json.loads(Boundary.objects.get(territory_id="2001").geometry))
    assert len(features) == 2
    for feature in features:
        assert merged.contains(shape(feature["geometry"]).representative_point())


def test_it_rejects_invalid_json_with_its_line(admin: User) -> None:
    with pytest.raises(ImportRejected) as info:
        import_boundaries(
            admin, "roto.geojson", b'{"type": "FeatureCollection",\n "features": [', "department"
        )
    assert info.value.problems[0].row == 2
    assert Boundary.objects.count() == 0


def test_it_rejects_a_feature_that_is_not_a_polygon(admin: User) -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"FIRST_IDDP": "01"},
                "geometry": {"type": "Point", "coordinates": [-77.8, -6.2]},
            }
        ],
    }
    with pytest.raises(ImportRejected) as info:
        import_boundaries(admin, "d.geojson", json.dumps(document).encode(), "department")
    assert "Point" in str(info.value.problems[0])
    assert Boundary.objects.count() == 0
