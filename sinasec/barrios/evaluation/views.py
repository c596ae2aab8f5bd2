"""The staggered DiD pages: over the barrios in the database (:func:`did_barrios`) and
over a panel file the analyst uploads (:func:`did_upload`). Both show the estimate, the
event-study chart (drawn by ``did-chart.js`` from the data in a ``json_script``), the
group-time effects and the Goodman-Bacon decomposition of TWFE. Nothing is stored: an
uploaded file is read in memory and forgotten, so there is nothing to audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinasec.analytics.evaluation.robust import ESTIMATORS, staggered_report
from sinasec.analytics.evaluation.staggered import PanelError
from sinasec.analytics.monitoring import MonitoringError, month_label
from sinasec.barrios.access import check_evaluation_access, get_barrios_for_user
from sinasec.barrios.evaluation.panels import PanelColumns, barrio_report, read_panel
from sinasec.barrios.messages import REASONS, error_text
from sinasec.barrios.monitoring.store import default_window
from sinasec.core.imports import limits
from sinasec.incidents import IncidentStore
from sinasec.observatory.selectors import demo_incident_count

ESTIMATOR_LABELS = {
    "callaway-santanna": gettext_lazy("Callaway & Sant'Anna"),
    "sun-abraham": gettext_lazy("Sun & Abraham"),
    "twfe": gettext_lazy("Two-way fixed effects (TWFE)"),
}
CONTROL_CHOICES = [
    ("never", gettext_lazy("never treated")),
    ("not-yet", gettext_lazy("not yet treated")),
]
KIND_LABELS = {
    "treated_vs_never": gettext_lazy("treated vs never treated"),
    "earlier_vs_later": gettext_lazy("earlier vs later (not yet treated)"),
    "later_vs_earlier": gettext_lazy("later vs earlier (already treated)"),
}


class EstimatorForm(forms.Form):
    estimator = forms.ChoiceField(
        label=gettext_lazy("Estimator"), choices=list(ESTIMATOR_LABELS.items())
    )
    control = forms.ChoiceField(label=gettext_lazy("Comparison units"), choices=CONTROL_CHOICES)


class WindowForm(EstimatorForm):
    desde = forms.RegexField(label=gettext_lazy("From"), regex=r"^\d{4}-\d{2}$", required=False)
    hasta = forms.RegexField(label=gettext_lazy("To"), regex=r"^\d{4}-\d{2}$", required=False)


class PanelForm(EstimatorForm):
    panel = forms.FileField(label=gettext_lazy("Panel file (CSV or Parquet)"))
    unit = forms.CharField(label=gettext_lazy("Unit column"), max_length=100)
    time = forms.CharField(label=gettext_lazy("Period column (integers)"), max_length=100)
    outcome = forms.CharField(label=gettext_lazy("Outcome column"), max_length=100)
    first_treated = forms.CharField(
        label=gettext_lazy("First treated period column (0 or empty: never treated)"),
        max_length=100,
    )
    covariates = forms.CharField(
        label=gettext_lazy("Covariate columns, separated by commas (optional)"),
        max_length=500,
        required=False,
    )
    allow_unbalanced = forms.BooleanField(
        label=gettext_lazy("Accept an unbalanced panel"), required=False
    )


def _context(report: dict[str, Any]) -> dict[str, Any]:
    """What the result template shows besides the report itself."""
    comparison = report.get("comparison") or {}
    rows = [{**c, "label": KIND_LABELS[c["kind"]]} for c in comparison.get("decomposition", [])]
    chart = {
        "events": [
            {**e, "low": b["low"], "high": b["high"]}
            for e, b in zip(report["event_time"], report["bands"], strict=True)
        ],
        "labels": {
            "x": _("Periods since first treated"),
            "y": _("Effect"),
            "pre": _("before treatment"),
        },
    }
    return {
        "report": report,
        "estimator_label": ESTIMATOR_LABELS[report["estimator"]],
        "decomposition": rows,
        "forbidden_weight": sum(r["weight"] for r in rows if r["forbidden"]),
        "chart": chart,
    }


@login_required
def did_barrios(request: HttpRequest) -> HttpResponse:
    """The robust staggered DiD over the barrios, from the incident store."""
    check_evaluation_access(request.user)
    form = WindowForm(request.GET or {"estimator": ESTIMATORS[0], "control": "never"})
    context: dict[str, Any] = {"form": form, "demo_incidents": demo_incident_count()}
    store = IncidentStore(settings.INCIDENTS_DIR)
    if form.is_valid():
        window = default_window(store)
        start = form.cleaned_data["desde"] or (month_label(window[0]) if window else "")
        end = form.cleaned_data["hasta"] or (month_label(window[1]) if window else "")
        if not start or not end:
            context["error"] = _("The incident store is empty: there is nothing to count yet.")
        else:
            try:
                report = barrio_report(
                    list(get_barrios_for_user(request.user).order_by("pk")),
                    store,
                    start,
                    end,
                    estimator=form.cleaned_data["estimator"],
                    control=form.cleaned_data["control"],
                )
            except (PanelError, MonitoringError) as exc:
                context["error"] = error_text(exc)
            else:
                context |= _context(report)
                context["excluded"] = [
                    (b["label"], REASONS.get(b["reason"], b["reason"])) for b in report["excluded"]
                ]
                context["window"] = (report["months"][0], report["months"][-1])
    return render(request, "barrios/evaluation/did_barrios.html", context)


@login_required
def did_upload(request: HttpRequest) -> HttpResponse:
    """Upload a panel file and estimate the staggered DiD on it."""
    check_evaluation_access(request.user)
    if request.method != "POST":
        form = PanelForm(initial={"estimator": ESTIMATORS[0], "control": "never"})
        return render(request, "barrios/evaluation/did_upload.html", {"form": form})
    form = PanelForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        upload = form.cleaned_data["panel"]
        limit = limits()
        if upload.size > limit.bytes:
            context["error"] = _("The file is larger than %(n)d MB.") % {"n": limit.megabytes}
        else:
            data = form.cleaned_data
            columns = PanelColumns(
                unit=data["unit"].strip(),
                time=data["time"].strip(),
                outcome=data["outcome"].strip(),
                first_treated=data["first_treated"].strip(),
                covariates=tuple(c.strip() for c in data["covariates"].split(",") if c.strip()),
            )
            try:
                panel = read_panel(
                    upload.read(),
                    upload.name or "panel.csv",
                    columns,
                    allow_unbalanced=data["allow_unbalanced"],
                    max_rows=limit.rows,
                )
                report = staggered_report(
                    panel,
                    estimator=data["estimator"],
                    control=data["control"],
                    covariates=bool(columns.covariates),
                )
            except PanelError as exc:
                context["error"] = error_text(exc)
            else:
                context |= _context(report)
                context["file_name"] = upload.name
    status = 400 if "error" in context or form.errors else 200
    return render(request, "barrios/evaluation/did_upload.html", context, status=status)
