"""The analytics library is pure: every module imports in a fresh interpreter without
Django settings, and loads neither Django nor any other part of the project."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import sinasec.analytics

PROJECT = Path(__file__).resolve().parents[3]

CHECK = """
import importlib, json, sys
found = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception as exc:
        raise SystemExit(f"{name}: {exc!r}")
    found[name] = sorted(
        m for m in sys.modules
        if m == "django" or m.startswith("django.")
        or (m.startswith("sinasec.") and m != "sinasec.analytics"
            and not m.startswith("sinasec.analytics."))
    )
print(json.dumps(found))
"""


def analytics_modules() -> list[str]:
    """Every module of ``sinasec.analytics`` but its tests, found by walking the package."""
    walked = pkgutil.walk_packages(sinasec.analytics.__path__, "sinasec.analytics.")
    return sorted(
        m.name for m in walked if ".tests" not in m.name and not m.name.endswith(".tests")
    )


def test_it_imports_every_analytics_module_without_django() -> None:
    modules = analytics_modules()
    assert "sinasec.analytics.targeting.index" in modules and len(modules) > 15
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(PROJECT)
    # One interpreter imports them in turn and lists, after each, what is loaded: the
    # first module after which Django (or another app) appears is the one that loads it.
    done = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(modules)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )
    assert done.returncode == 0, f"an analytics module does not import:\n{done.stderr}"
    loaded = json.loads(done.stdout)
    assert list(loaded) == modules
    culprits = {name: found for name, found in loaded.items() if found}
    first = next(iter(culprits.items()), None)
    assert first is None, f"{first[0]} loads {', '.join(first[1])}"
