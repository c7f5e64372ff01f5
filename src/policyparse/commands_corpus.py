"""Corpus commands: ``export`` (JSONL → SQLite/Parquet) and ``query`` (SQL or canned reports).

    $ policyparse export corpus.jsonl --sqlite corpus.db
    $ policyparse query corpus.db --targets-due 2025
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Optional

import typer

from .cli import _err, app
from .errors import ExitCode


@app.command("export")
def export_cmd(
    jsonl: Path = typer.Argument(..., help="A JSON Lines file written by `extract --jsonl`."),
    sqlite: Optional[Path] = typer.Option(None, "--sqlite", help="Write (or update) this SQLite database."),
    parquet: Optional[Path] = typer.Option(None, "--parquet", help="Also write every table as Parquet into this folder (needs pyarrow)."),
) -> None:
    """Load extract output into a queryable SQLite corpus (updated in place, keyed by sha256).

    \b
    Example: policyparse extract samples/ --jsonl > corpus.jsonl && policyparse export corpus.jsonl --sqlite corpus.db
    """
    from . import store

    if sqlite is None:
        _err("error: say where to write: --sqlite FILE")
        raise typer.Exit(ExitCode.USAGE)
    try:
        db = store.connect(sqlite)
        counts = store.write_all(db, store.read_jsonl(jsonl))
        if parquet is not None:
            store.export_parquet(db, parquet)
    except (OSError, json.JSONDecodeError, sqlite3.Error, RuntimeError, ValueError) as exc:
        _err(f"error: {jsonl}: {exc}")
        raise typer.Exit(ExitCode.SOME_FAILED)
    _err(f"{sqlite}: {counts['added']} added, {counts['updated']} updated, {counts['skipped']} unchanged or failed")


@app.command("query")
def query_cmd(
    database: Path = typer.Argument(..., help="A corpus database written by `export` or `extract --sqlite`."),
    sql: Optional[str] = typer.Argument(None, help="An SQL query (read-only)."),
    table: bool = typer.Option(False, "--table", help="A rich table instead of JSON lines."),
    targets_due: Optional[str] = typer.Option(None, "--targets-due", help="Report: targets due in this year."),
    by_unit: bool = typer.Option(False, "--by-unit", help="Report: how many measures each unit leads or supports."),
    search: Optional[str] = typer.Option(None, "--search", help="Report: measures whose text holds this phrase (3+ characters)."),
) -> None:
    """Query a corpus database; rows come out as JSON lines.

    \b
    Example: policyparse extract samples/ --jsonl > c.jsonl && policyparse export c.jsonl --sqlite c.db && policyparse query c.db --targets-due 2025
    Example: policyparse extract samples/ --jsonl > c.jsonl && policyparse export c.jsonl --sqlite c.db && policyparse query c.db "SELECT issuer, count(*) AS n FROM documents GROUP BY issuer"
    """
    from . import store

    if not database.is_file():
        _err(f"error: {database}: no such database")
        raise typer.Exit(ExitCode.USAGE)
    chosen = [x for x in (sql, targets_due, search) if x] + ([True] if by_unit else [])
    if len(chosen) != 1:
        _err("error: give exactly one of SQL, --targets-due, --by-unit, --search")
        raise typer.Exit(ExitCode.USAGE)
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        if sql:
            rows = list(store.query(db, sql))
        elif targets_due:
            rows = list(store.report(db, "targets-due", targets_due))
        elif by_unit:
            rows = list(store.report(db, "by-unit"))
        else:
            rows = list(store.report(db, "search", search))
    except sqlite3.Error as exc:
        _err(f"error: {database}: {exc}")
        raise typer.Exit(ExitCode.USAGE)
    if table:
        _print_table(rows)
        return
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def _print_table(rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table()
    for name in rows[0] if rows else []:
        t.add_column(name)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row.values()))
    Console().print(t)
