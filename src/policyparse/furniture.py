"""Web-print furniture in text copies: footers and tool bars (rules/furniture.toml).

    >>> extract("赣ICP备05004294号-1")
    [{'kind': 'line', 'text': '赣ICP备05004294号-1'}]
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from . import rules


def extract(text: str, ctx=None) -> list[dict]:
    """What furniture ``text`` (one line) holds: the whole line, or a tool-bar prefix."""
    rs = rules.load("furniture", getattr(ctx, "rules_dir", None))
    if rs.rule("footer-line").regex.match(text):
        return [{"kind": "line", "text": text}]
    m = rs.rule("toolbar-prefix").regex.match(text)
    if m and m.end() < len(text):
        return [{"kind": "prefix", "text": text[: m.end()]}]
    return []


def matchers(rules_dir: Path | None = None):
    """The compiled (whole-line, prefix) patterns."""
    rs = rules.load("furniture", rules_dir)
    return rs.rule("footer-line").regex, rs.rule("toolbar-prefix").regex


def gates(rules_dir: Path | None = None):
    """Per pattern of ``matchers``, what a line must hold for it to match: a pattern, or None (no test known).

    A line neither pattern can match needs neither tried: most lines hold none of
    the footer's and tool bar's words, and one scan of the whole text finds the few
    that do (``marked``).

        >>> w, p = gates()
        >>> bool(p.search("打印 收藏加快")), p.search("加快完整社区建设")
        (True, None)
    """
    whole, prefix = matchers(rules_dir)
    return _gate(whole.pattern), _gate(prefix.pattern)


@functools.cache
def _gate(pattern: str):
    """A pattern for the words of the most selective clause every match of ``pattern`` satisfies."""
    from . import recache
    from .facts.prefilter import needs

    clauses = needs(pattern)
    if not clauses:
        return None
    words = sorted(clauses[0].words, key=lambda w: (-len(w), w))
    if any("\n" in w for w in words) or not (words or clauses[0].digit):
        return None  # (``marked`` relies on matches that stay inside a line)
    if clauses[0].digit:  # the rules' own \d: the regex module's tables
        return recache.compile("|".join([re.escape(w) for w in words] + [r"\d"]))
    return re.compile("|".join(re.escape(w) for w in words))


def marked(text: str, gate) -> set | None:
    """Start offsets of the lines of ``text`` (split at LF) that hold a match of ``gate`` (None: all lines).

    A match holds no LF, and a match skipped for overlapping an earlier one lies in
    that one's line: every line holding a match is marked.

        >>> sorted(marked("加快\\n打印 收藏\\n关闭", re.compile("打印|关闭")))
        [3, 9]
    """
    if gate is None:
        return None
    find = text.rfind
    return {find("\n", 0, m.start()) + 1 for m in gate.finditer(text)}
