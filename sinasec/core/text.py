"""How names written in different sources are compared."""

from __future__ import annotations

import unicodedata


def name_key(text: str) -> str:
    """Upper case, no accents, single spaces: "Áncash", "ANCASH " and "ancash" compare
    equal; so do "Región  Lima" and "REGION LIMA"."""
    decomposed = unicodedata.normalize("NFD", text.upper())
    return " ".join("".join(c for c in decomposed if unicodedata.category(c) != "Mn").split())
