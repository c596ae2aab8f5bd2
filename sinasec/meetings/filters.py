"""The filters of the sessions list (API and command)."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from sinasec.core.params import Id, SupportedDate
from sinasec.meetings.models import Body, SessionKind


class MeetingFilter(FilterSchema):
    committee: Annotated[Id | None, FilterLookup("committee_id")] = None
    body: Body | None = None
    kind: SessionKind | None = None
    since: Annotated[SupportedDate | None, FilterLookup("held_on__gte")] = None
    until: Annotated[SupportedDate | None, FilterLookup("held_on__lte")] = None
