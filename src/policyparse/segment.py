"""Word segmentation and part-of-speech tags for short spans (jieba's, without its load time).

``tag`` gives exactly what a private ``jieba.posseg.POSTokenizer`` gives — with
``rules/orgs.txt`` (organization names) and ``rules/words.txt`` (policy
vocabulary: 占比, 就诊率) loaded as user dictionaries — but without loading
jieba's dictionary into every process (~1.4 s and ~130 MB for the prefix table
and the tag table).  The dictionary, exactly as jieba builds it, is written once
per machine to an SQLite file in the cache directory (``lexicon_store.py``) and
read as needed; the segmentation itself (``lexicon.Tagger``) follows jieba's
posseg code step for step.  ``tests/test_segment.py`` checks the two agree on
thousands of clauses.  Use it on short clauses, not on whole documents.

    >>> [w for w, _ in tag("村卫生室达到服务能力标准")][:2]
    ['村卫生室', '达到']
"""

from __future__ import annotations

import functools
import io
import os
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
    # per process: an SQLite connection must not cross a fork into a batch worker
    return _tagger(None if rules_dir is None else str(rules_dir), os.getpid()).tag(text)


@functools.cache
def _tagger(rules_dir: str | None, pid: int):
    from .lexicon import Tagger, open_store

    return Tagger(open_store(_user_words(rules_dir), lambda: tokenizer(rules_dir)))


@functools.cache
def tokenizer(rules_dir: str | None = None):
    """jieba's own private POS tokenizer with the user dictionaries (slow to build).

    ``tag`` does not use it: it builds the lexicon store once and checks ``tag``.
    """
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
    tk.check_initialized()
    pos.makesure_userdict_loaded()
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
