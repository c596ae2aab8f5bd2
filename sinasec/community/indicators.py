"""The compliance indicators of juntas vecinales and trainings, registered with the
committees' compliance engine in ``CommunityConfig.ready()``. Set-based: a grouped query
or two for every committee at once. The rules (the README "Compliance" section and the
page's notes say the same):

- *juntas*: district committees only (juntas vecinales are recognised per district; the
  regional and provincial committees show "no aplica"): at least one junta of the
  committee's district is active on the date (recognised by then, not inactive on it).
- *trainings*: people of the committee took part in at least one training held from
  1 January of the date's year up to the date.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.utils.translation import gettext_lazy

from sinasec.committees.compliance import LEVELS, Indicator, register
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.community.selectors import active_juntas_by_district, trainings_by_committee

Ids = Collection[int] | None


def juntas_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    active = active_juntas_by_district(as_of)
    districts = Committee.objects.filter(level=CommitteeLevel.DISTRICT)
    if committee_ids is not None:
        districts = districts.filter(pk__in=list(committee_ids))
    return {pk for pk, ubigeo in districts.values_list("pk", "ubigeo") if active.get(ubigeo)}


def trainings_done(as_of: date, plan_year: int, committee_ids: Ids) -> set[int]:
    trained = trainings_by_committee(as_of, since=date(as_of.year, 1, 1))
    return set(trained) if committee_ids is None else set(trained) & set(committee_ids)


def register_indicators() -> None:
    register(
        Indicator(
            "juntas",
            gettext_lazy("Active junta vecinal"),
            (CommitteeLevel.DISTRICT.value,),
            juntas_done,
            None,
            gettext_lazy(
                "At least one junta vecinal of the committee's district active on the date "
                "(recognised by then and not inactive on it)."
            ),
        )
    )
    register(
        Indicator(
            "trainings",
            gettext_lazy("Trained this year"),
            LEVELS,
            trainings_done,
            None,
            gettext_lazy(
                "People of the committee took part in at least one training held from "
                "1 January of the date's year up to the date."
            ),
        )
    )
