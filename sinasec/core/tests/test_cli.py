"""The command line: the documented commands exist, do what their help says, and fail
clearly (exit code, message) on bad input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from sinasec.territories.models import Population

README = Path(__file__).resolve().parents[3] / "README.md"
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_the_summary_as_json_after_importing_the_inei_file(
    admin: User, shared_data: Path
) -> None:
    run(
        "territories",
        "import-population",
        str(shared_data / "ubigeo_inei_2025.csv"),
        "--year",
        "2025",
        "--as",
        admin.username,
    )
    data = json.loads(run("territories", "summary", "--format", "json"))
    assert {k: data[k] for k in ("departments", "provinces", "districts", "regions")} == {
        "departments": 25,
        "provinces": 196,
        "districts": 1893,
        "regions": 26,
    }
    assert data["population"]["year"] == 2025
    assert data["population"]["total"] == 34_350_244


def test_it_exits_with_every_problem_when_a_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "malo.csv"
    bad.write_text("ubigeo;población\n150122;1\n999999;2\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("territories", "import-population", str(bad), "--year", "2025")
    assert info.value.returncode == 3
    assert "malo.csv" in str(info.value) and "999999" in str(info.value)
    assert Population.objects.count() == 0


def test_it_records_command_line_changes_under_the_acting_account(
    secretary: User, tmp_path: Path
) -> None:
    good = tmp_path / "p.csv"
    good.write_text("ubigeo;población\n150122;1\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run(
            "territories",
            "import-population",
            str(good),
            "--year",
            "2025",
            "--as",
            secretary.username,
        )
    assert info.value.returncode == 2
    assert Population.objects.count() == 0
    run("territories", "import-population", str(good), "--year", "2025")  # as 'sistema'
    assert Population.objects.get().value == 1


def test_it_loads_the_demo_idempotently(settings, tmp_path: Path) -> None:
    settings.INCIDENTS_DIR = tmp_path / "incidents"  # the demo's synthetic incidents
    first = run("demo")
    second = run("demo")
    assert "admin" in first and "secretario.miraflores" in first and "enlace.pnp" in first
    assert "50000 importados" in first and "incidentes sintéticos" not in second
    assert Population.objects.filter(year=2025).count() == 1891
    assert "0 nuevos, 0 cambiados, 1891 sin cambios" in second


def test_it_documents_every_command_the_readme_shows() -> None:
    """The README's commands must exist and accept the options it shows."""
    readme = README.read_text(encoding="utf-8")
    commands = set(
        re.findall(r"^\s*sinasec ([a-z][a-z-]*(?: [a-z][a-z0-9-]*)?)", readme, flags=re.M)
    )
    assert {
        "territories import-population",
        "territories summary",
        "compliance",
        "demo",
    } <= commands
    for command in commands:
        help_text = subprocess.run(
            [sys.executable, "-m", "sinasec.cli", *command.split(), "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "usage:" in help_text
    boundaries = subprocess.run(
        [sys.executable, "-m", "sinasec.cli", "territories", "import-boundaries", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--level" in boundaries and "--skip-unknown" in boundaries
