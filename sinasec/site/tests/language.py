"""What a rendered page says, and which of it is in the wrong language.

The project's catalogue (``sinasec/locale/es/LC_MESSAGES/django.po``) is read with a
small parser (polib is a tool for scripts, not a test dependency). A page's *text* is
what a reader meets: its text nodes (outside ``<script>``/``<style>``) and the attributes
that are read aloud or shown (``title``, ``placeholder``, ``aria-label``, ``alt``, a
button's ``value`` and the ``data-*-title`` texts the map controls take), each with its
white space collapsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po"

# English a page must never show in Spanish whatever the catalogue says: Django's and
# Leaflet's own texts, which the project's catalogue does not list.
WIDGET_ENGLISH = (
    "- Select an option -",
    "Zoom in",
    "Zoom out",
    "This field is required.",
    "Enter a valid date.",
    "Unknown",
)
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-zoom-in", "data-zoom-out"}
# A text shorter than this is matched only as a whole text node ("Name" inside a longer
# sentence may be data); longer ones anywhere in the page's text.
WHOLE_NODE_BELOW = 24
_PLACEHOLDER = re.compile(r"%(\([^)]*\))?[sdif]|\{[^}]*\}")
_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")


def read_catalogue(path: Path = CATALOGUE) -> dict[str, str]:
    """msgid -> msgstr of every singular, non-fuzzy entry with a translation (the plural
    and context entries are left out: their English is matched by their singular)."""
    entries: dict[str, str] = {}
    key, parts, fuzzy = "", {"msgid": "", "msgstr": ""}, False
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if parts["msgid"] and parts["msgstr"] and not fuzzy:
                entries[parts["msgid"]] = parts["msgstr"]
            key, parts, fuzzy = "", {"msgid": "", "msgstr": ""}, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgctxt", "msgid_plural", "msgstr[")):
            key = "skip"
            parts["msgid"] = ""
        elif line.startswith(("msgid ", "msgstr ")) and key != "skip":
            key = line.split()[0]
            parts[key] = _unquote(line)
        elif line.startswith('"') and key in parts:
            parts[key] += _unquote(line)
    return entries


def _fragment(text: str) -> str:
    """The longest literal piece of a message with placeholders ("%(n)s districts")."""
    pieces = [squash(p) for p in _PLACEHOLDER.split(text) if p]
    return max(pieces, key=len, default="")


@dataclass(frozen=True)
class Phrases:
    """Texts that betray the wrong language, split by how they are matched."""

    nodes: frozenset[str]  # equal to a whole text node
    anywhere: tuple[str, ...]  # contained in the page's text

    @classmethod
    def of(cls, texts: list[str]) -> Phrases:
        nodes, anywhere = set(), set()
        for text in texts:
            fragment = _fragment(text)
            if not re.search(r"[A-Za-z]{3}", fragment):
                continue
            if len(fragment) < WHOLE_NODE_BELOW:
                nodes.add(fragment)
            else:
                anywhere.add(fragment)
        return cls(frozenset(nodes), tuple(sorted(anywhere)))

    def found_in(self, texts: list[str]) -> set[str]:
        found = {t for t in texts if t in self.nodes}
        joined = "\n".join(texts)
        found.update(p for p in self.anywhere if p in joined)
        return found


def english_phrases(catalogue: dict[str, str]) -> Phrases:
    """The catalogue's English wherever its Spanish differs, and the widgets' English."""
    differ = [msgid for msgid, msgstr in catalogue.items() if squash(msgid) != squash(msgstr)]
    spanish = {squash(s) for s in catalogue.values()}
    # A msgid that is also some other message's Spanish ("Total", "Plan") proves nothing.
    return Phrases.of([m for m in differ if squash(m) not in spanish] + list(WIDGET_ENGLISH))


def spanish_phrases(catalogue: dict[str, str]) -> Phrases:
    """The catalogue's Spanish wherever it differs from the English (and is no msgid)."""
    english = {squash(m) for m in catalogue}
    return Phrases.of(
        [
            msgstr
            for msgid, msgstr in catalogue.items()
            if squash(msgid) != squash(msgstr) and squash(msgstr) not in english
        ]
    )


class _Text(HTMLParser):
    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            shown = name in SHOWN_ATTRIBUTES or (name == "value" and tag == "input")
            if value and shown and dict(attrs).get("type") != "hidden":
                self.texts.append(squash(value))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(squash(data))


def page_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.texts
