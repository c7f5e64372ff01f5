"""The offset map: lines that remember, per character, the input offset they came from.

``Line`` is one line during normalization; ``Normalized`` is the final text with
its map back to the input (input line and page of any offset).

Every offset array is made by ``offset_array``: 32-bit items (``TYPECODE``), as
inputs are at most 200 MB; a 50 MB notice's map takes 84 MB instead of 168.

    >>> ln = Line("ab", offset_array([5, 6]))
    >>> (ln + Line("c", offset_array([9]))).src.tolist()
    [5, 6, 9]
"""

from __future__ import annotations

import bisect
from array import array
from itertools import accumulate
from dataclasses import dataclass, field

from .models import Span
from .readers import RawText

TYPECODE = "I"  # unsigned C int, 32 bits: any offset of an input (inputs are at most 200 MB)


def offset_array(values=()) -> array:
    """A new offset array of the map's item type.

    >>> offset_array(range(3)).tolist()
    [0, 1, 2]
    """
    return array(TYPECODE, values)


def _same_kind(a: array, b: array) -> array:
    """``b`` as an array ``a`` can be extended with (a map built with another item type)."""
    return b if b.typecode == a.typecode else array(a.typecode, b.tolist())


@dataclass(slots=True)  # no per-line __dict__: a big notice has a million lines
class Line:
    """One line of text and, for each character, its offset in the input."""

    text: str
    src: array
    gap_before: int = 0  # blank lines that preceded it in the input
    kind: str = "text"  # text | row | header (set by layout)

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, a: int, b: int | None = None) -> "Line":
        b = len(self.text) if b is None else b
        return Line(self.text[a:b], self.src[a:b], self.gap_before, self.kind)

    def __add__(self, other: "Line") -> "Line":
        return Line(self.text + other.text, self.src + _same_kind(self.src, other.src), self.gap_before, self.kind)

    def sub(self, pattern, repl: str = "") -> "Line":
        """Replace every match of ``pattern``; inserted characters map to the match start."""
        out, src, pos = [], array(self.src.typecode), 0
        for m in pattern.finditer(self.text):
            out.append(self.text[pos : m.start()])
            src.extend(self.src[pos : m.start()])
            if repl:
                out.append(repl)
                src.extend([self.src[m.start()] if m.start() < len(self.src) else 0] * len(repl))
            pos = m.end()
        if pos == 0:
            return self
        out.append(self.text[pos:])
        src.extend(self.src[pos:])
        return Line("".join(out), src, self.gap_before, self.kind)

    def strip(self) -> "Line":
        a = len(self.text) - len(self.text.lstrip())
        b = len(self.text.rstrip())
        return self.slice(a, max(a, b))


@dataclass
class Normalized:
    """The normalized text and the map from its offsets back to the input."""

    text: str
    src: array  # input offset of each character, plus one entry for the end
    line_starts: list[int] | array = field(default_factory=lambda: [0])  # input offset of each input line
    page_starts: list[int] = field(default_factory=list)  # input offset where each page begins

    def input_offset(self, off: int) -> int:
        return self.src[max(0, min(off, len(self.src) - 1))]

    def line_of(self, off: int) -> int:
        """1-based input line of normalized offset ``off``."""
        return bisect.bisect_right(self.line_starts, self.input_offset(off))

    def page_of(self, off: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, self.input_offset(off)) or 1

    def span(self, start: int, end: int) -> Span:
        return Span(start=start, end=end, line=self.line_of(start), page=self.page_of(start))


def assemble(lines: list[Line], raw: RawText) -> Normalized:
    """Join the lines with LF into the normalized text and its offset map."""
    text_parts, src = [], offset_array()
    for i, ln in enumerate(lines):
        if i:
            text_parts.append("\n")
            src.append(lines[i - 1].src[-1] + 1 if len(lines[i - 1].src) else 0)
        text_parts.append(ln.text)
        src.extend(_same_kind(src, ln.src))
    src.append(len(raw.text))
    return Normalized("".join(text_parts), src, line_starts(raw.text), list(raw.page_starts))


def line_starts(text: str, piece: int = 1 << 20) -> array:
    """The offset of each line of ``text`` (lines end with LF), as an offset array.

    Each line starts one past the LF before it: running sums of the lengths of
    the LF-ended pieces, a block of text at a time (no list of all the lines).

    >>> line_starts("ab\\n\\ncd\\n", piece=3).tolist()
    [0, 3, 4, 7]
    """
    starts = offset_array([0])
    for lo in range(0, len(text), piece):
        ended = text[lo : lo + piece].split("\n")[:-1]  # (the last piece runs on into the next block)
        if ended:
            starts.extend(accumulate(map((1).__add__, map(len, ended)), initial=lo))
            del starts[-len(ended) - 1]  # (the block's own start, ``initial``)
    return starts
