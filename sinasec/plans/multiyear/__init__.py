"""Multi-year plans (Directiva 006-2023-IN-DGSC): yearly programmes copied forward, and the
execution rate per quarter and semester of every committee, flagged and ranked."""
