"""The one access check of juntas vecinales, trainings and investment projects.

Reading: national roles read everything; a committee secretary reads what lies inside
their territory (their region, for a regional secretary); the PNP's focal point reads
the juntas (the PNP recognises them) and a focal point the trainings its institution
organised. Writing:

- a junta: national administrators; the secretary of the committee that answers for
  its district (its CODISEC, or the COPROSEC for a capital district); the PNP's focal
  point for the juntas the PNP recognised;
- a training: national administrators; the secretary of the committee that records
  it; the focal point of the organising institution;
- a project: national administrators; the secretary of the project's committee.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.models import Role
from sinasec.accounts.scope import AnyUser, Scope, scope_for
from sinasec.committees.access import is_own_committee
from sinasec.committees.models import Committee, CommitteeLevel
from sinasec.community.models import Junta, Project, RecognisedBy, Training
from sinasec.core.errors import AccessDenied
from sinasec.institutions.models import Institution


def committee_for_district(ubigeo: str) -> Committee | None:
    """The committee answering for a district: its CODISEC, or the province's COPROSEC
    (a capital district has no CODISEC of its own)."""
    committees = Committee.objects.select_related("territory", "region")
    return (
        committees.filter(level=CommitteeLevel.DISTRICT, ubigeo=ubigeo).first()
        or committees.filter(level=CommitteeLevel.PROVINCIAL, ubigeo=ubigeo[:4]).first()
    )


def _is_pnp(scope: Scope) -> bool:
    if scope.role != Role.FOCAL_POINT or scope.institution_id is None:
        return False
    return Institution.objects.filter(pk=scope.institution_id, acronym="PNP").exists()


def can_read_community(user: AnyUser | None) -> bool:
    """The lists (juntas, trainings, projects): national staff, secretaries, focal points."""
    scope = scope_for(user)
    return scope.is_national or scope.role in (Role.COMMITTEE_SECRETARY, Role.FOCAL_POINT)


def can_write_junta(user: AnyUser | None, district: str, recognised_by: str) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if recognised_by == RecognisedBy.PNP and _is_pnp(scope):
        return True
    committee = committee_for_district(district) if scope.territory else None
    return committee is not None and is_own_committee(scope, committee)


def can_record_juntas(user: AnyUser | None) -> bool:
    """Who may open the junta form or send a file (each row is then checked)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.territory) or _is_pnp(scope)


def get_juntas_for_user(user: AnyUser | None) -> QuerySet[Junta]:
    scope = scope_for(user)
    juntas = Junta.objects.select_related("district")
    if scope.is_national or _is_pnp(scope):
        return juntas
    if scope.role == Role.COMMITTEE_SECRETARY:
        return juntas.filter(scope.territory_q("district__ubigeo"))
    raise AccessDenied(_("Juntas vecinales are for national staff, secretaries and the PNP."))


def get_junta_for_user(user: AnyUser | None, junta_id: int, *, write: bool = False) -> Junta:
    junta = get_juntas_for_user(user).filter(pk=junta_id).first()
    if junta is None:
        if Junta.objects.filter(pk=junta_id).exists():
            raise AccessDenied(_("This junta vecinal is outside your territory."))
        raise Http404(_("There is no junta vecinal %s.") % junta_id)
    if write and not can_write_junta(user, junta.district_id, junta.recognised_by):
        raise AccessDenied(_("You cannot change this junta vecinal."))
    return junta


def can_write_training(
    user: AnyUser | None, committee: Committee | None, organiser_id: int
) -> bool:
    scope = scope_for(user)
    if scope.is_admin or scope.can_write_institution(organiser_id):
        return True
    return committee is not None and is_own_committee(scope, committee)


def can_record_trainings(user: AnyUser | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.role in (Role.COMMITTEE_SECRETARY, Role.FOCAL_POINT)


def get_trainings_for_user(user: AnyUser | None) -> QuerySet[Training]:
    scope = scope_for(user)
    trainings = Training.objects.select_related("organiser", "committee")
    if scope.is_national:
        return trainings
    if scope.role == Role.FOCAL_POINT:
        return trainings.filter(organiser_id=scope.institution_id)
    if scope.role == Role.COMMITTEE_SECRETARY:
        inside = Training.objects.filter(
            scope.territory_q("committee__ubigeo")
            | scope.territory_q("participants__committee__ubigeo")
        ).values("pk")
        return trainings.filter(pk__in=inside)
    raise AccessDenied(_("Trainings are for national staff, secretaries and focal points."))


def get_training_for_user(
    user: AnyUser | None, training_id: int, *, write: bool = False
) -> Training:
    training = get_trainings_for_user(user).filter(pk=training_id).first()
    if training is None:
        if Training.objects.filter(pk=training_id).exists():
            raise AccessDenied(_("You do not have access to this training."))
        raise Http404(_("There is no training %s.") % training_id)
    if write and not can_write_training(user, training.committee, training.organiser_id):
        raise AccessDenied(_("You cannot change this training."))
    return training


def can_write_project(user: AnyUser | None, committee: Committee) -> bool:
    scope = scope_for(user)
    return scope.is_admin or is_own_committee(scope, committee)


def can_record_projects(user: AnyUser | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.role == Role.COMMITTEE_SECRETARY


def get_projects_for_user(user: AnyUser | None) -> QuerySet[Project]:
    scope = scope_for(user)
    projects = Project.objects.select_related("committee")
    if scope.is_national:
        return projects
    if scope.role == Role.COMMITTEE_SECRETARY:
        if scope.region:
            return projects.filter(
                Q(committee__region_id=scope.region) | scope.territory_q("committee__ubigeo")
            )
        return projects.filter(scope.territory_q("committee__ubigeo"))
    raise AccessDenied(_("Investment projects are for national staff and secretaries."))


def get_project_for_user(user: AnyUser | None, project_id: int, *, write: bool = False) -> Project:
    project = get_projects_for_user(user).filter(pk=project_id).first()
    if project is None:
        if Project.objects.filter(pk=project_id).exists():
            raise AccessDenied(_("This project is outside your territory."))
        raise Http404(_("There is no investment project %s.") % project_id)
    if write and not can_write_project(user, project.committee):
        raise AccessDenied(_("Only the project's committee can change it."))
    return project
