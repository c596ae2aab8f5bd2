"""Reads of the services catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sinasec.catalog.models import Moment, Provision, Service, ServiceType


def types_with_services() -> QuerySet[ServiceType]:
    """Every type with its services and providers, in a fixed number of queries."""
    return ServiceType.objects.prefetch_related(
        "providers",
        Prefetch(
            "services",
            queryset=Service.objects.prefetch_related(
                Prefetch("provisions", queryset=Provision.objects.select_related("institution"))
            ),
        ),
    )


def by_moment() -> list[tuple[str, str, list[ServiceType]]]:
    """Illustration 1 of the 2010 plan: the types of service before, during and after
    an event, each with its services and providers."""
    types = list(types_with_services())
    return [
        (value, str(label), [t for t in types if t.moment == value])
        for value, label in Moment.choices
    ]
