"""The pipeline, top to bottom: read → normalize → structure → facts → validate → emit.

``stream`` yields a document's measures one at a time (validated, in order), so
a big notice is written out without holding every measure; ``extract`` collects
them into a ``Document``.

    >>> doc = extract("一、总体要求\\n（一）加强领导。每季度开展1次督查。")
    >>> [m.id for m in doc.measures]
    ['一', '一.(一)']
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PolicyparseError
from .facts import FactContext, deadlines, frequencies, indicator_cells, leaders, links, metadata, targets, units
from .models import Document, DocumentMeta, Facts, Measure, Preamble, Source, Span, WarningItem
from .normalize import Normalized, normalize
from .readers import RawText, read_bytes
from .structure import Node, Structure
from .structure.numbering import build_tree
from .validate import Checker

# the first year of a title's range (健康中国行动（2019-2030年）) is the document's year
_YEAR = re.compile(r"(?<![\d—\-~～至])(20\d\d|19\d\d)\s*(?:年|[-—–~～至])")
_SPANNED = ("targets", "deadlines", "frequencies", "units")  # fact kinds whose spans the pipeline places


@dataclass
class Stream:
    """One document on its way out: everything but the measures, which come one by one.

    ``warnings`` is complete once ``measures`` is exhausted (measures are
    validated as they come, and their warnings come before the preamble's).
    """

    head: Document  # schema_version, source, document, preamble (measures and warnings empty)
    measures: Iterator[Measure]
    warnings: list[WarningItem] = field(default_factory=list)


def extract(path_or_text, *, encoding: str | None = None, rules_dir: Path | None = None, name: str | None = None) -> Document:
    """Run the whole pipeline on a path, bytes, or the text itself."""
    run = stream(path_or_text, encoding=encoding, rules_dir=rules_dir, name=name)
    measures = list(run.measures)
    return run.head.model_copy(update={"measures": measures, "warnings": run.warnings})


def stream(path_or_text, *, encoding: str | None = None, rules_dir: Path | None = None, name: str | None = None) -> Stream:
    """Read, normalize and structure the input; its measures follow lazily (see ``Stream``).

        >>> run = stream("一、总体要求\\n（一）加强领导。")
        >>> [m.id for m in run.measures], run.warnings
        (['一', '一.(一)'], [])

    Inputs are freed as soon as they are no longer needed (a caller that hands
    over the only reference to a big input's bytes gets them freed once decoded).
    """
    raw, source = read(path_or_text, encoding=encoding, name=name)
    del path_or_text
    norm = normalize(raw, rules_dir)
    hints, warnings = raw.hints, _read_warnings(raw)
    del raw  # the decoded input: only the normalized text is needed from here on
    tree = build_tree(norm, rules_dir=rules_dir)
    meta = metadata.extract(norm.text, FactContext(rules_dir=rules_dir))
    for key, value in hints.get("meta", {}).items():  # a web page's own metadata block
        if value and key in DocumentMeta.model_fields and not getattr(meta, key):
            setattr(meta, key, metadata.hinted(key, value, rules_dir))
    ctx = FactContext(year=document_year(meta, norm.text), rules_dir=rules_dir)
    check = Checker(norm.text, norm.span)
    preamble = _preamble(norm, tree, ctx)
    late = check.preamble(preamble)  # reported after the measures' warnings
    source.chars = len(norm.text)
    head = Document(source=source, document=meta, preamble=preamble)
    warnings += _tree_warnings(norm, tree)
    nodes = deque(tree.nodes)  # consumed as measures are made: the tree shrinks as output grows
    tree.nodes = []
    return Stream(head, _measures(norm, nodes, ctx, check, warnings, late), warnings)


def _measures(norm: Normalized, nodes: deque, ctx: FactContext, check: Checker, warnings: list, late: list) -> Iterator[Measure]:
    """Each node's measure, validated; its warnings (then the preamble's) go to ``warnings``."""
    seen_cells: dict = {}  # per document: a task table repeats its 牵头科室 and 完成时限 cells row after row
    conditions: set[str] = set()  # items that list conditions, and the items under them
    within = dataclasses.replace(ctx, conditions=True)
    while nodes:
        node = nodes.popleft()
        under = node.parent_id in conditions
        m = _measure(norm, node, within if under else ctx, seen_cells)
        if under or targets.lists_conditions(m.text, ctx):
            conditions.add(m.id)
        warnings += check.measure(m)
        yield m
    warnings += late


# ---- read -------------------------------------------------------------------


def read(path_or_text, *, encoding: str | None = None, name: str | None = None) -> tuple[RawText, Source]:
    """Decode the input; a ``str`` that names an existing file is read as that file."""
    if isinstance(path_or_text, bytes):
        return _from_bytes(path_or_text, name or "-", encoding)
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 4096 and _is_file(path_or_text)
    ):
        path = Path(path_or_text)
        return _from_bytes(_read_file(path), name or str(path), encoding)
    text = str(path_or_text)
    raw = RawText(text=text.replace("\r\n", "\n").replace("\r", "\n"), format="txt", encoding=None)
    src = Source(path=name, format="txt", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), encoding=None)
    return raw, src


def _is_file(s: str) -> bool:
    try:
        return Path(s).is_file()
    except (OSError, ValueError):
        return False


def _read_file(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise PolicyparseError("unreadable", "is a directory", str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise PolicyparseError("not-found", "no such file", str(path)) from None
    except PermissionError:
        raise PolicyparseError("unreadable", "permission denied", str(path)) from None
    except OSError as exc:
        raise PolicyparseError("unreadable", exc.strerror or str(exc), str(path)) from None


def _from_bytes(data: bytes, name: str, encoding: str | None) -> tuple[RawText, Source]:
    raw = read_bytes(data, name=name, encoding=encoding)
    src = Source(
        path=name,
        format=raw.format,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=raw.encoding,
        pages=raw.pages,
    )
    return raw, src


# ---- facts ------------------------------------------------------------------


def document_year(meta: DocumentMeta, text: str) -> int | None:
    """The year relative dates (年内, 一季度) resolve against: the date, else the title."""
    for value in (meta.issued_on, meta.title):
        if value:
            m = re.match(r"(\d{4})-", value) or _YEAR.search(value)
            if m:
                return int(m.group(1))
    m = _YEAR.search(text[:400])
    return int(m.group(1)) if m else None


def facts_of(text: str, ctx: FactContext) -> Facts:
    """All prose facts of one piece of text; spans relative to it."""
    return Facts(**_prose(text, ctx))


def _prose(text: str, ctx: FactContext) -> dict[str, list]:
    t = targets.extract(text, ctx)
    d = deadlines.extract(text, ctx)
    return {
        "targets": links.attach_deadlines(text, t, d, ctx),
        "deadlines": d,
        "frequencies": frequencies.extract(text, ctx),
        "units": units.extract(text, ctx),
        "leaders": leaders.extract(text, ctx),
    }


def _placed(norm: Normalized, facts: list, offset: int) -> list:
    """Copies of ``facts`` whose spans are moved by ``offset`` and resolved to input lines and pages.

    One copy per fact (the extractor's own objects are left alone).
    """
    out = []
    for f in facts:
        s = f.span
        if s is not None:
            f = _with_span(f, _span(norm, s.start + offset, s.end + offset))
        out.append(f)
    return out


def _span(norm: Normalized, start: int, end: int) -> Span:
    """``norm.span(start, end)`` without a validation pass: offsets, lines and pages are ints >= 0 here."""
    if start < 0 or end < 0:
        return norm.span(start, end)  # the model refuses it, as before
    return Span.model_construct(start=start, end=end, line=norm.line_of(start), page=norm.page_of(start))


def _with_span(f, span: Span):
    """A shallow copy of ``f`` with its span replaced."""
    return f.model_copy(update={"span": span})


def _placed_all(norm: Normalized, facts: dict[str, list], offset: int) -> dict[str, list]:
    for k in _SPANNED:
        facts[k] = _placed(norm, facts[k], offset)
    return facts


def _cell_facts(norm: Normalized, node: Node, ctx: FactContext, seen: dict | None = None) -> dict[str, list]:
    """Facts of a table row: each column's cell read for its own kind of fact.

    ``seen`` keeps what the leader, unit and deadline cells gave, by role and
    text, for the rows that follow (the extractors' results are never changed:
    ``_placed`` copies them).
    """
    seen = {} if seen is None else seen
    out: dict[str, list] = {"targets": [], "deadlines": [], "frequencies": [], "units": [], "leaders": []}
    cell_ds: list = []
    for role, (a, b) in node.cells.items():
        cell = norm.text[a:b]
        if role.startswith("text"):
            for k, found in _placed_all(norm, _prose(cell, ctx), a).items():
                out[k] += found
        elif role == "leaders":
            out["leaders"] += _once(seen, role, cell, lambda: leaders.from_cell(cell, ctx))
        elif role in ("lead", "support", "responsible"):
            if role == "support" and "lead" not in node.cells and "responsible" not in node.cells:
                role = "responsible"  # 配合/责任单位 in a row that names no lead: they answer for it
            out["units"] += _placed(norm, _once(seen, role, cell, lambda: units.from_cell(cell, role, ctx)), a)
        elif role.startswith("target") or (role.startswith("year:") and _target_year(role, node, ctx)):
            # an indicator table's target-value column (2030年目标值, or 2030年 after the document's year)
            year = role.partition(":")[2]
            name = norm.text[slice(*node.cells["text"])] if "text" in node.cells else ""
            unit = norm.text[slice(*node.cells["unit"])] if "unit" in node.cells else None
            due = f"{year}-12-31" if year else None
            out["targets"] += _placed(norm, indicator_cells.from_cell(name, cell, due, ctx.rules_dir, unit), a)
        elif role == "deadline":
            fs, ds = _once(seen, role, cell, lambda: (frequencies.extract(cell, ctx), deadlines.extract(cell, ctx)))
            out["frequencies"] += _placed(norm, fs, a)
            ds = _placed(norm, ds, a)
            out["deadlines"] += ds
            cell_ds += ds
    # a row's 完成时限 is when its targets are due, unless the text names a date
    out["targets"] = links.attach_row_deadline(out["targets"], cell_ds)
    return out


def _target_year(role: str, node: Node, ctx: FactContext) -> bool:
    """Is a column headed by a year alone (``year:2030``) a target, or the base year the plan starts from?

    A year after the document's is a target; one before it is the base.  The
    document's own year, or a table without one known, counts as a target
    unless it is the earliest of the row's year columns (2015年 | 2020年 | 2030年).
    """
    year = int(role[5:])
    if ctx.year is not None and year != ctx.year:
        return year > ctx.year
    years = [int(r[5:]) for r in node.cells if r.startswith("year:")]
    return not (len(years) > 1 and year == min(years))


def _once(seen: dict, role: str, cell: str, read):
    """``read()``, or what it gave before for the same role and cell text."""
    key = (role, cell)
    found = seen.get(key)
    if found is None:
        found = seen[key] = read()
    return found


def _measure(norm: Normalized, node: Node, ctx: FactContext, seen_cells: dict | None = None) -> Measure:
    a = node.text_start if node.text_start is not None else node.start
    own = norm.text[a : node.end]
    lead = len(own) - len(own.lstrip())
    own_text = own.strip()
    if node.cells:
        facts = _cell_facts(norm, node, ctx, seen_cells)
    else:
        facts = _placed_all(norm, _prose(own_text, ctx), a + lead)
    return Measure(
        id=node.id,
        path=node.path,
        label=node.label,
        level=node.level,
        parent=node.parent_id,
        heading=node.heading,
        text=own_text,
        span=norm.span(node.start, node.end),
        **facts,
    )


def _preamble(norm: Normalized, tree: Structure, ctx: FactContext) -> Preamble:
    facts: dict[str, list] = {"targets": [], "deadlines": [], "frequencies": [], "units": [], "leaders": []}
    texts = []
    for a, b in tree.preamble:
        piece = norm.text[a:b]
        texts.append(piece.strip())
        for k, found in _placed_all(norm, _prose(piece, ctx), a).items():
            facts[k] += found
    return Preamble(text="\n".join(t for t in texts if t), **facts)


def _warnings(raw: RawText, norm: Normalized, tree: Structure) -> list[WarningItem]:
    """The reader's warnings, then the tree's (``stream`` takes them in two steps)."""
    return _read_warnings(raw) + _tree_warnings(norm, tree)


def _read_warnings(raw: RawText) -> list[WarningItem]:
    return [WarningItem(code=c, message=m, line=ln) for c, m, ln in raw.warnings]


def _tree_warnings(norm: Normalized, tree: Structure) -> list[WarningItem]:
    return [WarningItem(code=c, message=m, line=norm.line_of(off)) for c, m, off in tree.warnings]
