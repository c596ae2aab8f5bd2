"""The backtest's result as text: the table the CLI and the bench print."""

from __future__ import annotations

from sinasec.analytics.backtest.loop import METHODS, BacktestResult
from sinasec.analytics.backtest.metrics import Comparison


def format_table(result: BacktestResult) -> list[str]:
    """The result as text lines: one row per coverage and method."""
    lines = [
        f"train {result.train} ({result.train_incidents:,} incidents),"
        f" test {result.test} ({result.test_incidents:,} incidents)",
        f"grid {result.grid.n_rows} x {result.grid.n_cols} = {result.n_cells:,} cells"
        f" of {result.cell_m:g} m; KDE bandwidth {result.kde_bandwidth:g} cells",
    ]
    if result.skipped:
        lines.append(f"skipped {result.skipped:,} incidents without usable coordinates")
    lines.append(
        f"{'coverage':>8}  {'cells':>7}  {'method':<12}{'hit rate':>9}  {'95 % CI':<17}"
        f"{'PAI':>7}{'PEI':>8}"
    )
    for c in result.coverages:
        for name in METHODS:
            m = c.methods[name]
            lines.append(
                f"{c.coverage:>8.1%}  {c.cells:>7,}  {name:<12}{m.hit_rate:>9.4f}"
                f"  {_ci_text(m.ci):<17}{m.pai:>7.2f}{m.pei:>8.4f}"
            )
        p = c.ours_params
        smoothing = "none" if p.bandwidth is None else f"{p.bandwidth:g} cells"
        decay = "none" if p.half_life_days is None else f"half-life {p.half_life_days:g} days"
        lines.append(
            f"{'':>8}  {'':>7}  ours: blend {p.blend:.2f}, smoothing {smoothing}, decay {decay},"
            f" Gi* hot spots first: {'yes' if p.hot_spots_first else 'no'}"
        )
        q = c.prospective_params
        lines.append(
            f"{'':>8}  {'':>7}  prospective: radius {q.radius} cells, window {q.window_weeks} weeks"
        )
        lines.append(f"{'':>8}  {'':>7}  {comparison_text(c.comparison)}")
    lines.append(
        f"95 % intervals: {result.resamples:,} bootstrap resamples of the test incidents"
        f" (seed {result.seed}), paired across methods"
    )
    return lines


def _ci_text(ci: tuple[float, float] | None) -> str:
    return "-" if ci is None else f"[{ci[0]:.4f}, {ci[1]:.4f}]"


def comparison_text(comparison: Comparison) -> str:
    """ "ours - kde: +0.0123 [0.0080, 0.0170]: ahead beyond the uncertainty"."""
    verdict = (
        "ahead beyond the uncertainty"
        if comparison.ahead
        else "behind beyond the uncertainty"
        if comparison.ci[1] < 0
        else "not distinguishable"
    )
    return (
        f"{comparison.method} - {comparison.against} (best other):"
        f" {comparison.difference:+.4f} {_ci_text(comparison.ci)}: {verdict}"
    )
