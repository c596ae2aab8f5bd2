"""Messages of the library as codes with parameters, never as translated text.

The library speaks English to a programmer (``str()`` of its errors) and codes to an
application: :class:`Note` is a code with its parameters, :class:`AnalyticsError` an
error that carries one. The Django layer translates the codes it shows to users
(``sinasec.barrios.messages``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Note:
    """A message as a code (``"no_boundary"``) and the values it names."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class AnalyticsError(ValueError):
    """An error with a code: ``str()`` is the English text of :attr:`messages` (the
    code itself where the class has no text for it), :attr:`note` the code and values
    for an application to translate."""

    messages: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        template = self.messages.get(code, code)
        super().__init__(template % params if params else template)

    @property
    def note(self) -> Note:
        return Note(self.code, self.params)
