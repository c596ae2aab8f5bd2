"""The codes of the analytics library and their translations agree: every code a user
can meet has a text, the English text is the library's own, and Spanish is shown."""

from __future__ import annotations

from django.utils.translation import override

from sinasec.analytics.evaluation.staggered import PanelError
from sinasec.analytics.monitoring import REASON_CODES, MonitoringError
from sinasec.analytics.targeting.params import TargetingError, TargetingParams
from sinasec.barrios.messages import ERRORS, REASONS, error_text


def test_every_reason_code_has_a_text() -> None:
    assert set(REASONS) == set(REASON_CODES)


def test_the_english_texts_are_the_library_s() -> None:
    library = {**TargetingError.messages, **MonitoringError.messages, **PanelError.messages}
    user_facing = {c for c in library if not c.startswith("composite_")}
    assert set(ERRORS) == user_facing
    with override("en"):
        for code in ERRORS:
            assert str(ERRORS[code]) == library[code], code


def test_an_error_is_shown_in_the_user_s_language() -> None:
    try:
        TargetingParams(year=2024, unit="grid", cell_size_m=10)
    except TargetingError as exc:
        error = exc
    assert error.code == "cell_size"
    with override("en"):
        assert error_text(error) == str(error)
    with override("es"):
        assert error_text(error) != str(error)
    parameter = TargetingError("unknown_unit", unit="barrio")
    with override("en"):
        assert error_text(parameter) == "unknown unit “barrio”"
    composite = TargetingError("composite_empty")  # a programmer's error: the English text
    assert error_text(composite) == "at least one indicator is needed"
