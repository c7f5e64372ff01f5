"""jieba's dictionary as an on-disk store, and jieba's posseg segmentation over it.

jieba keeps its whole dictionary in memory: a prefix table of ~500,000 entries
and a tag table of ~350,000, which cost ~1.4 s and ~130 MB to load in every
process — for a notice that needs a few dozen short clauses tagged.  Here the
two tables, exactly as jieba builds them (user dictionaries included), are
written once to an SQLite file in the cache directory and read word by word.

``Tagger.tag`` follows ``jieba.posseg.POSTokenizer.cut`` (jieba 0.42) step for
step: the DAG of dictionary words, the maximum-probability route, and the HMM
(jieba's own tables, read from its package) for runs of unknown characters.

    >>> Tagger(_MemoryStore({"达到": (100, "v"), "达": (10, "v"), "到": (10, "v")}, 120)).tag("达到")
    [('达到', 'v')]
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import re
import sqlite3
from math import log
from pathlib import Path

from .cache import candidates, replacing

__all__ = ["Tagger", "open_store"]

_FORMAT = "2"  # bump when the store's layout changes
_CACHE_ENTRIES = 200_000  # words remembered per process before the memo is emptied

# jieba.posseg's own patterns (same names)
_RE_HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_RE_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
_RE_HAN_DETAIL = re.compile("([\u4e00-\u9fd5]+)")
_RE_SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
_RE_ENG = re.compile("[a-zA-Z0-9]+")
_RE_NUM = re.compile("[\\.0-9]+")


# ---- the store --------------------------------------------------------------------------


def open_store(user_words: list[str], build_tokenizer):
    """The store for jieba's dictionary plus ``user_words``, built on first use.

    ``build_tokenizer()`` returns jieba's POS tokenizer with the user words
    loaded; it is called only when no store exists yet.  Where no cache
    directory is writable the tables are kept in memory, as jieba keeps them.
    """
    name = f"jieba-{_key(user_words)}.sqlite3"
    for d in candidates():
        path = d / name
        store = _SqliteStore.open(path)
        if store is None:
            try:
                _write(path, build_tokenizer())
            except OSError:
                continue
            store = _SqliteStore.open(path)
        if store is not None:
            return store
    pos = build_tokenizer()
    return _MemoryStore(
        {w: (f, pos.word_tag_tab.get(w)) for w, f in pos.tokenizer.FREQ.items()}, pos.tokenizer.total
    )


def _key(user_words: list[str]) -> str:
    """Changes with the user words, jieba's dictionary file and the store format."""
    h = hashlib.sha256(_FORMAT.encode())
    spec = importlib.util.find_spec("jieba")
    if spec and spec.origin:
        st = (Path(spec.origin).parent / "dict.txt").stat()
        h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    h.update("\n".join(user_words).encode("utf-8"))
    return h.hexdigest()[:16]


def _write(path: Path, pos) -> None:
    """Write jieba's tables to ``path`` atomically (another process may be writing too)."""
    with replacing(path) as tmp:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("CREATE TABLE word (w TEXT PRIMARY KEY, f INTEGER NOT NULL, t TEXT) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
        freq, tags = pos.tokenizer.FREQ, pos.word_tag_tab
        rows = [(w, freq.get(w, 0) if w in freq else -1, tags.get(w)) for w in sorted(set(freq) | set(tags))]
        con.executemany("INSERT INTO word VALUES (?, ?, ?)", rows)
        con.execute("INSERT INTO meta VALUES ('total', ?)", (pos.tokenizer.total,))
        # the HMM's tables, per character, so that a process reads only the characters it meets
        hmm = _hmm_tables()
        emit: dict = {}
        for state, row in hmm["prob_emit"].items():
            for ch, p in row.items():
                emit.setdefault(ch, {})[state] = p
        states = hmm["char_state_tab"]
        con.execute("CREATE TABLE hmm (c TEXT PRIMARY KEY, s BLOB, e BLOB) WITHOUT ROWID")
        con.executemany(
            "INSERT INTO hmm VALUES (?, ?, ?)",
            [
                (ch, marshal.dumps(states[ch]) if ch in states else None, marshal.dumps(emit.get(ch, {})))
                for ch in sorted(set(states) | set(emit))
            ],
        )
        con.execute("CREATE TABLE blob (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        con.executemany(
            "INSERT INTO blob VALUES (?, ?)",
            [("start", marshal.dumps(hmm["prob_start"])), ("trans", marshal.dumps(hmm["prob_trans"]))],
        )
        con.commit()
        con.close()


class _SqliteStore:
    """Word → (frequency or None when not in the prefix table, tag or None), from SQLite."""

    def __init__(self, con: sqlite3.Connection, total: int) -> None:
        self.con, self.total, self.memo = con, total, {}
        self.chars: dict = {}  # the HMM's rows of the characters met so far
        self.hmm_tables = None

    @classmethod
    def open(cls, path: Path) -> "_SqliteStore | None":
        if not path.is_file():
            return None
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            total = con.execute("SELECT v FROM meta WHERE k = 'total'").fetchone()[0]
        except (sqlite3.Error, TypeError):
            return None  # a damaged file: rebuilt by the caller
        return cls(con, total)

    def get(self, word: str) -> tuple:
        hit = self.memo.get(word)
        if hit is None:
            row = self.con.execute("SELECT f, t FROM word WHERE w = ?", (word,)).fetchone()
            hit = (None, None) if row is None else (None if row[0] < 0 else row[0], row[1])
            if len(self.memo) >= _CACHE_ENTRIES:
                self.memo.clear()
            self.memo[word] = hit
        return hit


    def hmm(self, sentence: str) -> tuple:
        """(char → states, start, trans, state → char → emission) for jieba's viterbi,
        holding the rows of ``sentence``'s characters only."""
        if self.hmm_tables is None:
            blobs = dict(self.con.execute("SELECT k, v FROM blob").fetchall())
            self.hmm_tables = (marshal.loads(blobs["start"]), marshal.loads(blobs["trans"]))
        states, emit = {}, _Rows()
        for ch in set(sentence):
            st, em = self.char(ch)
            if st is not None:
                states[ch] = st
            for state, p in em.items():
                emit[state][ch] = p
        return states, self.hmm_tables[0], self.hmm_tables[1], emit

    def char(self, ch: str) -> tuple:
        """(states or None, {state: emission}) of one character."""
        hit = self.chars.get(ch)
        if hit is None:
            row = self.con.execute("SELECT s, e FROM hmm WHERE c = ?", (ch,)).fetchone()
            hit = (None, {}) if row is None else (None if row[0] is None else marshal.loads(row[0]), marshal.loads(row[1]))
            self.chars[ch] = hit
        return hit


class _Rows(dict):
    """state → {char: emission}; a state with no row reads as an empty one."""

    def __missing__(self, state):
        row = self[state] = {}
        return row


class _MemoryStore:
    """The same tables in a dict (no writable cache directory; tests)."""

    def __init__(self, table: dict, total: int) -> None:
        self.table, self.total = table, total

    def get(self, word: str) -> tuple:
        return self.table.get(word, (None, None))

    def hmm(self, sentence: str) -> tuple:
        t = _hmm_tables()
        return t["char_state_tab"], t["prob_start"], t["prob_trans"], t["prob_emit"]


# ---- jieba.posseg's segmentation ------------------------------------------------------------


class Tagger:
    """jieba.posseg's ``cut`` over a store: a list of (word, flag)."""

    def __init__(self, store) -> None:
        self.store = store
        self.logtotal = log(store.total)

    def freq(self, word: str) -> int | None:
        return self.store.get(word)[0]

    def flag(self, word: str) -> str:
        return self.store.get(word)[1] or "x"

    def tag(self, sentence: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for blk in _RE_HAN_INTERNAL.split(sentence):
            if _RE_HAN_INTERNAL.match(blk):
                out += self._cut_dag(blk)
                continue
            for x in _RE_SKIP_INTERNAL.split(blk):
                if _RE_SKIP_INTERNAL.match(x):
                    out.append((x, "x"))
                    continue
                for xx in x:
                    if _RE_NUM.match(xx):
                        out.append((xx, "m"))
                    elif _RE_ENG.match(x):  # (sic) jieba tests the whole block here
                        out.append((xx, "eng"))
                    else:
                        out.append((xx, "x"))
        return out

    def _dag(self, sentence: str) -> list:
        """jieba's DAG, each end with its word's frequency: [(end, freq), …] per start."""
        get, dag, n = self.store.get, [], len(sentence)
        for k in range(n):
            found, i, frag, first = [], k, sentence[k], None
            while i < n:
                f = get(frag)[0]
                if i == k:
                    first = f
                if f is None:
                    break
                if f:
                    found.append((i, f))
                i += 1
                frag = sentence[k : i + 1]
            dag.append(found or [(k, first)])
        return dag

    def _route(self, sentence: str, dag: list) -> dict:
        n, logtotal = len(sentence), self.logtotal
        route = {n: (0, 0)}
        for idx in range(n - 1, -1, -1):
            route[idx] = max((log(f or 1) - logtotal + route[x + 1][0], x) for x, f in dag[idx])
        return route

    def _cut_dag(self, sentence: str) -> list[tuple[str, str]]:
        route = self._route(sentence, self._dag(sentence))
        out, x, buf, n = [], 0, "", len(sentence)
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    out += self._flush(buf)
                    buf = ""
                out.append((word, self.flag(word)))
            x = y
        if buf:
            out += self._flush(buf)
        return out

    def _flush(self, buf: str) -> list[tuple[str, str]]:
        """A run of single characters: one word, the HMM's words, or characters."""
        if len(buf) == 1:
            return [(buf, self.flag(buf))]
        if not self.freq(buf):
            return self._cut_detail(buf)
        return [(ch, self.flag(ch)) for ch in buf]

    def _cut_detail(self, sentence: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for blk in _RE_HAN_DETAIL.split(sentence):
            if _RE_HAN_DETAIL.match(blk):
                out += _hmm_cut(blk, self.store)
                continue
            for x in _RE_SKIP_DETAIL.split(blk):
                if x:
                    out.append((x, "m" if _RE_NUM.match(x) else "eng" if _RE_ENG.match(x) else "x"))
        return out


def _hmm_cut(sentence: str, store) -> list[tuple[str, str]]:
    """jieba.posseg's HMM over a run of Chinese characters not in the dictionary."""
    states, start, trans, emit = store.hmm(sentence)
    pos_list = viterbi(sentence, states, start, trans, emit)
    out, begin, nexti = [], 0, 0
    for i, char in enumerate(sentence):
        pos = pos_list[i][0]
        if pos == "B":
            begin = i
        elif pos == "E":
            out.append((sentence[begin : i + 1], pos_list[i][1]))
            nexti = i + 1
        elif pos == "S":
            out.append((char, pos_list[i][1]))
            nexti = i + 1
    if nexti < len(sentence):
        out.append((sentence[nexti:], pos_list[nexti][1]))
    return out


def _jieba_module(name: str):
    """A module of jieba.posseg, read from its file: importing jieba.posseg itself
    would read jieba's whole tag table (~0.4 s)."""
    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).parent / "posseg" / f"{name}.py"
    s = importlib.util.spec_from_file_location(f"policyparse._jieba_{name}", path)
    module = importlib.util.module_from_spec(s)
    s.loader.exec_module(module)
    return module


_MIN_FLOAT = -3.14e100  # jieba's values
_MIN_INF = float("-inf")


def viterbi(obs: str, states, start_p, trans_p, emit_p) -> list:
    """jieba.posseg.viterbi's route, computed without a tuple per candidate.

    Same sums in the same order, and ties go to the greater state, as
    ``max`` over (probability, state) pairs gives them; checked against
    jieba's function in tests/test_segment.py.
    """
    all_states = trans_p.keys()
    first = obs[0]
    v = {y: start_p[y] + emit_p[y].get(first, _MIN_FLOAT) for y in states.get(first, all_states)}
    mem_path = [dict.fromkeys(v, "")]
    for t in range(1, len(obs)):
        ch = obs[t]
        prev_states = [x for x in v if len(trans_p[x]) > 0]
        expect_next = {y for x in prev_states for y in trans_p[x]}
        obs_states = set(states.get(ch, all_states)) & expect_next
        if not obs_states:
            obs_states = expect_next if expect_next else all_states
        rows = [(x, v[x], trans_p[x]) for x in prev_states]
        if not rows:
            raise ValueError("max() arg is an empty sequence")  # where jieba's own max() fails
        nv, path = {}, {}
        for y in obs_states:
            em = emit_p[y].get(ch, _MIN_FLOAT)
            best_p, best_y = None, None
            for y0, v0, row in rows:
                p = v0 + row.get(y, _MIN_INF) + em
                if best_y is None or p > best_p or (p == best_p and y0 > best_y):
                    best_p, best_y = p, y0
            nv[y], path[y] = best_p, best_y
        v = nv
        mem_path.append(path)
    state = max((p, y) for y, p in v.items())[1]
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = mem_path[i][state]
    return route


@functools.cache
def _hmm_tables() -> dict:
    """jieba.posseg's HMM tables (~40 ms and ~20 MB): for building the store, or without one."""
    return {n: _jieba_module(n).P for n in ("char_state_tab", "prob_start", "prob_trans", "prob_emit")}
