"""Loads the 2010 plan's services catalogue (``reference.py``) into the database.

Written against the model classes it is given so data migrations can pass their
historical models. Idempotent: existing rows are left as they are.
"""

from __future__ import annotations

from typing import Any

from sinasec.catalog.reference import SERVICE_TYPES, SERVICES

PLAN_2010 = "plan_2010"


def load_catalog(
    type_model: Any, service_model: Any, provision_model: Any, institution_model: Any
) -> int:
    institutions = {i.acronym: i for i in institution_model.objects.all()}
    types = {}
    for ref in SERVICE_TYPES:
        service_type, _ = type_model.objects.get_or_create(
            code=ref.code,
            defaults={
                "name": ref.name,
                "moment": ref.moment,
                "target": ref.target,
                "description": ref.description,
            },
        )
        service_type.providers.add(*(institutions[a] for a in ref.providers))
        types[ref.code] = service_type
    created = 0
    for service_ref in SERVICES:
        service, new = service_model.objects.get_or_create(
            number=service_ref.number,
            defaults={
                "type": types[service_ref.type_code],
                "name": service_ref.name,
                "diagnosis": service_ref.diagnosis,
            },
        )
        created += int(new)
        for acronym in service_ref.providers:
            provision_model.objects.get_or_create(
                service=service,
                institution=institutions[acronym],
                defaults={"origin": PLAN_2010},
            )
    return created
