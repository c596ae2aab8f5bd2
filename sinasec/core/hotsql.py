"""One-row reads on the path of every signed-in request, in plain SQL.

The ORM spends ~0.4-0.5 ms of CPU building even a one-table query (the clone, the
lookups, the compiler); the database answers these in a few microseconds. Each page
pays the session, its scope and the unread count, so those reads are written here once
as SQL from the models' own table and column names (portable: SQLite and PostgreSQL),
their parameters adapted as the ORM adapts them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, router


def fetch_one(model: type[models.Model], sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row of ``sql`` (with ``{table}`` and ``{name}`` for the model's table and
    a column's quoted names) on the database the model is read from."""
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    with connections[alias].cursor() as cursor:
        cursor.execute(_sql(model, alias, sql), params)
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


@functools.cache
def _sql(model: type[models.Model], alias: str, sql: str) -> str:
    quote = connections[alias].ops.quote_name
    names = {f.name: quote(f.column) for f in model._meta.concrete_fields if f.column}
    return sql.format(table=quote(model._meta.db_table), **names)


def db_datetime(model: type[models.Model], value: datetime) -> Any:
    """``value`` as the model's database stores a DateTimeField (naive on SQLite)."""
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    return connections[alias].ops.adapt_datetimefield_value(value)
