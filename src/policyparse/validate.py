"""Validate a document before it is emitted: ids unique, parents first, spans grounded.

A fact whose span does not slice its own text out of the normalized text is
re-anchored inside its measure when the text occurs there, else dropped with a
warning: output never points at the wrong characters.  ``Checker`` does the same
one measure at a time, so a document can be validated while it streams out.

    >>> from policyparse.models import Document
    >>> validate(Document(), "")
    []
"""

from __future__ import annotations

from .models import Document, Span, WarningItem

_KINDS = ("targets", "deadlines", "frequencies")


def validate(doc: Document, text: str, span_of=None) -> list[WarningItem]:
    """Check (and where possible repair) ``doc`` against the normalized ``text``.

    ``span_of(start, end) -> Span`` resolves lines for re-anchored facts.
    """
    check = Checker(text, span_of)
    warnings: list[WarningItem] = []
    for m in doc.measures:
        warnings += check.measure(m)
    warnings += check.preamble(doc.preamble)
    return warnings


class Checker:
    """Validation of one measure after another (remembers the ids seen so far).

    >>> from policyparse.models import Measure
    >>> c = Checker("一、甲")
    >>> [w.code for w in c.measure(Measure(id="一.(一)", path=["一", "(一)"], label="（一）", level=2, parent="一", span=Span(start=0, end=3)))]
    ['orphan']
    """

    def __init__(self, text: str, span_of=None):
        self.text, self.span_of = text, span_of
        self.seen: set[str] = set()

    def measure(self, m) -> list[WarningItem]:
        """Warnings for measure ``m`` (its facts repaired or dropped in place)."""
        warnings: list[WarningItem] = []
        if m.id in self.seen:
            warnings.append(WarningItem(code="duplicate-id", message=f"measure id {m.id} occurs twice", line=m.span.line))
        if m.parent is not None and m.parent not in self.seen:
            warnings.append(WarningItem(code="orphan", message=f"measure {m.id} comes before its parent", line=m.span.line))
        self.seen.add(m.id)
        _ground(m, self.text, (m.span.start, m.span.end), warnings, self.span_of)
        return warnings

    def preamble(self, preamble) -> list[WarningItem]:
        """Warnings for the preamble, whose facts may sit anywhere in the text."""
        warnings: list[WarningItem] = []
        _ground(preamble, self.text, (0, len(self.text)), warnings, self.span_of)
        return warnings


def _ground(holder, text: str, window: tuple[int, int], warnings: list[WarningItem], span_of) -> None:
    for kind in _KINDS:
        facts = getattr(holder, kind)
        if all(text[f.span.start : f.span.end] == f.text for f in facts):
            continue  # the usual case: nothing to repair, nothing to reassign
        kept = []
        for f in facts:
            s = f.span
            if text[s.start : s.end] == f.text:
                kept.append(f)
                continue
            at = text.find(f.text, window[0], window[1]) if f.text else -1
            if at >= 0:
                f.span = span_of(at, at + len(f.text)) if span_of else Span(start=at, end=at + len(f.text), line=s.line)
                kept.append(f)
            else:
                warnings.append(WarningItem(code="ungrounded-fact", message=f"{kind[:-1]} {f.text!r} dropped: its span does not hold its text", line=s.line))
        setattr(holder, kind, kept)
