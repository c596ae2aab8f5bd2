"""Every API endpoint declares its response schema, and every list is paginated."""

from __future__ import annotations

import pytest

from sinasec.api import api


def _operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


def _declares(content: dict) -> bool:
    """A JSON schema, or a file download's binary content under every type it sends."""
    if "application/json" in content:
        return "schema" in content["application/json"]
    return bool(content) and all(
        c.get("schema") == {"type": "string", "format": "binary"} for c in content.values()
    )


def _has_success_schema(op: dict) -> bool:
    responses = {str(code): value for code, value in op["responses"].items()}
    return any(
        code == "204" or _declares(responses[code].get("content", {}))
        for code in ("200", "201", "204")
        if code in responses
    )


def _is_bare_list(op: dict) -> bool:
    responses = {str(code): value for code, value in op["responses"].items()}
    content = responses.get("200", {}).get("content", {}).get("application/json", {})
    return content.get("schema", {}).get("type") == "array"


def _router(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/")[0]


ROUTERS = sorted({_router(path) for _method, path, _op in _operations()})


@pytest.mark.parametrize("router", ROUTERS)
def test_every_endpoint_declares_a_paginated_typed_response(router: str) -> None:
    operations = [(m, p, op) for m, p, op in _operations() if _router(p) == router]
    assert [(m, p) for m, p, op in operations if not _has_success_schema(op)] == []
    assert [(m, p) for m, p, op in operations if _is_bare_list(op)] == []


def test_it_lists_plans_and_barrios() -> None:
    assert {"plans", "barrios"} <= set(ROUTERS)


def _subclasses(cls: type) -> set[type]:
    direct: set[type] = set(cls.__subclasses__())
    return direct.union(*(_subclasses(c) for c in direct))


def test_it_gives_every_schema_its_own_name() -> None:
    """OpenAPI names a component by its class name: two schemas called ``MonthOut``
    would leave one of them documented with the other's fields."""
    from collections import Counter

    from ninja import Schema

    project = [c for c in _subclasses(Schema) if c.__module__.startswith("sinasec.")]
    names = Counter(c.__name__ for c in project)
    assert [name for name, count in names.items() if count > 1] == []
