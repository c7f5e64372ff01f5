"""Fact extractors, one module per kind; each exposes a pure ``extract``.

Every ``extract(text, ctx) -> list[Model]`` takes a piece of normalized text
(a measure's own text, or one table cell) and returns facts whose spans are
offsets into that piece; the pipeline shifts them to document offsets and
resolves lines and pages.

    >>> FactContext(year=2023).year
    2023
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FactContext:
    """What an extractor may know beyond its text: the document's year, the rules."""

    year: int | None = None  # the document's own year (from its date or title)
    rules_dir: Path | None = None  # --rules override; None = shipped rules
    # the text is an item of a list of conditions (…必须符合以下条件：): its figures are thresholds
    conditions: bool = False


def leftmost_longest(hits: list) -> list:
    """Keep non-overlapping hits, leftmost first, then longest, then by rule order.

    Each hit has ``start``, ``end`` and ``order``; sorted by start, a hit overlaps a
    kept one only if it starts before the last kept end, so this is linear.

    >>> from collections import namedtuple
    >>> H = namedtuple("H", "start end order")
    >>> [(h.start, h.end) for h in leftmost_longest([H(0, 4, 1), H(2, 6, 0), H(0, 2, 0), H(5, 8, 0)])]
    [(0, 4), (5, 8)]
    """
    kept, last_end = [], -1
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start), h.order)):
        if h.start < last_end:
            continue
        kept.append(h)
        last_end = h.end
    return kept
