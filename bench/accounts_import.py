"""Benchmark: onboarding 2,000 accounts from a spreadsheet, against one create per row.

Runs on a throwaway SQLite database in a temporary folder (never the project's own):
migrates it (the registry of ~1,900 committees and the institutions come with the
migrations), generates the 2,000-row file the tests use (one secretary per committee,
then focal points of the institutions in turn), then times:

- ``import_accounts``: the whole file in one transaction with bulk inserts, audit
  records and 2,000 invitation e-mails (to Django's in-memory outbox), goal < 30 s;
- the re-import of the same file (creates nothing);
- the obvious alternative: ``create_account`` once per row, each in its own
  transaction with its audit record and invitation, on the same rows with other
  e-mails (a sample of SAMPLE rows, extrapolated to 2,000 when the sample is smaller).

    python bench/accounts_import.py
"""

from __future__ import annotations

import platform
import sys
import tempfile
from pathlib import Path

from common import setup_django, timed

ROWS = 2000
SAMPLE = 400
GOAL_S = 30.0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sinasec-bench-") as tmp:
        setup_django(Path(tmp))
        from django.core import mail
        from django.test.utils import setup_test_environment

        setup_test_environment()  # e-mail to the in-memory outbox, not the console
        from django.urls import reverse

        from sinasec.accounts.models import Role
        from sinasec.people.accounts import AccountInput, create_account
        from sinasec.people.importer import import_accounts
        from sinasec.people.services import ensure_user_with_role
        from sinasec.people.tests.sheets import onboarding_csv, onboarding_rows

        reverse("site:home")  # load the URLconf (and the API) once, as a running server has
        admin, _ = ensure_user_with_role(None, "bench.admin", Role.NATIONAL_ADMIN)
        data = onboarding_csv(ROWS)
        import_ms, result = timed(lambda: import_accounts(admin, "cuentas.csv", data))
        assert result.created == ROWS and len(mail.outbox) == ROWS
        again_ms, again = timed(lambda: import_accounts(admin, "cuentas.csv", data))
        assert again.created == 0 and again.updated == 0

        rows = onboarding_rows(ROWS)[:SAMPLE]

        def one_by_one() -> None:
            for name, email, dni, role, ubigeo, institution in rows:
                account = AccountInput(name, "alt." + email, role, ubigeo, institution, dni)
                create_account(admin, account)

        naive_ms, _ = timed(one_by_one)
        naive_full_ms = naive_ms * ROWS / len(rows)
        print("SINASEC benchmark: onboarding accounts from a spreadsheet")
        print(f"  {platform.python_version()} on {platform.machine()}, SQLite, {ROWS:,} rows")
        print(f"  import_accounts (one transaction, bulk):  {import_ms / 1000:8.2f} s")
        print(f"  re-import of the same file (0 created):   {again_ms / 1000:8.2f} s")
        sample = "" if len(rows) == ROWS else f" ({len(rows)} rows timed, extrapolated)"
        print(f"  create_account per row, own transaction:  {naive_full_ms / 1000:8.2f} s{sample}")
        print(f"  per row / bulk: {naive_full_ms / import_ms:,.1f}x")
        verdict = "met" if import_ms / 1000 < GOAL_S else "NOT MET"
        print(
            f"  goal: < {GOAL_S:.0f} s for {ROWS:,} accounts -> {import_ms / 1000:.2f} s: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
