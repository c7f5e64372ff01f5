"""Word segmentation and part-of-speech tags for short spans (a private jieba).

jieba is imported and its dictionary loaded on first use only (~0.6 s once per
process).  The tokenizer is a private ``jieba.Tokenizer`` — never the global
jieba instance — with ``rules/orgs.txt`` (organization names) and
``rules/words.txt`` (policy vocabulary: 占比, 就诊率) loaded as user dictionaries.  Use it on short clauses, not on whole documents.

    >>> [w for w, _ in tag("村卫生室达到服务能力标准")][:2]
    ['村卫生室', '达到']
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from . import rules

__all__ = ["cut", "tag", "tokenizer"]


def cut(text: str, rules_dir: Path | str | None = None) -> list[str]:
    """The words of ``text``.

    >>> cut("服务人口")
    ['服务', '人口']
    """
    return [w for w, _ in tag(text, rules_dir)]


def tag(text: str, rules_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """The words of ``text`` with their jieba part-of-speech flags (n, v, d, m, …).

    >>> tag("达到")
    [('达到', 'v')]
    """
    if not text:
        return []
    return [(p.word, p.flag) for p in tokenizer(None if rules_dir is None else str(rules_dir)).cut(text)]


@functools.cache
def tokenizer(rules_dir: str | None = None):
    """The process's private POS tokenizer (built once per rules directory)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # keep the CLI's stderr clean of load messages
    tk = jieba.Tokenizer()
    # POSTokenizer(tk) would read the tag table a second time (~0.3 s): importing
    # jieba.posseg has read it already, so the private tokenizer takes a copy
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer = tk
    pos.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)
    words = _user_words(rules_dir)
    if words:
        pos.load_userdict(io.StringIO("\n".join(words)))
    return pos


def _user_words(rules_dir: str | None) -> list[str]:
    """Lines of ``orgs.txt`` and ``words.txt`` (override directory first), without comments."""
    out: list[str] = []
    for name in ("orgs.txt", "words.txt"):
        candidates = [Path(rules_dir) / name] if rules_dir else []
        candidates.append(rules.default_dir() / name)
        path = next((p for p in candidates if p.is_file()), None)
        if path is not None:
            lines = path.read_text(encoding="utf-8").splitlines()
            out += [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    return out
