"""Validate a document before it is emitted: ids unique, parents first, spans grounded.

A fact whose span does not slice its own text out of the normalized text is
re-anchored inside its measure when the text occurs there, else dropped with a
warning: output never points at the wrong characters.

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
    warnings: list[WarningItem] = []
    seen: set[str] = set()
    for m in doc.measures:
        if m.id in seen:
            warnings.append(WarningItem(code="duplicate-id", message=f"measure id {m.id} occurs twice", line=m.span.line))
        if m.parent is not None and m.parent not in seen:
            warnings.append(WarningItem(code="orphan", message=f"measure {m.id} comes before its parent", line=m.span.line))
        seen.add(m.id)
        _ground(m, text, (m.span.start, m.span.end), warnings, span_of)
    _ground(doc.preamble, text, (0, len(text)), warnings, span_of)
    return warnings


def _ground(holder, text: str, window: tuple[int, int], warnings: list[WarningItem], span_of) -> None:
    for kind in _KINDS:
        kept = []
        for f in getattr(holder, kind):
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
