"""Spanish everywhere, English complete: every page each role reaches, rendered in both
languages, shows no English text of the catalogue in Spanish (nor a widget's English),
and no Spanish text of the catalogue in English."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sinasec.audit.models import AuditEvent
from sinasec.institutions.models import Institution
from sinasec.plans.models import Activity, ActivityPart, Strategy
from sinasec.site.tests.crawl import crawl
from sinasec.site.tests.language import (
    english_phrases,
    page_texts,
    read_catalogue,
    spanish_phrases,
)
from sinasec.site.tests.test_crawl import ROLES

pytestmark = pytest.mark.django_db

# Records are shown as they were written, in Spanish: names of institutions, the 2010
# plan's texts, the audit log's summaries. A Spanish phrase of the catalogue that is also
# part of one of them is data on an English page, not an untranslated interface.
DATA = (
    (Institution, ("name",)),
    (Strategy, ("name",)),
    (Activity, ("description", "unit")),
    (ActivityPart, ("responsible_text",)),
    (AuditEvent, ("summary", "before", "after")),
    # (A targeting run's data warnings are stored as codes with values and worded in the
    # reader's language: sinasec/barrios/targeting/checks.py. They are no record text.)
)
CATALOGUE = read_catalogue()
WRONG = {"es-pe": english_phrases(CATALOGUE), "en": spanish_phrases(CATALOGUE)}
# Pages no link leads to (the error pages) are rendered besides the crawl.
EXTRA = ("/no-existe/",)


def _records_text() -> str:
    return "\n".join(
        str(value)
        for model, fields in DATA
        for row in model.objects.values_list(*fields)
        for value in row
        if value
    )


def _wrong_language(client: Client, language: str) -> dict[str, set[str]]:
    phrases = WRONG[language]
    found: dict[str, set[str]] = {}
    records = _records_text() if language == "en" else ""

    def visit(url: str, html: str) -> None:
        wrong = {p for p in phrases.found_in(page_texts(html)) if p not in records}
        if wrong:
            found[url] = wrong

    result = crawl(client, limit=300, visit=visit)
    assert len(result.visited) > 40
    for url in EXTRA:
        visit(url, client.get(url).content.decode())
    return found


@pytest.mark.parametrize("language", ["es-pe", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_it_shows_every_page_in_one_language(
    role: str | None, language: str, records: None, request: pytest.FixtureRequest
) -> None:
    client = Client(headers={"accept-language": language})
    if role:
        user: User = request.getfixturevalue(role)
        client.force_login(user)
    found = _wrong_language(client, language)
    report = "\n".join(f"{url}: {sorted(texts)}" for url, texts in sorted(found.items()))
    assert not found, f"{role or 'public'} in {language}:\n{report}"


def test_it_reads_the_catalogue_and_a_page() -> None:
    assert CATALOGUE["Regional governments"] == "Gobiernos regionales"
    texts = page_texts(
        '<p title="Zoom in">Regional <b>governments</b></p><script>var x="Map"</script>'
        '<input type="submit" value="Save">'
    )
    assert texts == ["Zoom in", "Regional", "governments", "Save"]
    assert WRONG["es-pe"].found_in(["Zoom in", "Regional governments"]) == {
        "Zoom in",
        "Regional governments",
    }
    assert WRONG["en"].found_in(["Gobiernos regionales"]) == {"Gobiernos regionales"}
