"""Read a plain-text notice: detect the encoding, decode, unify line ends.

Order: an explicit ``--encoding``; a BOM (UTF-8, UTF-16, UTF-32); strict UTF-8;
then charset-normalizer's best guess, which tells GB18030/GBK and UTF-16
without a BOM apart from noise far better than a hand-written guesser.  A text
that is mostly UTF-8 or GB18030 with a few broken bytes is decoded with
replacement characters and a warning naming the first bad line; data made of
control characters is refused as ``not-text``.

    >>> read_text("关于印发工作方案的通知\\r\\n一、总体要求".encode("gbk")).text
    '关于印发工作方案的通知\\n一、总体要求'

(Two words of GBK are too few for any guesser: a short file is best read with ``--encoding``.)
"""

from __future__ import annotations

import codecs

from ..errors import PolicyparseError
from . import RawText

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# GB18030 is a superset of GBK and GB2312: decoding with it never loses a character
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "big5", "cp936"}


def read_text(data: bytes, *, name: str | None = None, encoding: str | None = None) -> RawText:
    """Decode ``data`` into text with LF line ends; raise PolicyparseError on failure."""
    warnings: list[tuple[str, str, int | None]] = []
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise PolicyparseError("decode", f"unknown encoding {encoding!r}", name) from None
        text, enc = _decode(data, encoding, warnings), encoding
    else:
        text, enc = _detect_and_decode(data, name, warnings)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        warnings.append(("nul-bytes", "NUL characters removed", line))
        text = text.replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PolicyparseError("empty", "file is empty" if not data else "file holds only white space", name)
    if _binary_ratio(text[:_SAMPLE]) > _MAX_CONTROL:
        raise PolicyparseError("not-text", "not a text document (mostly control characters)", name)
    return RawText(text=text, format="txt", encoding=enc, warnings=warnings)


# Real text (any encoding, decoded right) holds almost no C0 control characters
# besides TAB/LF/CR/FF; binary data decoded as text holds many.
_CONTROLS = tuple(chr(c) for c in [*range(0, 9), 11, *range(14, 32), 127])
_SAMPLE = 100_000  # characters (or bytes) looked at: binary data is binary throughout
_MAX_CONTROL = 0.05


def _binary_ratio(sample) -> float:
    """Share of C0 control characters (or bytes) in ``sample``, 0..1."""
    if not sample:
        return 0.0
    if isinstance(sample, bytes):
        return sum(sample.count(bytes([ord(c)])) for c in _CONTROLS) / len(sample)
    return sum(sample.count(c) for c in _CONTROLS) / len(sample)


def _detect_and_decode(data: bytes, name, warnings) -> tuple[str, str]:
    if not data:
        raise PolicyparseError("empty", "file is empty", name)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], enc.replace("-sig", ""), warnings), enc.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    guess = _guess(data)
    if guess is None:
        if _binary_ratio(data[:_SAMPLE]) > _MAX_CONTROL:
            raise PolicyparseError("not-text", "not a text document (binary data)", name)
        # mostly UTF-8 (or GB18030) with a few broken bytes: keep it and say where
        for enc in ("utf-8", "gb18030"):
            if _mostly(data, enc):
                return _decode(data, enc, warnings), enc
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise PolicyparseError("decode", f"cannot determine the text encoding (invalid byte at line {line}; try --encoding)", name)
    return _decode(data, guess, warnings), guess


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # lazy: only for non-UTF-8 input

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    enc = best.encoding.lower().replace("_", "-")
    if enc.replace("-", "") in {e.replace("-", "") for e in _GB_FAMILY} or enc in {"cp936", "ms936"}:
        return "gb18030"
    if enc.startswith("utf-16") or enc.startswith("utf-32") or enc in {"utf-8", "ascii"}:
        return enc
    # a CJK notice decoded as a Latin or Cyrillic code page is garbage: prefer GB18030
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return enc


def _mostly(data: bytes, enc: str) -> bool:
    """True when ``data`` decodes as ``enc`` but for a few bad bytes (about 1%)."""
    sample = data[:_SAMPLE * 4]
    bad = sample.decode(enc, errors="replace").count("\ufffd")
    return bad < max(16, len(sample) // 100)


def _decode(data: bytes, enc: str, warnings) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        warnings.append(("decode-replaced", f"invalid {enc} bytes replaced (first at line {line})", line))
        return data.decode(enc, errors="replace")
