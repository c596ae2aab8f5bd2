"""Juntas, trainings and projects: the services' rules, access and the as-of selectors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sinasec.audit.models import AuditEvent
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.community import selectors, services
from sinasec.community.models import Junta, JuntaState, RecognisedBy, Stage
from sinasec.core.errors import AccessDenied
from sinasec.plans.services import load_national_plan_2010

pytestmark = pytest.mark.django_db
MIRAFLORES = "150122"
SAN_ISIDRO = "150131"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def junta(district: str = MIRAFLORES, name: str = "JV Santa Cruz", **kw) -> services.JuntaData:
    values = {
        "district": district,
        "name": name,
        "members": 12,
        "recognised_by": RecognisedBy.MUNICIPALITY,
        "recognised_on": date(2010, 3, 1),
        **kw,
    }
    return services.JuntaData(**values)


def committee(ubigeo: str = MIRAFLORES) -> Committee:
    return Committee.objects.get(level=CommitteeLevel.DISTRICT, ubigeo=ubigeo)


def test_it_lets_the_district_secretary_register_a_junta_and_audits_it(secretary):
    created = services.register_junta(secretary, junta())
    assert created.recorded_by == secretary
    event = AuditEvent.objects.get(action="community.register_junta")
    assert event.territory_ubigeo == MIRAFLORES and event.actor == secretary


def test_it_refuses_a_junta_of_another_district_to_a_secretary(secretary):
    with pytest.raises(AccessDenied):
        services.register_junta(secretary, junta(SAN_ISIDRO))
    assert not Junta.objects.exists()


def test_it_lets_the_pnp_focal_point_register_only_pnp_juntas(focal_point, other_focal_point):
    services.register_junta(focal_point, junta(SAN_ISIDRO, recognised_by=RecognisedBy.PNP))
    with pytest.raises(AccessDenied):
        services.register_junta(focal_point, junta(SAN_ISIDRO, name="Otra"))
    with pytest.raises(AccessDenied):
        services.register_junta(
            other_focal_point, junta(SAN_ISIDRO, name="X", recognised_by=RecognisedBy.PNP)
        )


def test_it_refuses_bad_juntas_with_a_reason_per_field(admin):
    with pytest.raises(ValidationError) as caught:
        services.register_junta(
            admin, junta("150100", name=" ", members=0, recognised_on=date(2999, 1, 1))
        )
    assert set(caught.value.message_dict) == {"district", "name", "members", "recognised_on"}


def test_it_counts_juntas_active_as_of_a_date_by_district_and_region(admin):
    first = services.register_junta(admin, junta())
    services.register_junta(admin, junta(name="JV Dos", recognised_on=date(2010, 9, 1)))
    services.register_junta(admin, junta(SAN_ISIDRO, name="JV Tres"))
    services.set_junta_status(admin, first.pk, JuntaState.INACTIVE, date(2010, 6, 1))
    services.set_junta_status(admin, first.pk, JuntaState.ACTIVE, date(2011, 1, 1))

    assert selectors.active_juntas_by_district(date(2010, 2, 1)) == {}
    assert selectors.active_juntas_by_district(date(2010, 5, 1)) == {MIRAFLORES: 1, SAN_ISIDRO: 1}
    assert selectors.active_juntas_by_district(date(2010, 10, 1)) == {MIRAFLORES: 1, SAN_ISIDRO: 1}
    assert selectors.active_juntas_by_district(date(2011, 2, 1)) == {MIRAFLORES: 2, SAN_ISIDRO: 1}
    regions = selectors.junta_counts(date(2011, 2, 1))["regions"]
    assert [(r.code, r.active, r.members) for r in regions] == [("1501", 3, 36)]


def test_it_refuses_a_status_before_the_recognition(admin):
    created = services.register_junta(admin, junta())
    with pytest.raises(ValidationError, match="before the junta was recognised"):
        services.set_junta_status(admin, created.pk, JuntaState.INACTIVE, date(2009, 1, 1))


def training(**kw) -> services.TrainingData:
    values = {
        "event": "Taller de PIP",
        "topic": "Inversión pública",
        "organiser": "MEF",
        "held_on": date(2010, 3, 15),
        "participants": (services.ParticipantData(3, committee().pk, None, "PNP"),),
        **kw,
    }
    return services.TrainingData(**values)


def test_it_counts_trainings_received_per_committee_as_of_a_date(admin):
    miraflores, san_isidro = committee(), committee(SAN_ISIDRO)
    services.record_training(admin, training())
    services.record_training(
        admin,
        training(
            event="Segundo",
            held_on=date(2010, 8, 1),
            participants=(
                services.ParticipantData(2, miraflores.pk),
                services.ParticipantData(1, miraflores.pk, None, "MINSA"),
                services.ParticipantData(4, san_isidro.pk),
            ),
        ),
    )
    assert selectors.trainings_by_committee(date(2010, 6, 30)) == {miraflores.pk: 1}
    assert selectors.trainings_by_committee(date(2010, 12, 31)) == {
        miraflores.pk: 2,
        san_isidro.pk: 1,
    }
    assert selectors.trainings_by_committee(date(2010, 12, 31), since=date(2010, 7, 1)) == {
        miraflores.pk: 1,
        san_isidro.pk: 1,
    }


def test_it_lets_a_secretary_record_only_their_committees_trainings(secretary):
    services.record_training(secretary, training(committee_id=committee().pk))
    with pytest.raises(AccessDenied):
        services.record_training(secretary, training(event="Ajeno"))


def test_it_shows_linked_trainings_beside_the_plan_activity(admin):
    plan = load_national_plan_2010()
    pip = plan.strategies.get(number=5).activities.get(number=3)
    services.record_training(admin, training(activity_id=pip.pk))
    services.record_training(
        admin, training(event="Otro", held_on=date(2010, 3, 20), activity_id=pip.pk)
    )
    rows = selectors.plan_trainings(plan)
    assert [r.activity.code for r in rows] == ["5.3"]
    assert rows[0].trainings[2] == 2 and rows[0].programmed[2] == 1
    assert rows[0].executed == [0] * 12  # nothing is written into the institutions' reports


def test_it_refuses_an_activity_of_another_years_plan(admin):
    pip = load_national_plan_2010().strategies.get(number=5).activities.get(number=3)
    with pytest.raises(ValidationError, match="2010 plan, the training of 2011"):
        services.record_training(admin, training(held_on=date(2011, 3, 1), activity_id=pip.pk))


def test_it_refuses_a_certificate_that_is_not_a_pdf_or_image(admin, media):
    created = services.record_training(admin, training())
    with pytest.raises(ValidationError):
        services.add_certificate(
            admin, created.pk, SimpleUploadedFile("c.pdf", b"<html><script>x</script>")
        )
    kept = services.add_certificate(admin, created.pk, SimpleUploadedFile("c.pdf", b"%PDF-1.4 x"))
    assert kept.original_name == "c.pdf" and "c.pdf" not in str(kept.file.name)


def test_it_registers_projects_with_a_unique_seven_digit_cui_and_ordered_stages(admin):
    miraflores = committee()
    stages: dict[str, date] = {Stage.IDEA: date(2010, 1, 5)}
    project = services.register_project(
        admin, miraflores.pk, "2123456", "Cámaras", Decimal("150000"), stages
    )
    for cui in ("123", "2123456"):
        with pytest.raises(ValidationError) as caught:
            services.register_project(admin, miraflores.pk, cui, "Otro", Decimal(1), stages)
        assert "cui" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.advance_project(admin, project.pk, Stage.FORMULATED, date(2009, 12, 1))
    services.advance_project(admin, project.pk, Stage.FORMULATED, date(2010, 2, 1))
    with pytest.raises(ValidationError):
        services.advance_project(admin, project.pk, Stage.IDEA, date(2010, 3, 1))
    staged = selectors.projects_by_stage(date(2010, 1, 31))
    assert staged[Stage.IDEA]["projects"] == 1 and staged[Stage.FORMULATED]["projects"] == 0
    assert selectors.projects_by_stage(date(2010, 3, 1))[Stage.FORMULATED]["projects"] == 1


def test_it_refuses_a_project_of_another_committee_to_a_secretary(secretary):
    with pytest.raises(AccessDenied):
        services.register_project(
            secretary,
            committee(SAN_ISIDRO).pk,
            "2000001",
            "X",
            Decimal(1),
            {Stage.IDEA: date(2010, 1, 1)},
        )


def test_it_counts_formulated_projects_against_strategy_5(admin):
    load_national_plan_2010()
    for n, month in enumerate((2, 2, 5)):
        services.register_project(
            admin,
            committee().pk,
            f"300000{n}",
            f"P{n}",
            Decimal(10),
            {Stage.IDEA: date(2010, 1, 1), Stage.FORMULATED: date(2010, month, 10)},
        )
    report = selectors.strategy5(2010, as_of=date(2010, 3, 31))
    assert report.goal == 22 and report.programmed[1] == 2
    assert report.formulated[:3] == [0, 2, 0]
    assert (report.cumulative_programmed, report.cumulative_formulated) == (4, 2)
    assert selectors.strategy5(2010).cumulative_formulated == 3
