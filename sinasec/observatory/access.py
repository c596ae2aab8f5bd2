"""Every permission decision of the observatory, used by views, the API and commands.

Aggregated figures, surveys and categories are public: anyone reads them, signed in or
not. Only national administrators and observatory analysts bring data in (published tables, SIDPOL files,
incident records) or change it.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from sinasec.accounts.scope import AnyUser, scope_for
from sinasec.core.errors import AccessDenied
from sinasec.observatory.models import Survey


def can_import_crime_data(user: AnyUser | None) -> bool:
    """Whether ``user`` may import or replace the observatory's figures."""
    return scope_for(user).imports_crime_data


def check_crime_data_write(user: AnyUser | None) -> None:
    if not can_import_crime_data(user):
        raise AccessDenied(
            _(
                "Only a national administrator or an observatory analyst can import "
                "crime statistics."
            )
        )


def can_view_observatory(user: AnyUser | None) -> bool:
    """The dashboard and its open data are public aggregates."""
    return True


def get_survey_for_user(user: AnyUser | None, code: str) -> Survey:
    survey = Survey.objects.filter(code=code).first()
    if survey is None or not can_view_observatory(user):
        raise Http404(_("There is no survey indicator %s.") % code)
    return survey
