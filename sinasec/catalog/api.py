from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from sinasec.catalog import selectors
from sinasec.catalog.access import get_service_for_user
from sinasec.catalog.models import Service, ServiceType
from sinasec.core.schemas import ErrorOut

router = Router(tags=["services"])


class ProviderOut(Schema):
    acronym: str
    name: str
    origin: str


class ServiceOut(Schema):
    number: int
    type: str
    name: str
    diagnosis: str
    providers: list[ProviderOut]

    @staticmethod
    def resolve_type(obj: Service) -> str:
        return obj.type.code

    @staticmethod
    def resolve_providers(obj: Service) -> list[dict]:
        return [
            {"acronym": p.institution.acronym, "name": p.institution.name, "origin": p.origin}
            for p in obj.provisions.all()
        ]


class ServiceTypeOut(Schema):
    code: str
    name: str
    moment: str
    target: str
    description: str
    providers: list[str]
    services: list[ServiceOut]

    @staticmethod
    def resolve_providers(obj: ServiceType) -> list[str]:
        return [i.acronym for i in obj.providers.all()]

    @staticmethod
    def resolve_services(obj: ServiceType) -> list[Service]:
        return list(obj.services.all())


@router.get(
    "/types", response=list[ServiceTypeOut], summary="The 5 service types and their services"
)
@paginate
def types(request: HttpRequest) -> object:
    return selectors.types_with_services()


@router.get(
    "/{number}", response={200: ServiceOut, 404: ErrorOut}, summary="One service of the catalogue"
)
def service(request: HttpRequest, number: int) -> Service:
    return get_service_for_user(request.user, number)
