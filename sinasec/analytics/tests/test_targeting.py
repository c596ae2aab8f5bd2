"""The composite index of targeting, its parameters and the scoring of a snapshot: pure
known-answer tests."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
from django.utils.translation import override

from sinasec.analytics.targeting.index import (
    IndicatorChoice,
    TargetingError,
    TargetingParams,
    composite_index,
    score,
)

YEAR = 2024


def test_contributions_add_up_to_the_score_with_either_normalisation() -> None:
    rng = np.random.default_rng(1)
    values = {"a": rng.gamma(2, 10, 200), "b": rng.poisson(5, 200), "c": rng.normal(0, 1, 200)}
    for method in ("minmax", "z"):
        result = composite_index(values, {"a": 1, "b": 0.5, "c": 2}, method=method)
        total = sum(result.contributions.values())
        np.testing.assert_allclose(total, result.score, rtol=0, atol=1e-12)
        assert math.isclose(sum(result.weights.values()), 1.0)
    minmax = composite_index(values, {"a": 1, "b": 0.5, "c": 2})
    assert minmax.score.min() >= 0 and minmax.score.max() <= 1
    score_, contributions = composite_index(values, {"a": 1, "b": 1, "c": 1})  # unpacks
    assert set(contributions) == {"a", "b", "c"} and score_.shape == (200,)


def test_weights_decide_the_ranking_and_are_relative() -> None:
    values = {"rate": [10.0, 0.0, 5.0], "robo": [0.0, 10.0, 5.0]}
    heavy_rate = composite_index(values, {"rate": 2, "robo": 1})
    assert heavy_rate.weights == {"rate": 2 / 3, "robo": 1 / 3}
    assert list(np.argsort(-heavy_rate.score)) == [0, 2, 1]
    heavy_robo = composite_index(values, {"rate": 1, "robo": 2})
    assert list(np.argsort(-heavy_robo.score)) == [1, 2, 0]
    # Only relative weights count: 4 and 2 rank exactly as 2 and 1.
    np.testing.assert_allclose(
        composite_index(values, {"rate": 4, "robo": 2}).score, heavy_rate.score
    )
    ignored = composite_index(values, {"rate": 1, "robo": 0})
    assert not ignored.contributions["robo"].any()
    np.testing.assert_allclose(ignored.score, [1.0, 0.0, 0.5])
    # Direction -1: less is worse.
    reversed_ = composite_index(values, {"rate": 1, "robo": 0}, {"rate": -1})
    np.testing.assert_allclose(reversed_.score, [0.0, 1.0, 0.5])


def test_a_missing_value_contributes_zero_is_flagged_and_not_imputed() -> None:
    values: dict[str, Any] = {
        "rate": [100.0, np.nan, 50.0, 0.0],
        "robo": np.array([1.0, 4.0, None, 3.0], dtype=float),  # None: missing
    }
    result = composite_index(values, {"rate": 1, "robo": 1})
    assert list(result.missing["rate"]) == [False, True, False, False]
    assert list(result.missing["robo"]) == [False, False, True, False]
    assert result.contributions["rate"][1] == 0 and result.contributions["robo"][2] == 0
    assert math.isnan(result.normalised["rate"][1])
    # Normalised over the known values only: the missing unit is not a zero.
    np.testing.assert_allclose(result.normalised["rate"][[0, 2, 3]], [1.0, 0.5, 0.0])
    np.testing.assert_allclose(result.normalised["robo"][[0, 1, 3]], [0.0, 1.0, 2 / 3])
    assert list(result.any_missing) == [False, True, True, False]
    # An indicator that cannot tell the units apart is 0 everywhere.
    flat = composite_index({"x": [3.0, 3.0], "y": [1.0, 2.0]}, {"x": 1, "y": 1})
    assert not flat.contributions["x"].any()


def test_it_refuses_weights_and_parameters_it_cannot_use() -> None:
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"a": -1})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"a": 0})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0], "b": [1.0]}, {"a": 1, "b": 1})
    with pytest.raises(TargetingError):
        composite_index({"a": [1.0, 2.0]}, {"b": 1})
    with override("en"), pytest.raises(TargetingError, match="national"):
        IndicatorChoice.parse("survey:victimizacion")
    with pytest.raises(TargetingError):
        TargetingParams(year=YEAR, min_population=10, max_population=5)
    with pytest.raises(TargetingError):
        TargetingParams(year=YEAR, indicators=(IndicatorChoice("rate"), IndicatorChoice("rate")))
    assert IndicatorChoice.parse("count:robo:0.5") == IndicatorChoice("count:robo", 0.5)
    assert IndicatorChoice.parse("count:robo") == IndicatorChoice("count:robo", 1.0)
    assert IndicatorChoice.parse("rate:2") == IndicatorChoice("rate", 2.0)
    params = TargetingParams(
        year=YEAR, indicators=(IndicatorChoice("rate", 1), IndicatorChoice("homicides", 0.5))
    )
    assert TargetingParams.from_dict(json.loads(json.dumps(params.as_dict()))) == params
    with override("en"), pytest.raises(TargetingError, match="no rate"):
        TargetingParams(year=YEAR, unit="grid", cell_size_m=500)


def _grid_snapshot() -> dict:
    """A 5 x 5 lattice of units (queen neighbours) with high values in one corner, one
    unit without a polygon and one without a value."""
    units: list[dict[str, Any]] = []
    for r in range(5):
        for c in range(5):
            neighbours = [
                f"{r + dr}{c + dc}"
                for dr in (-1, 0, 1)
                for dc in (-1, 0, 1)
                if (dr or dc) and 0 <= r + dr < 5 and 0 <= c + dc < 5
            ]
            value = 100.0 if r < 2 and c < 2 else 1.0 + (r * 5 + c) % 3
            units.append(
                {"ubigeo": f"{r}{c}", "name": f"u{r}{c}", "values": {"rate": value}}
                | {"neighbours": neighbours}
            )
    units[24]["neighbours"] = None
    units[20]["values"] = {"rate": None}
    return {"units": units, "source": "test", "population_year": None}


def test_score_marks_gi_hot_spots_and_says_why_a_unit_was_not_tested() -> None:
    params = TargetingParams(year=YEAR)
    result = score(params, _grid_snapshot())
    by_ubigeo = {u["ubigeo"]: u for u in result.units}
    assert {by_ubigeo[u]["hotspot"] for u in ("00", "01", "10", "11")} == {"hot"}
    assert by_ubigeo["44"]["not_tested_reason"] == "no_boundary"
    assert by_ubigeo["40"]["not_tested_reason"] == "missing_data"
    assert by_ubigeo["40"]["missing"] == ["rate"] and by_ubigeo["40"]["score"] == 0
    assert [u["rank"] for u in result.units] == list(range(1, 26))
    assert result.units[0]["score"] == 1.0
    # z-normalised scores (negative below the mean) give the same Gi* z-scores.
    z_result = score(TargetingParams(year=YEAR, method="z"), _grid_snapshot())
    z_by = {u["ubigeo"]: u for u in z_result.units}
    for ubigeo, unit in by_ubigeo.items():
        if unit["gi_z"] is not None:
            other = z_by[ubigeo]["gi_z"]
            assert other is not None and math.isclose(unit["gi_z"], other, rel_tol=1e-9)
