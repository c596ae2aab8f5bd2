"""Who reads a scorecard, decided through the committees' own rule.

- One committee's scorecard: whoever reads the committee (``get_committee_for_user``:
  national roles, the secretaries whose territory covers it).
- A region's scorecards in one PDF: the national secretariat (national roles) and the
  region's own secretariat (the secretary of its CORESEC); the committees printed are
  those the committees getter gives that user, inside the region.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.committees.access import (
    get_committee_for_user,
    get_committees_for_user,
    is_own_committee,
)
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.core.errors import AccessDenied
from sinasec.core.peru import region_code_for
from sinasec.territories.models import Region


def get_scorecard_committee_for_user(user: AnyUser | None, committee_id: int) -> Committee:
    """The committee whose scorecard the user reads (404 unknown, 403 out of scope)."""
    return get_committee_for_user(user, committee_id)


def can_print_region(user: AnyUser | None, region: str) -> bool:
    scope = scope_for(user)
    if scope.is_national:
        return True
    coresec = Committee.objects.filter(level=CommitteeLevel.REGIONAL, region_id=region).first()
    return coresec is not None and is_own_committee(scope, coresec)


def printable_regions(user: AnyUser | None) -> list[Region]:
    """The regions whose scorecards the user may print (the button's choices)."""
    regions = list(Region.objects.order_by("name"))
    scope = scope_for(user)
    if scope.is_national:
        return regions
    return [r for r in regions if r.code == scope.region and can_print_region(user, r.code)]


def get_region_for_user(user: AnyUser | None, code: str) -> tuple[Region, list[Committee]]:
    """A region and the committees of it the user reads, for the region's PDF
    (404 unknown region, 403 not the national or that region's secretariat)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("There is no region %s.") % code)
    if not can_print_region(user, code):
        raise AccessDenied(
            _(
                "Only the national secretariat and the region's own secretariat print its scorecards."
            )
        )
    committees = get_committees_for_user(user).filter(ubigeo__startswith=code[:2])
    return region, [c for c in committees.order_by("level", "ubigeo") if _region_of(c) == code]


def _region_of(committee: Committee) -> str | None:
    return committee.region_id or region_code_for(committee.ubigeo)
