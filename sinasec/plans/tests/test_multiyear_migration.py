"""The multi-year migration: every plan recorded before it spans its own year."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0004_randomise_evidence_names")]
AFTER = [("plans", "0005_multiyear_plans")]


@pytest.mark.django_db(transaction=True)
def test_it_gives_existing_plans_a_span_of_their_own_year(reference_data: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("plans", "Plan")
    old.objects.create(year=2010, title="Plan Operativo Nacional 2010")
    old.objects.create(year=2011, title="Plan Operativo Nacional 2011")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps.get_model("plans", "Plan")
    assert sorted(new.objects.values_list("year", "start_year", "end_year")) == [
        (2010, 2010, 2010),
        (2011, 2011, 2011),
    ]
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
