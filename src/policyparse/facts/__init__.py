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
