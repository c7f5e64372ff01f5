"""The commands that let a person see and check results: show, review, eval.

Registered on the CLI's ``app`` when cli.py imports this module.

    $ policyparse show samples/001_df3ed95b26241507.txt --only targets
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .cli import app
from .errors import ExitCode, PolicyparseError


def _err(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def _fail(exc: PolicyparseError, given: str) -> None:
    _err(f"error: {exc.path or given}: {exc.message} [{exc.code}]")


@app.command("show")
def show_cmd(
    file: str = typer.Argument(..., metavar="FILE", help="A notice (.txt, .md, .pdf), an output of extract (.json/.jsonl), or - for stdin."),
    only: Optional[List[str]] = typer.Option(None, "--only", help="Show only this kind of fact (targets, deadlines, frequencies, units, leaders); repeatable."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection (e.g. gb18030)."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", help="A directory of rule files overriding the shipped ones."),
) -> None:
    """Show a document as a tree: metadata, then each measure with its facts.

    \b
    Example: policyparse show samples/001_df3ed95b26241507.txt --only targets
    """
    from rich.console import Console

    from .view import build_tree, kind_of, load, to_document

    try:
        kinds = tuple(dict.fromkeys(kind_of(k) for k in only or ()))
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(ExitCode.USAGE)
    try:
        items = load(file, encoding=encoding, rules_dir=rules_dir)
    except PolicyparseError as exc:
        _fail(exc, file)
        raise typer.Exit(ExitCode.SOME_FAILED)
    console = Console(highlight=False)
    failed = False
    for item in items:
        try:
            console.print(build_tree(to_document(item.data, item.name), kinds))
        except PolicyparseError as exc:
            _fail(exc, item.name)
            failed = True
    if failed:
        raise typer.Exit(ExitCode.SOME_FAILED)


@app.command("review")
def review_cmd(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Notices, or outputs of extract (.json/.jsonl) whose source files still exist."),
    output: Path = typer.Option(Path("review.html"), "-o", "--output", help="The HTML file to write."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", help="A directory of rule files overriding the shipped ones."),
) -> None:
    """Write one self-contained HTML page: each text with its facts highlighted.

    \b
    Example: policyparse review samples/*.txt -o review.html
    """
    from .review import prepare, write

    pages, failed = [], False
    for p in paths:
        try:
            pages += prepare(p, encoding=encoding, rules_dir=rules_dir)
        except PolicyparseError as exc:
            _fail(exc, p)
            failed = True
    if not pages:
        _err("error: nothing to review")
        raise typer.Exit(ExitCode.SOME_FAILED)
    size = write(pages, output)
    _err(f"wrote {output} ({len(pages)} documents, {size // 1024} KB)")
    if failed:
        raise typer.Exit(ExitCode.SOME_FAILED)


@app.command("eval")
def eval_cmd(
    gold_dir: Path = typer.Argument(..., metavar="GOLD_DIR", help="A directory of <stem>.gold.json files (format: README, Evaluating)."),
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Notices (extracted now), outputs of extract (.json/.jsonl), or directories of them."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    misses: bool = typer.Option(False, "--misses", help="List every miss and false alarm with its measure path."),
    all_gold: bool = typer.Option(False, "--all-gold", help="Score every gold file; one without output counts as all missed."),
    flat: bool = typer.Option(False, "--flat", help="Ignore which measure holds a fact."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", help="A directory of rule files overriding the shipped ones."),
) -> None:
    """Precision, recall and F1 per field against gold annotations, per document and in total.

    \b
    Example: policyparse eval samples/gold samples/*.txt --misses
    """
    from .evaluate import evaluate, load_gold, stem_of
    from .evaluate_render import render
    from .view import load

    if not gold_dir.is_dir():
        _err(f"error: {gold_dir}: not a directory of gold files")
        raise typer.Exit(ExitCode.USAGE)
    gold = load_gold(gold_dir)
    if not gold:
        _err(f"error: {gold_dir}: no *.gold.json files")
        raise typer.Exit(ExitCode.USAGE)
    outputs, failed = {}, False
    for p in _expand(paths):
        try:
            items = load(p, encoding=encoding, rules_dir=rules_dir)
        except PolicyparseError as exc:
            _fail(exc, p)
            outputs[Path(p).stem] = {"error": {"code": exc.code, "message": exc.message}}
            failed = True
            continue
        for item in items:
            outputs[stem_of(item.data, p)] = item.data
    report = evaluate(gold, outputs, all_gold=all_gold, flat=flat)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(misses), ensure_ascii=False) + "\n")
    else:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for r in render(report, misses=misses):
            console.print(r, soft_wrap=isinstance(r, Text))  # one miss per line, for grep
    if failed:
        raise typer.Exit(ExitCode.SOME_FAILED)


def _expand(paths: list[str]) -> list[str]:
    """Directories stand for the files in them (outputs and notices), sorted."""
    out = []
    for p in paths:
        d = Path(p)
        if p != "-" and d.is_dir():
            out += [str(f) for f in sorted(d.iterdir()) if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".gold.json")]
        else:
            out.append(p)
    return out
