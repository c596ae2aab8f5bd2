"""The cast every test shares: one user per role, each with a small scope.

- ``admin``: national administrator (ST-CONASEC)
- ``analyst``: national analyst
- ``secretary``: technical secretary of the CODISEC of Miraflores (district 150122)
- ``regional_secretary``: technical secretary of the CORESEC of Callao (region 07)
- ``regional_admin``: regional administrator of Callao (region 07): accounts there only
- ``focal_point``: focal point of the PNP
- ``other_focal_point``: focal point of MINSA
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from sinasec.accounts.models import Role
from sinasec.institutions.models import Institution
from sinasec.people.services import ensure_user_with_role

PASSWORD = "Prueba-SINASEC-2026"

# Pages render in tests without `collectstatic`: production's hashed-name storage needs its
# manifest, the plain storage links the files as they are (test_serve.py runs the real one).
override_settings(
    STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
).enable()


def _user(username: str, role: Role, **scope: object) -> User:
    user, _ = ensure_user_with_role(None, username, role, password=PASSWORD, **scope)  # type: ignore[arg-type]
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Hashing at full strength costs ~0.3 s per user; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_page_cache(settings) -> Iterator[None]:
    """Each test starts with no cached page: tests roll back their data, so a page one
    test cached under a generation another test sees again would be stale. Tests expect
    a write on the public pages at once: no refresh interval (test_page_cache tests it)."""
    from django.core.cache import cache

    from sinasec.core.cache import forget_generations

    settings.PAGE_REFRESH_SECONDS = 0
    cache.clear()
    forget_generations()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """Uploaded files go to a folder of the test's own, through the default storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Reload what the migrations load: a transactional test's flush removed it."""
    from django.contrib.auth.hashers import make_password

    from sinasec.accounts.models import Profile
    from sinasec.catalog.loader import load_catalog
    from sinasec.catalog.models import Provision, Service, ServiceType
    from sinasec.institutions.loader import load_institutions
    from sinasec.institutions.models import Alias
    from sinasec.territories.services import load_reference_hierarchy

    load_reference_hierarchy()
    load_institutions(Institution, Alias)
    load_catalog(ServiceType, Service, Provision, Institution)
    system, _ = User.objects.get_or_create(
        username="sistema", defaults={"password": make_password(None)}
    )
    Profile.objects.get_or_create(user=system, defaults={"role": Role.NATIONAL_ADMIN})
    from sinasec.committees.models import Committee
    from sinasec.committees.registry import sync_registry
    from sinasec.territories.models import Region, Territory

    sync_registry(Committee, Territory, Region)
    from sinasec.observatory.services import load_categories

    load_categories()


@pytest.fixture
def admin(db: None) -> User:
    return _user("ana.admin", Role.NATIONAL_ADMIN)


@pytest.fixture
def analyst(db: None) -> User:
    return _user("nico.analista", Role.NATIONAL_ANALYST)


@pytest.fixture
def barrio_team(db: None) -> User:
    return _user("bea.barrios", Role.BARRIO_TEAM)


@pytest.fixture
def observatory_analyst(db: None) -> User:
    return _user("omar.observatorio", Role.OBSERVATORY_ANALYST)


@pytest.fixture
def secretary(db: None) -> User:
    return _user("sara.miraflores", Role.COMMITTEE_SECRETARY, territory="150122")


@pytest.fixture
def regional_secretary(db: None) -> User:
    return _user("rosa.callao", Role.COMMITTEE_SECRETARY, region="07")


@pytest.fixture
def regional_admin(db: None) -> User:
    return _user("carla.callao", Role.REGIONAL_ADMIN, region="07")


@pytest.fixture
def focal_point(db: None) -> User:
    pnp = Institution.objects.get(acronym="PNP")
    return _user("pablo.pnp", Role.FOCAL_POINT, institution_id=pnp.pk)


@pytest.fixture
def other_focal_point(db: None) -> User:
    minsa = Institution.objects.get(acronym="MINSA")
    return _user("marta.minsa", Role.FOCAL_POINT, institution_id=minsa.pk)


CHROMIUM = os.environ.get("SINASEC_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="es-PE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def log_in(page, username: str) -> None:
    page.goto(page.base + "/cuentas/ingresar/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("[data-testid=who]")


def create_account_in_page(page, full_name: str, email: str, role: str, place: str) -> None:
    """As a signed-in administrator, fill and send the new-account form (the invitation
    e-mail goes out on commit)."""
    page.goto(page.base + "/cuentas/administrar/nueva/")
    form = "[data-testid=account-form]"
    page.fill(f"{form} input[name=full_name]", full_name)
    page.fill(f"{form} input[name=email]", email)
    page.select_option(f"{form} select[name=role]", role)
    page.fill(f"{form} input[name=place]", place)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def shared_data() -> Path:
    """The real reference files (outside the repository), read through our importers."""
    path = Path(settings.SHARED_DATA_DIR)
    assert (path / "ubigeo_inei_2025.csv").is_file(), (
        f"reference data not found in {path}: put the checkout next to shared/data or set "
        "SINASEC_SHARED_DATA to the folder holding ubigeo_inei_2025.csv and the GeoJSON files"
    )
    return path


@pytest.fixture
def population_2025(admin: User, shared_data: Path) -> None:
    from sinasec.territories.services import import_population

    csv = shared_data / "ubigeo_inei_2025.csv"
    import_population(admin, csv.name, csv.read_bytes(), 2025)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (the browser and the concurrency tests) last: their flush
    empties the reference tables that the other tests read from the migrated database."""
    items.sort(key=_flushes_the_database)


def _flushes_the_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("browser") is not None:
        return True
    marker = item.get_closest_marker("django_db")
    uses = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in uses
