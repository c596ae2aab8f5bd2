"""Heterogeneity-robust staggered DiD: Callaway & Sant'Anna against the independent
``csdid`` package (a port of R's ``did``), TWFE's bias and its Goodman-Bacon
decomposition, Sun & Abraham, the bands and the panels refused."""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sinasec.analytics.evaluation.bacon import bacon_decomposition, twfe
from sinasec.analytics.evaluation.callaway import (
    aggregate,
    group_time_att,
    pretrend_test,
    uniform_band,
)
from sinasec.analytics.evaluation.panel import simulate_dynamic_panel
from sinasec.analytics.evaluation.robust import staggered_report
from sinasec.analytics.evaluation.staggered import PanelError, StaggeredPanel, build_panel
from sinasec.analytics.evaluation.sunab import sun_abraham

COHORTS = {4: 1.0, 6: 0.5, 8: 0.25}  # effects grow after launch, faster for early cohorts


@pytest.fixture(scope="module")
def simulated() -> tuple[dict[str, Any], dict[tuple[int, int], float]]:
    return simulate_dynamic_panel(400, 12, COHORTS, seed=7)


def _panel(columns: dict[str, Any], *, covariates: bool = False) -> StaggeredPanel:
    return build_panel(
        columns["unit"],
        columns["period"],
        columns["outcome"],
        columns["first_treated"],
        covariates={"x": columns["x"]} if covariates else None,
    )


def _csdid(columns: dict[str, Any], control: str, covariates: bool) -> Any:
    from csdid.att_gt import ATTgt  # test-only dependency: the independent implementation

    frame = pd.DataFrame(columns).rename(columns={"first_treated": "g"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ATTgt(
            yname="outcome",
            tname="period",
            idname="unit",
            gname="g",
            data=frame,
            control_group="nevertreated" if control == "never" else "notyettreated",
            xformla="outcome~x" if covariates else None,
        ).fit(est_method="reg", bstrap=False)


@pytest.mark.parametrize("control", ["never", "not-yet"])
@pytest.mark.parametrize("covariates", [False, True])
def test_it_matches_csdid_group_time_effects_and_errors(simulated, control, covariates) -> None:
    columns, _ = simulated
    reference = _csdid(columns, control, covariates).results
    gt = group_time_att(
        _panel(columns, covariates=covariates), control=control, covariates=covariates
    )
    np.testing.assert_array_equal(gt.group, reference["group"])
    np.testing.assert_array_equal(gt.time, reference["year"])
    np.testing.assert_allclose(gt.att, reference["att"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(gt.se, reference["se"], rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    ("kind", "typec"),
    [("simple", "simple"), ("group", "group"), ("event", "dynamic"), ("calendar", "calendar")],
)
def test_it_matches_csdid_aggregations(simulated, kind, typec) -> None:
    columns, _ = simulated
    reference = _csdid(columns, "not-yet", False)
    with contextlib.redirect_stdout(io.StringIO()):  # csdid prints its summary
        reference.aggte(typec=typec, bstrap=False)
    expected = reference.atte
    ours = aggregate(group_time_att(_panel(columns), control="not-yet"), kind)
    assert ours.overall == pytest.approx(expected["overall_att"], abs=1e-6)
    assert ours.overall_se == pytest.approx(expected["overall_se"], abs=1e-6)
    if kind != "simple":
        np.testing.assert_allclose(ours.index, expected["egt"], atol=0)
        np.testing.assert_allclose(ours.att, expected["att_egt"], atol=1e-6)
        np.testing.assert_allclose(ours.se, expected["se_egt"], atol=1e-6)


def test_it_recovers_the_truth_where_twfe_is_biased(simulated) -> None:
    columns, truth = simulated
    panel = _panel(columns)
    sizes = panel.cohort_sizes()
    weight = {cell: sizes[cell[0]] for cell in truth}
    true_att = sum(truth[c] * weight[c] for c in truth) / sum(weight.values())
    cs = staggered_report(panel, estimator="callaway-santanna")
    assert cs["ci_low"] <= true_att <= cs["ci_high"]
    static = twfe(panel)
    assert not static.ci_low <= true_att <= static.ci_high
    assert static.att < true_att - 0.5  # visibly biased, downwards: forbidden comparisons
    for row in cs["group_time"]:
        if (row["group"], row["time"]) in truth:
            assert abs(row["att"] - truth[(row["group"], row["time"])]) < 5 * row["se"]


def test_the_bacon_weights_sum_to_one_and_reproduce_twfe(simulated) -> None:
    panel = _panel(simulated[0])
    comparisons = bacon_decomposition(panel)
    weights = np.asarray([c.weight for c in comparisons])
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert (weights > 0).all()
    rebuilt = sum(c.weight * c.estimate for c in comparisons)
    assert rebuilt == pytest.approx(twfe(panel).att, abs=1e-9)
    forbidden = {(c.treated, c.control) for c in comparisons if c.forbidden}
    assert forbidden == {(6, 4), (8, 4), (8, 6)}  # later cohorts against already treated
    assert len(comparisons) == 3 + 2 * 3


def test_sun_abraham_cells_are_the_long_differences_against_the_never_treated(simulated) -> None:
    panel = _panel(simulated[0])
    study = sun_abraham(panel)
    gt = group_time_att(panel, base_period="universal")
    reference = {(int(g), int(t)): a for g, t, a in zip(gt.group, gt.time, gt.att, strict=True)}
    for g, e, estimate, _se in study.cells:
        assert estimate == pytest.approx(reference[(g, g + e)], abs=1e-8)


def test_the_uniform_band_is_seeded_and_wider_than_pointwise(simulated) -> None:
    event = aggregate(group_time_att(_panel(simulated[0])), "event")
    first = uniform_band(event.influence, seed=3)
    assert first == uniform_band(event.influence, seed=3)
    assert 1.96 < first < 3.6  # above pointwise, below Bonferroni over ~17 event times
    rademacher = uniform_band(event.influence, seed=3, weights="rademacher")
    assert rademacher == pytest.approx(first, rel=0.1)


def test_the_pretrend_test_rejects_a_cohort_that_was_already_diverging() -> None:
    columns, _ = simulate_dynamic_panel(400, 12, COHORTS, seed=8)
    diverging = columns["first_treated"] == 8
    columns["outcome"] = columns["outcome"] + diverging * 0.8 * columns["period"]
    report = staggered_report(_panel(columns))
    assert report["pretrend"]["p_value"] < 0.001
    clean = staggered_report(_panel(simulate_dynamic_panel(400, 12, COHORTS, seed=8)[0]))
    assert clean["pretrend"]["p_value"] > 0.01
    assert pretrend_test(np.zeros(0), np.zeros((5, 0)))["statistic"] is None


def _small() -> dict[str, list[Any]]:
    return {
        "unit": ["a", "a", "a", "b", "b", "b", "c", "c", "c"],
        "period": [1, 2, 3] * 3,
        "outcome": [1.0, 2.0, 3.0, 1.0, 1.5, 2.0, 0.5, 1.0, 1.2],
        "first_treated": [2, 2, 2, 0, 0, 0, 3, 3, 3],
    }


def _build(columns: dict[str, list[Any]], **options: Any) -> StaggeredPanel:
    return build_panel(
        columns["unit"], columns["period"], columns["outcome"], columns["first_treated"], **options
    )


@pytest.mark.parametrize(
    ("change", "code", "named"),
    [
        ({"first_treated": [2, 3, 2, 0, 0, 0, 3, 3, 3]}, "panel_treated_twice", "a"),
        ({"first_treated": [2, 2, 2, 0, 0, 0, 1, 1, 1]}, "panel_treated_from_start", "c"),
        ({"period": [1, 2, 2, 1, 2, 3, 1, 2, 3]}, "panel_duplicate", "a"),
        ({"outcome": [1, 2, 3, 1, None, 2, 0, 1, 1]}, "panel_missing_outcome", "b"),
        ({"period": [1, 2.5, 3, 1, 2, 3, 1, 2, 3]}, "panel_not_integer", "a"),
        ({"first_treated": [0] * 9}, "panel_no_treated", None),
    ],
)
def test_it_refuses_bad_panels_naming_the_unit(change, code, named) -> None:
    with pytest.raises(PanelError) as caught:
        _build({**_small(), **change})
    assert caught.value.code == code
    if named is not None:
        assert caught.value.params["unit"] == named


def test_an_unbalanced_panel_needs_to_be_allowed() -> None:
    columns = {k: v[:-1] for k, v in _small().items()}  # c misses period 3
    with pytest.raises(PanelError) as caught:
        _build(columns)
    assert caught.value.code == "panel_unbalanced"
    assert caught.value.params == {"unit": "c", "observed": 2, "periods": 3}
    panel = _build(columns, allow_unbalanced=True)
    assert not panel.balanced
    gt = group_time_att(panel, control="never")
    # Cohort 3 in period 3: c is not observed then, so that cell is left out.
    assert (3.0, 3.0) not in set(zip(gt.group, gt.time, strict=True))
    assert (2.0, 3.0) in set(zip(gt.group, gt.time, strict=True))


def test_a_cohort_without_controls_is_refused() -> None:
    columns = _small()
    columns["first_treated"] = [2, 2, 2, 3, 3, 3, 3, 3, 3]  # nobody never treated
    panel = _build(columns)
    with pytest.raises(PanelError) as caught:
        group_time_att(panel, control="never")
    assert (caught.value.code, caught.value.params["cohort"]) == ("panel_no_never_treated", 2)
    with pytest.raises(PanelError) as caught:
        group_time_att(panel, control="not-yet")  # in period 3 everybody is treated
    assert caught.value.code == "panel_no_not_yet_treated"
    assert caught.value.params == {"cohort": 2, "period": 3}
