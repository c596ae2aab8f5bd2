"""Which parts of the start page a reader gets: the one place the start page asks
about roles (through the scope and the apps' access functions)."""

from __future__ import annotations

from dataclasses import dataclass

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, scope_for


@dataclass(frozen=True)
class StartSections:
    committee: bool  # "Mi comité": a committee secretary
    reporting: bool  # the months to report and the reports returned: secretaries, focal points
    queue: bool  # the approver's queue: ST-CONASEC and committee secretaries
    national: bool  # national compliance and alerts: national administrators and analysts
    public: bool  # the observatory's highlights: the public


def start_sections_for_user(user: AnyUser | None) -> StartSections:
    scope = scope_for(user)
    secretary = scope.role == Role.COMMITTEE_SECRETARY
    focal_point = scope.role == Role.FOCAL_POINT
    return StartSections(
        committee=secretary,
        reporting=secretary or focal_point,
        queue=scope.is_admin or secretary,
        national=scope.is_national,
        public=scope.is_public,
    )
