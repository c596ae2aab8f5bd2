"""What Barrio Seguro's articulation tells people each day (``sinasec notify``):

- a sector commitment whose period ended with less delivered than committed: the
  focal points of the sector (they report its deliveries);
- a technical-table agreement past its deadline and not done: the focal points of the
  institution that owns it, and the secretaries who record the barrio's table.

Each once per commitment (or agreement) and end date: moving the date re-arms it.
Everyone told can open the barrio's page (``barrios.access``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from sinasec.accounts.scope import scope_for
from sinasec.barrios.access import can_read_barrio, can_record_table
from sinasec.barrios.articulation.models import table_barrio
from sinasec.barrios.models import Agreement, AgreementStatus, Barrio, Commitment
from sinasec.notifications.access import committee_secretaries, focal_points_by_institution
from sinasec.notifications.models import Kind
from sinasec.notifications.services import Draft
from sinasec.notifications.sources import Day


def _link(barrio: Barrio) -> str:
    return reverse("barrios:detail", kwargs={"barrio_id": barrio.pk})


def commitment_drafts(today: date) -> list[Draft]:
    overdue = list(
        Commitment.objects.filter(ends_on__lt=today)
        .annotate(delivered=Coalesce(Sum("deliveries__quantity"), 0))
        .filter(delivered__lt=F("target"))
        .select_related("barrio", "sector")
    )
    focal = focal_points_by_institution(c.sector_id for c in overdue)
    drafts = []
    for c in overdue:
        with override("es-pe"):
            facts = {
                "sector": c.sector.acronym,
                "barrio": c.barrio.name or str(c.barrio),
                "what": c.description,
                "end": c.ends_on.strftime("%d/%m/%Y"),
                "done": c.delivered,
                "target": c.target,
                "unit": c.unit,
            }
            title = _("Commitment overdue: %(sector)s in %(barrio)s") % facts
            body = (
                _(
                    "The commitment of %(sector)s to barrio %(barrio)s (“%(what)s”) ended on "
                    "%(end)s with %(done)d of %(target)d %(unit)s delivered."
                )
                % facts
            )
        for user in focal[c.sector_id]:
            if can_read_barrio(scope_for(user), c.barrio):
                drafts.append(
                    Draft(
                        user,
                        Kind.COMMITMENT_OVERDUE,
                        "barrios.commitment",
                        c.pk,
                        c.ends_on.isoformat(),
                        title,
                        body,
                        _link(c.barrio),
                    )
                )
    return drafts


def _table_secretaries(barrios: Iterable[Barrio]) -> list[User]:
    districts = {b.district_id for b in barrios if b.district_id}
    territories = {d[:n] for d in districts for n in (2, 4, 6)}
    regions = {b.region_id for b in barrios if b.region_id}
    return committee_secretaries(territories, regions)


def agreement_drafts(today: date) -> list[Draft]:
    overdue = list(
        Agreement.objects.filter(
            Q(status=AgreementStatus.PENDING), deadline__lt=today, session__barrio__isnull=False
        ).select_related("session__barrio", "owner")
    )
    focal = focal_points_by_institution(a.owner_id for a in overdue)
    secretaries = _table_secretaries(table_barrio(a.session) for a in overdue)
    drafts = []
    for a in overdue:
        barrio = table_barrio(a.session)
        with override("es-pe"):
            facts = {
                "owner": a.owner.acronym,
                "barrio": barrio.name or str(barrio),
                "text": a.text[:200],
                "deadline": a.deadline.strftime("%d/%m/%Y"),
            }
            title = _("Agreement overdue: %(owner)s in %(barrio)s") % facts
            body = (
                _(
                    "The technical table agreement of barrio %(barrio)s owned by %(owner)s "
                    "(“%(text)s”) was due on %(deadline)s and is not done."
                )
                % facts
            )
        tell = [u for u in focal[a.owner_id] if can_read_barrio(scope_for(u), barrio)]
        tell += [s for s in secretaries if can_record_table(scope_for(s), barrio)]
        for user in {u.pk: u for u in tell}.values():
            drafts.append(
                Draft(
                    user,
                    Kind.AGREEMENT_OVERDUE,
                    "barrios.agreement",
                    a.pk,
                    a.deadline.isoformat(),
                    title,
                    body,
                    _link(barrio),
                )
            )
    return drafts


def barrios_source(day: Day) -> Iterable[Draft]:
    yield from commitment_drafts(day.today)
    yield from agreement_drafts(day.today)
