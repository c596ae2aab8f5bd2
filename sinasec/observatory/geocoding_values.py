"""Edits of the table mapping a source's geocoding values to a quality class (the file
``GEOCODING_VALUES_FILE``, :mod:`sinasec.incidents.geocoding`): checked, audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser
from sinasec.audit.services import record_change
from sinasec.core.errors import ImportProblem, ImportRejected
from sinasec.incidents.geocoding import STORED, normalise, value_map, values_file, write_value_map
from sinasec.observatory.access import check_crime_data_write

VALUE_LENGTH = 200


def set_geocoding_value(actor: AnyUser, value: str, quality: str) -> dict[str, str]:
    """Map the source value ``value`` to ``quality`` (a new row, or a changed one)."""
    check_crime_data_write(actor)
    key = normalise(value)
    if not key or len(key) > VALUE_LENGTH:
        raise _refused("value", _("the value is empty or too long"))
    if quality not in STORED:
        raise _refused(
            "quality",
            _("“%(value)s” is not a quality class (one of: %(classes)s)")
            % {"value": quality, "classes": ", ".join(STORED)},
        )
    mapping = dict(value_map())
    before = mapping.get(key)
    if before != quality:
        mapping[key] = quality
        write_value_map(mapping)
        record_change(
            actor,
            "observatory.set_geocoding_value",
            f"geocoding_value:{key}",
            _("Geocoding value “%(value)s” mapped to %(quality)s")
            % {"value": key, "quality": quality},
            before={"quality": before},
            after={"quality": quality, "file": str(values_file())},
            object_type="geocoding_value",
        )
    return mapping


def remove_geocoding_value(actor: AnyUser, value: str) -> dict[str, str]:
    check_crime_data_write(actor)
    key = normalise(value)
    mapping = dict(value_map())
    if key not in mapping:
        raise _refused("value", _("“%(value)s” is not in the table") % {"value": key})
    before = mapping.pop(key)
    write_value_map(mapping)
    record_change(
        actor,
        "observatory.remove_geocoding_value",
        f"geocoding_value:{key}",
        _("Geocoding value “%(value)s” removed") % {"value": key},
        before={"quality": before},
        after={"quality": None, "file": str(values_file())},
        object_type="geocoding_value",
    )
    return mapping


def _refused(column: str, reason: str) -> ImportRejected:
    return ImportRejected([ImportProblem("geocoding_values", None, column, reason)])
