from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.params import Version
from sinasec.core.schemas import ConflictOut, ErrorOut
from sinasec.institutions import services
from sinasec.institutions.access import get_institution_for_user
from sinasec.institutions.filters import InstitutionFilter
from sinasec.institutions.models import Institution

router = Router(tags=["institutions"])


class InstitutionOut(Schema):
    acronym: str
    name: str
    kind: str
    parent: str | None
    successor: str | None
    valid_until: str | None
    aliases: list[str]
    website: str
    email: str
    phone: str
    description: str
    version: int

    @staticmethod
    def resolve_parent(obj: Institution) -> str | None:
        return obj.parent.acronym if obj.parent else None

    @staticmethod
    def resolve_successor(obj: Institution) -> str | None:
        return obj.successor.acronym if obj.successor else None

    @staticmethod
    def resolve_valid_until(obj: Institution) -> str | None:
        return obj.valid_until.isoformat() if obj.valid_until else None

    @staticmethod
    def resolve_aliases(obj: Institution) -> list[str]:
        return [a.text for a in obj.aliases.all()]


class ProvisionOut(Schema):
    service: int
    name: str
    origin: str
    note: str


class InstitutionDetailOut(InstitutionOut):
    services: list[ProvisionOut]

    @staticmethod
    def resolve_services(obj: Institution) -> list[dict]:
        return [
            {
                "service": p.service.number,
                "name": p.service.name,
                "origin": p.origin,
                "note": p.note,
            }
            for p in obj.provisions.select_related("service")
        ]


class ContactIn(Schema):
    version: Version = Field(description="the contact's version read (required; 409 if stale)")
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    description: str | None = None


class DeclareIn(Schema):
    service: int
    note: str = ""


class WithdrawnOut(Schema):
    withdrawn: bool  # False: there was no declaration (what the 2010 plan says stays)


WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get("", response=list[InstitutionOut], summary="Institutions, filtered")
@paginate
def institutions(request: HttpRequest, filters: Query[InstitutionFilter]) -> object:
    queryset = Institution.objects.select_related("parent", "successor").prefetch_related("aliases")
    return filters.filter(queryset).distinct()


@router.get("/{acronym}", response={200: InstitutionDetailOut, 404: ErrorOut})
def institution(request: HttpRequest, acronym: str) -> Institution:
    return get_institution_for_user(request.user, acronym)


@router.patch(
    "/{acronym}/contact",
    response={200: InstitutionDetailOut, 409: ConflictOut, **WRITE_ERRORS},
    auth=user_auth,
)
def edit_contact(request: HttpRequest, acronym: str, payload: ContactIn) -> Institution:
    values = {k: v for k, v in payload.dict().items() if k != "version" and v is not None}
    return services.update_institution_contact(request.user, acronym, payload.version, **values)


@router.post("/{acronym}/services", response={200: ProvisionOut, **WRITE_ERRORS}, auth=user_auth)
def declare(request: HttpRequest, acronym: str, payload: DeclareIn) -> dict:
    provision = services.declare_service(request.user, acronym, payload.service, payload.note)
    return {
        "service": provision.service.number,
        "name": provision.service.name,
        "origin": provision.origin,
        "note": provision.note,
    }


@router.delete(
    "/{acronym}/services/{number}", response={200: WithdrawnOut, **WRITE_ERRORS}, auth=user_auth
)
def withdraw(request: HttpRequest, acronym: str, number: int) -> dict[str, bool]:
    return {"withdrawn": services.withdraw_service(request.user, acronym, number)}
