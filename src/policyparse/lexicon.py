"""jieba's posseg segmentation over jieba's tables in a store (``lexicon_store.py``).

jieba's tables are read as needed — the fragments a clause's DAG may ask for in
one query per length — and kept in a bounded per-process memo.

``Tagger.tag`` follows ``jieba.posseg.POSTokenizer.cut`` (jieba 0.42) step for
step: the DAG of dictionary words, the maximum-probability route, and the HMM
(jieba's own tables, read from its package; ``hmm.py``) for runs of unknown
characters.

    >>> from policyparse.lexicon_store import _MemoryStore
    >>> Tagger(_MemoryStore({"达到": (100, "v"), "达": (10, "v"), "到": (10, "v")}, 120)).tag("达到")
    [('达到', 'v')]
"""

from __future__ import annotations

import functools
import re
from math import log

from .hmm import Model
from .lexicon_store import open_store

__all__ = ["Tagger", "open_store"]

_CACHE_ENTRIES = 200_000  # words remembered per process before the memo is emptied
_DONE_ENTRIES = 4_096  # clauses and HMM runs remembered (callers often tag a clause twice)

# jieba.posseg's re_han_internal is [\u4e00-\u9fd5a-zA-Z0-9+#&\._]+ and re_han_detail
# [\u4e00-\u9fd5]+; compiling either with ``re`` costs ~1 ms (it walks the 20,950
# characters of the range), so the runs are found by comparing characters instead
_HAN_FIRST, _HAN_LAST = "\u4e00", "\u9fd5"
_INTERNAL_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._")
_NUM_CHARS = frozenset(".0123456789")  # re_num = [\.0-9]+
_ENG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")  # re_eng



@functools.cache
def _skip_detail():
    """jieba.posseg's re_skip_detail (rarely needed: compiled on first use)."""
    return re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")


# ---- jieba.posseg's segmentation ------------------------------------------------------------


class Tagger:
    """jieba.posseg's ``cut`` over a store: a list of (word, flag)."""

    def __init__(self, store) -> None:
        self.store = store
        self.logtotal = log(store.total)
        self.memo: dict = {}  # word → (frequency or None, flag, log(frequency or 1) - log(total))
        self.rows: dict = {}  # character → its HMM row (Model.char)
        self.model: Model | None = None
        self.done: dict = {}  # clause → its words, as a tuple
        self.runs: dict = {}  # run of characters → the HMM's words, as a tuple

    def tag(self, sentence: str) -> list[tuple[str, str]]:
        return list(_remembered(self.done, sentence, self._tag))

    def _tag(self, sentence: str) -> list[tuple[str, str]]:
        if sentence and _HAN_FIRST <= min(sentence) and max(sentence) <= _HAN_LAST:
            return self._cut_dag(sentence)  # all Chinese: one block
        # jieba splits at re_han_internal; between its blocks, \r\n and every other
        # character are words tagged x (none is a digit or a letter: those are in the blocks)
        out: list[tuple[str, str]] = []
        i, n = 0, len(sentence)
        while i < n:
            j = i
            while j < n:
                c = sentence[j]
                if not (_HAN_FIRST <= c <= _HAN_LAST or c in _INTERNAL_ASCII):
                    break
                j += 1
            if j > i:
                out += self._cut_dag(sentence[i:j])
                i = j
            elif sentence.startswith("\r\n", i):
                out.append(("\r\n", "x"))
                i += 2
            else:
                out.append((sentence[i], "x"))
                i += 1
        return out

    def _route(self, sentence: str) -> list[int]:
        """jieba's DAG and maximum-probability route in one pass: the end of the word at each start.

        Same sums as jieba's ``calc``; the ends are tried in ascending order
        and ``>=`` keeps the greater of equal ones, as its ``max`` over
        (probability, end) pairs does.
        """
        memo, n = self.memo, len(sentence)
        probs = [0.0] * (n + 1)
        ends = [0] * n
        for k in range(n - 1, -1, -1):
            frag = sentence[k]
            hit = memo.get(frag) or self._miss(sentence, frag)
            first, best_p, best_i, i = hit, _NEG_INF, 0, k + 1
            while hit[0] is not None:  # frag is in the prefix table
                if hit[0]:  # and a word
                    p = hit[2] + probs[i]
                    if p >= best_p:
                        best_p, best_i = p, i
                if i == n:
                    break
                i += 1
                frag = sentence[k:i]
                hit = memo.get(frag) or self._miss(sentence, frag)
            if not best_i:  # no word starts here: the character alone
                best_p, best_i = first[2] + probs[k + 1], k + 1
            probs[k], ends[k] = best_p, best_i
        return ends

    def _cut_dag(self, sentence: str) -> list[tuple[str, str]]:
        ends, memo = self._route(sentence), self.memo
        out: list[tuple[str, str]] = []
        x, n, buf = 0, len(sentence), -1
        while x < n:
            y = ends[x]
            if y - x == 1:
                if buf < 0:
                    buf = x  # a run of single characters starts
            else:
                if buf >= 0:
                    self._flush(sentence[buf:x], out)
                    buf = -1
                word = sentence[x:y]
                out.append((word, (memo.get(word) or self._word(word))[1]))
            x = y
        if buf >= 0:
            self._flush(sentence[buf:], out)
        return out

    def _flush(self, buf: str, out: list) -> None:
        """A run of single characters: one word, the HMM's words, or characters."""
        memo = self.memo
        if len(buf) == 1:
            out.append((buf, (memo.get(buf) or self._word(buf))[1]))
        elif not (memo.get(buf) or self._word(buf))[0]:
            self._cut_detail(buf, out)
        else:
            out += [(ch, (memo.get(ch) or self._word(ch))[1]) for ch in buf]

    def _cut_detail(self, sentence: str, out: list) -> None:
        """jieba's HMM on the Chinese runs (re_han_detail), numbers and letters (re_skip_detail) between."""
        if _HAN_FIRST <= min(sentence) and max(sentence) <= _HAN_LAST:
            out += self._hmm_cut(sentence)  # all Chinese: one block
            return
        i, n = 0, len(sentence)
        while i < n:
            j = i
            while j < n and _HAN_FIRST <= sentence[j] <= _HAN_LAST:
                j += 1
            if j > i:
                out += self._hmm_cut(sentence[i:j])
            else:
                while j < n and not _HAN_FIRST <= sentence[j] <= _HAN_LAST:
                    j += 1
                for x in _skip_detail().split(sentence[i:j]):
                    if x:
                        out.append((x, "m" if x[0] in _NUM_CHARS else "eng" if x[0] in _ENG_CHARS else "x"))
            i = j

    def _hmm_cut(self, sentence: str) -> tuple:
        """jieba.posseg's HMM over a run of Chinese characters not in the dictionary."""
        return _remembered(self.runs, sentence, self._viterbi_cut)

    def _viterbi_cut(self, sentence: str) -> list[tuple[str, str]]:
        rows = self.rows
        missing = [c for c in set(sentence) if c not in rows]
        if missing:
            self._load_chars(missing)
        model = self.model
        route = model.route([rows[c] for c in sentence])
        kinds, tags = model.kinds, model.tags
        out, begin, nexti = [], 0, 0
        for i, state in enumerate(route):
            kind = kinds[state]
            if kind == "B":
                begin = i
            elif kind == "E":
                out.append((sentence[begin : i + 1], tags[state]))
                nexti = i + 1
            elif kind == "S":
                out.append((sentence[i], tags[state]))
                nexti = i + 1
        if nexti < len(sentence):
            out.append((sentence[nexti:], tags[route[nexti]]))
        return out

    # ---- reading the store

    def _miss(self, sentence: str, frag: str) -> tuple:
        """``frag``'s entry, after reading every fragment the DAG of ``sentence`` may ask for."""
        self._prefetch(sentence)
        return self.memo.get(frag) or self._word(frag)

    def _prefetch(self, sentence: str) -> None:
        """Read the DAG's fragments of ``sentence`` that are not in the memo: one query per length.

        A fragment is asked for only if the one a character shorter is in the
        prefix table, as jieba's DAG walks them.
        """
        memo, n = self.memo, len(sentence)
        alive, size = range(n), 1
        while alive:
            need = [w for w in {sentence[k : k + size] for k in alive} if w not in memo]
            if need:
                self._load(need)
            alive = [k for k in alive if k + size < n and memo.get(sentence[k : k + size], _ABSENT)[0] is not None]
            size += 1

    def _word(self, word: str) -> tuple:
        self._load([word])
        return self.memo[word]

    def _load(self, words: list[str]) -> None:
        """Memoize ``words`` (not in the store: as absent), emptying the memo when it is full."""
        found, memo, logtotal = self.store.words(words), self.memo, self.logtotal
        if len(memo) + len(words) > _CACHE_ENTRIES:
            memo.clear()
        for w in words:
            f, t = found.get(w, _MISSING)
            memo[w] = (f, t or "x", log(f or 1) - logtotal)

    def _load_chars(self, chars: list[str]) -> None:
        if self.model is None:
            self.model = self.store.model()
        found = self.store.chars(chars)
        for c in chars:
            self.rows[c] = found.get(c, _NO_ROW)


_NEG_INF = float("-inf")
_MISSING = (None, None)
_ABSENT = (None, "x", 0.0)
_NO_ROW = (None, {})  # a character jieba's HMM tables do not know: any state, no emission


def _remembered(table: dict, key: str, make) -> tuple:
    """``tuple(make(key))``, kept in ``table`` (emptied when it holds ``_DONE_ENTRIES``)."""
    done = table.get(key)
    if done is None:
        done = tuple(make(key))
        if len(table) >= _DONE_ENTRIES:
            table.clear()
        table[key] = done
    return done
