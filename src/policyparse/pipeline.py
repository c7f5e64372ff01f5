"""The pipeline, top to bottom: read → normalize → structure → facts → validate → emit.

    >>> doc = extract("一、总体要求\\n（一）加强领导。每季度开展1次督查。")
    >>> [m.id for m in doc.measures]
    ['一', '一.(一)']
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import PolicyparseError
from .facts import FactContext, deadlines, frequencies, indicator_cells, leaders, links, metadata, targets, units
from .models import Document, DocumentMeta, Facts, Measure, Preamble, Source, Span, WarningItem
from .normalize import Normalized, normalize
from .readers import RawText, read_bytes
from .structure import Node, Structure
from .structure.numbering import build_tree
from .validate import validate

# the first year of a title's range (健康中国行动（2019-2030年）) is the document's year
_YEAR = re.compile(r"(?<![\d—\-~～至])(20\d\d|19\d\d)\s*(?:年|[-—–~～至])")


def extract(path_or_text, *, encoding: str | None = None, rules_dir: Path | None = None, name: str | None = None) -> Document:
    """Run the whole pipeline on a path, bytes, or the text itself."""
    raw, source = read(path_or_text, encoding=encoding, name=name)
    norm = normalize(raw, rules_dir)
    tree = build_tree(norm, rules_dir=rules_dir)
    meta = metadata.extract(norm.text, FactContext(rules_dir=rules_dir))
    for key, value in raw.hints.get("meta", {}).items():  # a web page's own metadata block
        if value and key in DocumentMeta.model_fields and not getattr(meta, key):
            setattr(meta, key, value)
    ctx = FactContext(year=document_year(meta, norm.text), rules_dir=rules_dir)
    measures = [_measure(norm, node, ctx) for node in tree.nodes]
    preamble = _preamble(norm, tree, ctx)
    source.chars = len(norm.text)
    doc = Document(source=source, document=meta, preamble=preamble, measures=measures, warnings=_warnings(raw, norm, tree))
    doc.warnings += validate(doc, norm.text, norm.span)
    return doc


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
    t = targets.extract(text, ctx)
    d = deadlines.extract(text, ctx)
    return Facts(
        targets=links.attach_deadlines(text, t, d, ctx),
        deadlines=d,
        frequencies=frequencies.extract(text, ctx),
        units=units.extract(text, ctx),
        leaders=[],
    )


def _cell_facts(norm: Normalized, node: Node, ctx: FactContext) -> Facts:
    """Facts of a table row: each column's cell read for its own kind of fact."""
    out = Facts()
    cell_ds: list = []
    for role, (a, b) in node.cells.items():
        cell = norm.text[a:b]
        if role == "text":
            _merge(out, _shift(facts_of(cell, ctx), a))
        elif role == "leaders":
            out.leaders += leaders.from_cell(cell, ctx)
        elif role in ("lead", "support", "responsible"):
            out.units += [_shift_one(u, a) for u in units.from_cell(cell, role, ctx)]
        elif role.startswith("target"):  # an indicator table's target-value column
            year = role.partition(":")[2]
            name = norm.text[slice(*node.cells["text"])] if "text" in node.cells else ""
            due = f"{year}-12-31" if year else None
            out.targets += [_shift_one(t, a) for t in indicator_cells.from_cell(name, cell, due, ctx.rules_dir)]
        elif role == "deadline":
            out.frequencies += [_shift_one(f, a) for f in frequencies.extract(cell, ctx)]
            ds = [_shift_one(d, a) for d in deadlines.extract(cell, ctx)]
            out.deadlines += ds
            cell_ds += ds
    # a row's 完成时限 is when its targets are due, unless the text names a date
    out.targets = links.attach_row_deadline(out.targets, cell_ds)
    return out


def _measure(norm: Normalized, node: Node, ctx: FactContext) -> Measure:
    a = node.text_start if node.text_start is not None else node.start
    own = norm.text[a : node.end]
    lead = len(own) - len(own.lstrip())
    own_text = own.strip()
    if node.cells:
        facts = _cell_facts(norm, node, ctx)
    else:
        facts = _shift(facts_of(own_text, ctx), a + lead)
    _resolve(norm, facts)
    return Measure(
        id=node.id,
        path=node.path,
        label=node.label,
        level=node.level,
        parent=node.parent_id,
        heading=node.heading,
        text=own_text,
        span=norm.span(node.start, node.end),
        **facts.model_dump(exclude_none=False),
    )


def _preamble(norm: Normalized, tree: Structure, ctx: FactContext) -> Preamble:
    facts = Facts()
    texts = []
    for a, b in tree.preamble:
        piece = norm.text[a:b]
        texts.append(piece.strip())
        _merge(facts, _shift(facts_of(piece, ctx), a))
    _resolve(norm, facts)
    return Preamble(text="\n".join(t for t in texts if t), **facts.model_dump())


def _merge(into: Facts, other: Facts) -> None:
    for k in ("targets", "deadlines", "frequencies", "units", "leaders"):
        getattr(into, k).extend(getattr(other, k))


def _shift_one(fact, offset: int):
    if getattr(fact, "span", None) is None or offset == 0:
        return fact
    s = fact.span
    return fact.model_copy(update={"span": Span(start=s.start + offset, end=s.end + offset)})


def _shift(facts: Facts, offset: int) -> Facts:
    return Facts(
        targets=[_shift_one(f, offset) for f in facts.targets],
        deadlines=[_shift_one(f, offset) for f in facts.deadlines],
        frequencies=[_shift_one(f, offset) for f in facts.frequencies],
        units=[_shift_one(f, offset) for f in facts.units],
        leaders=list(facts.leaders),
    )


def _resolve(norm: Normalized, facts: Facts) -> None:
    """Fill each span's input line and page from the offset map."""
    for k in ("targets", "deadlines", "frequencies", "units"):
        for f in getattr(facts, k):
            if f.span is not None:
                f.span = norm.span(f.span.start, f.span.end)


def _warnings(raw: RawText, norm: Normalized, tree: Structure) -> list[WarningItem]:
    out = [WarningItem(code=c, message=m, line=ln) for c, m, ln in raw.warnings]
    out += [WarningItem(code=c, message=m, line=norm.line_of(off)) for c, m, off in tree.warnings]
    return out
