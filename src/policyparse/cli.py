"""The command line: a thin layer over ``policyparse.extract``.

stdout carries only JSON (or the normalized text); diagnostics go to stderr.

    $ policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import ExitCode, PolicyparseError, RulesError

app = typer.Typer(
    name="policyparse",
    help="Turn Chinese government policy notices into validated, source-grounded JSON.\n\n"
    "Example: policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _err(message: str) -> None:
    """One diagnostic line on stderr (rich, so colour only on a terminal)."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyparse {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """policyparse: policy notices → JSON."""


def _read_input(file: str, encoding: Optional[str], rules_dir: Optional[Path]):
    from .pipeline import extract as run

    if file == "-":
        data = sys.stdin.buffer.read()
        return run(data, encoding=encoding, rules_dir=rules_dir, name="-")
    return run(Path(file), encoding=encoding, rules_dir=rules_dir)


def _check_rules(rules_dir: Optional[Path]) -> None:
    if rules_dir is None:
        return
    from .rules import check_dir

    check_dir(rules_dir)


@app.command("extract")
def extract_cmd(
    file: str = typer.Argument(..., help="A notice (.txt, .md, .pdf), or - for stdin."),
    compact: bool = typer.Option(False, "--compact", help="One line of JSON instead of indented JSON."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection (e.g. gb18030)."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", help="A directory of rule files overriding the shipped ones."),
) -> None:
    """Extract one notice into JSON on stdout.

    Example: policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'
    """
    try:
        _check_rules(rules_dir)
        doc = _read_input(file, encoding, rules_dir)
    except RulesError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(ExitCode.RULES)
    except PolicyparseError as exc:
        _err(f"error: {exc.path or file}: {exc.message} [{exc.code}]")
        raise typer.Exit(ExitCode.SOME_FAILED)
    indent = None if compact else 2
    sys.stdout.write(doc.model_dump_json(indent=indent) + "\n")


@app.command("normalize")
def normalize_cmd(
    file: str = typer.Argument(..., help="A notice, or - for stdin."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection."),
) -> None:
    """Print the normalized text that every span refers to.

    Example: policyparse normalize samples/000_d7f5d53e4e07740e.txt | head
    """
    from .normalize import normalize
    from .pipeline import read

    try:
        source = sys.stdin.buffer.read() if file == "-" else Path(file)
        raw, _ = read(source, encoding=encoding, name=file)
    except PolicyparseError as exc:
        _err(f"error: {exc.path or file}: {exc.message} [{exc.code}]")
        raise typer.Exit(ExitCode.SOME_FAILED)
    sys.stdout.write(normalize(raw).text + "\n")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of extract's output.

    Example: policyparse schema | jq '.properties | keys'
    """
    from .models import Document

    sys.stdout.write(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


from . import commands_view  # noqa: E402,F401  (registers show/review/eval)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
