"""A generated onboarding spreadsheet (tests and bench/accounts_import.py): one
secretary per committee of the registry, then focal points of the institutions in turn
up to ``size`` rows. Deterministic: the same call gives the same bytes."""

from __future__ import annotations

from sinasec.committees.models import Committee
from sinasec.core.exports import csv_bytes
from sinasec.institutions.models import Institution

HEADER = ("nombre", "correo", "dni", "rol", "ubigeo", "institución")


def onboarding_rows(size: int = 2000) -> list[list[str]]:
    rows: list[list[str]] = []
    committees = Committee.objects.order_by("level", "ubigeo").values_list(
        "level", "ubigeo", "name"
    )
    for number, (level, ubigeo, name) in enumerate(committees, start=1):
        if len(rows) == size:
            return rows
        rows.append(
            [
                f"Secretaria {name}"[:150],
                f"sec.{level}.{ubigeo}@comites.example.pe",
                f"{40000000 + number}",
                "secretario",
                ubigeo,
                "",
            ]
        )
    acronyms = list(Institution.objects.order_by("acronym").values_list("acronym", flat=True))
    number = 0
    while len(rows) < size:
        acronym = acronyms[number % len(acronyms)]
        rows.append(
            [
                f"Enlace {number + 1} {acronym}",
                f"enlace{number + 1}@inst.example.pe",
                "",
                "enlace",
                "",
                acronym,
            ]
        )
        number += 1
    return rows


def onboarding_csv(size: int = 2000) -> bytes:
    return csv_bytes([HEADER, *onboarding_rows(size)], delimiter=";")
