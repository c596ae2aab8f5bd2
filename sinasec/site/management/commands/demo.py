"""sinasec demo: load the reference files and the demo accounts, and print the logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sinasec.core.commands import domain_errors
from sinasec.site.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: population 2025 and boundaries imported from the shared data folder "
        "through the product's importers, and one account per role. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="folder with ubigeo_inei_2025.csv and the GeoJSON files "
            "(default: $SINASEC_SHARED_DATA or ../shared/data)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Cargando datos de demostración…")
        with domain_errors():
            accounts = load_demo(options["data_dir"], log=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Cuentas de demostración (contraseña para todas: {DEMO_PASSWORD}):")
        )
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<24} {account.role.label:<32} {account.scope_label()}"
            )
