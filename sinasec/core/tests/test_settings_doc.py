"""The README's Settings tables name every variable settings.py reads, and nothing else.

An operator reads the tables, not the source: a knob added without its row, or a row
left behind after its knob went, fails here with the names missing on each side.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "sinasec" / "settings.py"
README = ROOT / "README.md"

# env_str("SINASEC_X", ...), env_bool(...), ... and any os.environ read of a SINASEC_ name.
READ = re.compile(r"""(?:env_\w+\(|os\.environ(?:\.get\(|\[)|getenv\()\s*["'](SINASEC_\w+)["']""")
# A table row's first cell: | `SINASEC_X` | ...
ROW = re.compile(r"^\|\s*`(SINASEC_\w+)`\s*\|", re.MULTILINE)


def settings_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]


def read_names() -> set[str]:
    return set(READ.findall(SETTINGS.read_text(encoding="utf-8")))


def documented_names() -> list[str]:
    return ROW.findall(settings_section())


def test_it_documents_every_setting_read_and_nothing_else() -> None:
    read, documented = read_names(), set(documented_names())
    missing = sorted(read - documented)
    stale = sorted(documented - read)
    assert not missing and not stale, (
        f"read in settings.py but not in the README Settings tables: {missing}; "
        f"in the tables but not read in settings.py: {stale}"
    )


def test_it_documents_each_setting_once() -> None:
    names = documented_names()
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"in more than one README Settings row: {repeated}"


def test_it_finds_the_settings_it_compares() -> None:
    # Guards the regexes: an empty match on both sides would pass the tests above.
    assert {"SINASEC_DATABASE_URL", "SINASEC_CACHE_URL", "SINASEC_HSTS_PRELOAD"} <= read_names()
    assert len(documented_names()) >= 40
