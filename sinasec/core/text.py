"""How names and column headers written in different sources are compared: one
accent folding, and the keys built on it."""

from __future__ import annotations

import re
import unicodedata


def fold_accents(text: str, keep: str = "") -> str:
    """``text`` without accents (combining marks), except the marks in ``keep``:
    "Áncash" -> "Ancash"; with ``keep="\\u0303"``, "CAÑETE" keeps its Ñ."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if ch in keep or not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


def name_key(text: str) -> str:
    """Upper case, no accents, single spaces: "Áncash", "ANCASH " and "ancash" compare
    equal; so do "Región  Lima" and "REGION LIMA"."""
    return " ".join(fold_accents(text.upper()).split())


def compact_key(text: str) -> str:
    """``name_key`` without spaces or punctuation: "ST- CONASEC" and "st-conasec" share
    one key; so do "MIMDES /" and "MIMDES", "Defensoría" and "DEFENSORIA"."""
    return "".join(ch for ch in name_key(text) if ch.isalnum())


def header_key(value: str) -> str:
    """A column header as a key: lower case, no accents, "_" for spaces and dashes:
    "Meta Anual" -> "meta_anual", "Año" -> "ano", "Población " -> "poblacion",
    "N° actividad" -> "n_actividad"."""
    bare = fold_accents(value.strip().lower()).replace("n°", "n").replace("nº", "n")
    return re.sub(r"[\s-]+", "_", bare).strip("_")


def search_key(text: str) -> str:
    """How a name is searched and sorted: lower case, no accents, single spaces:
    "ancash", "ÁNCASH" and "Áncash" all give "ancash" (so Áncash sorts with the A's);
    "Huánuco" gives "huanuco". Ñ is folded too: "pena" finds Peña, which sorts as "pena"."""
    return " ".join(fold_accents(text).casefold().split())
