"""The read check of a barrio's monitoring page: national staff read every barrio; a
committee secretary reads the barrios of their territory (district, or region); nobody
else. (Kept apart from ``access.py`` so that it can grow its own getters.)"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.barrios.models import Barrio
from sinasec.core.errors import AccessDenied


def get_monitoring_barrio_for_user(user: AnyUser | None, barrio_id: int) -> Barrio:
    """The barrio, with its district, if ``user`` may read its monitoring; 404 when
    there is no such barrio, ``AccessDenied`` otherwise."""
    scope = scope_for(user)
    barrio = Barrio.objects.select_related("district", "region").filter(pk=barrio_id).first()
    if barrio is None:
        raise Http404(_("There is no barrio %s.") % barrio_id)
    if scope.is_national:
        return barrio
    if barrio.district_id and scope.covers_territory(barrio.district_id):
        return barrio
    raise AccessDenied(
        _("The monitoring of a barrio is for national staff and its territory's committee.")
    )
