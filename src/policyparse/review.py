"""``policyparse review``: one self-contained HTML page to check extraction by eye.

Each document's normalized text (the text spans refer to) with every fact
highlighted at its span, a side panel with the measure tree and each measure's
facts (click one: the text scrolls to it and flashes), a filter per kind, and,
for several documents, an index with per-document counts.  Highlighting is
built here as flat segments (one element per run of text covered by the same
facts), so a 200-page notice stays a light page; no network, everything inline;
every piece of document text is escaped.

    >>> from policyparse.models import Document
    >>> page = build_html([Page("a.txt", "<b>到2025年</b>", Document())])
    >>> "&lt;b&gt;到2025年&lt;/b&gt;" in page and "<b>到" not in page
    True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .errors import PolicyparseError
from .models import Document
from .review_assets import CSS, JS
from .view import KINDS, SINGULAR, describe, load_bytes, read_input, source_text, to_document

_META = ("issuer", "doc_number", "issued_on", "recipients", "attachments", "cited_documents")


@dataclass
class Page:
    """One document on the page: its name, normalized text and extraction."""

    name: str
    text: str
    doc: Document


@dataclass
class _Fact:
    fid: int
    kind: str
    fact: object
    start: int | None = None  # span in the text, None when it cannot be placed
    end: int | None = None
    found: bool = False  # placed by searching for its name (units without span, leaders)


@dataclass
class _Holder:
    """The preamble or one measure, with its facts."""

    index: int  # -1 = preamble
    facts: list[_Fact] = field(default_factory=list)


# ---- inputs -------------------------------------------------------------------------


def prepare(path: str, *, encoding: str | None = None, rules_dir: Path | None = None) -> list[Page]:
    """Pages for one input: a notice (extract it) or existing output (re-read its source)."""
    from .normalize import normalize
    from .pipeline import read

    out = []
    given = read_input(path)
    for item in load_bytes(given, path, encoding=encoding, rules_dir=rules_dir):
        doc = to_document(item.data, item.name)
        data = _source_bytes(doc, path) if item.from_json else given
        raw, _ = read(data, encoding=encoding, name=item.name)
        text = normalize(raw).text
        if doc.source.chars and len(text) != doc.source.chars:
            raise PolicyparseError("unsupported", f"normalized text has {len(text)} chars, output says {doc.source.chars}: re-run extract", item.name)
        out.append(Page(item.name, text, doc))
    return out


def _source_bytes(doc: Document, json_path: str) -> bytes:
    """The notice an output was made from: its recorded path, as given or beside the JSON."""
    recorded = doc.source.path
    if not recorded or recorded == "-":
        raise PolicyparseError("not-found", "the output records no source file; run review on the notice itself", json_path)
    candidates = [Path(recorded)]
    if json_path != "-":
        candidates.append(Path(json_path).parent / Path(recorded).name)
    for p in candidates:
        if p.is_file():
            data = p.read_bytes()
            if doc.source.sha256 and hashlib.sha256(data).hexdigest() != doc.source.sha256:
                raise PolicyparseError("unsupported", f"{p} changed since extraction; re-run extract", json_path)
            return data
    raise PolicyparseError("not-found", f"source {recorded} not found; run review on the notice itself", json_path)


# ---- placing facts ------------------------------------------------------------------


def _holders(page: Page) -> list[_Holder]:
    """Every fact of the document, numbered, with the span it highlights."""
    doc, text, n = page.doc, page.text, len(page.text)
    first = min((m.span.start for m in doc.measures), default=n)
    ranges = [(0, first)] + [(m.span.start, m.span.end) for m in doc.measures]
    holders, fid = [], 0
    for index, holder in enumerate([doc.preamble, *doc.measures], start=-1):
        h = _Holder(index)
        lo, hi = ranges[index + 1]
        for kind in KINDS:
            for fact in getattr(holder, kind):
                f = _Fact(fid, kind, fact)
                fid += 1
                span = getattr(fact, "span", None)
                if span is not None and 0 <= span.start < span.end <= n:
                    f.start, f.end = span.start, span.end
                else:
                    name = fact if isinstance(fact, str) else getattr(fact, "name", None)
                    at = text.find(name, lo, max(lo, hi)) if name else -1
                    if at >= 0:
                        f.start, f.end, f.found = at, at + len(name), True
                h.facts.append(f)
        holders.append(h)
    return holders


def _label_span(page: Page, i: int) -> tuple[int, int]:
    """Where measure ``i``'s label stands in the text (empty when it is not there verbatim)."""
    m = page.doc.measures[i]
    a = m.span.start
    label = m.label.strip()
    if label and page.text.startswith(label, a):
        return a, a + len(label)
    return a, a


def highlighted(page: Page, holders: list[_Holder], d: int) -> str:
    """The escaped text with one element per run covered by the same facts.

    Each run lists its facts in ``data-f`` (for scrolling to a fact); its colour
    is the kind of the shortest fact covering it, others underline it.
    """
    text, n = page.text, len(page.text)
    covers = [(f.start, f.end, f) for h in holders for f in h.facts if f.start is not None]
    anchors: dict[int, list[str]] = {}
    labels = []
    for i in range(len(page.doc.measures)):
        a, b = _label_span(page, i)
        if a < b:
            labels.append((a, b, i))
        else:
            anchors.setdefault(min(a, n), []).append(f"d{d}-m{i}")
    blocks = _blocks(text)
    bounds = sorted({0, n, *blocks, *anchors, *(x for c in covers for x in c[:2]), *(x for c in labels for x in c[:2])})
    at = {x: k for k, x in enumerate(bounds)}
    run_facts: list[list[_Fact]] = [[] for _ in bounds]
    run_label: dict[int, int] = {}
    for a, b, f in covers:
        for k in range(at[a], at[b]):
            run_facts[k].append(f)
    for a, b, i in labels:
        for k in range(at[a], at[b]):
            run_label.setdefault(k, i)
    out = [_block_open(text, 0, blocks)]
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        if a in blocks and a:
            out.append("</div>" + _block_open(text, a, blocks))
        for ident in anchors.get(a, ()):
            out.append(f'<a class="anc" id="{ident}"></a>')
        piece = escape(text[a:b], quote=False)
        facts = run_facts[k]
        label = run_label.get(k)
        if not facts and label is None:
            out.append(piece)
            continue
        cls, attrs = [], ""
        if label is not None:
            cls.append("ml")
            if a == page.doc.measures[label].span.start:
                attrs += f' id="d{d}-m{label}"'
        if facts:
            main = min(facts, key=lambda f: (f.end - f.start, KINDS.index(f.kind)))
            cls.append(f"p-{main.kind}")
            cls += sorted({f"s-{f.kind}" for f in facts if f.kind != main.kind})
            order = [main] + [f for f in facts if f is not main]  # the innermost fact first
            attrs += f' data-f="{" ".join(str(f.fid) for f in order)}"'
        out.append(f'<span class="{" ".join(cls)}"{attrs}>{piece}</span>')
    for ident in anchors.get(n, ()):
        out.append(f'<a class="anc" id="{ident}"></a>')
    out.append("</div>")
    return "".join(out)


_BLOCK = 3000  # characters per block: the browser lays out only the blocks in view


def _blocks(text: str) -> dict[int, int]:
    """Block starts (after a line break, every ~3000 characters) → block end."""
    starts, a = [0], 0
    while a + _BLOCK < len(text):
        nl = text.find("\n", a + _BLOCK)
        if nl < 0 or nl + 1 >= len(text):
            break
        starts.append(nl + 1)
        a = nl + 1
    return dict(zip(starts, starts[1:] + [len(text)]))


def _block_open(text: str, a: int, blocks: dict[int, int]) -> str:
    """A block with a height estimate, so the scrollbar is right before it is laid out."""
    b = blocks.get(a, len(text))
    piece = text[a:b]
    lines = sum(len(line) // 44 + 1 for line in piece.split("\n"))
    return f'<div class="pg" style="contain-intrinsic-size:auto {lines * 32}px">'


# ---- the side panel -------------------------------------------------------------------


def _fact_item(f: _Fact) -> str:
    words = source_text(f.fact)
    where = "" if f.start is not None else ' data-nospan="1"'
    title = "placed by searching for the name" if f.found else ("no span in the text" if f.start is None else "")
    return (
        f'<li class="f k-{f.kind}" data-f="{f.fid}"{where} tabindex="0"'
        + (f' title="{escape(title)}"' if title else "")
        + f'><b class="kd">{SINGULAR[f.kind]}</b> {escape(describe(f.kind, f.fact), quote=False)}'
        + (f' <q>{escape(words, quote=False)}</q>' if words else "")
        + "</li>"
    )


def _facts_list(h: _Holder) -> str:
    if not h.facts:
        return ""
    return '<ul class="fs">' + "".join(_fact_item(f) for f in h.facts) + "</ul>"


def _tree(page: Page, holders: list[_Holder]) -> str:
    """Nested <details> per measure (document order), each with its facts."""
    doc = page.doc
    children: dict[str | None, list[int]] = {}
    ids = {m.id for m in doc.measures}
    for i, m in enumerate(doc.measures):
        parent = m.parent if m.parent in ids else None
        children.setdefault(parent, []).append(i)

    def node(i: int) -> str:
        m, h = doc.measures[i], holders[i + 1]
        total = len(h.facts)
        kids = "".join(node(j) for j in children.get(m.id, ()))
        count = f' <span class="n">{total}</span>' if total else ""
        return (
            f'<details open data-m="{i}"><summary><span class="go"><b class="lbl">{escape(m.label, quote=False)}</b> '
            f"{escape(m.heading or '', quote=False)}</span>{count}</summary>"
            f"{_facts_list(h)}{kids}</details>"
        )

    pre = holders[0]
    head = ""
    if pre.facts:
        head = f'<details open data-m="-1"><summary><span class="go"><i>preamble</i></span> <span class="n">{len(pre.facts)}</span></summary>{_facts_list(pre)}</details>'
    return head + "".join(node(i) for i in children.get(None, ()))


def counts(doc: Document) -> dict[str, int]:
    """Facts per kind over the whole document (preamble included)."""
    out = {k: len(getattr(doc.preamble, k)) for k in KINDS}
    for m in doc.measures:
        for k in KINDS:
            out[k] += len(getattr(m, k))
    return out


def _meta(page: Page) -> str:
    meta = page.doc.document
    rows = []
    for key in _META:
        value = getattr(meta, key)
        if value in (None, [], ""):
            continue
        shown = "、".join(value) if isinstance(value, list) else str(value)
        rows.append(f"<dt>{key}</dt><dd>{escape(shown, quote=False)}</dd>")
    c = counts(page.doc)
    chips = "".join(f'<span class="chip k-{k}">{SINGULAR[k]} {c[k]}</span>' for k in KINDS)
    warn = ""
    if page.doc.warnings:
        items = "".join(
            f"<li>{escape(w.code, quote=False)}: {escape(w.message, quote=False)}{f' (line {w.line})' if w.line else ''}</li>"
            for w in page.doc.warnings
        )
        warn = f'<details class="warn"><summary>{len(page.doc.warnings)} warnings</summary><ul>{items}</ul></details>'
    return (
        f'<h1>{escape(meta.title or "(no title)", quote=False)}</h1>'
        f'<div class="src">{escape(page.name, quote=False)} · {len(page.doc.measures)} measures · {len(page.text)} chars</div>'
        f"<dl>{''.join(rows)}</dl><div class=\"chips\">{chips}</div>{warn}"
    )


# ---- the page -----------------------------------------------------------------------------


def _section(page: Page, d: int) -> str:
    holders = _holders(page)
    return (
        f'<section class="doc" id="d{d}" data-doc="{d}" hidden>'
        f'<aside class="side"><div class="meta">{_meta(page)}</div>'
        '<div class="tools"><button type="button" data-act="open">expand all</button>'
        '<button type="button" data-act="close">collapse all</button></div>'
        f'<div class="tree">{_tree(page, holders)}</div></aside>'
        f'<main class="text"><div class="body" lang="zh-CN">{highlighted(page, holders, d)}</div></main>'
        "</section>"
    )


def _index(pages: list[Page]) -> str:
    head = "".join(f'<th class="k-{k}">{k}</th>' for k in KINDS)
    rows, total = [], {k: 0 for k in (*KINDS, "measures", "warnings")}
    for d, p in enumerate(pages):
        c = counts(p.doc) | {"measures": len(p.doc.measures), "warnings": len(p.doc.warnings)}
        for k in total:
            total[k] += c[k]
        cells = "".join(f"<td>{c[k]}</td>" for k in KINDS)
        rows.append(
            f'<tr><td><a href="#d{d}">{escape(p.name, quote=False)}</a></td>'
            f"<td>{escape(p.doc.document.title or '', quote=False)}</td>"
            f"<td>{c['measures']}</td>{cells}<td>{c['warnings']}</td></tr>"
        )
    foot = "".join(f"<td>{total[k]}</td>" for k in KINDS)
    return (
        f'<section id="index" hidden><h1>{len(pages)} documents</h1><table><thead><tr><th>document</th><th>title</th>'
        f"<th>measures</th>{head}<th>warnings</th></tr></thead><tbody>{''.join(rows)}</tbody>"
        f"<tfoot><tr><td>total</td><td></td><td>{total['measures']}</td>{foot}<td>{total['warnings']}</td></tr></tfoot></table></section>"
    )


def build_html(pages: list[Page], title: str | None = None) -> str:
    """The whole review page for ``pages`` (one string of HTML, no external resources)."""
    if title is None:
        title = pages[0].doc.document.title or pages[0].name if len(pages) == 1 else f"{len(pages)} documents"
    filters = "".join(
        f'<label class="flt k-{k}"><input type="checkbox" checked data-kind="{k}"> {k}</label>' for k in KINDS
    )
    home = '<a class="home" href="#index">index</a>' if len(pages) > 1 else ""
    index = _index(pages) if len(pages) > 1 else ""
    sections = "".join(_section(p, d) for d, p in enumerate(pages))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{escape(title, quote=False)} · policyparse review</title><style>{CSS}</style></head>"
        f'<body data-docs="{len(pages)}"><header>{home}<span class="filters">{filters}</span>'
        '<span class="hint">click a fact to find it in the text; click highlighted text to find its fact</span></header>'
        f"{index}{sections}<script>{JS}</script></body></html>\n"
    )


def write(pages: list[Page], out: Path) -> int:
    """Write the page; return its size in bytes."""
    html = build_html(pages)
    data = html.encode("utf-8")
    out.write_bytes(data)
    return len(data)
