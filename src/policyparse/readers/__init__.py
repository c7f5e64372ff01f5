"""Readers: bytes on disk (or stdin) → one decoded text plus what we learned.

The kind of input is decided by content (magic bytes), not by the extension.

    >>> sniff(b"%PDF-1.7 ...")
    'pdf'
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from ..errors import PolicyparseError

MAX_BYTES = 200 * 1024 * 1024  # beyond this a file is refused (too-large)

# The file name endings a directory walk picks up by default (``extract DIR``).
# A new reader adds its endings here, and only here.  Files named explicitly are
# read whatever their ending: the kind is decided by content.
SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".html", ".htm")


@dataclass
class RawText:
    """A decoded input: its text, how it was decoded, and page starts for paged inputs."""

    text: str
    format: str = "txt"
    encoding: str | None = None
    pages: int | None = None
    page_starts: list[int] = field(default_factory=list)  # text offset where each page begins
    warnings: list[tuple[str, str, int | None]] = field(default_factory=list)  # (code, message, line)
    hints: dict = field(default_factory=dict)  # reader-specific extras (e.g. html metadata)


_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\x7fELF", "elf"),
    (b"\xd0\xcf\x11\xe0", "ole"),  # legacy .doc/.wps/.xls
    (b"MZ", "exe"),
    (b"\x1f\x8b", "gzip"),
)


_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|div|p|table|meta|br)\b", re.I)


def sniff(data: bytes) -> str:
    """Name the kind of ``data`` from its first bytes: pdf, zip, ..., or 'text'."""
    head = data[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # a PDF may carry junk before its header (allowed up to 1 KB by the spec)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return "text"


def read_bytes(data: bytes, *, name: str | None = None, encoding: str | None = None) -> RawText:
    """Decode ``data`` by its content; raise PolicyparseError with a stable code."""
    if len(data) > MAX_BYTES:
        raise PolicyparseError("too-large", f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", name)
    kind = sniff(data)
    if kind == "pdf":
        return _read_pdf(data, name)
    if kind == "zip":
        from .docx import is_docx, read_docx

        if is_docx(data):
            return read_docx(data, name=name)
    if kind == "ole":  # legacy .doc/.wps: through LibreOffice when it is installed
        from .legacy import read_legacy

        return read_legacy(data, name=name)
    if kind != "text":
        raise PolicyparseError("not-text", f"not a text document (looks like {kind.upper()} data)", name)
    head = data[:8192]
    if _MARKUP.search(head) or _MARKUP.search(head.replace(b"\x00", b"")):  # cheap test first (UTF-16 too)
        from .html import looks_like_html, read_html

        if looks_like_html(data):
            return read_html(data, name=name, encoding=encoding)
    from .text import read_text

    return read_text(data, name=name, encoding=encoding)


def _read_pdf(data: bytes, name: str | None) -> RawText:
    """Hand a PDF to its reader; any failure the reader did not name is ``damaged``."""
    try:
        from .pdf import read_pdf  # heavy: imported only for PDFs
    except ImportError as exc:
        raise PolicyparseError("unsupported", f"PDF input is not available in this build ({exc})", name) from None
    try:
        return read_pdf(data, name=name)
    except (PolicyparseError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # a parser exception on a malformed file
        raise PolicyparseError("damaged", f"cannot parse the PDF ({type(exc).__name__}: {exc})", name) from None
