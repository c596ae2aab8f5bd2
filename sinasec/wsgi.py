"""The WSGI application that ``sinasec serve`` (granian) runs.

Loading it with debug off and the built-in or a weak secret key fails with a clear
message (``sinasec.core.deploy``), so no server answers with a public signing key.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinasec.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402  (these need the settings)

from sinasec.core.deploy import refuse_unsafe_settings  # noqa: E402
from sinasec.core.health import migrations_on_disk  # noqa: E402

refuse_unsafe_settings()
# Import every view (numpy, scipy, DuckDB... ~3 s) and read the migrations /readyz checks
# now: each server worker loads this module before it accepts a connection, so no worker
# makes its first visitor or probe wait for them. Neither touches the database.
get_resolver().url_patterns  # noqa: B018
migrations_on_disk()

import gc  # noqa: E402

# Everything loaded so far (Django, the views' libraries, the URL map: ~190,000 objects)
# lives as long as the worker. Moving it to the collector's permanent generation keeps a
# full collection from walking it again and again: in bench/committees_compliance_activity.py
# a request that builds many rows (compliance over 1,918 committees) triggered full
# collections of ~80 ms, its p95 twice its median; frozen, they cost a few ms.
gc.collect()
gc.freeze()

import sys  # noqa: E402

from django.conf import settings  # noqa: E402

# A request waiting on PostgreSQL gives up the interpreter lock and must get it back
# after each query, from threads that keep it up to the switch interval (Python's
# default 5 ms): a signed-in page of ten queries waited up to ten times that behind
# other requests' rendering. 1 ms hands the lock over sooner (bench/web_load.py).
sys.setswitchinterval(settings.SWITCH_INTERVAL_MS / 1000)
