"""One filter definition per list: the page reads its query string through the same
django-ninja ``FilterSchema`` the API list declares as ``Query[...]``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AliasChoices, ValidationError

from sinasec.core.params import MAX_DATE, MIN_DATE, has_nul

S = TypeVar("S", bound=Schema)


def read_filter(schema: type[S], query: Mapping[str, str]) -> tuple[S, list[str]]:
    """The schema filled from a page's query string, and the names of the values it
    could not read. Blank values are no filter; an invalid value is left out (a stale or
    edited link still shows a page, unfiltered on that field) instead of failing."""
    known = _names(schema)
    values = {key: query[key].strip() for key in query if key in known and query[key].strip()}
    dropped = sorted(key for key, value in values.items() if has_nul(value))
    values = {key: value for key, value in values.items() if key not in dropped}
    while True:
        try:
            return schema.model_validate(values), sorted(dropped)
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error["loc"]} & set(values)
            if not bad:
                raise
            dropped.extend(bad)
            values = {key: value for key, value in values.items() if key not in bad}


def _names(schema: type[Schema]) -> set[str]:
    """Every name a field answers to: its own, its alias, its validation aliases
    (the observatory's filter reads "anio" and "year" alike)."""
    names: set[str] = set()
    for name, field in schema.model_fields.items():
        names.update({name, field.alias or name})
        aliases = field.validation_alias
        if isinstance(aliases, str):
            names.add(aliases)
        elif isinstance(aliases, AliasChoices):
            names.update(choice for choice in aliases.choices if isinstance(choice, str))
    return names


def from_query(schema: type[S], query: Mapping[str, str]) -> S:
    """:func:`read_filter` when the page does not say what it left out."""
    return read_filter(schema, query)[0]


def valid_query(schema: type[S], query: Mapping[str, str]) -> S:
    """:func:`read_filter` for a page whose parameters are not a filter but what it
    computes (a report's date): a value it cannot read is a 400 naming it, not ignored."""
    values, invalid = read_filter(schema, query)
    if invalid:
        raise BadRequest(
            _(
                "These parameters are not valid: %(names)s (dates from %(first)s to %(last)s, "
                "years from %(first_year)d to %(last_year)d)."
            )
            % {
                "names": ", ".join(invalid),
                "first": MIN_DATE.isoformat(),
                "last": MAX_DATE.isoformat(),
                "first_year": MIN_DATE.year,
                "last_year": MAX_DATE.year,
            }
        )
    return values


def is_filtered(filters: Schema) -> bool:
    return bool(filters.model_dump(exclude_none=True))
