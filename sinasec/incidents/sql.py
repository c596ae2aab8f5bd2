"""SQL text for the places DuckDB takes no parameters (file names, reader options),
and the one-number query the import runs more than once."""

from __future__ import annotations

import duckdb


def sql_literal(value: str) -> str:
    """A SQL string literal (for the places DuckDB takes no parameters: file names,
    reader options)."""
    return "'" + value.replace("'", "''") + "'"


def sql_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])
