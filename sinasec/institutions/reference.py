"""The member institutions of the SINASEC as the two seed documents name them.

Sources (``/work/shared/seeds``):

* "POI 2010": *Plan Operativo Nacional de Seguridad Ciudadana 2010* (Secretaría Técnica
  del CONASEC): section III.A lists the providers of each service type, section V
  ("Programación de actividades para el 2010") names a "Responsable" for every activity.
* "Barrio Seguro 2018": *Barrio Seguro 2018 + Acción* (Ministerio del Interior): the
  sectors of the Comisión Multisectorial Barrio Seguro (D.S. N° 003-2018-IN).

Why aliases exist: the seed writes the same body several ways. The Responsable column
uses both "PJ" and "Poder Judicial", "ST-CONASEC" and "ST- CONASEC", "MINSA" and
"SALUD", "Gobiernos Locales" and "Gobiernos locales", "Defensoría" for the Defensoría
del Pueblo, and the activity text even calls the INPE "NPE". Section III.A prints
"Policía Nacional del Perú-PNP" style name-acronym pairs. ``aliases`` keeps every such
spelling exactly as printed, and ``resolve_alias`` maps any of them (ignoring case,
accents, spaces and punctuation) to one stable ``acronym``, so one body is one record.

Renamed bodies are separate records linked by ``successor`` (MIMDES -> MIMP), so a 2010
activity keeps pointing at the body that existed then. Nothing here is invented: a fact
the sources do not give is left empty / None (see the comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sinasec.core.text import compact_key

POI_2010 = "POI 2010"
BARRIO_SEGURO_2018 = "Barrio Seguro 2018"

KINDS = (
    "council",
    "ministry",
    "police",
    "prosecutor",
    "judiciary",
    "autonomous",
    "regional_government",
    "local_government",
    "committee",
    "community",
    "private",
    "agency",
)


@dataclass(frozen=True)
class InstitutionRef:
    acronym: str  # unique key, uppercase
    name: str  # full Spanish name
    kind: str  # one of KINDS
    aliases: tuple[str, ...] = ()  # other spellings seen in the sources, as printed
    parent: str | None = None  # acronym of the body it belongs to
    successor: str | None = None  # acronym of the body that replaced it
    valid_until: date | None = None
    source: str = ""  # where the sources name it


INSTITUTIONS: tuple[InstitutionRef, ...] = (
    # --- Consejo y su Secretaría Técnica -------------------------------------------------
    InstitutionRef(
        acronym="CONASEC",
        name="Consejo Nacional de Seguridad Ciudadana",
        kind="council",
        source=f"{POI_2010}, II y programa V (Responsable); {BARRIO_SEGURO_2018}, Presentación",
    ),
    InstitutionRef(
        acronym="ST-CONASEC",
        name="Secretaría Técnica del Consejo Nacional de Seguridad Ciudadana",
        kind="agency",
        aliases=("ST- CONASEC", "Secretaría Técnica del CONASEC"),
        # "el Consejo Nacional de Seguridad Ciudadana, a través de su Secretaría Técnica".
        parent="CONASEC",
        source=f"{POI_2010}, Presentación y programa V (Responsable)",
    ),
    # --- Ministerio del Interior ---------------------------------------------------------
    InstitutionRef(
        acronym="MININTER",
        name="Ministerio del Interior",
        kind="ministry",
        source=f"{POI_2010}, programa V (Responsable); {BARRIO_SEGURO_2018}, Presentación",
    ),
    InstitutionRef(
        acronym="DGSC",
        name="Dirección General de Seguridad Ciudadana",
        kind="agency",
        aliases=("Dirección General de Seguridad Ciudadana del Ministerio del Interior",),
        parent="MININTER",
        source=f"{BARRIO_SEGURO_2018}, Presentación",
    ),
    # The sources do not say which body the PNP belongs to: parent left None.
    InstitutionRef(
        acronym="PNP",
        name="Policía Nacional del Perú",
        kind="police",
        aliases=("Policía Nacional del Perú-PNP",),
        source=f"{POI_2010}, III.A.3, III.A.4, III.A.6 y programa V (Responsable)",
    ),
    # The sources never spell DIRPASEC out ("PNP DIRPASEC", programa V, estrategia 3,
    # actividad 8 "Capacitación de Juntas Vecinales"), so the name is the acronym.
    InstitutionRef(
        acronym="DIRPASEC",
        name="DIRPASEC",
        kind="police",
        aliases=("PNP DIRPASEC",),
        parent="PNP",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    # --- Sistema de administración de justicia y órganos autónomos -----------------------
    InstitutionRef(
        acronym="MP",
        name="Ministerio Público",
        kind="prosecutor",
        source=f"{POI_2010}, III.A.3, III.A.4, III.A.6 y programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="PJ",
        name="Poder Judicial",
        kind="judiciary",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    # III.A.7: "Las instituciones prestadoras de estos servicios son las que integran el
    # Sistema de Administración de Justicia." The plan does not list its members, so the
    # system itself is the named provider.
    InstitutionRef(
        acronym="SAJ",
        name="Sistema de Administración de Justicia",
        kind="judiciary",
        source=f"{POI_2010}, III.A.7",
    ),
    InstitutionRef(
        acronym="DP",
        name="Defensoría del Pueblo",
        kind="autonomous",
        aliases=("Defensoría",),
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    # The sources do not say which sector the INPE belongs to: parent left None.
    InstitutionRef(
        acronym="INPE",
        name="Instituto Nacional Penitenciario",
        kind="agency",
        aliases=("Instituto Nacional Penitenciario-INPE", "NPE"),
        source=f"{POI_2010}, III.A.5 y programa V (Responsable)",
    ),
    # --- Ministerios ---------------------------------------------------------------------
    InstitutionRef(
        acronym="MEF",
        name="Ministerio de Economía y Finanzas",
        kind="ministry",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="MINEDU",
        name="Ministerio de Educación",
        kind="ministry",
        source=(
            f"{POI_2010}, programa V (Responsable); {BARRIO_SEGURO_2018}, Comisión Multisectorial"
        ),
    ),
    # Named "Ministerio de Justicia" in the 2010 plan; the sources say nothing of a later
    # name, so no successor is recorded here.
    InstitutionRef(
        acronym="MINJUS",
        name="Ministerio de Justicia",
        kind="ministry",
        aliases=("Ministerio de Justicia-MINJUS",),
        source=f"{POI_2010}, III.A.4 y programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="MINSA",
        name="Ministerio de Salud",
        kind="ministry",
        aliases=("Ministerio de Salud-MINSA", "SALUD"),
        source=(
            f"{POI_2010}, III.A.3, III.A.4 y programa V (Responsable); "
            f"{BARRIO_SEGURO_2018}, Comisión Multisectorial"
        ),
    ),
    InstitutionRef(
        acronym="MTC",
        name="Ministerio de Transportes y Comunicaciones",
        kind="ministry",
        source=(
            f"{POI_2010}, programa V (Responsable); {BARRIO_SEGURO_2018}, Comisión Multisectorial"
        ),
    ),
    # Renamed Ministerio de la Mujer y Poblaciones Vulnerables (MIMP) in 2012 by Decreto
    # Legislativo N° 1098. valid_until is None: the exact day of the change (publication
    # or entry into force of the D.Leg.) is not in the sources and was not verified.
    InstitutionRef(
        acronym="MIMDES",
        name="Ministerio de la Mujer y Desarrollo Social",
        kind="ministry",
        aliases=("Ministerio de la Mujer y Desarrollo Social-MIMDES",),
        successor="MIMP",
        valid_until=None,
        source=f"{POI_2010}, III.A.3, III.A.4 y programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="MIMP",
        name="Ministerio de la Mujer y Poblaciones Vulnerables",
        kind="ministry",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    InstitutionRef(
        acronym="MIDIS",
        name="Ministerio de Desarrollo e Inclusión Social",
        kind="ministry",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    InstitutionRef(
        acronym="MINCUL",
        name="Ministerio de Cultura",
        kind="ministry",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    InstitutionRef(
        acronym="MTPE",
        name="Ministerio de Trabajo y Promoción del Empleo",
        kind="ministry",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    InstitutionRef(
        acronym="MVCS",
        name="Ministerio de Vivienda, Construcción y Saneamiento",
        kind="ministry",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    # The source prints only "DEVIDA"; which body it is attached to is not said.
    InstitutionRef(
        acronym="DEVIDA",
        name="Comisión Nacional para el Desarrollo y Vida sin Drogas",
        kind="agency",
        source=f"{BARRIO_SEGURO_2018}, Comisión Multisectorial",
    ),
    # --- Gobiernos regionales y locales --------------------------------------------------
    InstitutionRef(
        acronym="GR",
        name="Gobiernos Regionales",
        kind="regional_government",
        source=f"{POI_2010}, III.A.3 (“Gobiernos Regionales y Locales”)",
    ),
    InstitutionRef(
        acronym="GL",
        name="Gobiernos Locales",
        kind="local_government",
        aliases=("Gobiernos locales", "municipalidades"),
        source=f"{POI_2010}, III.A.3, III.A.6 y programa V (Responsable)",
    ),
    # --- Comités de seguridad ciudadana --------------------------------------------------
    InstitutionRef(
        acronym="CORESEC",
        name="Comité Regional de Seguridad Ciudadana",
        kind="committee",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="COPROSEC",
        name="Comité Provincial de Seguridad Ciudadana",
        kind="committee",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
    InstitutionRef(
        acronym="CODISEC",
        name="Comité Distrital de Seguridad Ciudadana",
        kind="committee",
        aliases=("Comités Distritales de Seguridad Ciudadana",),
        source=f"{POI_2010}, programa V (Responsable); {BARRIO_SEGURO_2018}, Presentación",
    ),
    # --- Comunidad y sector privado ------------------------------------------------------
    InstitutionRef(
        acronym="JV",
        name="Juntas Vecinales",
        kind="community",
        source=f"{POI_2010}, III.A.3",
    ),
    InstitutionRef(
        acronym="RC",
        name="Rondas Campesinas",
        kind="community",
        source=f"{POI_2010}, III.A.3",
    ),
    InstitutionRef(
        acronym="CO",
        name="Ciudadanía Organizada",
        kind="community",
        source=f"{POI_2010}, III.A.6",
    ),
    InstitutionRef(
        acronym="ESP",
        name="Empresas de Seguridad Privada",
        kind="private",
        source=f"{POI_2010}, programa V (Responsable)",
    ),
)

BY_ACRONYM: dict[str, InstitutionRef] = {inst.acronym: inst for inst in INSTITUTIONS}


def _build_alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for inst in INSTITUTIONS:
        for spelling in (inst.acronym, inst.name, *inst.aliases):
            key = compact_key(spelling)
            owner = index.setdefault(key, inst.acronym)
            if owner != inst.acronym:
                raise ValueError(f"{spelling!r} names both {owner} and {inst.acronym}")
    return index


_ALIAS_INDEX: dict[str, str] = _build_alias_index()


def resolve_alias(text: str) -> str | None:
    """The acronym of the institution one printed name refers to, or None if unknown.

    Matches the acronym, the name or any alias, ignoring case, accents, spaces and
    punctuation (so a trailing separator as in "MIMDES /" does not matter).
    """
    key = compact_key(text)
    if not key:
        return None
    return _ALIAS_INDEX.get(key)


# Always separators: a newline, a tab or a run of spaces (cells wrapped in the PDF), "/".
_HARD_SEPARATORS = re.compile(r"\s*/\s*|\s*\n\s*|\t+|\s{2,}")
# Only separators when the text around them is not itself a known name: " Y " (as in
# "PNP Y Gobiernos Locales") and a spaced dash (as in "PNP - MP"; "ST- CONASEC" is not
# split, it has no space before the dash).
_SOFT_SEPARATORS = re.compile(r"\s+Y\s+|\s+[-\u2013\u2014]\s+")


def split_responsibles(cell: str) -> list[str]:
    """Split a "Responsable" cell of the 2010 programme into the institutions it names.

    "MP / PNP /MINEDU / INPE" -> ["MP", "PNP", "MINEDU", "INPE"];
    "PNP - MP" -> ["PNP", "MP"]; "PNP Y Gobiernos Locales" -> ["PNP", "Gobiernos Locales"];
    "COPROSEC CODISEC" -> ["COPROSEC", "CODISEC"]; "MIMDES /" -> ["MIMDES"];
    "PNP DIRPASEC" stays one part (it is one directorate). Parts are returned as printed
    (stripped); pass each to ``resolve_alias``.
    """
    parts: list[str] = []
    for chunk in _HARD_SEPARATORS.split(cell):
        chunk = chunk.strip()
        if not chunk:
            continue
        if resolve_alias(chunk) is not None:
            parts.append(chunk)
            continue
        for piece in _SOFT_SEPARATORS.split(chunk):
            piece = piece.strip()
            if not piece:
                continue
            words = piece.split()
            if (
                resolve_alias(piece) is None
                and len(words) > 1
                and all(resolve_alias(word) is not None for word in words)
            ):
                # Several acronyms separated by single spaces ("COPROSEC CODISEC").
                parts.extend(words)
            else:
                parts.append(piece)
    return parts
