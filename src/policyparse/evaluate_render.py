"""``policyparse eval``'s report as rich tables: F1 per document, the micro total, the misses.

    >>> from policyparse.evaluate import evaluate
    >>> [type(r).__name__ for r in render(evaluate({}, {}))]
    ['Table', 'Table']
"""

from __future__ import annotations

from .evaluate import Report, Tally

_SHORT = {"measures": "meas", "headings": "head", "targets": "tgt", "deadlines": "dl", "frequencies": "freq",
          "units": "unit", "leaders": "lead", "target_deadlines": "t-dl", "doc": "doc"}


def _doc_fields(tallies: dict[str, Tally]) -> Tally:
    t = Tally()
    for n, x in tallies.items():
        if n.startswith("doc."):
            t.add(x)
    return t


def render(report: Report, *, misses: bool = False):
    """Rich renderables: a per-document F1 table, the total table, then the misses."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = []
    per = Table(title="F1 per document (doc = all document fields)", title_justify="left", box=None, header_style="bold underline")
    per.add_column("document", no_wrap=True, overflow="ellipsis", min_width=8, max_width=28)
    for n in _SHORT:
        per.add_column(_SHORT[n], justify="right", no_wrap=True)
    for d in report.docs:
        cells = []
        for n in _SHORT:
            t = _doc_fields(d.tallies) if n == "doc" else d.tallies[n]
            cells.append(Text("—", style="dim") if t.empty else _f1(t.f1, 2))
        per.add_row(d.name, *cells)
    out.append(per)
    tot = Table(title=f"Total over {len(report.docs)} documents (micro)", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("field", "P", "R", "F1", "tp", "fp", "fn"):
        tot.add_column(col, justify="left" if col == "field" else "right")
    for n, t in report.total.items():
        tot.add_row(n, f"{t.precision:.3f}", f"{t.recall:.3f}", _f1(t.f1), str(t.tp), str(t.fp), str(t.fn))
    out.append(tot)
    if misses:
        for d in report.docs:
            if not d.misses:
                continue
            out.append(Text(f"\n{d.name}: {len(d.misses)} misses and false alarms", style="bold"))
            for m in d.misses:
                where = " › ".join(m.path) if m.path else ("(document)" if m.path is None else "(preamble)")
                style = "red" if m.what == "missed" else ("yellow" if m.what == "false alarm" else "magenta")
                out.append(Text.assemble(f"  {m.field:<18} ", (f"{m.what:<12}", style), f" {where}  ", m.detail))
    if report.unpaired_gold:
        out.append(Text(f"gold without output (not scored; --all-gold counts them): {', '.join(report.unpaired_gold)}", style="dim"))
    if report.unpaired_output:
        out.append(Text(f"outputs without gold (not scored): {', '.join(report.unpaired_output)}", style="dim"))
    return out


def _f1(x: float, digits: int = 3):
    from rich.text import Text

    return Text(f"{x:.{digits}f}", style="green" if x >= 0.9 else ("yellow" if x >= 0.6 else "red"))
