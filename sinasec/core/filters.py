"""One filter definition per list: the page reads its query string through the same
django-ninja ``FilterSchema`` the API list declares as ``Query[...]``."""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpRequest
from ninja import Schema
from pydantic import ValidationError

S = TypeVar("S", bound=Schema)


def from_query(schema: type[S], request: HttpRequest) -> S:
    """The schema filled from ``request.GET``: empty fields are left out, and a field
    with an invalid value is ignored (a page shows the unfiltered list, it does not fail)."""
    known = {f.alias or name for name, f in schema.model_fields.items()}
    data = {key: value for key, value in request.GET.items() if value and key in known}
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        return schema.model_validate({k: v for k, v in data.items() if k not in bad})


def is_filtered(filters: Schema) -> bool:
    return bool(filters.model_dump(exclude_none=True))
