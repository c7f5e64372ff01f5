"""The command line: a thin layer over ``batch`` (inputs, workers) and ``output``.

stdout carries only JSON, JSON lines or CSV (or the normalized text);
diagnostics go to stderr.  Exit statuses are ``errors.ExitCode``.

    $ policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import ExitCode, PolicyparseError, RulesError
from .readers import SUFFIXES

_KINDS = " ".join(SUFFIXES)

app = typer.Typer(
    name="policyparse",
    help="Turn Chinese government policy notices into validated, source-grounded JSON.\n\n"
    "\b\nExample: policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _err(message: str) -> None:
    """One diagnostic line on stderr."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policyparse {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """policyparse: policy notices → JSON."""


def _check_rules(rules_dir: Optional[Path]) -> None:
    if rules_dir is None:
        return
    from .rules import check_dir

    try:
        check_dir(rules_dir)
    except RulesError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(ExitCode.RULES) from None


class _Shield:
    """Ctrl-C never cuts a record in half: it waits until the write is done."""

    def __init__(self):
        self.writing = False
        self.pending = False

    def __enter__(self):
        self.old = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self.old)

    def _handler(self, signum, frame):
        if self.writing:
            self.pending = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def write(self):
        self.writing = True
        try:
            yield
        finally:
            self.writing = False
        if self.pending:
            raise KeyboardInterrupt


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _emit_outcome(out) -> None:
    """Write one result on stdout: from memory, or copied from its spool file."""
    for piece in out.pieces():
        sys.stdout.write(piece)
    sys.stdout.flush()


@app.command("extract")
def extract_cmd(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help=f"Notices ({_KINDS}), directories (searched recursively), or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON object per line, in input order (the default for several inputs)."),
    output_dir: Optional[Path] = typer.Option(None, "-o", "--output-dir", metavar="DIR", help="Write one <name>.json per input here, mirroring the input tree."),
    skip_existing: bool = typer.Option(False, "--skip-existing", help="With -o: skip inputs whose output exists (resume a batch)."),
    globs: Optional[list[str]] = typer.Option(None, "--glob", metavar="PATTERN", help=f"In directories, take files matching this pattern (repeatable; default: {_KINDS})."),
    workers: int = typer.Option(0, "-j", "--workers", metavar="N", show_default=False, help="Worker processes (default: number of cores)."),
    select: Optional[str] = typer.Option(None, "--select", metavar="KIND", help="One line per fact: measures, targets, deadlines, frequencies, units or leaders."),
    fmt: str = typer.Option("json", "--format", metavar="FORMAT", help="json, or csv (with --select; UTF-8 with BOM for Excel)."),
    timeout: float = typer.Option(600.0, "--timeout", metavar="SECONDS", help="Seconds allowed per document before it is reported as an error (0 = no limit)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar, summary or warnings on stderr (errors are still named)."),
    compact: bool = typer.Option(False, "--compact", help="One line of JSON instead of indented JSON."),
    encoding: Optional[str] = typer.Option(None, "--encoding", metavar="NAME", help="Override encoding detection (e.g. gb18030)."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", metavar="DIR", help="A directory of rule files overriding the shipped ones."),
    sqlite: Optional[Path] = typer.Option(None, "--sqlite", metavar="FILE", help="Write (or update) a corpus database instead of printing JSON (see `query`)."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS", help="Run on Dask: 'local' (a LocalCluster) or a scheduler address (extra: dask)."),
) -> None:
    """Extract notices into JSON on stdout (or files with -o).

    One file gives one JSON object.  Several files or a directory give JSON
    lines in input order; a file that fails gives an error line
    {"source": ..., "error": {"code": ..., "message": ...}} and the run goes on.
    Exit status: 0 all ok, 1 some failed, 2 usage error, 3 bad rules, 130 Ctrl-C.

    \b
    Example: policyparse extract samples/001_df3ed95b26241507.txt | jq '.measures | length'
    Example: policyparse extract samples --select targets --format csv > targets.csv
    Example: policyparse extract samples --jsonl --workers 2 | jq -r '.source.path'
    """
    from . import batch
    from .inputs import Input, discover
    from .output import SELECTS, Style

    if select is not None and select not in SELECTS:
        raise typer.BadParameter(f"choose one of {', '.join(SELECTS)}", param_hint="--select")
    if fmt not in ("json", "csv"):
        raise typer.BadParameter("choose json or csv", param_hint="--format")
    if fmt == "csv" and select is None:
        raise typer.BadParameter("CSV needs --select (measures, targets, ...)", param_hint="--format")
    if skip_existing and output_dir is None:
        raise typer.BadParameter("needs -o DIR", param_hint="--skip-existing")
    if workers < 0 or timeout < 0:
        raise typer.BadParameter("must not be negative", param_hint="--workers/--timeout")
    if paths.count("-") > 1:
        raise typer.BadParameter("stdin (-) can be read only once", param_hint="PATHS")
    if sqlite is not None and (select is not None or output_dir is not None):
        raise typer.BadParameter("writes whole documents: not with --select or -o", param_hint="--sqlite")
    _check_rules(rules_dir)

    single = len(paths) == 1 and not jsonl and output_dir is None and (paths[0] == "-" or not os.path.isdir(paths[0]))
    style = Style(select=select, fmt=fmt, indent=2 if single and not compact and select is None else None)
    job = batch.Job(style=style, encoding=encoding, rules_dir=str(rules_dir) if rules_dir else None, timeout=timeout or None)
    inputs = discover(paths, globs)
    if "-" in paths:
        inputs = [Input("-", data=sys.stdin.buffer.read()) if i.path == "-" else i for i in inputs]
    code = _run(
        inputs, job, single=single and sqlite is None, workers=workers or _cores(), output_dir=output_dir,
        skip_existing=skip_existing, quiet=quiet, sqlite=sqlite, dask=dask,
    )
    raise typer.Exit(code)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _run(
    inputs, job, *, single: bool, workers: int, output_dir: Optional[Path], skip_existing: bool, quiet: bool,
    sqlite: Optional[Path] = None, dask: Optional[str] = None,
) -> ExitCode:
    """Run ``inputs`` and write each result in input order; the exit status.

    Long results are spilled by the workers into a private temporary directory
    (removed at the end) and copied out from there, so memory stays bounded.
    """
    import tempfile

    spool_dir = None if dask else tempfile.mkdtemp(prefix="policyparse.")
    # a plain `kill` still removes the spool directory (the default action would skip `finally`)
    old_term = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _write_results(
            inputs, dataclasses.replace(job, spool_dir=spool_dir), single=single, workers=workers, output_dir=output_dir,
            skip_existing=skip_existing, quiet=quiet, sqlite=sqlite, dask=dask,
        )
    finally:
        signal.signal(signal.SIGTERM, old_term)
        if spool_dir is not None:
            shutil.rmtree(spool_dir, ignore_errors=True)


def _terminated(signum, frame):
    raise SystemExit(128 + signum)


def _write_results(
    inputs, job, *, single: bool, workers: int, output_dir: Optional[Path], skip_existing: bool, quiet: bool,
    sqlite: Optional[Path], dask: Optional[str],
) -> ExitCode:
    """``_run`` once the spool directory is in ``job``: each result written, then its spool file removed."""
    from . import batch
    from .output import OutputError, csv_header, plan_outputs, write_atomic
    from .reporter import Reporter

    style = job.style
    todo = list(inputs)
    targets = protected = None
    if output_dir is not None:
        planned = plan_outputs(inputs, output_dir, style.suffix)
        protected = _identities(inputs)
        if skip_existing:
            keep = [k for k, t in enumerate(planned) if not t.exists()]
            todo, planned = [inputs[k] for k in keep], [planned[k] for k in keep]
        targets = planned
    report = Reporter(len(inputs), quiet=quiet, batch=not single)
    report.skipped = len(inputs) - len(todo)
    header = csv_header(style.select) if style.fmt == "csv" else ""
    if dask:  # the same per-file work, mapped over a Dask bag; results in input order
        import functools

        from . import distributed

        results = distributed.run(todo, functools.partial(batch.process, job=job), dask, workers)
    else:
        results = batch.run(todo, job, workers, tick=report.tick)
    db = None
    if sqlite is not None:
        from . import store

        db = store.connect(sqlite)
    interrupted = broken = False
    with _Shield() as shield:
        try:
            if header and targets is None:
                with shield.write():
                    _emit(header)
            for out in results:
                try:
                    if db is not None:  # --sqlite: each document in its own transaction
                        if out.ok:
                            store.write(db, json.loads("".join(out.pieces())))
                        report.done(out)
                        continue
                    if out.ok and targets is not None:
                        try:
                            with shield.write():
                                write_atomic(targets[out.index], itertools.chain([header], out.pieces()), output_dir, protected)
                        except (OutputError, OSError) as exc:
                            out.release()
                            out = batch.failed(out.index, out.path, ("unwritable", str(exc)), style)
                    elif targets is None and (out.ok or not single):
                        with shield.write():
                            _emit_outcome(out)
                finally:
                    out.release()
                report.done(out)
                if single and out.ok:
                    report.warnings(out)
        except KeyboardInterrupt:
            interrupted = True
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            broken = True
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        finally:
            results.close()
    report.close(interrupted=interrupted)
    if interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.SOME_FAILED if report.failed or broken else ExitCode.OK


def _identities(inputs) -> set:
    """(device, inode) of every input file: outputs must never replace one."""
    out = set()
    for i in inputs:
        try:
            st = os.stat(i.path)
        except (OSError, ValueError):
            continue
        out.add((st.st_dev, st.st_ino))
    return out


@app.command("normalize")
def normalize_cmd(
    file: str = typer.Argument(..., help="A notice, or - for stdin."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Override encoding detection."),
) -> None:
    """Print the normalized text that every span refers to.

    \b
    Example: policyparse normalize samples/000_d7f5d53e4e07740e.txt | head
    """
    from .inputs import read_input
    from .normalize import normalize
    from .pipeline import read

    try:
        data = sys.stdin.buffer.read() if file == "-" else read_input(file)
        raw, _ = read(data, encoding=encoding, name=file)
    except PolicyparseError as exc:
        _err(f"error: {exc.path or file}: {exc.message} [{exc.code}]")
        raise typer.Exit(ExitCode.SOME_FAILED) from None
    _emit(normalize(raw).text + "\n")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of extract's output.

    \b
    Example: policyparse schema | jq '.properties | keys'
    """
    from .models import Document

    _emit(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


from . import commands_view  # noqa: E402,F401  (registers show/review/eval)
from . import commands_corpus  # noqa: E402,F401  (registers export/query)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.SOME_FAILED)
