"""Impact evaluation: the WDD test against its published answer, the event-study
difference in differences against simulated panels with a known effect.

The WDD known answer is Wheeler & Ratcliffe's (2018, Crime Science 7:11) worked example,
also asserted by the authors' R package (``ptools``, ``tests/testthat/test-wdd.R``,
"Est & Variance Paper": estimate -118, SE sqrt(1568), Z -2.98, 95% interval -196 to -40
after rounding), and the unequal pre/post periods example from Wheeler's blog post "The
WDD test with different pre/post time periods" (same test file, "Time Weights": -20,
sqrt(115)). The numbers are typed in; nothing is downloaded.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from sinasec.analytics.evaluation.did import staggered_did
from sinasec.analytics.evaluation.panel import Panel, simulate_panel
from sinasec.analytics.evaluation.wdd import weighted_displacement_difference

# --------------------------------------------------------------------------------------
# Weighted displacement difference
# --------------------------------------------------------------------------------------

# Treated 207 -> 110, control 308 -> 318, treated buffer 178 -> 157, control buffer 150 -> 140.
PAPER = (207, 110, 308, 318, 178, 157, 150, 140)


def test_wdd_reproduces_the_published_example():
    result = weighted_displacement_difference(*PAPER)
    assert result.wdd == -118  # (110-207) - (318-308) + (157-178) - (140-150)
    assert result.variance == 1568  # the sum of the eight counts
    assert result.standard_error == pytest.approx(math.sqrt(1568), rel=1e-15)
    assert round(result.z, 2) == -2.98
    assert result.p_value == pytest.approx(2 * stats.norm.cdf(-118 / math.sqrt(1568)), rel=1e-12)
    assert result.p_value == pytest.approx(0.00288, abs=1e-5)
    assert (round(result.ci_lower), round(result.ci_upper)) == (-196, -40)
    assert (result.treated_change, result.control_change) == (-97, 10)
    assert (result.buffer_change, result.control_buffer_change) == (-21, -10)
    # The local and displacement parts add up, and so do their variances.
    assert result.local == -107 and result.displacement == -11
    assert result.local_standard_error**2 == pytest.approx(207 + 110 + 308 + 318)
    assert result.displacement_standard_error**2 == pytest.approx(178 + 157 + 150 + 140)
    assert result.has_buffers


def test_wdd_without_buffers_is_the_poisson_difference_in_differences():
    result = weighted_displacement_difference(207, 110, 308, 318)
    assert result.wdd == -107
    assert result.variance == 207 + 110 + 308 + 318
    assert result.z == pytest.approx(-107 / math.sqrt(943))
    assert result.p_value == pytest.approx(2 * stats.norm.sf(107 / math.sqrt(943)))
    assert result.displacement == 0 and result.displacement_standard_error == 0
    assert result.buffer_change is None and not result.has_buffers
    assert result.local == result.wdd


def test_wdd_with_a_longer_before_period():
    # ptools "Time Weights": control 100 -> 50, treated 80 -> 20, two periods before.
    result = weighted_displacement_difference(80, 20, 100, 50, pre_length=2)
    assert result.wdd == pytest.approx(-20)
    assert result.standard_error == pytest.approx(math.sqrt(115))


def test_wdd_without_any_crime_has_no_test():
    result = weighted_displacement_difference(0, 0, 0, 0)
    assert result.wdd == 0 and result.standard_error == 0
    assert math.isnan(result.z) and math.isnan(result.p_value)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((-1, 110, 308, 318), {}, "treated_before must not be negative"),
        ((207, 110, 308, -318), {}, "control_after must not be negative"),
        ((*PAPER[:6], -150, 140), {}, "control_buffer_before must not be negative"),
        ((207, math.nan, 308, 318), {}, "treated_after must be finite"),
        ((207, 110, 308, 318, 178, 157), {}, "all four buffer counts"),
        ((207, 110, 308, 318, None, None, 150, 140), {}, "all four buffer counts"),
        (([207, 1], 110, 308, 318), {}, "single count"),
        ((207, 110, 308, 318), {"pre_length": 0}, "pre_length must be a positive"),
        ((207, 110, 308, 318), {"confidence": 1.5}, "confidence"),
    ],
)
def test_wdd_rejects_bad_counts(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        weighted_displacement_difference(*args, **kwargs)


# --------------------------------------------------------------------------------------
# Event-study difference in differences
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def effect_fit():
    panel = simulate_panel(80, 48, -5.0, seed=1, rho=0.5)
    return staggered_did(panel)


def test_simulated_panel_is_staggered_and_balanced():
    panel = simulate_panel(80, 48, -5.0, seed=1)
    assert len(panel) == 80 * 48
    starts = panel.start.reshape(80, 48)
    assert np.all(np.isnan(starts) == np.isnan(starts[:, :1]))
    assert np.all((starts == starts[:, :1]) | np.isnan(starts))  # one start per unit
    launched = starts[:, 0][~np.isnan(starts[:, 0])]
    assert launched.size == 40  # half the units; the others never treated
    assert launched.min() >= 12 and launched.max() <= 36  # the middle half by default
    assert np.unique(launched).size > 10  # staggered, not one date
    assert simulate_panel(80, 48, -5.0, seed=1).outcome.tolist() == panel.outcome.tolist()


def test_did_recovers_a_known_effect(effect_fit):
    result = effect_fit
    assert (result.n_obs, result.n_units, result.n_treated_units) == (80 * 48, 80, 40)
    assert result.event_times.tolist() == [-6, -5, -4, -3, -2, *range(13)]
    assert abs(result.average_effect + 5) <= 2 * result.average_standard_error
    assert result.average_ci_lower <= -5 <= result.average_ci_upper
    assert result.average_p_value < 1e-6
    post = result.event_times >= 0
    assert np.all(result.ci_upper[post] < 0)  # every month after launch is a reduction
    # No effect before launch: the leads are jointly (and one by one) not significant.
    assert result.pretrend_df == 5
    assert result.pretrend_p > 0.05
    assert np.all(result.p_values[~post] > 0.05)
    assert result.coefficient(-1) == (0.0, 0.0)
    assert result.coefficient(0)[0] == result.coefficients[result.event_times.tolist().index(0)]
    assert result.cov_type == "cluster" and result.df_resid == 79  # clusters - 1


def test_did_with_no_effect_covers_zero():
    panel = simulate_panel(80, 48, 0.0, seed=2, noise="poisson")
    result = staggered_did(panel)
    assert result.average_ci_lower <= 0 <= result.average_ci_upper
    assert result.average_p_value > 0.05
    assert result.pretrend_p > 0.05


def test_did_is_the_dummy_variable_regression():
    """Absorbing the unit effects gives exactly statsmodels' OLS on the full dummy matrix
    (intercept, units, periods, event times), clustered and classical, unbalanced panel."""
    full = simulate_panel(14, 12, -3.0, seed=3, rho=0.5)
    keep = np.random.default_rng(1).random(len(full)) > 0.15
    panel = Panel(
        unit=np.array([f"B{u:02d}" for u in full.unit[keep]]),
        period=full.period[keep],
        outcome=full.outcome[keep],
        start=full.start[keep],
    )
    n = len(panel)
    units, periods = np.unique(panel.unit), np.unique(panel.period)
    treated = ~np.isnan(panel.start)
    event = np.clip(panel.period - np.nan_to_num(panel.start), -3, 4)
    for cov_type in ("cluster", "nonrobust"):
        result = staggered_did(panel, leads=3, lags=4, cov_type=cov_type)
        columns = [np.ones(n)]
        columns += [(panel.unit == u).astype(float) for u in units[1:]]
        columns += [(panel.period == p).astype(float) for p in periods[1:]]
        columns += [(treated & (event == k)).astype(float) for k in result.event_times]
        model = sm.OLS(panel.outcome, np.column_stack(columns))
        if cov_type == "cluster":
            groups = np.unique(panel.unit, return_inverse=True)[1]
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        else:
            fit = model.fit()
        k = result.event_times.size
        np.testing.assert_allclose(result.coefficients, fit.params[-k:], rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(result.standard_errors, fit.bse[-k:], rtol=1e-9)
        np.testing.assert_allclose(result.covariance, fit.cov_params()[-k:, -k:], atol=1e-12)


def test_clustered_errors_are_wider_where_serial_correlation_inflates_them():
    """The sanity property of clustering (Bertrand, Duflo & Mullainathan 2004): with
    serially correlated shocks, a contrast that averages many periods (the binned ends,
    k <= -6 and k >= 12, against k = -1) is noisier than iid errors suggest, and the
    clustered standard errors are larger than the naive ones. (Near the reference period
    the opposite holds: with positive autocorrelation y(0) - y(-1) varies less than
    under independence, and the clustered errors are rightly smaller; see the next
    test.) Without serial correlation the two agree."""
    panel = simulate_panel(80, 48, -5.0, seed=4, rho=0.9)
    clustered = staggered_did(panel)
    naive = staggered_did(panel, cov_type="nonrobust")
    assert naive.df_resid == 80 * 48 - (80 + 47 + 18)
    ends = [0, -1]
    assert np.all(clustered.standard_errors[ends] >= naive.standard_errors[ends])
    np.testing.assert_array_equal(clustered.coefficients, naive.coefficients)

    independent = simulate_panel(80, 48, -5.0, seed=4, rho=0.0)
    ratio = (
        staggered_did(independent).standard_errors
        / staggered_did(independent, cov_type="nonrobust").standard_errors
    )
    assert np.all(np.abs(ratio - 1) < 0.25)


def test_clustered_errors_track_the_sampling_spread():
    """Monte Carlo over 150 small serially correlated panels (rho 0.8): the clustered
    standard errors match the spread of the estimates at every event time; the naive
    ones overstate it next to the reference period and understate it at the binned end.
    (The spread itself is known to about 6% with 150 draws.)"""
    estimates, clustered, naive = [], [], []
    for seed in range(150):
        panel = simulate_panel(30, 16, -5.0, seed=seed, rho=0.8, launch_window=(5, 11))
        fit = staggered_did(panel, leads=3, lags=3)
        estimates.append(fit.coefficients)
        clustered.append(fit.standard_errors)
        naive.append(staggered_did(panel, leads=3, lags=3, cov_type="nonrobust").standard_errors)
    assert fit.event_times.tolist() == [-3, -2, 0, 1, 2, 3]
    spread = np.std(estimates, axis=0, ddof=1)
    np.testing.assert_allclose(np.mean(clustered, axis=0), spread, rtol=0.2)
    naive_ratio = np.mean(naive, axis=0) / spread
    assert naive_ratio[2] > 1.4  # k = 0: iid errors are far too wide
    assert naive_ratio[-1] < 0.9  # k >= 3: and too narrow


def test_did_reads_records_mappings_and_data_frames():
    panel = simulate_panel(12, 10, -2.0, seed=5)
    expected = staggered_did(panel, leads=3, lags=3)
    records = panel.records()
    assert records[0][3] is None or isinstance(records[0][3], int)
    assert any(r[3] is None for r in records) and any(r[3] is not None for r in records)
    mapping = {
        "unit": panel.unit.tolist(),
        "period": panel.period.tolist(),
        "outcome": panel.outcome.tolist(),
        "start": [r[3] for r in records],
    }
    pandas = pytest.importorskip("pandas")
    for given in (records, mapping, pandas.DataFrame(mapping)):
        result = staggered_did(given, leads=3, lags=3)
        np.testing.assert_allclose(result.coefficients, expected.coefficients, rtol=1e-12)
        np.testing.assert_allclose(result.standard_errors, expected.standard_errors, rtol=1e-12)
        assert result.pretrend_p == pytest.approx(expected.pretrend_p, rel=1e-9)


def _small_columns():
    panel = simulate_panel(6, 8, -2.0, seed=6)
    return {
        "unit": panel.unit.copy(),
        "period": panel.period.copy(),
        "outcome": panel.outcome.copy(),
        "start": panel.start.copy(),
    }


def test_did_rejects_malformed_panels():
    columns = _small_columns()
    with pytest.raises(ValueError, match="same length"):
        staggered_did({**columns, "outcome": columns["outcome"][:-1]})
    with pytest.raises(ValueError, match="lacks the column"):
        staggered_did({k: v for k, v in columns.items() if k != "start"})
    with pytest.raises(ValueError, match="once"):
        staggered_did({k: np.concatenate([v, v[:1]]) for k, v in columns.items()})
    with pytest.raises(ValueError, match="integer periods"):
        staggered_did({**columns, "period": columns["period"] + 0.5})
    with pytest.raises(ValueError, match="finite"):
        staggered_did({**columns, "outcome": np.where(columns["period"] == 3, np.nan, 1.0)})
    varying = columns["start"].copy()
    treated_rows = np.flatnonzero(~np.isnan(varying))
    varying[treated_rows[0]] += 1
    with pytest.raises(ValueError, match="same on all the rows"):
        staggered_did({**columns, "start": varying})
    with pytest.raises(ValueError, match="records must be"):
        staggered_did([(1, 2, 3.0)])
    with pytest.raises(ValueError, match="leads"):
        staggered_did(columns, leads=1)


def test_did_refuses_designs_it_cannot_identify():
    columns = _small_columns()
    # Everyone launched on the same date: event time is calendar time.
    with pytest.raises(ValueError, match="not identified"):
        staggered_did({**columns, "start": np.full(columns["start"].shape, 4.0)}, leads=2)
    # Nobody treated yet within the panel.
    with pytest.raises(ValueError, match="after its launch"):
        staggered_did({**columns, "start": np.where(np.isnan(columns["start"]), np.nan, 50)})
