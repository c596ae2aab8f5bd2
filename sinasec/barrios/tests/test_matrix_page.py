"""The barrio x sector matrix page and its CSV: numbers equal the sums of the records,
gaps shown, the commission's sectors as columns, bounded queries."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.test import Client

from sinasec.barrios.articulation.services import add_commitment, report_delivery
from sinasec.barrios.models import Barrio, BarrioStatus, Commitment, Delivery
from sinasec.barrios.registry.reference import COMMISSION_SECTORS
from sinasec.conftest import login
from sinasec.institutions.models import Institution

pytestmark = pytest.mark.django_db

MaxQueries = Callable[[int], AbstractContextManager[object]]
START, END = date(2026, 1, 1), date(2026, 12, 31)
# The matrix page, whatever the number of barrios: measured 10 (session, user, profile,
# the filter options, barrios, other sectors, commitments, deliveries, sector names),
# plus a little slack.
MATRIX_MAX_QUERIES = 12


def barrio(district: str, name: str = "") -> Barrio:
    return Barrio.objects.create(
        name=name, district_id=district, cohort="2026", status=BarrioStatus.LAUNCHED
    )


def cells(html: str) -> dict[tuple[int, str], tuple[int, int]]:
    """(barrio, sector) -> (target, delivered), as the page shows them."""
    found = {}
    for row in re.findall(r'<tr data-barrio-id="(\d+)">(.*?)</tr>', html, re.S):
        for sector, target, delivered in re.findall(
            r'data-sector="([\w-]+)" data-target="(\d+)" data-delivered="(\d+)"', row[1]
        ):
            found[(int(row[0]), sector)] = (int(target), int(delivered))
    return found


def test_the_commission_s_sectors_exist_as_institutions() -> None:
    assert set(
        Institution.objects.filter(acronym__in=COMMISSION_SECTORS).values_list("acronym", flat=True)
    ) == set(COMMISSION_SECTORS)


def test_it_shows_the_sums_of_the_records_with_gaps_and_the_csv(
    client: Client, admin: User, focal_point: User, other_focal_point: User
) -> None:
    a, b = barrio("150122", "Santa Cruz"), barrio("070106")
    minsa_a1 = add_commitment(admin, a.pk, "MINSA", "Campañas", "campañas", 10, START, END)
    minsa_a2 = add_commitment(admin, a.pk, "MINSA", "Tamizaje", "personas", 30, START, END)
    pnp_b = add_commitment(admin, b.pk, "PNP", "Patrullaje", "patrullajes", 8, START, END)
    add_commitment(admin, b.pk, "MINEDU", "Escuelas abiertas", "escuelas", 2, START, END)
    report_delivery(other_focal_point, minsa_a1.pk, date(2026, 2, 1), 4)
    report_delivery(other_focal_point, minsa_a2.pk, date(2026, 3, 1), 6)
    report_delivery(other_focal_point, minsa_a2.pk, date(2026, 4, 1), 5)
    report_delivery(focal_point, pnp_b.pk, date(2026, 2, 1), 8)

    login(client, admin)
    html = client.get("/barrios/articulacion/").content.decode()
    shown = cells(html.split("<tfoot>")[0])
    expected = {}
    for barrio_id, sector in Commitment.objects.values_list("barrio_id", "sector__acronym"):
        target = Commitment.objects.filter(barrio_id=barrio_id, sector__acronym=sector).aggregate(
            n=Sum("target")
        )["n"]
        delivered = Delivery.objects.filter(
            commitment__barrio_id=barrio_id, commitment__sector__acronym=sector
        ).aggregate(n=Sum("quantity"))["n"]
        expected[(barrio_id, sector)] = (target, delivered or 0)
    assert (
        shown
        == expected
        == {
            (a.pk, "MINSA"): (40, 15),
            (b.pk, "PNP"): (8, 8),
            (b.pk, "MINEDU"): (2, 0),
        }
    )
    headers = re.findall(r'<th class="num" title="[^"]*" data-sector="([\w-]+)">', html)
    assert headers == [*COMMISSION_SECTORS, "PNP"]  # the commission's, then the others
    gaps = re.findall(r'<tr data-barrio-id="(\d+)">', html)
    assert len(gaps) == 2
    assert html.count('data-gap="true"') == 2 * len(headers) - 3
    totals = re.findall(
        r'data-sector="([\w-]+)" data-target="(\d+)" data-delivered="(\d+)"',
        html.split("<tfoot>")[1],
    )
    assert totals == [("MINEDU", "2", "0"), ("MINSA", "40", "15"), ("PNP", "8", "8")]
    assert re.search(rf'data-barrio-id="{a.pk}">.*?data-coverage="37\.5"', html, re.S)

    spanish = client.get("/barrios/articulacion/matriz.csv").content.decode("utf-8-sig")
    assert spanish.startswith("id del barrio,nombre,") and "MINSA: meta" in spanish
    response = client.get("/barrios/articulacion/matriz.csv?columnas=codigos")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_id = {int(r["barrio_id"]): r for r in rows}
    assert (by_id[a.pk]["MINSA_target"], by_id[a.pk]["MINSA_delivered"]) == ("40", "15")
    assert by_id[a.pk]["MINSA_coverage_pct"] == "37.5"
    assert by_id[b.pk]["MINSA_target"] == "" and "MINSA" in by_id[b.pk]["gaps"].split()
    assert by_id[b.pk]["PNP_coverage_pct"] == "100.0"


def test_it_renders_the_matrix_in_a_bounded_number_of_queries(
    client: Client, admin: User, django_assert_max_num_queries: MaxQueries
) -> None:
    login(client, admin)

    def grow(n: int) -> None:
        for i in range(n):
            b = barrio("150122" if i % 2 else "070106")
            c = add_commitment(admin, b.pk, "MINSA", "x", "u", 10, START, END)
            add_commitment(admin, b.pk, f"{'PNP' if i % 3 else 'GL'}", "y", "u", 5, START, END)
            report_delivery(admin, c.pk, date(2026, 5, 1), 3)

    grow(2)
    with django_assert_max_num_queries(MATRIX_MAX_QUERIES):
        assert client.get("/barrios/articulacion/").status_code == 200
    grow(30)
    with django_assert_max_num_queries(MATRIX_MAX_QUERIES):
        html = client.get("/barrios/articulacion/").content.decode()
    assert len(cells(html.split("<tfoot>")[0])) == 32 * 2
    with django_assert_max_num_queries(MATRIX_MAX_QUERIES):
        assert client.get("/barrios/articulacion/matriz.csv").status_code == 200
