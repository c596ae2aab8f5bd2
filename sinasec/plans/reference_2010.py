"""Referencia: Plan Operativo Nacional de Seguridad Ciudadana 2010 (CONASEC).

Transcripción de datos, sin lógica. Fuente: ``/work/shared/seeds/000_c69d83ebe41a7a7c.txt``,
texto extraído de un PDF del "PLAN OPERATIVO NACIONAL DE SEGURIDAD CIUDADANA 2010"
(Secretaría Técnica del CONASEC).

- ``STRATEGIES``: las cinco estrategias de la sección "IV. ESTRATEGIAS", con el nombre
  tal como está impreso allí (numeradas 1-5).
- ``ACTIVITIES``: las filas de la tabla de la sección "V. PROGRAMACIÓN DE ACTIVIDADES PARA
  EL 2010" (columnas Estrategias | Actividades (número, descripción) | Unidad de Medida |
  Meta Anual | Responsable | En Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic), en el orden
  del texto. Descripción, unidad y responsable se copian literalmente (incluidas erratas como
  "presta el NPE" o "MIMDES /"). ``raw`` guarda la línea cruda (con sus tabulaciones) y el
  comentario indica su número de línea en el archivo fuente.
- ``LOST``: lo que la extracción perdió. **Nada de lo perdido se inventa ni se reconstruye**:
  las filas perdidas simplemente no están en ``ACTIVITIES``.
- ``AMBIGUOUS``: filas cuya ubicación de valores no se puede leer con certeza; se conserva la
  mejor lectura (o ``None`` donde el valor no se puede asignar) y se cita la línea cruda.

Lectura de los meses. La extracción perdió la alineación visual de las columnas de meses;
se leyeron contando celdas separadas por tabulación. Todas las filas tienen 18 celdas.

- Filas con celda de estrategia (estrategia 1 actividades 21-33 con la celda vacía, y
  estrategias 2-5): estrategia, número, descripción, unidad, meta, responsable y luego 12
  celdas En..Dic. Comprobado con filas sin ambigüedad (p. ej. estrategia 2 actividad 7,
  12 x 20 = 240; estrategia 3 actividades 7-9, 12 x 1 = 12).
- Filas sin celda de estrategia (estrategia 1 actividades 8-20, primera página de la tabla):
  número, descripción, unidad, meta, responsable; "En" es la celda inmediatamente siguiente
  al Responsable, igual que en la rejilla del encabezado (``\\t\\t\\t\\t\\tEn\\tFeb...Dic\\t``),
  y la 18.ª celda queda fuera de los meses. Comprobado con las actividades 14-20 (un 1 en
  enero, como las actividades 21-25 del mismo bloque "Identificar y reportar"). Las
  actividades 9 y 11 traen un valor de más en esa 18.ª celda: ver ``AMBIGUOUS``.

En los meses, 0 significa celda vacía y ``None`` un valor presente en el texto que no se puede
asignar. Varias metas anuales no coinciden con la suma de la programación mensual (p. ej.
estrategia 1 actividad 12, meta 2 con un solo 1; estrategia 1 actividad 28, meta 1 con diez
1; estrategia 4 actividad 2, meta 500 con 11 x 50): son datos del documento y se conservan
tal cual, sin corregir.

El texto extraído termina en la fila de la estrategia 5 actividad 3 (sin salto de línea
final); no hay indicio de si el documento tenía más filas, y no se registra ninguna.

La estrategia 4 actividad 4 tiene celdas dobles (Meta "3 4", Responsable "COPROSEC CODISEC",
meses "1 1"); se representa con dos ``Part``, una por tipo de comité, sin sumarlas.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """Meta y programación mensual de un responsable dentro de una actividad."""

    responsible: str  # la celda Responsable tal como está impresa
    goal: int | None  # Meta Anual; None si se perdió
    months: tuple[int | None, ...]  # 12 valores Ene..Dic; 0 = celda vacía; None = no legible
    note: str = ""


@dataclass(frozen=True)
class ActivityRef:
    """Una fila de la tabla de la sección V."""

    strategy: int
    number: int
    description: str  # literal
    unit: str  # Unidad de Medida, literal
    parts: tuple[Part, ...]  # una; dos en la estrategia 4 actividad 4
    raw: str = ""  # línea(s) cruda(s) del texto extraído


@dataclass(frozen=True)
class StrategyRef:
    """Una estrategia de la sección IV."""

    number: int
    name: str  # tal como está impreso en la sección IV


SOURCE = "/work/shared/seeds/000_c69d83ebe41a7a7c.txt"

MONTHS = ("En", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Set", "Oct", "Nov", "Dic")

STRATEGIES: tuple[StrategyRef, ...] = (
    StrategyRef(1, "Fortalecer los servicios institucionales de seguridad ciudadana."),
    StrategyRef(2, "Articular los servicios interinstitucionales de seguridad ciudadana."),
    StrategyRef(
        3,
        "Ampliar la cobertura de los servicios institucionales e interinstitucionales de"
        " seguridad ciudadana.",
    ),
    StrategyRef(
        4,
        "Fortalecer los mecanismos de participación y control ciudadano en la seguridad"
        " ciudadana y posicionar el énfasis preventivo de la seguridad ciudadana a nivel"
        " nacional.",
    ),
    StrategyRef(
        5, "Promover la formulación de proyectos de inversión pública de seguridad ciudadana."
    ),
)

_NOTE_EXTRA_CELL = (
    "La fila trae 12 valores en las celdas que siguen al Responsable con En vacío, es decir,"
    " uno más que los 11 meses Feb-Dic: el último cae en la 18.ª celda, fuera de la rejilla de"
    " meses. Lectura adoptada (alineación del encabezado y de las actividades 8-20): Ene vacío,"
    " Feb-Dic con el valor; el valor sobrante no se asigna. Lectura alternativa: la serie está"
    " corrida una celda y cubre Ene-Dic (un valor más en enero)."
)

_NOTE_S4_A4 = (
    "Celdas dobles en el texto: Meta '3 4', Responsable 'COPROSEC CODISEC'; Mar, Jun y Set"
    " traen '1 1' (un 1 para cada tipo de comité, en ese orden). Nov trae un solo '1' sin"
    " indicación de a qué comité corresponde: se registra None en Nov en ambas partes. (Por"
    " aritmética de metas, 3 = Mar+Jun+Set para COPROSEC y 4 para CODISEC, sería de CODISEC,"
    " pero el texto no lo dice.)"
)

_NOTE_S4_A5 = (
    "La celda Responsable termina en 'MIMDES /': lo que seguía a la barra, si algo, no aparece"
    " en el texto."
)

ACTIVITIES: tuple[ActivityRef, ...] = (
    ActivityRef(
        strategy=1,
        number=8,
        description="Realizar eventos de capacitación dirigido a los magistrados del Poder Judicial a nivel nacional",
        unit="Eventos",
        parts=(Part(responsible="PJ", goal=3, months=(0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0)),),
        raw="8\tRealizar eventos de capacitación dirigido a los magistrados del Poder Judicial a nivel nacional\tEventos\t3\tPJ\t\t\t\t1\t1\t1\t\t\t\t\t\t\t",  # línea 810
    ),
    ActivityRef(
        strategy=1,
        number=9,
        description="Realizar eventos de capacitación en seguridad vial a los comités de seguridad ciudadana a nivel nacional",
        unit="Eventos",
        parts=(
            Part(
                responsible="MTC / PNP",
                goal=22,
                months=(0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2),
                note=_NOTE_EXTRA_CELL,
            ),
        ),
        raw="9\tRealizar eventos de capacitación en seguridad vial a los comités de seguridad ciudadana a nivel nacional\tEventos\t22\tMTC / PNP\t\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2",  # línea 811
    ),
    ActivityRef(
        strategy=1,
        number=10,
        description="Coordinación con los medios de difusión sobre implicancias de estos en la seguridad ciudadana (Evento de sensibilización con el Consejo Nacional de Prensa)",
        unit="Eventos",
        parts=(
            Part(responsible="ST-CONASEC", goal=2, months=(0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0)),
        ),
        raw="10\tCoordinación con los medios de difusión sobre implicancias de estos en la seguridad ciudadana (Evento de sensibilización con el Consejo Nacional de Prensa)\tEventos\t2\tST-CONASEC\t\t\t\t1\t\t\t\t\t\t1\t\t\t",  # línea 812
    ),
    ActivityRef(
        strategy=1,
        number=11,
        description="Actividades de difusión de Seguridad Ciudadana",
        unit="Actividad",
        parts=(
            Part(
                responsible="ST-CONASEC",
                goal=11,
                months=(0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                note=_NOTE_EXTRA_CELL,
            ),
        ),
        raw="11\tActividades de difusión de Seguridad Ciudadana\tActividad\t11\tST-CONASEC\t\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1",  # línea 813
    ),
    ActivityRef(
        strategy=1,
        number=12,
        description="Elaborar y difundir un informe defensorial sobre la evaluación de las políticas públicas en seguridad ciudadana",
        unit="Informe",
        parts=(
            Part(responsible="Defensoría", goal=2, months=(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)),
        ),
        raw="12\tElaborar y difundir un informe defensorial sobre la evaluación de las políticas públicas en seguridad ciudadana\tInforme\t2\tDefensoría\t\t\t\t\t\t\t\t\t\t\t1\t\t",  # línea 814
    ),
    ActivityRef(
        strategy=1,
        number=13,
        description="Conformación de equipos al interior de las instituciones para gestionar el presupuesto en materia de seguridad ciudadana",
        unit="Informe",
        parts=(Part(responsible="CONASEC", goal=1, months=(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)),),
        raw="13\tConformación de equipos al interior de las instituciones para gestionar el presupuesto en materia de seguridad ciudadana\tInforme\t1\tCONASEC\t\t\t\t\t\t1\t\t\t\t\t\t\t",  # línea 815
    ),
    ActivityRef(
        strategy=1,
        number=14,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el Ministerio Público",
        unit="Informe",
        parts=(Part(responsible="MP", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="14\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el Ministerio Público\tInforme\t1\tMP\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 816
    ),
    ActivityRef(
        strategy=1,
        number=15,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MEF",
        unit="Informe",
        parts=(Part(responsible="MEF", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="15\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MEF\tInforme\t1\tMEF\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 833
    ),
    ActivityRef(
        strategy=1,
        number=16,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINEDU",
        unit="Informe",
        parts=(Part(responsible="MINEDU", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="16\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINEDU\tInforme\t1\tMINEDU\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 834
    ),
    ActivityRef(
        strategy=1,
        number=17,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MININTER",
        unit="Informe",
        parts=(Part(responsible="MININTER", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="17\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MININTER\tInforme\t1\tMININTER\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 835
    ),
    ActivityRef(
        strategy=1,
        number=18,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINJUS",
        unit="Informe",
        parts=(Part(responsible="MINJUS", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="18\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINJUS\tInforme\t1\tMINJUS\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 836
    ),
    ActivityRef(
        strategy=1,
        number=19,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINSA",
        unit="Informe",
        parts=(Part(responsible="MINSA", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="19\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MINSA\tInforme\t1\tMINSA\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 837
    ),
    ActivityRef(
        strategy=1,
        number=20,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el Poder Judicial",
        unit="Informe",
        parts=(
            Part(responsible="Poder Judicial", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="20\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el Poder Judicial\tInforme\t1\tPoder Judicial\t1\t\t\t\t\t\t\t\t\t\t\t\t",  # línea 838
    ),
    ActivityRef(
        strategy=1,
        number=21,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta la Defensoría del Pueblo",
        unit="Informe",
        parts=(
            Part(responsible="Defensoría", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t21\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta la Defensoría del Pueblo\tInforme\t1\tDefensoría\t1\t\t\t\t\t\t\t\t\t\t\t",  # línea 857
    ),
    ActivityRef(
        strategy=1,
        number=22,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta las Empresas de Seguridad Privada",
        unit="Informe",
        parts=(
            Part(
                responsible="Empresas de Seguridad Privada",
                goal=1,
                months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            ),
        ),
        raw="\t22\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta las Empresas de Seguridad Privada\tInforme\t1\tEmpresas de Seguridad Privada\t1\t\t\t\t\t\t\t\t\t\t\t",  # línea 858
    ),
    ActivityRef(
        strategy=1,
        number=23,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta la PNP",
        unit="Informe",
        parts=(Part(responsible="PNP", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t23\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta la PNP\tInforme\t1\tPNP\t1\t\t\t\t\t\t\t\t\t\t\t",  # línea 859
    ),
    ActivityRef(
        strategy=1,
        number=24,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el NPE",
        unit="Informe",
        parts=(Part(responsible="INPE", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t24\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el NPE\tInforme\t1\tINPE\t1\t\t\t\t\t\t\t\t\t\t\t",  # línea 860
    ),
    ActivityRef(
        strategy=1,
        number=25,
        description="Identificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MIMDES",
        unit="Informe",
        parts=(Part(responsible="MIMDES", goal=1, months=(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t25\tIdentificar y reportar a la ST-CONASEC los servicios de seguridad ciudadana que presta el MIMDES\tInforme\t1\tMIMDES\t1\t\t\t\t\t\t\t\t\t\t\t",  # línea 861
    ),
    ActivityRef(
        strategy=1,
        number=26,
        description="Plan Nacional de Monitoreo de Comités de Seguridad Ciudadana (Diagnósticos de comités)",
        unit="Plan",
        parts=(
            Part(responsible="ST-CONASEC", goal=1, months=(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t26\tPlan Nacional de Monitoreo de Comités de Seguridad Ciudadana (Diagnósticos de comités)\tPlan\t1\tST-CONASEC\t\t\t1\t\t\t\t\t\t\t\t\t",  # línea 862
    ),
    ActivityRef(
        strategy=1,
        number=27,
        description="Convocar a reuniones extraordinarias para analizar la problemática nacional y formular políticas públicas en materia de seguridad ciudadana.",
        unit="Actas",
        parts=(Part(responsible="CONASEC", goal=1, months=(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t27\tConvocar a reuniones extraordinarias para analizar la problemática nacional y formular políticas públicas en materia de seguridad ciudadana.\tActas\t1\tCONASEC\t\t\t\t\t1\t\t\t\t\t\t\t",  # línea 863
    ),
    ActivityRef(
        strategy=1,
        number=28,
        description="Implementación de un Plan de Asistencia Técnica a los gobiernos regionales y provinciales para la incorporación en sus agendas las estrategias la prevención de la violencia familiar y sexual",
        unit="Plan",
        parts=(Part(responsible="MIMDES", goal=1, months=(0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),),
        raw="\t28\tImplementación de un Plan de Asistencia Técnica a los gobiernos regionales y provinciales para la incorporación en sus agendas las estrategias la prevención de la violencia familiar y sexual\tPlan\t1\tMIMDES\t\t\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1",  # línea 864
    ),
    ActivityRef(
        strategy=1,
        number=29,
        description="Elaboración y ejecución de módulos de capacitación para líderes comunitarios y organizaciones de mujeres en materia de seguridad ciudadana",
        unit="Modulo",
        parts=(Part(responsible="MIMDES", goal=1, months=(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t29\tElaboración y ejecución de módulos de capacitación para líderes comunitarios y organizaciones de mujeres en materia de seguridad ciudadana\tModulo\t1\tMIMDES\t\t\t\t\t1\t\t\t\t\t\t\t",  # línea 881
    ),
    ActivityRef(
        strategy=1,
        number=30,
        description='Elaboración del Documento "Buenas prácticas para la inclusión de las mujeres en el diseño o rediseño de ciudades en materia de seguridad ciudadana"',
        unit="Doc",
        parts=(Part(responsible="MIMDES", goal=1, months=(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)),),
        raw='\t30\tElaboración del Documento "Buenas prácticas para la inclusión de las mujeres en el diseño o rediseño de ciudades en materia de seguridad ciudadana"\tDoc\t1\tMIMDES\t\t\t\t\t\t\t1\t\t\t\t\t',  # línea 882
    ),
    ActivityRef(
        strategy=1,
        number=31,
        description="Formulación de Planes Regionales de Seguridad Ciudadana",
        unit="Planes",
        parts=(Part(responsible="CORESEC", goal=26, months=(0, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0)),),
        raw="\t31\tFormulación de Planes Regionales de Seguridad Ciudadana\tPlanes\t26\tCORESEC\t\t\t\t\t26\t\t\t\t\t\t\t",  # línea 883
    ),
    ActivityRef(
        strategy=1,
        number=32,
        description="Formulación de Planes Provinciales de Seguridad Ciudadana",
        unit="Planes",
        parts=(
            Part(responsible="COPROSEC", goal=194, months=(0, 0, 0, 194, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t32\tFormulación de Planes Provinciales de Seguridad Ciudadana\tPlanes\t194\tCOPROSEC\t\t\t\t194\t\t\t\t\t\t\t\t",  # línea 884
    ),
    ActivityRef(
        strategy=1,
        number=33,
        description="Formulación de Planes Distritales de Seguridad Ciudadana",
        unit="Planes",
        parts=(
            Part(responsible="CODISEC", goal=1638, months=(0, 0, 1638, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t33\tFormulación de Planes Distritales de Seguridad Ciudadana\tPlanes\t1638\tCODISEC\t\t\t1638\t\t\t\t\t\t\t\t\t",  # línea 885
    ),
    ActivityRef(
        strategy=2,
        number=1,
        description="Realizar acciones operativas específicas de prevención e investigación contra la delincuencia, como integrantes de la Seguridad Ciudadana",
        unit="Acciones",
        parts=(
            Part(
                responsible="MP / PNP /MINEDU / INPE",
                goal=12,
                months=(2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0),
            ),
        ),
        raw="2\t1\tRealizar acciones operativas específicas de prevención e investigación contra la delincuencia, como integrantes de la Seguridad Ciudadana\tAcciones\t12\tMP / PNP /MINEDU / INPE\t2\t\t2\t\t2\t\t2\t\t2\t\t2\t",  # línea 902
    ),
    ActivityRef(
        strategy=2,
        number=2,
        description="Evaluar la ejecución del patrullaje local integrado",
        unit="Informe",
        parts=(
            Part(
                responsible="PNP / Gobiernos Locales",
                goal=4,
                months=(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1),
            ),
        ),
        raw="\t2\tEvaluar la ejecución del patrullaje local integrado\tInforme\t4\tPNP / Gobiernos Locales\t\t\t1\t\t\t1\t\t\t1\t\t\t1",  # línea 903
    ),
    ActivityRef(
        strategy=2,
        number=4,
        description="Establecer coordinaciones interinstitucionales con la PNP y las municipalidades para efectuar trabajo de rehabilitación y reinserción social",
        unit="Convenio",
        parts=(
            Part(
                responsible="INPE / SALUD / Gobiernos locales",
                goal=1,
                months=(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
            ),
        ),
        raw="\t4\tEstablecer coordinaciones interinstitucionales con la PNP y las municipalidades para efectuar trabajo de rehabilitación y reinserción social\tConvenio\t1\tINPE / SALUD / Gobiernos locales\t\t\t\t\t1\t\t\t\t\t\t\t",  # línea 904
    ),
    ActivityRef(
        strategy=2,
        number=5,
        description="Estandarización y articulación de los sistemas de videovigilancia a nivel nacional",
        unit="Dispositivo Legal",
        parts=(
            Part(responsible="MININTER / MTC", goal=1, months=(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t5\tEstandarización y articulación de los sistemas de videovigilancia a nivel nacional\tDispositivo Legal\t1\tMININTER / MTC\t\t\t1\t\t\t\t\t\t\t\t\t",  # línea 905
    ),
    ActivityRef(
        strategy=2,
        number=7,
        description="Planificar y realizar articuladamente operativos integrales para prevenir el delito a nivel nacional",
        unit="Operativos",
        parts=(
            Part(
                responsible="PNP / MP",
                goal=240,
                months=(20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20),
            ),
        ),
        raw="\t7\tPlanificar y realizar articuladamente operativos integrales para prevenir el delito a nivel nacional\tOperativos\t240\tPNP / MP\t20\t20\t20\t20\t20\t20\t20\t20\t20\t20\t20\t20",  # línea 906
    ),
    ActivityRef(
        strategy=2,
        number=8,
        description="Campaña anual integrada para la prevención del pandillaje",
        unit="Campaña",
        parts=(
            Part(
                responsible="MINEDU / SALUD /INPE",
                goal=1,
                months=(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            ),
        ),
        raw="\t8\tCampaña anual integrada para la prevención del pandillaje\tCampaña\t1\tMINEDU / SALUD /INPE\t\t\t1\t\t\t\t\t\t\t\t\t",  # línea 907
    ),
    ActivityRef(
        strategy=2,
        number=9,
        description="Formulación de una estrategia nacional para la rehabilitación y reinserción social",
        unit="Documento",
        parts=(Part(responsible="INPE", goal=1, months=(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)),),
        raw="\t9\tFormulación de una estrategia nacional para la rehabilitación y reinserción social\tDocumento\t1\tINPE\t\t\t\t\t\t1\t\t\t\t\t\t",  # línea 908
    ),
    ActivityRef(
        strategy=3,
        number=1,
        description="Distribuir material de capacitación y kit de instrumentos de gestión en seguridad ciudadana a los comités de seguridad ciudadana",
        unit="Material de Capacitación",
        parts=(
            Part(
                responsible="ST-CONASEC",
                goal=500,
                months=(0, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 0),
            ),
        ),
        raw="3 Ampliar la cobertura de los servicios institucionales e interinstitucionales de seguridad ciudadana.\t1\tDistribuir material de capacitación y kit de instrumentos de gestión en seguridad ciudadana a los comités de seguridad ciudadana\tMaterial de Capacitación\t500\tST-CONASEC\t\t50\t50\t50\t50\t50\t50\t50\t50\t50\t50\t",  # línea 922
    ),
    ActivityRef(
        strategy=3,
        number=2,
        description="Gestionar el financiamiento para ejecutar el Proyecto del Observatorio del Crimen y la Violencia (Proyecto-BID)",
        unit="Proyectos",
        parts=(
            Part(responsible="ST-CONASEC", goal=1, months=(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)),
        ),
        raw="\t2\tGestionar el financiamiento para ejecutar el Proyecto del Observatorio del Crimen y la Violencia (Proyecto-BID)\tProyectos\t1\tST-CONASEC\t\t\t\t\t\t\t1\t\t\t\t\t",  # línea 923
    ),
    ActivityRef(
        strategy=3,
        number=3,
        description="Gestionar el financiamiento para ejecutar proyecto de mejora de servicios de Comisarias (Proyecto-BID)",
        unit="Proyectos",
        parts=(
            Part(responsible="ST-CONASEC", goal=1, months=(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)),
        ),
        raw="\t3\tGestionar el financiamiento para ejecutar proyecto de mejora de servicios de Comisarias (Proyecto-BID)\tProyectos\t1\tST-CONASEC\t\t\t\t\t\t\t\t1\t\t\t\t",  # línea 924
    ),
    ActivityRef(
        strategy=3,
        number=4,
        description="Gestionar el financiamiento para ejecutar proyecto de fortalecimiento del SINASEC (Proyecto-BID)",
        unit="Proyectos",
        parts=(
            Part(responsible="ST-CONASEC", goal=1, months=(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)),
        ),
        raw="\t4\tGestionar el financiamiento para ejecutar proyecto de fortalecimiento del SINASEC (Proyecto-BID)\tProyectos\t1\tST-CONASEC\t\t\t\t\t\t\t\t1\t\t\t\t",  # línea 925
    ),
    ActivityRef(
        strategy=3,
        number=5,
        description="Creación del Centro de Atención Institucional dirigido a la atención de personas agresoras en una relación violenta",
        unit="Centro",
        parts=(Part(responsible="MIMDES", goal=1, months=(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)),),
        raw="\t5\tCreación del Centro de Atención Institucional dirigido a la atención de personas agresoras en una relación violenta\tCentro\t1\tMIMDES\t\t\t\t\t\t\t\t\t1\t\t\t",  # línea 926
    ),
    ActivityRef(
        strategy=3,
        number=6,
        description="Atención de personas agresoras de hechos de violencia familiar.",
        unit="Atenciones",
        parts=(
            Part(
                responsible="MIMDES",
                goal=200,
                months=(0, 0, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20),
            ),
        ),
        raw="\t6\tAtención de personas agresoras de hechos de violencia familiar.\tAtenciones\t200\tMIMDES\t\t\t20\t20\t20\t20\t20\t20\t20\t20\t20\t20",  # línea 927
    ),
    ActivityRef(
        strategy=3,
        number=7,
        description="Conformación de Juntas Vecinales",
        unit="Informes",
        parts=(
            Part(
                responsible="Gobiernos Locales / PNP",
                goal=12,
                months=(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            ),
        ),
        raw="\t7\tConformación de Juntas Vecinales\tInformes\t12\tGobiernos Locales / PNP\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1",  # línea 928
    ),
    ActivityRef(
        strategy=3,
        number=8,
        description="Capacitación de Juntas Vecinales",
        unit="Eventos",
        parts=(
            Part(responsible="PNP DIRPASEC", goal=12, months=(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),
        ),
        raw="\t8\tCapacitación de Juntas Vecinales\tEventos\t12\tPNP DIRPASEC\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1",  # línea 929
    ),
    ActivityRef(
        strategy=3,
        number=9,
        description="Fortalecer y promover la implementación de juzgados de paz",
        unit="Jueces",
        parts=(Part(responsible="PJ", goal=12, months=(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)),),
        raw="\t9\tFortalecer y promover la implementación de juzgados de paz\tJueces\t12\tPJ\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1",  # línea 930
    ),
    ActivityRef(
        strategy=3,
        number=10,
        description="Promover los servicios de SC través de las casas de la justicia a nivel nacional",
        unit="Beneficiarios",
        parts=(
            Part(responsible="MINJUS", goal=110, months=(0, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0, 0)),
        ),
        raw="\t10\tPromover los servicios de SC través de las casas de la justicia a nivel nacional\tBeneficiarios\t110\tMINJUS\t\t10\t10\t10\t10\t\t\t\t\t\t\t",  # línea 931
    ),
    ActivityRef(
        strategy=4,
        number=1,
        description="Promover la participación Integral de Juntas Vecinales en Seguridad Ciudadana",
        unit="Directiva",
        parts=(
            Part(
                responsible="PNP Y Gobiernos Locales",
                goal=1,
                months=(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            ),
        ),
        raw="4 Fortalecer los mecanismos de participación y control ciudadano en la seguridad ciudadana y posicionar el énfasis preventivo de la seguridad ciudadana a nivel nacional\t1\tPromover la participación Integral de Juntas Vecinales en Seguridad Ciudadana\tDirectiva\t1\tPNP Y Gobiernos Locales\t\t\t1\t\t\t\t\t\t\t\t\t",  # línea 945
    ),
    ActivityRef(
        strategy=4,
        number=2,
        description="Realizar programas de acción cívica preventivas y promocionales",
        unit="Eventos",
        parts=(
            Part(
                responsible="PNP / MP",
                goal=500,
                months=(0, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50),
            ),
        ),
        raw="\t2\tRealizar programas de acción cívica preventivas y promocionales\tEventos\t500\tPNP / MP\t\t50\t50\t50\t50\t50\t50\t50\t50\t50\t50\t50",  # línea 946
    ),
    ActivityRef(
        strategy=4,
        number=3,
        description="Realizar programas educativos y de sensibilización para fortalecer la Seguridad Ciudadana",
        unit="Certificados",
        parts=(
            Part(
                responsible="PNP - MP",
                goal=100,
                months=(0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10),
            ),
        ),
        raw="\t3\tRealizar programas educativos y de sensibilización para fortalecer la Seguridad Ciudadana\tCertificados\t100\tPNP - MP\t\t10\t10\t10\t10\t10\t10\t10\t10\t10\t10\t10",  # línea 947
    ),
    ActivityRef(
        strategy=4,
        number=4,
        description="Promover la realización de consultas ciudadanas por parte de los comités de seguridad ciudadana",
        unit="Informe",
        parts=(
            Part(
                responsible="COPROSEC",
                goal=3,
                months=(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, None, 0),
                note=_NOTE_S4_A4,
            ),
            Part(
                responsible="CODISEC",
                goal=4,
                months=(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, None, 0),
                note=_NOTE_S4_A4,
            ),
        ),
        raw="\t4\tPromover la realización de consultas ciudadanas por parte de los comités de seguridad ciudadana\tInforme\t3 4\tCOPROSEC CODISEC\t\t\t1 1\t\t\t1 1\t\t\t1 1\t\t1\t",  # línea 948
    ),
    ActivityRef(
        strategy=4,
        number=5,
        description="Realizar campañas de sensibilización y difusión de servicios de prevención de la violencia dirigidos a niños y niñas, adolescentes y jóvenes y mujeres",
        unit="Campaña",
        parts=(
            Part(
                responsible="MIMDES /",
                goal=2,
                months=(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1),
                note=_NOTE_S4_A5,
            ),
        ),
        raw="\t5\tRealizar campañas de sensibilización y difusión de servicios de prevención de la violencia dirigidos a niños y niñas, adolescentes y jóvenes y mujeres\tCampaña\t2\tMIMDES /\t\t\t1\t\t\t\t\t\t\t\t\t1",  # línea 949
    ),
    ActivityRef(
        strategy=5,
        number=1,
        description="Asesorar y asistir técnicamente la elaboración de proyectos de inversión pública en seguridad ciudadana",
        unit="Proyectos",
        parts=(
            Part(responsible="ST- CONASEC", goal=1, months=(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0)),
        ),
        raw="5 Promover la formulación de proyectos de inversión pública de seguridad ciudadana.\t1\tAsesorar y asistir técnicamente la elaboración de proyectos de inversión pública en seguridad ciudadana\tProyectos\t1\tST- CONASEC\t\t\t1\t\t\t1\t\t\t1\t\t\t",  # línea 966
    ),
    ActivityRef(
        strategy=5,
        number=2,
        description="Formular proyecto de inversión pública en materia de seguridad ciudadana por los Comités de Seguridad Ciudadana.",
        unit="Proyectos",
        parts=(
            Part(
                responsible="CORESEC / COPROSEC / ST- CONASEC",
                goal=22,
                months=(0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2),
            ),
        ),
        raw="\t2\tFormular proyecto de inversión pública en materia de seguridad ciudadana por los Comités de Seguridad Ciudadana.\tProyectos\t22\tCORESEC / COPROSEC / ST- CONASEC\t\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2",  # línea 967
    ),
    ActivityRef(
        strategy=5,
        number=3,
        description="Gestionar la realización de capacitaciones en proyectos de inversión pública a los comités de seguridad ciudadana",
        unit="Eventos",
        parts=(
            Part(
                responsible="MEF/ST- CONASEC", goal=4, months=(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1)
            ),
        ),
        raw="\t3\tGestionar la realización de capacitaciones en proyectos de inversión pública a los comités de seguridad ciudadana\tEventos\t4\tMEF/ST- CONASEC\t\t\t1\t\t\t1\t\t\t1\t\t\t1",  # línea 968
    ),
)

LOST: tuple[str, ...] = (
    "Estrategia 1, actividades 1-7: filas perdidas en la extracción (la tabla empieza en la"
    " actividad 8).",
    "Estrategia 1: la celda 'Estrategias' de la tabla no aparece (actividades 8-20 sin esa"
    " columna, 21-33 con la celda vacía); las filas se asignan a la estrategia 1 por su"
    " posición, antes de la primera fila de la estrategia 2.",
    "Estrategia 2: la celda 'Estrategias' solo trae el número '2', sin el nombre (el nombre se"
    " toma de la sección IV).",
    "Estrategia 2, actividades 3 y 6: filas perdidas en la extracción (la numeración salta de"
    " 2 a 4 y de 5 a 7).",
)


def _raw(strategy: int, number: int) -> str:
    return next(a.raw for a in ACTIVITIES if (a.strategy, a.number) == (strategy, number))


AMBIGUOUS: tuple[str, ...] = (
    "Estrategia 1, actividad 9 (Meta 22): doce '2' tras el Responsable con la celda de enero"
    " vacía; se lee Feb-Dic = 2 (suma 22) y el duodécimo '2', en la 18.ª celda, queda sin"
    " mes. Alternativa: Ene-Dic = 2 (suma 24). Línea cruda: " + repr(_raw(1, 9)),
    "Estrategia 1, actividad 11 (Meta 11): doce '1' tras el Responsable con la celda de enero"
    " vacía; se lee Feb-Dic = 1 (suma 11) y el duodécimo '1', en la 18.ª celda, queda sin"
    " mes. Alternativa: Ene-Dic = 1 (suma 12). Línea cruda: " + repr(_raw(1, 11)),
    "Estrategia 4, actividad 4: Mar, Jun y Set traen '1 1' (COPROSEC y CODISEC); Nov trae un"
    " solo '1' que no se puede atribuir a un tipo de comité: Nov = None en ambas partes."
    " Línea cruda: " + repr(_raw(4, 4)),
    "Estrategia 4, actividad 5: Responsable 'MIMDES /' termina en barra; el texto no muestra"
    " si faltaba otro responsable. Línea cruda: " + repr(_raw(4, 5)),
)
