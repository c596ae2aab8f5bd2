"""The parameter rules in one place (``core.params``): the same range for a date, a
year, a probability or a key, whether a schema, a form or a service reads it."""

from __future__ import annotations

import datetime
import math

import pytest
from django.utils import translation
from pydantic import TypeAdapter, ValidationError

from sinasec.committees.models import CommitteeEvent
from sinasec.core.params import (
    MAX_DATE,
    MIN_DATE,
    Count,
    Id,
    Probability,
    SupportedDate,
    SupportedDateField,
    Year,
    YearField,
    field_errors,
    translated_errors,
)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (SupportedDate, [MIN_DATE, MAX_DATE], ["0001-01-01", "9999-12-31", "1899-12-31"]),
        (Year, [1900, 2100], [1899, 2101, 10**21, 40000]),
        (Probability, [0.05, 1.0], [0, -1, 1.5, math.nan, math.inf, "NaN", "inf", "-inf"]),
        (Id, [1, 2**63 - 1], [0, 2**63, 10**29]),
        (Count, [0, 2_147_483_647], [-1, 2_147_483_648]),
    ],
)
def test_it_accepts_the_supported_range_and_refuses_the_rest(
    kind: object, good: list[object], bad: list[object]
) -> None:
    adapter: TypeAdapter[object] = TypeAdapter(kind)  # type: ignore[arg-type]
    for value in good:
        adapter.validate_python(value)
    for value in bad:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_it_gives_forms_the_same_date_and_year_range() -> None:
    field = SupportedDateField()
    assert field.clean("2020-05-01") == datetime.date(2020, 5, 1)
    assert field.widget.attrs["min"] == "1900-01-01" and field.widget.attrs["max"] == "2100-12-31"
    with pytest.raises(Exception, match="1900"):
        field.clean("0001-06-01")
    year = YearField(min_value=2016, max_value=9999)
    assert (year.min_value, year.max_value) == (2016, 2100)


def test_it_checks_a_services_texts_dates_and_years_against_the_columns() -> None:
    with translation.override("en"):
        errors = field_errors(
            CommitteeEvent,
            texts={"person": "x" * 161, "document": "ok"},
            dates={"date": datetime.date(1, 1, 1)},
            years={"year": 40000},
        )
    assert set(errors) == {"person", "date", "year"}
    assert "160" in errors["person"]


def test_it_translates_the_validation_messages_of_the_api() -> None:
    try:
        TypeAdapter(Year).validate_python(10000)
    except ValidationError as exc:
        errors = exc.errors()
    with translation.override("en"):
        [error] = translated_errors([dict(e) for e in errors])
    assert error["msg"] == "The value must be at most 2100."
    assert error["type"] == "less_than_equal"
