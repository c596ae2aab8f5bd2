"""Barrio Seguro 2018 + Acción (Ministerio del Interior), transcribed as printed: the
barrios per territory of the 2016-2017 launches and of the 2018 plan, the annual goal
and the barrios the document names. One 2018 row lost its territory name in the text
extraction: it stays unknown."""

from __future__ import annotations

SOURCE = "Ministerio del Interior, Barrio Seguro 2018 + Acción"

COHORT_2016_2017 = (
    ("Tumbes", 1),
    ("Ancash", 2),
    ("La Libertad", 4),
    ("Lambayeque", 1),
    ("Piura", 1),
    ("Callao", 1),
    ("Lima Provincia", 2),
    ("Lima Metropolitana", 5),
    ("Ica", 1),
    ("Cusco", 1),
    ("Ayacucho", 1),
    ("Puno", 2),
    ("Tacna", 1),
)
COHORT_2018 = (
    ("Lima Metropolitana", 9),
    ("Callao", 4),
    ("Ica", 2),
    ("", 1),  # the territory name was lost in the extraction
    ("La Libertad", 5),
    ("Piura", 1),
    ("Tumbes", 1),
    ("Lima Provincia", 7),
)
GOAL_2018 = 30  # "el Gobierno implementará 30 nuevos Barrios Seguros" (meta anual, PGG 2018-2021)
PRINTED_TOTALS = {"2016-2017": 23, "2018": 30, "2016-2018": 53}

# The barrios the document names: (name, district ubigeo, territory, what it says).
NAMED = (
    (
        "San Clemente",
        "110507",
        "Ica",
        "2018",
        "Ministro del Interior instala Barrio Seguro en el distrito de San Clemente en la ciudad de Pisco",
    ),
    ("Ventanilla", "070106", "Callao", None, "Inauguración de Barrio Seguro en Ventanilla, Callao"),
    (
        "Carmen de La Legua",
        "070103",
        "Callao",
        None,
        "Inauguración de Barrio Seguro en Carmen de La Legua, Callao",
    ),
)

REGION_CODES = {
    "Lima Metropolitana": "1501",
    "Lima Provincia": "15",
    "Ancash": "02",
}

# The sectors of the Comisión Multisectorial Barrio Seguro (D.S. N° 003-2018-IN) as the
# document lists them ("... DEVIDA, entre otros"), by their acronym in the institutions
# registry (Vivienda, Construcción y Saneamiento is MVCS there). The barrio x sector
# matrix shows these columns, and any other sector that has committed something.
COMMISSION_SECTORS = (
    "MINEDU",
    "MIDIS",
    "MINSA",
    "MINCUL",
    "MTC",
    "MTPE",
    "MVCS",
    "MIMP",
    "DEVIDA",
)
