"""Typed helpers that read settings from the environment, each with a working default.

Only these helpers read ``os.environ`` so that every knob of the system is listed in
one place (``settings.py``) and documented in the README.
"""

from __future__ import annotations

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on", "si", "sí"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    return Path(raw).expanduser() if raw else default


def env_cache(name: str, default: str) -> dict[str, object]:
    """A Django cache from a URL: ``locmem://`` (per process, the default),
    ``db://TABLE`` (DatabaseCache: run ``sinasec createcachetable``), ``file:///PATH``,
    ``redis://HOST:PORT/DB`` (needs the ``redis`` package) or ``dummy://`` (no cache)."""
    raw = os.environ.get(name) or default
    scheme, _, rest = raw.partition("://")
    backends = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "db": "django.core.cache.backends.db.DatabaseCache",
        "file": "django.core.cache.backends.filebased.FileBasedCache",
        "redis": "django.core.cache.backends.redis.RedisCache",
        "dummy": "django.core.cache.backends.dummy.DummyCache",
    }
    if scheme not in backends:
        raise ValueError(f"{name}={raw!r}: use one of {', '.join(s + '://' for s in backends)}")
    location = raw if scheme == "redis" else rest
    return {"BACKEND": backends[scheme], "LOCATION": location or "sinasec"}
