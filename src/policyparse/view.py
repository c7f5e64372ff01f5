"""``policyparse show``: a document as a rich tree, and loading of inputs for show/review/eval.

An input is either a notice (text, PDF, …: run the pipeline) or output that
``policyparse extract`` wrote before (one JSON object, or JSON Lines of a batch
run), told apart by content, not by extension.

    >>> from policyparse import extract
    >>> doc = extract("一、总体要求\\n（一）加强领导。每季度开展1次督查。")
    >>> "加强领导" in render_text(doc)
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import PolicyparseError
from .models import Document, Facts

# The fact kinds in display order, with their singular name and colour (rich style);
# review.py uses the same order and names.
KINDS = ("targets", "deadlines", "frequencies", "units", "leaders")
SINGULAR = {"targets": "target", "deadlines": "deadline", "frequencies": "frequency", "units": "unit", "leaders": "leader"}
STYLE = {"targets": "green", "deadlines": "magenta", "frequencies": "cyan", "units": "yellow", "leaders": "bright_blue"}
_CMP = {">=": "≥", "<=": "≤", "==": "=", "range": "range"}
_META = ("title", "issuer", "doc_number", "issued_on", "recipients", "attachments", "cited_documents",
         "cc", "printed_by", "printed_on", "publicity", "signer", "urgency", "secrecy")


def kind_of(name: str) -> str:
    """The fact kind a user typed (``target``, ``Targets``) → its plural key.

    >>> kind_of("target"), kind_of("frequency")
    ('targets', 'frequencies')
    """
    n = name.strip().lower()
    for k in KINDS:
        if n in (k, SINGULAR[k]):
            return k
    raise ValueError(f"unknown fact kind {name!r} (one of: {', '.join(KINDS)})")


# ---- loading inputs -------------------------------------------------------------


@dataclass
class Loaded:
    """One document from an input: the output object, and where it came from."""

    name: str  # the input path (or the source path recorded in the output)
    data: dict  # the output object as extract prints it (or an error record)
    from_json: bool  # read from existing output rather than extracted now

    @property
    def failed(self) -> bool:
        return "error" in self.data


def parse_output(data: bytes) -> list[dict] | None:
    """Objects of a policyparse output (JSON or JSON Lines), or None when ``data`` is not one.

    >>> parse_output(b'{"schema_version": "1", "measures": []}')
    [{'schema_version': '1', 'measures': []}]
    >>> parse_output("一、总体要求".encode()) is None
    True
    """
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    try:
        objs = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            objs = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            return None
    return objs if objs and all(_is_output(o) for o in objs) else None


def _is_output(o) -> bool:
    return isinstance(o, dict) and ("schema_version" in o or "measures" in o or ("error" in o and "source" in o))


def load(path: str, *, encoding: str | None = None, rules_dir: Path | None = None) -> list[Loaded]:
    """Documents of one input: existing output JSON/JSONL, or a notice run through extract."""
    return load_bytes(read_input(path), path, encoding=encoding, rules_dir=rules_dir)


def load_bytes(data: bytes, name: str, *, encoding: str | None = None, rules_dir: Path | None = None) -> list[Loaded]:
    """Like ``load``, on bytes already read (``name`` = where they came from)."""
    from .pipeline import extract as run

    objs = parse_output(data)
    if objs is not None:
        return [Loaded((o.get("source") or {}).get("path") or name, o, True) for o in objs]
    doc = run(data, encoding=encoding, rules_dir=rules_dir, name=name)
    return [Loaded(name, doc.model_dump(mode="json"), False)]


def read_input(path: str) -> bytes:
    """The bytes of a path (``-`` = stdin), with a stable error code when unreadable."""
    import sys

    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    try:
        if p.is_dir():
            raise PolicyparseError("unreadable", "is a directory", path)
        return p.read_bytes()
    except FileNotFoundError:
        raise PolicyparseError("not-found", "no such file", path) from None
    except OSError as exc:
        raise PolicyparseError("unreadable", exc.strerror or str(exc), path) from None


def to_document(data: dict, name: str = "") -> Document:
    """Validate an output object into a Document (a clear error when it is not one)."""
    from pydantic import ValidationError

    if "error" in data:
        err = data["error"] or {}
        raise PolicyparseError(err.get("code", "internal"), f"extract failed: {err.get('message', '')}", name)
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise PolicyparseError("unsupported", f"not a policyparse output ({where}: {first.get('msg')})", name) from None


# ---- describing facts ---------------------------------------------------------------


def num(x) -> str:
    """A number as a reader writes it: 40.0 → 40, 1.5 → 1.5.

    >>> num(40.0), num(1.5), num(None)
    ('40', '1.5', '')
    """
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def describe(kind: str, fact) -> str:
    """A one-line summary of a fact (model or dict), without its source text.

    >>> describe("frequencies", {"period": "quarter", "times": 1, "comparator": "=="})
    '1×/quarter'
    """
    f = fact.model_dump() if hasattr(fact, "model_dump") else fact
    if kind == "leaders":
        return f if isinstance(f, str) else str(f.get("name", ""))
    if kind == "units":
        return f"{f.get('role')}: {f.get('name')}"
    if kind == "targets":
        value = num(f.get("value"))
        if f.get("value_max") is not None:
            value += "–" + num(f["value_max"])
        out = f"{_CMP.get(f.get('comparator'), f.get('comparator'))} {value}{f.get('unit') or ''}"
        if f.get("comparator") == "range":
            out = f"{value}{f.get('unit') or ''}"
        return out + (f" by {f['deadline']}" if f.get("deadline") else "")
    if kind == "deadlines":
        return f"{f.get('kind')} {f.get('date') or '(relative)'}"
    if kind == "frequencies":
        pre = "≥" if f.get("comparator") == ">=" else ""
        times = num(f.get("times")) if f.get("times") is not None else "?"
        return f"{pre}{times}×/{f.get('period')}"
    raise ValueError(kind)


def source_text(fact) -> str:
    """The fact's own words, where it carries them."""
    if isinstance(fact, str):
        return ""
    return getattr(fact, "text", None) or ""


# ---- the tree ------------------------------------------------------------------------


def _fact_label(kind: str, fact):
    from rich.text import Text

    t = Text()
    t.append(f"{SINGULAR[kind]} ", style=f"bold {STYLE[kind]}")
    t.append(describe(kind, fact), style=STYLE[kind])
    words = source_text(fact)
    if words:
        t.append(f"  “{words}”")
    span = getattr(fact, "span", None)
    if span is not None and span.line:
        t.append(f"  L{span.line}", style="dim")
    return t


def _add_facts(node, holder: Facts, kinds: tuple[str, ...]) -> None:
    for k in kinds:
        for f in getattr(holder, k):
            node.add(_fact_label(k, f))


def _count(holder: Facts, kinds) -> int:
    return sum(len(getattr(holder, k)) for k in kinds)


def build_tree(doc: Document, only: tuple[str, ...] = ()):
    """The rich Tree of a document: metadata, preamble facts, then each measure with its facts."""
    from rich.text import Text
    from rich.tree import Tree

    kinds = tuple(only) or KINDS
    meta = doc.document
    root = Tree(Text(meta.title or doc.source.path or "(untitled)", style="bold"))
    info = root.add(Text("document", style="bold dim"))
    for key in _META[1:]:  # the title is the root
        value = getattr(meta, key)
        if value in (None, [], ""):
            continue
        shown = "、".join(value) if isinstance(value, list) else str(value)
        info.add(Text.assemble((f"{key}: ", "dim"), shown))
    src = doc.source
    info.add(Text(f"source: {src.path or '-'} ({src.format}, {src.chars} chars, {len(doc.measures)} measures)", style="dim"))
    if _count(doc.preamble, kinds):
        _add_facts(root.add(Text("(preamble)", style="dim italic")), doc.preamble, kinds)
    keep = _kept(doc, kinds) if only else None
    nodes = {}
    for m in doc.measures:
        if keep is not None and m.id not in keep:
            continue
        parent = nodes.get(m.parent) if m.parent else None
        label = Text.assemble((m.label, "bold"), " ", m.heading or "")
        nodes[m.id] = node = (parent or root).add(label)
        _add_facts(node, m, kinds)
    if keep is not None and not keep and not _count(doc.preamble, kinds):
        root.add(Text(f"(no {', '.join(kinds)})", style="dim italic"))
    if doc.warnings and not only:
        w = root.add(Text(f"warnings ({len(doc.warnings)})", style="bold red"))
        for item in doc.warnings:
            w.add(Text(f"{item.code}: {item.message}" + (f"  L{item.line}" if item.line else "")))
    return root


def _kept(doc: Document, kinds) -> set[str]:
    """Ids of measures holding a fact of ``kinds``, with all their ancestors."""
    keep: set[str] = set()
    for m in doc.measures:
        if _count(m, kinds):
            keep.update(".".join(m.path[: i + 1]) for i in range(len(m.path)))
    return keep


def render_text(doc: Document, only: tuple[str, ...] = (), width: int = 100) -> str:
    """The tree as plain text (no colour), e.g. for tests and logs."""
    from rich.console import Console

    console = Console(width=width, color_system=None, highlight=False, record=True, file=_Null())
    console.print(build_tree(doc, only))
    return console.export_text()


class _Null:
    def write(self, s: str) -> int:
        return len(s)

    def flush(self) -> None:
        pass
