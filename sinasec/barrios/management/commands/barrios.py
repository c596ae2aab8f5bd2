"""sinasec barrios: Barrio Seguro."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sinasec.barrios.management import evaluation, monitoring, registry, synth, targeting

MODULES = (registry, targeting, monitoring, evaluation, synth)
ACTIONS = {name: run for module in MODULES for name, run in module.ACTIONS.items()}


class Command(BaseCommand):
    help = (
        "Barrio Seguro: progress against the annual goal, targeting, monitoring and impact "
        "evaluation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for module in MODULES:
            module.add_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        ACTIONS[options["action"]](self.stdout, options)
