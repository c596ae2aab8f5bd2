"""Reading a chart's JSON (core/_chart.html's json_script) out of a rendered page."""

from __future__ import annotations

import json
import re
from typing import Any


def chart_json(html: str, json_id: str) -> dict[str, Any]:
    found = re.search(
        rf'<script id="{re.escape(json_id)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, f"no chart {json_id} in the page"
    return dict(json.loads(found.group(1)))
