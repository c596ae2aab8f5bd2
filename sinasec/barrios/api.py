"""The Barrio Seguro API (mounted at /api/v1/barrios): each sub-package's router.

Every endpoint needs a signed-in user (``user_auth``): 401 anonymous, 403 outside the
user's scope, 404 unknown, 409 conflict, 422 refused input. Lists are paginated and take
the filter of their page (``barrios.filters``); writes call the page's services through
the same access getters.
"""

from __future__ import annotations

from ninja import Router

from sinasec.barrios.articulation.api import router as articulation_router
from sinasec.barrios.monitoring.api import router as monitoring_router
from sinasec.barrios.registry.api import router as registry_router
from sinasec.barrios.targeting.api import router as targeting_router

router = Router(tags=["barrios"])
# Fixed paths first: /matrix, /commitments, /targeting... before /{barrio_id}.
router.add_router("", articulation_router)
router.add_router("", targeting_router)
router.add_router("", registry_router)
router.add_router("", monitoring_router)
