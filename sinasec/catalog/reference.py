"""The catalogue of citizen-security services of the *Plan Operativo Nacional de
Seguridad Ciudadana 2010* ("POI 2010", ``/work/shared/seeds/000_c69d83ebe41a7a7c.txt``).

* Service types: section III.A.2 (the five types and the three moments: "antes de que
  ocurra un evento ..., durante la ocurrencia del evento y después que ocurra este";
  after the event, "si se lo dirige a la víctima o al victimario"), III.A.3-7 (one
  paragraph and the providing institutions per type) and the lettered headings A)-E) of
  the matrix in III.B.1. Ilustración 1 ("Identificación de Servicios y Prestadores de
  Servicios de Seguridad Ciudadana") did not survive the PDF extraction beyond its
  caption; the moments and providers here come from the text that describes it.
* Services: the matrix of III.B.1 "ANÁLISIS DE LOS SERVICIOS DE SEGURIDAD CIUDADANA"
  (Orden 1-18, name and "Análisis cualitativo").

Texts are verbatim, with the document's own spelling and typos ("coberturar", the colon
ending service 5), joined across page breaks with the PDF page headers ("PERÚ",
"Ministerio del Interior", ...) and footnote markers removed.
"""

from __future__ import annotations

from dataclasses import dataclass

MOMENTS = ("before", "during", "after")
TARGETS = ("population", "victim", "offender", "victim_offender", "")


@dataclass(frozen=True)
class ServiceTypeRef:
    code: str  # "A".."E", as the matrix letters them
    name: str  # the matrix heading, in sentence case
    moment: str  # one of MOMENTS
    target: str  # one of TARGETS
    description: str  # the paragraph of section III.A describing it, verbatim
    providers: tuple[str, ...]  # institution acronyms listed in section III.A


@dataclass(frozen=True)
class ServiceRef:
    number: int  # "Orden" 1..18
    type_code: str
    name: str  # as printed in the matrix
    diagnosis: str  # "Análisis cualitativo", verbatim
    providers: tuple[str, ...] = ()  # only when the text names them for this service


SERVICE_TYPES: tuple[ServiceTypeRef, ...] = (
    ServiceTypeRef(
        code="A",
        name="Servicios de prevención",
        moment="before",
        # "dirigido a toda la población o a grupos focalizados".
        target="population",
        description=(
            "Este servicio consiste en prevenir la ocurrencia de nuevos eventos y está "
            "dirigido a toda la población o a grupos focalizados. Se entiende que esta "
            "población no ha sido víctima ni victimario; pero sin embargo, se pueden "
            "establecer niveles de riesgo de serlo y por tanto se focaliza su atención."
        ),
        # "Gobiernos Regionales y Locales" is two institutions: GR and GL.
        providers=("PNP", "MP", "MIMDES", "GR", "GL", "MINSA", "JV", "RC"),
    ),
    ServiceTypeRef(
        code="B",
        name="Servicios de atención en prevención de la réplica de la víctima (“Efecto Espejo”)",
        moment="after",
        target="victim",
        description=(
            "En este caso, este servicio es posterior a la ocurrencia de un evento que "
            "atenta contra la seguridad ciudadana y se dirige específicamente a la víctima, "
            "buscando su recuperación plena, tanto en la reparación judicial de sus "
            "derechos, como en la física. Este servicio busca que la víctima, por lo que se "
            "ha denominado “Efecto Espejo”, no vaya a imitar en el futuro prácticas "
            "violentas contra otras personas."
        ),
        providers=("MIMDES", "MINSA", "MINJUS", "PNP", "MP"),
    ),
    ServiceTypeRef(
        code="C",
        name="Servicios de prevención de la reincidencia del victimario",
        moment="after",
        target="offender",
        # Footnote 9 marker after "acceso a la justicia" removed.
        description=(
            "Estos servicios son los que se dirigen a los victimarios, consiste en que se "
            "logre una efectiva recuperación y/o rehabilitación y reinserción del victimario "
            "a la sociedad, después que es atendido por el servicio de acceso a la justicia."
        ),
        providers=("INPE",),
    ),
    ServiceTypeRef(
        code="D",
        name="Servicios de atención oportuna de ocurrencias",
        # "el Estado acude cuando hay una emergencia": during the event.
        moment="during",
        # "atención inmediata, tanto para la víctima como para el victimario".
        target="victim_offender",
        description=(
            "Estos servicios de acuerdo a su propia definición son aquellos en que el Estado "
            "acude cuando hay una emergencia y se requiere atención inmediata, tanto para la "
            "víctima como para el victimario. Concluido esta atención, la víctima y/o el "
            "victimario entran a ser usuarios de los dos servicios anteriores, según "
            "corresponda."
        ),
        # The Ministerio Público is named after the list as the body that receives the
        # complaint once the attention is over, not as a provider of this type.
        providers=("PNP", "GL", "CO"),
    ),
    ServiceTypeRef(
        code="E",
        name="Servicios asociados (acceso a la justicia, reparación de derechos)",
        moment="after",
        # The text addresses these services to "la población [que] demanda la reparación
        # de sus derechos vulnerados", not to the victim or the offender as such (footnote
        # 9 calls access to justice a service complementary to citizen security), hence
        # "population" rather than "victim".
        target="population",
        description=(
            "Estos servicios están referidos al acceso a la justicia en la cual la población "
            "demanda la reparación de sus derechos vulnerados y generarán un gran impacto "
            "positivo en la percepción de la Seguridad Ciudadana. Las instituciones "
            "prestadoras de estos servicios son las que integran el Sistema de "
            "Administración de Justicia."
        ),
        # The plan names the system, not its members.
        providers=("SAJ",),
    ),
)

SERVICES: tuple[ServiceRef, ...] = (
    # --- A) Servicios de prevención ------------------------------------------------------
    ServiceRef(
        number=1,
        type_code="A",
        name="Servicio de Patrullaje a pie y motorizado de la PNP",
        diagnosis=(
            "La PNP presenta limitaciones en la prestación de estos servicios debido a las "
            "limitaciones en cuanto a logística y personal asignado a estas tareas."
        ),
        providers=("PNP",),
    ),
    ServiceRef(
        number=2,
        type_code="A",
        name="Servicio de Serenazgo de los Gobiernos Locales.",
        diagnosis=(
            "Los servicios de serenazgo que implementan las municipalidades no cuentan con "
            "la formación necesaria para realizar las intervenciones. Se ha dado la norma del "
            '"arresto ciudadano", que sin embargo se hace necesaria la presencia de la PNP '
            "en las intervenciones que realizan."
        ),
        providers=("GL",),
    ),
    ServiceRef(
        number=3,
        type_code="A",
        name="Servicios de videovigilancia de la PNP y Gobiernos Locales.",
        diagnosis=(
            "Los sistemas de videovigilancia que se implementan no cuentan con estándares en "
            "cuanto a los equipos que se utilizan."
        ),
        providers=("PNP", "GL"),
    ),
    ServiceRef(
        number=4,
        type_code="A",
        name="Servicios de rondas (Juntas Vecinales y Rondas Campesinas)",
        diagnosis=(
            "Existen Juntas Vecinales Comunales organizadas por los gobiernos locales y las "
            "que conforma la PNP, que muchas veces están disociadas en cuanto al trabajo "
            "preventivo en seguridad ciudadana."
        ),
        providers=("JV", "RC"),
    ),
    # No provider named (the Empresas de Seguridad Privada are not named for it).
    ServiceRef(
        number=5,
        type_code="A",
        name="Servicios privados de vigilancia.",
        diagnosis=(
            "Los servicios privados de vigilancia se han proliferado en la actualidad, dado "
            "los problemas de seguridad ciudadana. Sin embargo, se debería capacitar en "
            "seguridad ciudadana a fin de que sirvan como informantes de la PNP:"
        ),
    ),
    ServiceRef(
        number=6,
        type_code="A",
        name="Servicios de prevención del delito.",
        diagnosis=(
            "Los órganos encargados de los operativos de prevención en algunos casos no "
            "coordinan sus acciones, produciéndose duplicidades de esfuerzos."
        ),
    ),
    ServiceRef(
        number=7,
        type_code="A",
        name="Servicios de inteligencia.",
        diagnosis=(
            "Se tiene como información a las instituciones gubernamentales, sin embargo, es "
            "escasa la comunicación a la población, de posibles amenazas a las que puedan "
            "enfrentarse. Es decir, existe escasa difusión de los resultados de estas "
            "investigaciones a la población para que actúe con medidas de autoprotección."
        ),
    ),
    ServiceRef(
        number=8,
        type_code="A",
        name="Servicios de prevención contra la violencia familiar.",
        diagnosis=(
            "Los servicios no se prestan con la cobertura necesaria, quedando muchas zonas "
            "sin coberturar, debidas principalmente a las limitaciones presupuestales de las "
            "instituciones."
        ),
    ),
    # The diagnosis names the provider: "la PNP realiza el trabajo preventivo".
    ServiceRef(
        number=9,
        type_code="A",
        name="Servicios de prevención del pandillaje y la drogadicción.",
        diagnosis=(
            "A través de las OPC, la PNP realiza el trabajo preventivo en esta materia. Este "
            "trabajo lo realiza a través de charlas en colegios, focalizando los grupos "
            "vulnerables de jóvenes. Sin embargo, este servicio no se presta con "
            "regularidad, dadas las limitaciones logísticas y presupuestales existentes en "
            "el sector."
        ),
        providers=("PNP",),
    ),
    ServiceRef(
        number=10,
        type_code="A",
        name="Servicios de prevención de la trata de personas.",
        diagnosis=(
            "Existe una Comisión encargada de realizar el seguimiento a las políticas en "
            "esta materia. Existen actividades de difusión, que sin embargo presentan "
            "limitaciones por la cobertura en la difusión, tanto en medios impresos como en "
            "medios televisivos y radiales."
        ),
    ),
    # The diagnosis continues on the next page of the PDF.
    ServiceRef(
        number=11,
        type_code="A",
        name="Servicios de recuperación de espacios.",
        diagnosis=(
            "Actualmente se encuentran espacios físicos en las ciudades abandonados, donde "
            "proliferan prácticas que van en contra de la seguridad ciudadana. Lugares con "
            "poca iluminación, pistas en mal estado, que en muchos de los casos constituyen "
            "los escenarios perfectos para los delincuentes."
        ),
    ),
    # --- B) Servicios de atención en prevención de la réplica de la víctima ---------------
    # The diagnosis names the provider: "los servicios que presta el MIMDES".
    ServiceRef(
        number=12,
        type_code="B",
        name=(
            "Servicios de recuperación física y/o psicológica de las víctimas (Mujeres, "
            "niños y adultos mayores)"
        ),
        diagnosis=(
            "Estos servicios no están muy difundidos dentro del SINASEC. En este caso se "
            "pueden listar únicamente los servicios que presta el MIMDES como son las casas "
            "refugio. Sin embargo, estos servicios son limitados, tanto en su cobertura como "
            "en su alcance."
        ),
        providers=("MIMDES",),
    ),
    ServiceRef(
        number=13,
        type_code="B",
        name="Servicios de emprendimiento técnico productivo para víctimas.",
        diagnosis=(
            "La dotación de oportunidades de desarrollo económico se convierte en un medio "
            "fundamental para recuperar plenamente a las víctimas, que sin embargo no son "
            "muy frecuentes."
        ),
    ),
    # --- C) Servicios de prevención de la reincidencia del victimario --------------------
    ServiceRef(
        number=14,
        type_code="C",
        name="Servicios de rehabilitación y reinserción social.",
        diagnosis=(
            "Los servicios de reinserción social presentan una debilidad del sistema, dado "
            "que contribuye a la retroalimentación de los delitos. Estos servicios no se "
            "prestan adecuadamente, y se observa en las condiciones en las cuales están los "
            "penales, tanto en infraestructura como en los servicios médicos, de "
            "alimentación y los propios de rehabilitación."
        ),
    ),
    # --- D) Servicios de atención oportuna de ocurrencias --------------------------------
    # The diagnosis continues on the next page of the PDF.
    ServiceRef(
        number=15,
        type_code="D",
        name="Servicios de Atención en Comisarías",
        diagnosis=(
            "Los servicios en comisarías están limitados principalmente por la "
            "infraestructura y equipamiento. En general, estas condiciones en algunas zonas, "
            "sobre todo en el interior del país, se agravaban, encontrando situaciones en "
            "las cuales las comisarías están hechas de materiales de prefabricados y los "
            "equipos son de propiedad de los efectivos policiales."
        ),
    ),
    # The diagnosis names the provider: "la logística con que dispone la PNP para
    # concurrir a las llamadas de emergencia".
    ServiceRef(
        number=16,
        type_code="D",
        name="Servicios de Atención de Emergencias.",
        diagnosis=(
            "La eficacia de estos servicios depende de las tecnologías de comunicación que "
            "se utilicen y de la logística con que dispone la PNP para concurrir a las "
            "llamadas de emergencia de la población. La central 105, que a sentir de la "
            "población no responde con la oportunidad requerida, es un servicio que requiere "
            "su fortalecimiento y réplica en principales ciudades a nivel nacional. Otro "
            "aspecto que destaca es la gran cantidad de llamadas perturbadoras que recibe, "
            "que conviene sensibilizar a la población para que no realice estas llamadas "
            "innecesarias que únicamente hacen colapsar el sistema."
        ),
        providers=("PNP",),
    ),
    ServiceRef(
        number=17,
        type_code="D",
        name="Servicios de Información.",
        diagnosis=(
            "Los servicios de información, dado el bajo nivel de utilización de las "
            "tecnologías de información y comunicación, carecen de una sistematización que "
            "facilite su uso. De acuerdo a esto, no se cuenta información oportuna respecto "
            "a la evolución de las ocurrencias de eventos que atentan contra la seguridad "
            "ciudadana y que no facilita la toma de decisiones y la formulación de políticas "
            "públicas en materia de seguridad ciudadana."
        ),
    ),
    # --- E) Servicios asociados (acceso a la justicia, reparación de derechos) -----------
    ServiceRef(
        number=18,
        type_code="E",
        name="Servicios de justicia",
        diagnosis=(
            "Se responde fundamentalmente al estado actual de la prestación de servicios de "
            "administración de justicia, que no gozan de un nivel de confianza adecuado por "
            "parte de la población."
        ),
    ),
)


def _check() -> None:
    """Internal consistency. That every provider is a known institution is checked by
    ``institutions``' tests (the catalogue sits below institutions and cannot import them)."""
    codes = {stype.code for stype in SERVICE_TYPES}
    for stype in SERVICE_TYPES:
        if stype.moment not in MOMENTS or stype.target not in TARGETS:
            raise ValueError(f"service type {stype.code}: bad moment or target")
    for service in SERVICES:
        if service.type_code not in codes:
            raise ValueError(f"service {service.number}: unknown type {service.type_code}")


_check()
