"""Metadata as a fact list, so that rules/metadata.toml's examples can run.

``extract`` normalizes the text as the pipeline does and returns the metadata
as a one-element list, or ``[]`` when the text carries no metadata at all.

    >>> extract("文卫体字〔2023〕57号")[0].doc_number
    '文卫体字〔2023〕57号'
"""

from __future__ import annotations

from ..models import DocumentMeta
from ..normalize import normalize_text
from . import metadata


def extract(text: str, ctx=None) -> list[DocumentMeta]:
    """[the metadata of ``text``], or [] when every field is empty."""
    meta = metadata.extract(normalize_text(text).text, ctx)
    return [] if meta == DocumentMeta() else [meta]
