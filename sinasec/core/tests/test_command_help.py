"""Every command of the project, and each of its subcommands, prints its help.

argparse formats a help string with ``%``: an unescaped "95%" crashed
``sinasec observatory --help`` (``unsupported format character 'W'``).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from django.core.management import get_commands, load_command_class


def _parsers(
    name: str, parser: argparse.ArgumentParser
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, subparser in action.choices.items():
                yield from _parsers(f"{name} {sub}", subparser)


def _commands() -> list[tuple[str, str]]:
    return sorted(
        (app, name) for name, app in get_commands().items() if str(app).startswith("sinasec")
    )


def test_it_finds_the_domain_commands() -> None:
    assert {"observatory", "committees", "territories"} <= {name for _app, name in _commands()}


@pytest.mark.parametrize(("app", "name"), _commands(), ids=lambda value: str(value))
def test_it_prints_the_help_of_every_command_and_subcommand(app: str, name: str) -> None:
    command = load_command_class(app, name)
    for label, parser in _parsers(name, command.create_parser("sinasec", name)):
        assert parser.format_help().strip(), label
