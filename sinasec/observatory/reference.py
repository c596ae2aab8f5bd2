"""Reference data of the observatory: the crime classification mapped to UNODC's ICCS,
and the 2010 plan's tables 2-4 (surveys 2004-2009 and crimes by department 2000-2008),
transcribed as printed. The seed tables are demo data."""

from __future__ import annotations

from dataclasses import dataclass

ICCS_SECTIONS = {
    "01": "Actos que causan la muerte o tienen la intención de causarla",
    "02": "Actos que causan daño o tienen la intención de causar daño a la persona",
    "03": "Actos lesivos de naturaleza sexual",
    "04": "Actos contra la propiedad que entrañan violencia o amenaza contra las personas",
    "05": "Actos contra la propiedad solamente",
    "06": "Actos que entrañan sustancias psicoactivas controladas u otras drogas",
    "07": "Actos que entrañan fraude, engaño o corrupción",
    "08": "Actos contra el orden público, la autoridad y las disposiciones del Estado",
    "09": "Actos contra la seguridad pública y la seguridad del Estado",
    "10": "Actos contra el entorno natural",
    "11": "Otros actos delictivos no clasificados en otra parte",
}


@dataclass(frozen=True)
class CategoryRef:
    code: str
    name: str
    penal_family: str
    articles: str
    iccs: str
    aliases: tuple[str, ...] = ()


PATRIMONIO = "Delitos contra el patrimonio"
VIDA = "Delitos contra la vida, el cuerpo y la salud"
LIBERTAD = "Delitos contra la libertad"
SEGURIDAD = "Delitos contra la seguridad pública"

CATEGORIES = (
    CategoryRef(
        "homicidio", "Homicidio", VIDA, "106-113", "01", ("HOMICIDIO", "HOMICIDIO CALIFICADO")
    ),
    CategoryRef("feminicidio", "Feminicidio", VIDA, "108-B", "01", ("FEMINICIDIO",)),
    CategoryRef(
        "lesiones",
        "Lesiones",
        VIDA,
        "121-124",
        "02",
        ("LESIONES", "LESIONES GRAVES", "LESIONES LEVES"),
    ),
    CategoryRef(
        "violencia_familiar",
        "Agresiones contra las mujeres o integrantes del grupo familiar",
        VIDA,
        "122-B",
        "02",
        (
            "VIOLENCIA FAMILIAR",
            "AGRESIONES EN CONTRA DE LAS MUJERES O INTEGRANTES DEL GRUPO FAMILIAR",
        ),
    ),
    CategoryRef("secuestro", "Secuestro", LIBERTAD, "152", "02", ("SECUESTRO",)),
    CategoryRef("trata", "Trata de personas", LIBERTAD, "153", "02", ("TRATA DE PERSONAS",)),
    CategoryRef("extorsion", "Extorsión", PATRIMONIO, "200", "02", ("EXTORSION", "EXTORSIÓN")),
    CategoryRef(
        "violacion",
        "Violación de la libertad sexual",
        LIBERTAD,
        "170-178",
        "03",
        ("VIOLACION SEXUAL", "VIOLACIÓN SEXUAL", "VIOLACION DE LA LIBERTAD SEXUAL"),
    ),
    CategoryRef("robo", "Robo", PATRIMONIO, "188-189", "04", ("ROBO", "ROBO AGRAVADO")),
    CategoryRef("hurto", "Hurto", PATRIMONIO, "185-186", "05", ("HURTO", "HURTO AGRAVADO")),
    CategoryRef(
        "usurpacion", "Usurpación", PATRIMONIO, "202-204", "05", ("USURPACION", "USURPACIÓN")
    ),
    CategoryRef("danos", "Daños", PATRIMONIO, "205-206", "05", ("DAÑOS", "DANOS")),
    CategoryRef(
        "estafa", "Estafa", PATRIMONIO, "196", "07", ("ESTAFA", "ESTAFA Y OTRAS DEFRAUDACIONES")
    ),
    CategoryRef(
        "trafico_drogas",
        "Tráfico ilícito de drogas",
        "Delitos contra la salud pública",
        "296-297",
        "06",
        ("TRAFICO ILICITO DE DROGAS", "TRÁFICO ILÍCITO DE DROGAS"),
    ),
    CategoryRef(
        "microcomercializacion",
        "Microcomercialización de drogas",
        "Delitos contra la salud pública",
        "298",
        "06",
        ("MICROCOMERCIALIZACION", "MICROCOMERCIALIZACIÓN DE DROGAS"),
    ),
    CategoryRef(
        "armas", "Tenencia ilegal de armas", SEGURIDAD, "279", "09", ("TENENCIA ILEGAL DE ARMAS",)
    ),
    CategoryRef("otros", "Otros delitos", "", "", "11", ("OTROS",)),
)

SEED_SOURCE = "ST-CONASEC, Plan Operativo Nacional de Seguridad Ciudadana 2010"

# Table 4: crimes registered by the PNP, by department, 2000-2008, as printed. It lists
# 17 departments; its TOTAL is more than their sum (the other departments are not listed).
TABLE_4_YEARS = (2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008)
TABLE_4_TOTAL = (157571, 158263, 161621, 159990, 165398, 152516, 153055, 144203, 151560)
TABLE_4 = (
    ("LIMA", (54963, 54558, 60788, 70662, 77378, 75406, 74517, 67832, 67768)),
    ("LAMBAYEQUE", (10666, 9578, 9715, 10523, 9710, 7061, 9070, 8474, 10525)),
    ("AREQUIPA", (11818, 11240, 10904, 8864, 8047, 7034, 7503, 9197, 10469)),
    ("CALLAO", (7573, 8465, 5320, 6093, 6717, 7205, 7008, 8129, 8219)),
    ("LA LIBERTAD", (14895, 15529, 17211, 13577, 13046, 14094, 13039, 9763, 7440)),
    ("ANCASH", (8595, 7244, 6992, 5486, 5346, 4801, 5304, 4503, 5381)),
    ("CUSCO", (5287, 5699, 5724, 4880, 5726, 4023, 4847, 4054, 4767)),
    ("PIURA", (7668, 8417, 8477, 6952, 7587, 5346, 5657, 5518, 4759)),
    ("LORETO", (2443, 2353, 2607, 2429, 2958, 2139, 3407, 3485, 3878)),
    ("JUNIN", (3446, 3716, 4294, 4267, 5514, 3862, 2512, 1709, 3614)),
    ("ICA", (3600, 4310, 4051, 4249, 3427, 4348, 3132, 2548, 3239)),
    ("CAJAMARCA", (5407, 4819, 3230, 2375, 2058, 1563, 1566, 2292, 3137)),
    ("TUMBES", (1378, 1730, 1660, 1030, 1767, 1455, 1622, 1529, 1535)),
    ("HUANUCO", (3123, 1883, 2856, 1880, 1613, 1150, 845, 990, 1048)),
    ("MADRE DE DIOS", (497, 1012, 964, 973, 1140, 1210, 1607, 1387, 648)),
    ("PASCO", (1122, 698, 513, 475, 542, 562, 486, 331, 206)),
    ("HUANCAVELICA", (847, 411, 361, 399, 277, 149, 191, 22, 110)),
)
TABLE_4_CLAIMS = (
    "Lima concentra el 44,7% de los delitos reportados, seguidos por Lambayeque, Arequipa, "
    "Callao, La Libertad, Ancash y Cusco. También se observa que el total de delitos en el "
    "2008 tuvo un incremento del 5.1% respecto al 2007."
)


@dataclass(frozen=True)
class SurveyRef:
    code: str
    question: str
    answer: str
    waves: tuple[tuple[int, str, int, float], ...]  # year, label, base, pct of ``answer``
    claims: tuple[tuple[int, int, str], ...] = ()


UNIVERSIDAD_DE_LIMA = (
    "Grupo de Opinión Pública de la Universidad de Lima (Lima y Callao), citado en el Plan 2010"
)
SURVEYS = (
    SurveyRef(
        "victimizacion",
        "Por favor haga un esfuerzo de memoria y dígame si en el último año ha sido víctima de uno o más asaltos o robos",
        "Sí",
        (
            (2004, "2004 Dic", 548, 37.3),
            (2005, "2005 Nov", 620, 37.9),
            (2006, "2006 Dic", 615, 34.8),
            (2007, "2007 Nov", 498, 25.1),
            (2008, "2008 Nov", 500, 29.7),
            (2009, "2009 Nov", 498, 29.1),
        ),
        (
            (
                2008,
                2009,
                "en el último año, el 29.1% de la población ha sido víctima de la inseguridad ciudadana, que es un porcentaje relativamente menor que el registrado en el año 2008, de 29.7",
            ),
        ),
    ),
    SurveyRef(
        "percepcion",
        "En el último año, ¿la delincuencia ha aumentado, sigue igual o ha disminuido?",
        "Ha aumentado",
        (
            (2004, "2004 Dic", 548, 72.2),
            (2005, "2005 Nov", 620, 82.9),
            (2006, "2006 Dic", 615, 66.8),
            (2007, "2007 Nov", 498, 74.1),
            (2008, "2008 Nov", 500, 75.8),
            (2009, "2009 Nov", 498, 74.2),
        ),
    ),
)
