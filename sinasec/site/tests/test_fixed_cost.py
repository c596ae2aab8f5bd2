"""What every signed-in page pays before its own content, made cheaper without changing
what it shows or checks: the top bar rendered once per kind of reader and filled in per
request, the session read in plain SQL, the start page's reference counts cached."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from sinasec.conftest import login
from sinasec.core.cache import bump_generation
from sinasec.core.sessions import SessionStore
from sinasec.institutions.models import Institution


def test_it_fills_the_top_bar_with_each_readers_own_values(
    client: Client, secretary: User, admin: User
) -> None:
    secretary.first_name, secretary.last_name = 'Ana "<b>', "Quispe"
    secretary.save()
    login(client, secretary)
    page = client.get("/cuentas/yo/?next=%22%3E%3Cx").content.decode()
    assert 'data-testid="who" title="Mi cuenta">Ana &quot;&lt;b&gt; Quispe</a>' in page
    assert 'name="next" value="/cuentas/yo/?next=%22%3E%3Cx"' in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert page.count(token) == 3  # language form, log out form, htmx header
    assert "sinasec-mark" not in page
    other = login(Client(), admin).get("/cuentas/yo/").content.decode()
    assert "Quispe" not in other and token not in other
    assert 'data-testid="nav-accounts"' in other and 'data-testid="nav-accounts"' not in page


def test_it_shows_the_same_bar_as_the_template_alone(client: Client, focal_point: User) -> None:
    login(client, focal_point)
    page = client.get("/avisos/preferencias/").content.decode()
    bar = page[page.index('<header class="topbar">') : page.index("</header>") + 9]
    request = RequestFactory().get("/avisos/preferencias/")
    request.user = focal_point
    token = bar.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    whole = render_to_string(
        "includes/topbar.html",
        {
            "scope": type("S", (), {"reads_records": True})(),
            "signed_in": True,
            "csrf_token": token,
            "next_path": "/avisos/preferencias/",
            "who": focal_point.get_full_name() or focal_point.get_username(),
            "unread": "",
        },
    ).strip()
    assert bar == whole


def test_it_leaves_the_csrf_field_out_of_a_page_without_request() -> None:
    page = render_to_string("core/server_error.html", {"request_id": "x"})
    assert "csrfmiddlewaretoken" not in page and 'data-testid="who"' not in page
    assert '<header class="topbar">' in page


def test_it_reads_sessions_as_django_does(secretary: User) -> None:
    django_session = DjangoSessionStore()
    django_session["greeting"] = "hola"
    django_session.create()
    ours = SessionStore(django_session.session_key)
    assert ours["greeting"] == "hola"
    Session.objects.filter(pk=django_session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(django_session.session_key)
    assert "greeting" not in expired and expired.session_key is None
    assert SessionStore("no-such-key-0123456789abcdef").load() == {}


def test_it_signs_out_a_session_that_expired(client: Client, secretary: User) -> None:
    login(client, secretary)
    assert client.get("/cuentas/yo/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/cuentas/yo/").status_code == 302


def test_it_counts_the_start_pages_references_again_when_territories_change(
    client: Client, secretary: User
) -> None:
    login(client, secretary)
    before = client.get("/").context["institutions"]
    Institution.objects.create(acronym="NUEVA", name="Institución nueva")
    assert client.get("/").context["institutions"] == before  # cached, as the public page
    bump_generation("territories")
    assert client.get("/").context["institutions"] == before + 1
