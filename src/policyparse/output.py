"""What a run writes: whole documents, flattened facts (--select) as JSON lines
or CSV, error records, and where ``-o DIR`` puts each result.

Rendering is pure (it runs in the workers) and streams: a document is written
measure by measure, into memory while small and into a spool file once large
(``Spool``), so a big notice never sits in memory as one string.  Writing happens
in the parent, in input order, each result written whole and flushed.

    >>> columns("deadlines")[:4]
    ['document', 'measure', 'measure_path', 'text']
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
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
SPILL_CHARS = 1_000_000  # a result longer than this goes to a spool file (a notice gives a few 100,000)
_COPY_CHARS = 1 << 16  # a spool file is copied out in pieces of this many characters


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
    return list(iter_rows(doc.source.path, doc.preamble, doc.measures, kind))


def iter_rows(path, preamble, measures: Iterable, kind: str) -> Iterator[dict]:
    """``rows`` of a document given in parts: the preamble's rows, then each measure's."""
    if kind == "measures":
        for m in measures:
            row = {"document": path, "measure": m.id, "measure_path": m.path}
            row.update(label=m.label, level=m.level, parent=m.parent, heading=m.heading, text=m.text)
            row.update(_span(m.span))
            row.update(targets=len(m.targets), deadlines=len(m.deadlines), frequencies=len(m.frequencies))
            row.update(units=[u.name for u in m.units], leaders=list(m.leaders))
            yield row
        return
    yield from _fact_rows(path, None, [], preamble, kind)
    for m in measures:
        yield from _fact_rows(path, m.id, m.path, m, kind)


def _fact_rows(path, mid, mpath, owner, kind: str) -> Iterator[dict]:
    for fact in getattr(owner, kind):
        row = {"document": path, "measure": mid, "measure_path": mpath}
        if kind == "leaders":
            row["name"] = fact
        else:
            row.update(fact.model_dump(exclude={"span"}))
            row.update(_span(fact.span))
        yield row


def _span(span) -> dict:
    if span is None:
        return dict.fromkeys(_SPAN)
    return {"start": span.start, "end": span.end, "line": span.line, "page": span.page}


def render(doc, style: Style) -> str:
    """The text one document contributes to the output (ends with a newline)."""
    parts: list[str] = []
    write_document(doc, iter(doc.measures), doc.warnings, style, parts.append)
    return "".join(parts)


def write_document(head, measures: Iterable, warnings: list, style: Style, write: Callable[[str], object]) -> None:
    """Write what ``render`` returns for a document given in parts, measure by measure.

    ``head`` holds everything but the measures and warnings (its own are
    ignored); ``warnings`` is read only after ``measures`` is exhausted, so it
    may still be growing while they stream (``pipeline.Stream``).
    """
    if style.select is None:
        for piece in _document_json(head, measures, warnings, style.indent):
            write(piece)
        write("\n")
        return
    found = iter_rows(head.source.path, head.preamble, measures, style.select)
    if style.fmt == "csv":
        cols = columns(style.select) + ["error"]
        for r in found:
            write(_csv_line([_cell(r.get(c)) for c in cols]))
    else:
        for r in found:
            write(json.dumps(r, ensure_ascii=False) + "\n")


def _document_json(head, measures: Iterable, warnings: list, indent: int | None) -> Iterator[str]:
    """``Document.model_dump_json(indent=...)`` in pieces: head, each measure, warnings.

    The layout around the measures is cut from the JSON of the document without
    measures and warnings, so it is pydantic's own; a key cannot occur inside a
    JSON string (its quotes would be escaped there), so the cut is unambiguous.
    """
    bare = head.model_copy(update={"measures": [], "warnings": []}).model_dump_json(indent=indent)
    at = bare.rindex('"measures":')
    key, after = bare[at:].split("[]", 1)  # '"measures": ' and ',\n  "warnings": []\n}'
    between = after[: after.index('"warnings":')]
    pad = "\n" + " " * (2 * indent) if indent else ""  # a measure sits two levels deep
    yield bare[:at] + key + "["
    sep = ""
    for m in measures:
        text = m.model_dump_json(indent=indent)
        yield sep + (pad + text.replace("\n", pad) if indent else text)
        sep = ","
    close = "\n" + " " * indent + "]" if indent and sep else "]"
    yield close + between
    tail = type(head)(warnings=warnings).model_dump_json(indent=indent)
    yield tail[tail.rindex('"warnings":') :]


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


# ---- where a result is rendered ------------------------------------------------------


class Spool:
    """One result being rendered: kept in memory while short, in a file under ``directory`` once long.

    Without a directory it always stays in memory.

    >>> sp = Spool(None)
    >>> sp.write("{}"); sp.write("\\n"); sp.close()
    ('{}\\n', None)
    """

    def __init__(self, directory: str | None, limit: int | None = None):
        self.directory, self.limit = directory, SPILL_CHARS if limit is None else limit
        self.parts: list[str] = []
        self.size = 0
        self.file = None
        self.path: str | None = None

    def write(self, text: str) -> None:
        if self.file is not None:
            self.file.write(text)
            return
        self.parts.append(text)
        self.size += len(text)
        if self.directory is not None and self.size > self.limit:
            fd, self.path = tempfile.mkstemp(prefix="result.", suffix=".tmp", dir=self.directory)
            self.file = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self.file.writelines(self.parts)
            self.parts = []

    def close(self) -> tuple[str, str | None]:
        """``(text, None)`` when the result stayed in memory, ``("", path)`` when it was spilled."""
        if self.file is None:
            return "".join(self.parts), None
        self.file.close()
        return "", self.path

    def discard(self) -> None:
        """Forget a result that failed half-way (its spool file included)."""
        self.parts = []
        if self.file is not None:
            self.file.close()
        if self.path is not None:
            remove_quietly(self.path)


def read_spool(path: str) -> Iterator[str]:
    """A spool file's text, in pieces."""
    with open(path, encoding="utf-8", newline="") as f:
        while piece := f.read(_COPY_CHARS):
            yield piece


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


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


def write_atomic(target: Path, text: str | Iterable[str], outdir: Path, protected: set) -> None:
    """Write ``text`` (a string, or its pieces) to ``target`` via a temporary file and a rename.

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
            f.writelines([text] if isinstance(text, str) else text)
        os.replace(tmp, parent / target.name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
