"""Placeholder: document metadata (being written)."""

from __future__ import annotations

from ..models import DocumentMeta


def extract(text: str, ctx=None) -> DocumentMeta:
    """Return the document's metadata found in the normalized ``text``."""
    return DocumentMeta()
