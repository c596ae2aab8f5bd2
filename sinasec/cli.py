"""The ``sinasec`` console script: Django's management commands plus the domain ones.

``sinasec --help`` lists every command; ``sinasec territories --help`` documents one.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinasec.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sinasec", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
