"""The compliance indicators of juntas vecinales (district committees only) and trainings
received this year, as the engine reports them, and the compliance page's generation
bumped by every junta and training write."""

from __future__ import annotations

from datetime import date

import pytest

from sinasec.committees.compliance import compliance_as_of
from sinasec.committees.models import Committee
from sinasec.community import services
from sinasec.community.models import JuntaState
from sinasec.community.tests.test_services import MIRAFLORES, committee, junta, training
from sinasec.core.cache import generation

pytestmark = pytest.mark.django_db


def test_it_counts_a_district_with_an_active_junta_and_no_other_level(admin) -> None:
    before = generation("committees")
    created = services.register_junta(admin, junta())
    services.set_junta_status(admin, created.pk, JuntaState.INACTIVE, date(2010, 6, 1))
    assert generation("committees") == before + 2
    own = committee()
    may, july = compliance_as_of(date(2010, 5, 1)), compliance_as_of(date(2010, 7, 1))
    assert own.pk not in {r.id for r in may.pending["juntas"]}
    assert own.pk in {r.id for r in july.pending["juntas"]}
    assert may.counts["juntas"]["district"]["done"] == 1
    assert may.counts["juntas"]["regional"] is None and may.counts["juntas"]["provincial"] is None
    districts = Committee.objects.filter(level="district").count()
    assert may.counts["juntas"]["total"]["total"] == districts
    # The province of Lima counts its district committees only.
    assert may.by_province["1501"]["juntas"][0] == 1
    assert all(r.level == "district" for r in july.pending["juntas"])
    assert own.ubigeo == MIRAFLORES


def test_it_counts_trainings_of_the_date_year_only(admin) -> None:
    before = generation("committees")
    services.record_training(admin, training(held_on=date(2010, 3, 15)))
    assert generation("committees") == before + 1
    own = committee()

    def trained(as_of: date) -> bool:
        return own.pk not in {r.id for r in compliance_as_of(as_of).pending["trainings"]}

    assert not trained(date(2010, 3, 14))
    assert trained(date(2010, 3, 15)) and trained(date(2010, 12, 31))
    assert not trained(date(2011, 1, 1))  # a new year: none received yet
