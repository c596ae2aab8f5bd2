"""Impact evaluation of Barrio Seguro: did crime fall where the programme started?

Pure functions over NumPy arrays (no Django), in the style of
:mod:`sinasec.observatory.hotspots`, in three modules; their public names are
importable from here too:

- :mod:`sinasec.barrios.wdd`: :func:`~sinasec.barrios.wdd.weighted_displacement_difference`,
  the weighted displacement difference test of Wheeler & Ratcliffe (2018) for one
  barrio: crime counts before and after the launch in the treated area, a control area
  and, optionally, the displacement buffers around both. Four (or eight) numbers;
  Poisson variance; a z test.
- :mod:`sinasec.barrios.did`: :func:`~sinasec.barrios.did.staggered_did`, the
  difference in differences over a panel of barrios that started on different dates
  (staggered adoption), as an event study: unit and period fixed effects plus one dummy
  per event time (period minus launch), fitted by OLS with standard errors clustered by
  barrio (``statsmodels``). Its docstring says what the event study does and does not
  fix about two-way fixed effects with staggered adoption.
- :mod:`sinasec.barrios.did_panel`: the :class:`~sinasec.barrios.did_panel.Panel` the
  event study reads, and :func:`~sinasec.barrios.did_panel.simulate_panel`, which builds
  a panel with a known effect, for the tests and for checking a design before the real
  data are in.
"""

from __future__ import annotations

from sinasec.barrios.did import DiDResult, staggered_did
from sinasec.barrios.did_panel import Panel, simulate_panel
from sinasec.barrios.wdd import WDDResult, weighted_displacement_difference

__all__ = [
    "DiDResult",
    "Panel",
    "WDDResult",
    "simulate_panel",
    "staggered_did",
    "weighted_displacement_difference",
]
