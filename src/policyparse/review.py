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
from .models import Document, Facts
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
        f"<title>{escape(title, quote=False)} · policyparse review</title><style>{_CSS}</style></head>"
        f'<body data-docs="{len(pages)}"><header>{home}<span class="filters">{filters}</span>'
        '<span class="hint">click a fact to find it in the text; click highlighted text to find its fact</span></header>'
        f"{index}{sections}<script>{_JS}</script></body></html>\n"
    )


def write(pages: list[Page], out: Path) -> int:
    """Write the page; return its size in bytes."""
    html = build_html(pages)
    data = html.encode("utf-8")
    out.write_bytes(data)
    return len(data)


_COLOURS = {  # kind → (highlight background, strong colour)
    "targets": ("#c9f0c4", "#2f8f2a"),
    "deadlines": ("#f6d0f1", "#a8329b"),
    "frequencies": ("#c8ecf6", "#17819f"),
    "units": ("#fbe7a1", "#a27c00"),
    "leaders": ("#d3ddff", "#3654c9"),
}

_CSS = (
    ":root{--cjk:system-ui,-apple-system,'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC',"
    "'Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei','WenQuanYi Zen Hei',sans-serif;"
    + "".join(f"--{k}:{bg};--{k}-x:{fg};" for k, (bg, fg) in _COLOURS.items())
    + "}"
    "*{box-sizing:border-box}html,body{margin:0;height:100%}"
    "body{font:14px/1.5 var(--cjk);color:#1d1d1f;background:#fafafa;display:flex;flex-direction:column}"
    "header{flex:none;display:flex;gap:14px;align-items:center;padding:6px 12px;background:#fff;border-bottom:1px solid #ddd}"
    "header .hint{color:#888;font-size:12px;margin-left:auto}.home{font-weight:600}"
    ".flt{padding:1px 8px;border-radius:10px;cursor:pointer;user-select:none}"
    ".doc{flex:1;min-height:0;display:grid;grid-template-columns:minmax(300px,36%) 1fr}.doc[hidden],#index[hidden]{display:none}"
    ".side{overflow:auto;border-right:1px solid #ddd;background:#fff;padding:10px 12px}"
    ".side h1{font-size:16px;margin:0 0 4px}.src{color:#777;font-size:12px;word-break:break-all}"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:2px 8px;margin:8px 0;font-size:12px}dt{color:#777}dd{margin:0}"
    ".chips{display:flex;flex-wrap:wrap;gap:4px;margin:6px 0}.chip{padding:0 6px;border-radius:8px;font-size:12px}"
    ".tools button{font-size:12px;margin:4px 4px 8px 0}"
    "details{margin-left:12px}.tree>details{margin-left:0}summary{cursor:pointer;padding:1px 0}"
    ".go:hover{text-decoration:underline}.lbl{margin-right:2px}.n{color:#888;font-size:11px}"
    ".fs{list-style:none;margin:2px 0 4px 14px;padding:0}"
    ".f{margin:2px 0;padding:2px 6px;border-left:4px solid;border-radius:3px;cursor:pointer;font-size:13px}"
    ".f q{color:#555}.f q::before{content:'“'}.f q::after{content:'”'}.kd{font-weight:600;font-size:11px;margin-right:4px}"
    ".f[data-nospan]{border-left-style:dashed}.f.cur{outline:2px solid #e0312b}"
    ".text{overflow:auto;background:#fafafa}"
    ".body{tab-size:4;white-space:pre-wrap;word-break:break-word;font:17px/1.9 var(--cjk);max-width:52em;margin:0 auto;padding:24px 32px 60vh}"
    ".pg{content-visibility:auto}.ml{font-weight:700;color:#0b4f9c}.anc{display:inline}"
    "[class*=p-]{border-radius:2px;cursor:pointer}"
    ".cur{outline:2px solid #e0312b;outline-offset:1px}"
    ".flash{animation:flash .6s ease-in-out 3}"
    "@keyframes flash{0%,100%{background:#ff9f80}50%{background:#ffd5c7}}"
    + "".join(
        f".k-{k}{{background:var(--{k})}}.f.k-{k},.kd.k-{k}{{border-color:var(--{k}-x)}}.k-{k} .kd{{color:var(--{k}-x)}}"
        f".p-{k}{{background:var(--{k})}}.s-{k}{{box-shadow:inset 0 -3px var(--{k}-x)}}"
        f"body.hide-{k} .p-{k}{{background:none}}body.hide-{k} .s-{k}{{box-shadow:none}}body.hide-{k} .f.k-{k}{{display:none}}"
        for k in KINDS
    )
    + "#index{flex:1;overflow:auto;padding:16px 24px}#index h1{font-size:18px}"
    "table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
    "td:nth-child(n+3){text-align:right}tfoot td{font-weight:600}"
    ".warn{margin:6px 0;color:#a33;font-size:12px}"
)

# Event delegation only (no per-element listeners), so a large page stays light.
_JS = r"""
(function(){
"use strict";
var body=document.body;
function sec(d){return document.getElementById('d'+d);}
function docOf(el){var s=el.closest('section.doc');return s?+s.dataset.doc:-1;}
function openTo(el){for(var p=el.parentElement;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true;}}
function clearCur(s){s.querySelectorAll('.cur').forEach(function(e){e.classList.remove('cur','flash');});}
function flash(els){
  els.forEach(function(e){e.classList.remove('flash');void e.offsetWidth;e.classList.add('cur','flash');});
  setTimeout(function(){els.forEach(function(e){e.classList.remove('flash');});},1900);
}
function showMeasure(d,m){
  var s=sec(d),a=document.getElementById('d'+d+'-m'+m);
  if(!s||!a)return;
  clearCur(s);a.scrollIntoView({block:'start'});
  if(a.tagName!=='A')flash([a]);
}
function showFact(d,f,fromText){
  var s=sec(d);if(!s||!/^\d+$/.test(f))return;
  var li=s.querySelector('li.f[data-f="'+f+'"]');
  var runs=Array.prototype.slice.call(s.querySelectorAll('.body [data-f~="'+f+'"]'));
  clearCur(s);
  if(li){openTo(li);li.classList.add('cur');li.scrollIntoView({block:'nearest'});}
  if(runs.length){if(!fromText)runs[0].scrollIntoView({block:'center'});flash(runs);}
  else if(li){var m=li.closest('details');if(m&&m.dataset.m!=='-1')showMeasure(d,m.dataset.m);if(li)li.classList.add('cur');}
  history.replaceState(null,'','#d'+d+'-f'+f);
}
function route(){
  var h=location.hash.slice(1),m=/^d(\d+)(?:-([fm])(\d+))?$/.exec(h);
  var docs=document.querySelectorAll('section.doc'),cur=m?+m[1]:(docs.length===1?0:-1);
  if(cur>=docs.length)cur=docs.length===1?0:-1;
  docs.forEach(function(s,i){s.hidden=i!==cur;});
  var idx=document.getElementById('index');if(idx)idx.hidden=cur!==-1;
  if(m&&m[2]==='f')showFact(cur,m[3]);
  if(m&&m[2]==='m')showMeasure(cur,m[3]);
}
document.addEventListener('click',function(e){
  var t=e.target;
  var li=t.closest('li.f');
  if(li){showFact(docOf(li),li.dataset.f,false);return;}
  var go=t.closest('summary .go');
  if(go){e.preventDefault();var det=go.closest('details');if(det.dataset.m!=='-1')showMeasure(docOf(det),det.dataset.m);history.replaceState(null,'','#d'+docOf(det)+'-m'+det.dataset.m);return;}
  var run=t.closest('.body [data-f]');
  if(run){showFact(docOf(run),run.dataset.f.split(' ')[0],true);return;}
  var b=t.closest('.tools button');
  if(b){var open=b.dataset.act==='open';b.closest('.side').querySelectorAll('.tree details').forEach(function(x){x.open=open;});}
});
document.addEventListener('keydown',function(e){
  if(e.key==='Enter'&&e.target.matches&&e.target.matches('li.f'))showFact(docOf(e.target),e.target.dataset.f,false);
});
document.addEventListener('change',function(e){
  var k=e.target.dataset&&e.target.dataset.kind;
  if(k)body.classList.toggle('hide-'+k,!e.target.checked);
});
window.addEventListener('hashchange',route);
route();
})();
"""
