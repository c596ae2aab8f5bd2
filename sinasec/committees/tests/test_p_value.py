"""p-values read in the locale's numbers, and never as "p = 0,0"."""

from __future__ import annotations

from django.utils import translation

from sinasec.committees.templatetags.sinasec_extras import p_value


def test_it_writes_a_tiny_p_as_below_a_thousandth_in_each_language() -> None:
    with translation.override("es-pe"):
        assert p_value(0.00004) == "p < 0,001"
        assert p_value(0.0421) == "p = 0,042"
        assert p_value(0.0421, 4) == "p = 0,0421"
    with translation.override("en"):
        assert p_value(0.0) == "p < 0.001"
        assert p_value(0.5) == "p = 0.500"
    assert p_value(None) == "p = ?"
