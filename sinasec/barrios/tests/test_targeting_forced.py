"""Grid targeting leaves points forced onto a police station out by default, says how
many, and counts them on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sinasec.analytics.targeting.index import IndicatorChoice, TargetingParams
from sinasec.barrios.targeting.data import run_targeting
from sinasec.barrios.tests.test_targeting_grid import CELL_M, YEAR, cell_centre
from sinasec.incidents import IncidentStore


def params(include_forced: bool) -> TargetingParams:
    return TargetingParams(
        year=YEAR,
        indicators=(IndicatorChoice("total"),),
        unit="grid",
        cell_size_m=CELL_M,
        include_forced=include_forced,
    )


def test_it_leaves_a_police_station_stack_out_of_the_grid(
    tmp_path: Path, settings: Any, db: None
) -> None:
    settings.INCIDENTS_DIR = tmp_path / "store"
    # One robbery in each cell of a 6 x 6 block; 40 complaints stacked on the point of
    # a police station in cell (2, 2), all in March.
    points = [(*cell_centre(r, c), "robo") for r in range(6) for c in range(6)]
    station = cell_centre(2, 2)
    lines = ["id,date,lat,lon,crime_type,ubigeo"]
    lines += [f"p{i},{YEAR}-05-10,{a:.7f},{b:.7f},{k},150122" for i, (a, b, k) in enumerate(points)]
    lines += [
        f"s{i},{YEAR}-03-{1 + i % 28:02d},{station[0]:.7f},{station[1]:.7f},robo,150122"
        for i in range(40)
    ]
    csv = tmp_path / "incidents.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    IncidentStore(tmp_path / "store").import_file(csv)
    default = run_targeting(params(False))
    assert default.snapshot["incidents"]["forced"] == 40
    # A cell holds at most the 4 scattered robberies around it: nothing stands out.
    assert (default.units[0]["values"]["total"] or 0) <= 4
    included = run_targeting(params(True))
    assert included.snapshot["incidents"]["forced"] == 0
    assert (included.units[0]["values"]["total"] or 0) >= 40  # the station's cell tops the list


def test_it_takes_include_forced_from_the_page_and_the_api() -> None:
    from sinasec.barrios.targeting.api import TargetingIn, _params
    from sinasec.barrios.targeting.views import _params_from_post

    form = {"year": "2024", "indicator-0": "total", "unit": "grid", "cell_size_m": "250"}
    assert _params_from_post(form).include_forced is False
    assert _params_from_post({**form, "include_forced": "on"}).include_forced is True
    payload = TargetingIn.model_validate(
        {"year": 2024, "indicators": [{"key": "total"}], "unit": "grid", "cell_size_m": 250,
         "include_forced": True}
    )  # fmt: skip
    assert _params(payload).include_forced is True
