"""Territories API: the hierarchy, population and map features; imports for admins."""

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sinasec.accounts.auth import user_auth
from sinasec.core.params import Ubigeo, Year
from sinasec.core.schemas import ErrorOut, ImportOut, InvalidOut
from sinasec.territories import selectors, services
from sinasec.territories.access import get_region_for_user, get_territory_for_user
from sinasec.territories.filters import TerritoryFilter
from sinasec.territories.models import Level, Territory

router = Router(tags=["territories"])


class TerritoryOut(Schema):
    ubigeo: str
    level: str
    name: str
    parent: str | None
    region: str | None
    capital: str
    latitude: float | None
    longitude: float | None
    creation_law: str
    creation_date: str | None

    @staticmethod
    def resolve_parent(obj: Territory) -> str | None:
        return obj.parent_id

    @staticmethod
    def resolve_region(obj: Territory) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_creation_date(obj: Territory) -> str | None:
        if obj.creation_date:
            return obj.creation_date.isoformat()
        return obj.creation_date_text or None


class RowOut(Schema):
    code: str
    name: str
    level: str
    population: int | None


class TerritoryDetailOut(Schema):
    territory: TerritoryOut
    population_year: int | None
    population: int | None
    children: list[RowOut]


class RegionOut(Schema):
    code: str
    name: str
    department: str
    population_year: int | None
    population: int | None
    provinces: list[RowOut]


class PopulationSummaryOut(Schema):
    year: int | None
    total: int | None
    districts_with_data: int
    years: list[int]


class BoundaryCountsOut(Schema):
    department: int
    province: int
    district: int


class SummaryOut(Schema):
    departments: int
    provinces: int
    districts: int
    regions: int
    population: PopulationSummaryOut
    boundaries: BoundaryCountsOut


class FeaturePropertiesOut(Schema):
    ubigeo: str
    name: str
    level: str


class FeatureOut(Schema):
    type: str
    id: str
    geometry: dict[str, object]
    properties: FeaturePropertiesOut


class FeatureCollectionOut(Schema):
    type: str
    features: list[FeatureOut]
    missing: int


IMPORT_RESPONSES = {200: ImportOut, 401: ErrorOut, 403: ErrorOut, 422: InvalidOut}


@router.get(
    "/summary",
    response=SummaryOut,
    summary="Counts of the hierarchy and the national population",
)
def summary(request: HttpRequest) -> selectors.Summary:
    return selectors.summary()


@router.get(
    "/national/geojson",
    response=FeatureCollectionOut,
    url_name="territory_geojson_national",
    summary="Map features: the 25 departments",
)
def national_geojson(request: HttpRequest) -> selectors.FeatureCollection:
    return selectors.feature_collection(list(Territory.objects.filter(level=Level.DEPARTMENT)))


class StationGeoJson(Schema):
    type: str
    features: list[dict]


@router.get(
    "/police-stations/geojson",
    response=StationGeoJson,
    url_name="police_stations_geojson",
    summary="Map points: the registered police stations (comisarías), optionally under a ubigeo",
)
def police_stations_geojson(request: HttpRequest, prefix: str = "") -> dict:
    return selectors.police_stations_geojson(prefix[:6])


@router.get("/regions", response=list[RowOut], summary="The 26 regional governments")
@paginate
def regions(request: HttpRequest, year: Year | None = None) -> list[selectors.Row]:
    return selectors.regions_with_population(year or selectors.latest_population_year())


@router.get("/regions/{code}", response={200: RegionOut, 404: ErrorOut})
def region(request: HttpRequest, code: str, year: Year | None = None) -> dict:
    item = get_region_for_user(request.user, code)
    year = year or selectors.latest_population_year()
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department_id,
        "population_year": year,
        "population": selectors.population_total(year, region=item.code) if year else None,
        "provinces": selectors.rows_with_population(selectors.region_children(item), year),
    }


@router.get("", response=list[TerritoryOut], summary="Search and list territories")
@paginate
def territories(request: HttpRequest, filters: Query[TerritoryFilter]) -> object:
    return filters.filter(Territory.objects.all())


@router.get("/{ubigeo}", response={200: TerritoryDetailOut, 404: ErrorOut})
def territory(request: HttpRequest, ubigeo: Ubigeo, year: Year | None = None) -> dict:
    item = get_territory_for_user(request.user, ubigeo)
    year = year or selectors.latest_population_year()
    return {
        "territory": item,
        "population_year": year,
        "population": selectors.population_total(year, prefix=item.ubigeo) if year else None,
        "children": selectors.rows_with_population(selectors.children(item), year),
    }


@router.get(
    "/{ubigeo}/geojson",
    response={200: FeatureCollectionOut, 404: ErrorOut},
    url_name="territory_geojson",
    summary="Map features: the territory and its children",
)
def territory_geojson(request: HttpRequest, ubigeo: Ubigeo) -> selectors.FeatureCollection:
    item = get_territory_for_user(request.user, ubigeo)
    return selectors.feature_collection([item, *selectors.children(item)])


@router.get(
    "/regions/{code}/geojson",
    response={200: FeatureCollectionOut, 404: ErrorOut},
    url_name="territory_geojson_region",
    summary="Map features: a region's provinces",
)
def region_geojson(request: HttpRequest, code: str) -> selectors.FeatureCollection:
    item = get_region_for_user(request.user, code)
    return selectors.feature_collection(list(selectors.region_children(item)))


@router.post(
    "/imports/population",
    response=IMPORT_RESPONSES,
    auth=user_auth,
    summary="Import population estimates (CSV or XLSX; any year and level)",
)
def import_population(
    request: HttpRequest, file: File[UploadedFile], year: Form[int | None] = None
) -> dict:
    result = services.import_population(request.user, file.name or "upload.csv", file.read(), year)
    return result.as_dict()


@router.post(
    "/imports/boundaries",
    response=IMPORT_RESPONSES,
    auth=user_auth,
    summary="Import GeoJSON boundaries",
)
def import_boundaries(
    request: HttpRequest,
    level: Form[Level],
    file: File[UploadedFile],
    skip_unknown: Form[bool] = False,
) -> dict:
    result = services.import_boundaries(
        request.user, file.name or "upload.geojson", file.read(), level, skip_unknown=skip_unknown
    )
    return result.as_dict()
