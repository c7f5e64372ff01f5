"""policyparse: Chinese policy notices → validated, source-grounded JSON.

    >>> import policyparse
    >>> doc = policyparse.extract("一、总体要求\\n到2025年，覆盖率达到90%以上。")
    >>> doc.measures[0].path
    ['一']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["extract", "__version__"]

if TYPE_CHECKING:
    from .models import Document


def extract(path_or_text, **options) -> "Document":
    """Extract one notice (a path, ``bytes``, or the text itself) into a Document.

    Options: ``encoding`` (override detection), ``rules_dir`` (``--rules``).
    """
    from .pipeline import extract as _extract  # lazy: keep `import policyparse` cheap

    return _extract(path_or_text, **options)
