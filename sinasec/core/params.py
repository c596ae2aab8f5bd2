"""The rules every parameter follows, in one place: the API schemas, the page filters,
the forms and the services all read them from here.

- Dates: one supported range, 1900-01-01 .. 2100-12-31. Outside it nothing is recorded,
  and a date computed from one (five years before 0001-06-01) would not exist.
- Years: 1900 .. 2100; months 1 .. 12.
- Keys and counts: what the database column stores (a key up to 2^63 - 1, a count up to
  2^31 - 1): a bigger number is a 422, not a database error.
- Floats: finite (NaN and infinity are refused); a probability lies in (0, 1].
- Text: at most the length of the column that stores it (SQLite would store more), and
  never the NUL character (PostgreSQL refuses it).

The annotated types serve pydantic/ninja (``SupportedDate``, ``Year``...); the form fields
serve Django forms; :func:`field_errors` serves services, whose callers are not all
forms or schemas (commands, importers).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import ValidationError as InputInvalid
from ninja.parser import Parser
from ninja.types import DictStrAny
from pydantic import Field

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
MIN_YEAR = MIN_DATE.year
MAX_YEAR = MAX_DATE.year

# The largest key and the largest count every supported database stores (SQLite refuses
# a bigger integer with an OverflowError; PostgreSQL's integer column with a DataError).
MAX_ID = 2**63 - 1
MAX_COUNT = 2_147_483_647
MAX_SMALL_COUNT = 32_767

SupportedDate = Annotated[date, Field(ge=MIN_DATE, le=MAX_DATE)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Month = Annotated[int, Field(ge=1, le=12)]
# A department, province or district code: 2, 4 or 6 digits (never an integer).
Ubigeo = Annotated[str, Field(pattern=r"^\d{2}(\d{2}){0,2}$")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
SmallCount = Annotated[int, Field(ge=0, le=MAX_SMALL_COUNT)]
# The version of a record the client read (optimistic concurrency: 409 when stale).
Version = Annotated[int, Field(ge=1, le=MAX_COUNT)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A significance level or a false-discovery rate.
Probability = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


def column_length(model: type[models.Model], field: str) -> int:
    """The most characters ``model.field`` stores: the bound a schema declares."""
    most = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    assert most is not None, f"{model.__name__}.{field} has no max_length"
    return int(most)


def date_out_of_range(value: date) -> str | None:
    """Why ``value`` is refused, or None when it is in the supported range."""
    if MIN_DATE <= value <= MAX_DATE:
        return None
    return _("The date must be between %(first)s and %(last)s.") % {
        "first": date_format(MIN_DATE, "SHORT_DATE_FORMAT"),
        "last": date_format(MAX_DATE, "SHORT_DATE_FORMAT"),
    }


def year_out_of_range(value: int) -> str | None:
    if MIN_YEAR <= value <= MAX_YEAR:
        return None
    return _("The year must be between %(first)d and %(last)d.") % {
        "first": MIN_YEAR,
        "last": MAX_YEAR,
    }


def too_long(model: type[models.Model], field: str, value: str) -> str | None:
    """Why ``value`` does not fit the model's column, or None when it does."""
    most = model._meta.get_field(field).max_length  # type: ignore[union-attr]
    if most is None or len(value) <= most:
        return None
    return _("At most %(most)d characters (this one has %(length)d).") % {
        "most": most,
        "length": len(value),
    }


def field_errors(
    model: type[models.Model],
    texts: dict[str, str] | None = None,
    dates: dict[str, date | None] | None = None,
    years: dict[str, int | None] | None = None,
) -> dict[str, str]:
    """A service's check of what it is about to store: each text against its column's
    length, each date and year against the supported range. Errors by field name."""
    errors: dict[str, str] = {}
    for name, text in (texts or {}).items():
        if problem := too_long(model, name.split(".")[-1], text):
            errors[name] = problem
    for name, day in (dates or {}).items():
        if day is not None and (problem := date_out_of_range(day)):
            errors[name] = problem
    for name, year in (years or {}).items():
        if year is not None and (problem := year_out_of_range(year)):
            errors[name] = problem
    return errors


class SupportedDateField(forms.DateField):
    """A form's date, in the supported range, picked with the browser's calendar."""

    # ISO always: a date input reads only that (the locale's "05/01/2026" shows blank).
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat())

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and (problem := date_out_of_range(value)):
            raise forms.ValidationError(problem, code="date_range")


class YearField(forms.IntegerField):
    """A form's year, in the supported range unless the form narrows it."""

    def __init__(self, *, min_value: int = MIN_YEAR, max_value: int = MAX_YEAR, **kw: Any):
        super().__init__(
            min_value=max(min_value, MIN_YEAR), max_value=min(max_value, MAX_YEAR), **kw
        )


# Pydantic's messages are English; the API answers in the user's language. Each error
# type its message, with pydantic's own context (``ctx``) for the figures.
_MESSAGES = {
    "missing": gettext_lazy("This value is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "finite_number": gettext_lazy("Enter a finite number (not NaN or infinity)."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_type": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "greater_than_equal": gettext_lazy("The value must be at least %(ge)s."),
    "greater_than": gettext_lazy("The value must be greater than %(gt)s."),
    "less_than_equal": gettext_lazy("The value must be at most %(le)s."),
    "less_than": gettext_lazy("The value must be less than %(lt)s."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters."),
    "string_type": gettext_lazy("Enter a text."),
    "string_pattern_mismatch": gettext_lazy("The value does not have the expected form."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "list_type": gettext_lazy("Enter a list."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
}


def translated_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's validation errors with their message (``msg``) in the user's language;
    the type, location and context stay as pydantic wrote them."""
    result = []
    for error in errors:
        message = _MESSAGES.get(str(error.get("type")))
        if message is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                error = {**error, "msg": str(message) % dict(error.get("ctx") or {})}
        result.append(error)
    return result


# PostgreSQL cannot store or compare text with the NUL character (a DataError, a 500):
# no parameter, body or page filter may carry one.
NUL_REFUSED = gettext_lazy("A text cannot contain the NUL character (\\0).")


def has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


class ParamParser(Parser):
    """Ninja's parser, refusing NUL: in a query or form parameter a 422 naming it, in a
    JSON body a 400 (ninja answers any body it cannot read with a 400)."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if has_nul(data):
            raise ValueError(str(NUL_REFUSED))
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        values = super().parse_querydict(data, list_fields, request)
        source = "query" if data is request.GET else "form"
        bad = [key for key, value in values.items() if has_nul(key) or has_nul(value)]
        if bad:
            raise InputInvalid(
                [
                    {"type": "string_nul", "loc": [source, key], "msg": str(NUL_REFUSED)}
                    for key in bad
                ]
            )
        return values
