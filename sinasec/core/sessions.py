"""Django's database sessions (same table, same expiry check, same signed encoding),
read with one plain query instead of the ORM's (``core/hotsql.py``): every signed-in
request reads its session first. Writes are Django's own. ``SESSION_ENGINE`` points
here; sessions written by Django's engine are read unchanged, and the other way round."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from sinasec.core.hotsql import db_datetime, fetch_one


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if key is not None:
            row = fetch_one(
                self.model,
                "SELECT {session_data} FROM {table}"
                " WHERE {session_key} = %s AND {expire_date} > %s",
                [key, db_datetime(self.model, timezone.now())],
            )
            if row is not None:
                return self.model(session_key=key, session_data=row[0])
        self._session_key = None  # as Django's: an unknown or expired key is dropped
        return None
