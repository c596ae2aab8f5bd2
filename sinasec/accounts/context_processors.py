from __future__ import annotations

from django.http import HttpRequest

from sinasec.accounts.scope import scope_for


def scope(request: HttpRequest) -> dict[str, object]:
    """Templates show or hide links by what the user may do, never by role names."""
    return {"scope": scope_for(getattr(request, "user", None))}
