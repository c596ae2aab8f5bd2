"""How every API list is paged: ``limit`` and ``offset``, both bounded.

Ninja's default accepts any offset, and a database asked to skip 10^23 rows fails
instead of answering an empty page; the bounds turn that into a 422 with the reason.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2_147_483_647  # the largest integer every supported database accepts


class BoundedPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
