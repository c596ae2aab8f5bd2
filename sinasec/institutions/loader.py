"""Loads the reference list of institutions (``reference.py``) into the database.

Written against the model classes it is given so data migrations can pass their
historical models. Idempotent, and it never overwrites what users edited (contacts).
"""

from __future__ import annotations

from typing import Any

from sinasec.institutions.reference import INSTITUTIONS


def load_institutions(institution_model: Any, alias_model: Any) -> int:
    existing = {i.acronym: i for i in institution_model.objects.all()}
    created = 0
    for ref in INSTITUTIONS:
        if ref.acronym not in existing:
            existing[ref.acronym] = institution_model.objects.create(
                acronym=ref.acronym,
                name=ref.name,
                kind=ref.kind,
                valid_until=ref.valid_until,
                source=ref.source,
            )
            created += 1
    # Links second: a successor or parent may come later in the list.
    for ref in INSTITUTIONS:
        institution = existing[ref.acronym]
        parent = existing[ref.parent].pk if ref.parent else None
        successor = existing[ref.successor].pk if ref.successor else None
        if (institution.parent_id, institution.successor_id) != (parent, successor):
            institution_model.objects.filter(pk=institution.pk).update(
                parent_id=parent, successor_id=successor
            )
        for text in ref.aliases:
            alias_model.objects.get_or_create(text=text, defaults={"institution": institution})
    return created
