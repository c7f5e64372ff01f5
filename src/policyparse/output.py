"""What a run writes: whole documents, flattened facts (--select) as JSON lines
or CSV, error records, and where ``-o DIR`` puts each result.

Rendering is pure (it runs in the workers); writing happens in the parent, in
input order, each result written whole and flushed.

    >>> columns("deadlines")[:4]
    ['document', 'measure', 'measure_path', 'text']
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .models import Deadline, Frequency, Target, Unit

# --select KIND: the fact lists a row is made from (one row per fact)
_FACT_MODELS = {"targets": Target, "deadlines": Deadline, "frequencies": Frequency, "units": Unit}
SELECTS = ("measures", *_FACT_MODELS, "leaders")
_SPAN = ["start", "end", "line", "page"]
_MEASURE = ["label", "level", "parent", "heading", "text", *_SPAN, "targets", "deadlines", "frequencies", "units", "leaders"]
_LIST_SEP = "；"  # how CSV joins a list (unit names, leaders)
BOM = "\ufeff"  # CSV starts with it, so Excel reads UTF-8


@dataclass(frozen=True)
class Style:
    """How each result is rendered: whole documents or --select rows, JSON or CSV."""

    select: str | None = None  # one of SELECTS, or None for whole documents
    fmt: str = "json"  # json | csv
    indent: int | None = None  # whole documents: 2 = indented, None = one line

    @property
    def suffix(self) -> str:
        """File ending for ``-o DIR`` outputs."""
        if self.fmt == "csv":
            return ".csv"
        return ".jsonl" if self.select else ".json"


def columns(kind: str) -> list[str]:
    """Field names of one --select row (the CSV header, less the final ``error``)."""
    head = ["document", "measure", "measure_path"]
    if kind == "measures":
        return head + _MEASURE
    if kind == "leaders":
        return head + ["name"]
    model = _FACT_MODELS[kind]
    return head + [f for f in model.model_fields if f != "span"] + _SPAN


def rows(doc, kind: str) -> list[dict]:
    """One flat dict per fact of ``kind`` (or per measure), in document order.

    >>> from policyparse.models import Document
    >>> rows(Document(), "targets")
    []
    """
    path = doc.source.path
    out = []
    owners = [(None, [], doc.preamble)] + [(m.id, m.path, m) for m in doc.measures]
    if kind == "measures":
        for m in doc.measures:
            row = {"document": path, "measure": m.id, "measure_path": m.path}
            row.update(label=m.label, level=m.level, parent=m.parent, heading=m.heading, text=m.text)
            row.update(_span(m.span))
            row.update(targets=len(m.targets), deadlines=len(m.deadlines), frequencies=len(m.frequencies))
            row.update(units=[u.name for u in m.units], leaders=list(m.leaders))
            out.append(row)
        return out
    for mid, mpath, owner in owners:
        for fact in getattr(owner, kind):
            row = {"document": path, "measure": mid, "measure_path": mpath}
            if kind == "leaders":
                row["name"] = fact
            else:
                row.update(fact.model_dump(exclude={"span"}))
                row.update(_span(fact.span))
            out.append(row)
    return out


def _span(span) -> dict:
    if span is None:
        return dict.fromkeys(_SPAN)
    return {"start": span.start, "end": span.end, "line": span.line, "page": span.page}


def render(doc, style: Style) -> str:
    """The text one document contributes to the output (ends with a newline)."""
    if style.select is None:
        return doc.model_dump_json(indent=style.indent) + "\n"
    found = rows(doc, style.select)
    if style.fmt == "csv":
        return _csv(found, style.select)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found)


def render_error(record, style: Style) -> str:
    """The text a failed input contributes: its error record, or a CSV error row."""
    if style.fmt == "csv":
        row = {"document": record.source.path, "error": f"{record.error.code}: {record.error.message}"}
        return _csv([row], style.select)
    return record.model_dump_json() + "\n"


def csv_header(kind: str) -> str:
    """BOM plus the header line of --select KIND --format csv."""
    return BOM + _csv_line(columns(kind) + ["error"])


def _csv(found: list[dict], kind: str) -> str:
    cols = columns(kind) + ["error"]
    return "".join(_csv_line([_cell(r.get(c)) for c in cols]) for r in found)


def _csv_line(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(values)
    return buf.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _LIST_SEP.join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- -o DIR -------------------------------------------------------------------


class OutputError(Exception):
    """An output file that must not or cannot be written (code ``unwritable``)."""


def plan_outputs(inputs, outdir: Path, suffix: str) -> list[Path]:
    """The output file of each input: the input tree mirrored under ``outdir``.

    ``samples/a.txt`` found under the argument ``samples`` → ``OUT/a.json``; a
    second input that would land on the same file keeps its full name
    (``a.pdf`` → ``OUT/a.pdf.json``).
    """
    taken: set[Path] = set()
    out = []
    for inp in inputs:
        rel = Path(inp.rel) if inp.rel else Path("stdin" if inp.path == "-" else Path(inp.path).name)
        target = outdir / rel.parent / (rel.stem + suffix)
        if target in taken:
            target = outdir / rel.parent / (rel.name + suffix)
        n = 2
        while target in taken:
            target = outdir / rel.parent / f"{rel.name}~{n}{suffix}"
            n += 1
        taken.add(target)
        out.append(target)
    return out


def write_atomic(target: Path, text: str, outdir: Path, protected: set) -> None:
    """Write ``text`` to ``target`` via a temporary file and a rename.

    Refuses a target outside ``outdir`` (after resolving symbolic links) and a
    target that is one of the inputs (``protected``: (device, inode) pairs).
    """
    root = outdir.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    parent = target.parent.resolve()
    if parent != root and root not in parent.parents:
        raise OutputError(f"refusing to write outside {outdir}: {target}")
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and (st.st_dev, st.st_ino) in protected:
        raise OutputError(f"refusing to overwrite an input: {target}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, parent / target.name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---- stderr: progress, failures, summary -------------------------------------------


class Reporter:
    """Everything a run says on stderr: a progress bar (only on a terminal), one
    line per failed file, and a one-line summary at the end."""

    def __init__(self, total: int, *, quiet: bool = False, batch: bool = True):
        import sys
        import time

        self.total, self.quiet, self.batch = total, quiet, batch
        self.ok = self.failed = self.skipped = self.measures = self.targets = 0
        self.started = time.monotonic()
        self._clock = time.monotonic
        self._stderr = sys.stderr
        self.progress = None
        if batch and not quiet and total > 1 and sys.stderr.isatty():
            self._start_progress()

    def _start_progress(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} files/s"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failures]}"),
            console=console,
            auto_refresh=False,  # no refresh thread: worker processes are forked
            transient=True,
            redirect_stdout=False,  # stdout is the JSON stream, never the terminal's
            redirect_stderr=False,
        )
        self.task = self.progress.add_task("extract", total=self.total, rate="-", failures="")
        self.progress.start()

    def line(self, text: str) -> None:
        """One line on stderr (above the progress bar when there is one)."""
        if self.progress is not None:
            self.progress.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self._stderr.write(text + "\n")
            self._stderr.flush()

    def done(self, outcome) -> None:
        """Count one finished input; name it on stderr if it failed."""
        if outcome.ok:
            self.ok += 1
            self.measures += outcome.measures
            self.targets += outcome.targets
        else:
            self.failed += 1
            code, message = outcome.error
            self.line(f"error: {outcome.path}: {message} [{code}]")
        self.tick(advance=1)

    def skip(self) -> None:
        self.skipped += 1
        self.tick(advance=1)

    def tick(self, advance: int = 0) -> None:
        """Refresh the progress bar (called as files finish and while waiting)."""
        if self.progress is None:
            return
        finished = self.ok + self.failed + self.skipped
        elapsed = max(self._clock() - self.started, 1e-6)
        failures = f"{self.failed} failed" if self.failed else ""
        self.progress.update(self.task, completed=finished, rate=f"{finished / elapsed:.1f}", failures=failures)
        self.progress.refresh()

    def warnings(self, outcome) -> None:
        if self.quiet:
            return
        for code, message, line in outcome.warnings:
            where = f"line {line}: " if line else ""
            self.line(f"warning: {outcome.path}: {where}{message} [{code}]")

    def close(self, interrupted: bool = False) -> None:
        """Stop the progress bar and print the summary (batch runs, unless --quiet)."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
        if self.quiet or not (self.batch or interrupted):
            return
        seconds = self._clock() - self.started
        finished = self.ok + self.failed + self.skipped
        files = f"{self.total} file{'' if self.total == 1 else 's'}"
        head = f"interrupted after {finished} of {files}" if interrupted else files
        skipped = f", {self.skipped} skipped" if self.skipped else ""
        self.line(
            f"policyparse: {head}: {self.ok} ok, {self.failed} failed{skipped}; "
            f"{self.measures} measures, {self.targets} targets; {seconds:.1f} s"
        )
