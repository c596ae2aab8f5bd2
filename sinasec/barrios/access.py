"""The one access check for targeting runs: national administrators and national
analysts run and read them (they rank every district of the country)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.barrios.models import TargetingRun
from sinasec.core.errors import AccessDenied


def check_targeting_access(user: AnyUser | None) -> None:
    if not scope_for(user).is_national:
        raise AccessDenied(
            _("Targeting runs are for national administrators and national analysts.")
        )


def get_targeting_runs_for_user(user: AnyUser | None) -> QuerySet[TargetingRun]:
    check_targeting_access(user)
    return TargetingRun.objects.select_related("created_by").defer("data_snapshot", "results")


def get_targeting_run_for_user(user: AnyUser | None, run_id: int) -> TargetingRun:
    check_targeting_access(user)
    run = TargetingRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None:
        raise Http404(_("There is no targeting run %s.") % run_id)
    return run
