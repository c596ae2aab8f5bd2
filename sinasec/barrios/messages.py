"""The translated text of the codes Barrio Seguro's analytics return.

:mod:`sinasec.analytics` speaks in codes (``"no_boundary"``) and in errors with a code
and parameters; this module is where they become the user's language. The English
texts are the library's own (a test checks they agree), so the catalogue keeps one
msgid per message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinasec.analytics.notes import AnalyticsError, Note
from sinasec.barrios.targeting.checks import warning_text

# Why a monitoring figure could not be computed (codes of analytics.monitoring).
REASONS: Mapping[str, Promise] = {
    "no_boundary": _("The barrio has no boundary: its incidents cannot be counted."),
    "no_district_boundary": _("The district has no imported boundary."),
    "not_launched": _("The barrio has no launch date: there is no before and after."),
    "launched_after_window": _("The barrio was launched after the chosen window."),
    "no_pre_launch_months": _("The window has no month before the launch."),
    "no_comparison": _("There are no comparison barrios."),
}

# Errors of the targeting parameters and of the monitoring requests, said to the user.
ERRORS: Mapping[str, Promise] = {
    "survey_indicator": _(
        "survey indicators (victimisation…) are national figures with no district "
        "values: they cannot rank districts yet"
    ),
    "unknown_indicator": _(
        "unknown indicator “%(key)s”: use rate, total, homicides or count:<category>"
    ),
    "unknown_unit": _("unknown unit “%(unit)s”"),
    "unknown_method": _("unknown normalisation “%(m)s”"),
    "no_indicator": _("choose at least one indicator"),
    "repeated_indicator": _("each indicator may be chosen once"),
    "negative_weight": _("the weight of %(key)s must be a number not below 0"),
    "zero_weights": _("the weights must not all be 0"),
    "bad_fdr": _("the false-discovery rate must be between 0 and 1"),
    "population_range": _("the minimum population is above the maximum"),
    "cell_size": _("a grid needs a cell size between 50 and 50,000 metres"),
    "grid_rate": _(
        "grid cells have no population, so no rate: use total, homicides or count:<category>"
    ),
    "grid_filters": _("population and urban filters apply to districts, not cells"),
    "bad_month": _("Months are written YYYY-MM (e.g. 2024-03)."),
    "bad_buffer": _("The buffer must be more than 0 metres."),
    # Panels the staggered DiD refuses (analytics.evaluation.staggered.PanelError).
    "panel_empty": _("the panel has no rows"),
    "panel_unreadable": _("“%(name)s” is not a CSV or Parquet table"),
    "panel_too_many_rows": _("the panel has %(rows)s rows, more than the limit of %(limit)s"),
    "panel_column_missing": _("the panel file has no column “%(column)s”"),
    "panel_not_integer": _("column “%(column)s” must hold integer periods (unit %(unit)s)"),
    "panel_missing_outcome": _(
        "column “%(column)s” has a missing or non-numeric value for unit %(unit)s, "
        "period %(period)s"
    ),
    "panel_duplicate": _("unit %(unit)s appears twice in period %(period)s"),
    "panel_treated_twice": _(
        "unit %(unit)s has more than one first treated period in column “%(column)s” "
        "(%(values)s): a unit is treated once and stays treated"
    ),
    "panel_unbalanced": _(
        "the panel is unbalanced: unit %(unit)s is observed in %(observed)s of "
        "%(periods)s periods (allow an unbalanced panel explicitly, or complete it)"
    ),
    "panel_treated_from_start": _(
        "unit %(unit)s is treated from the first period (%(period)s) in column "
        "“%(column)s”: there is no period before treatment to compare it with"
    ),
    "panel_no_treated": _("no unit is treated within the panel's periods"),
    "panel_not_identified": _(
        "the fixed-effects regression is not identified on this panel: too few units "
        "or periods for its cohorts and event times"
    ),
    "panel_no_never_treated": _(
        "the cohort first treated in %(cohort)s has no never-treated comparison units "
        "in period %(period)s"
    ),
    "panel_no_not_yet_treated": _(
        "the cohort first treated in %(cohort)s has no not-yet-treated comparison "
        "units in period %(period)s"
    ),
    "panel_covariates_singular": _(
        "the covariates are collinear among the comparison units of the cohort "
        "%(cohort)s in period %(period)s"
    ),
}


# What a targeting run notes about its data and its hot spots (codes stored in the run's
# results; the year is the run's).
RUN_NOTES: Mapping[str, Promise] = {
    "no_crime_counts": _("No crime counts for %(year)s: every value is unknown."),
    "no_population": _("No population within 3 years of %(year)s: rates are unknown."),
    "store_empty": _("The incident store is empty: every count is 0."),
    "no_unit_left": _("No unit is left to rank."),
    "hotspots_too_few": _("Hot spots not computed: fewer than three units can be tested."),
    "hotspots_failed": _(
        "Hot spots not computed: the index is zero or the same for every unit tested."
    ),
}


def run_note_text(code: str | Mapping[str, Any], year: object) -> str:
    """A run's note in the user's language: a code, or a data warning stored as a code
    with its values; a note stored as text before the codes existed is shown as it was
    written."""
    if not isinstance(code, str):
        return warning_text(code)
    template = RUN_NOTES.get(code)
    return code if template is None else str(template) % {"year": year}


def note_text(note: Note) -> str:
    """The translated text of a code with its parameters; the code itself when it has
    no translation here (a text the application wrote already translated)."""
    template = ERRORS.get(note.code)
    if template is None:
        return note.code
    return str(template) % note.params if note.params else str(template)


def error_text(exc: AnalyticsError) -> str:
    """What to tell the user about an analytics error: its translated text, else the
    library's English (errors only a programmer meets)."""
    return note_text(exc.note) if exc.code in ERRORS else str(exc)
