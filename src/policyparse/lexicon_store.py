"""jieba's dictionary and HMM tables as an SQLite file in the cache directory.

jieba keeps its whole dictionary in memory: a prefix table of ~500,000 entries
and a tag table of ~350,000, which cost ~1.4 s and ~130 MB to load in every
process — for a notice that needs a few dozen short clauses tagged.  Here the
two tables, exactly as jieba builds them (user dictionaries included), and the
HMM's tables (states numbered as ``hmm.Model`` numbers them) are written once
to an SQLite file and read a batch of words or characters at a time
(``lexicon.Tagger`` remembers what it has read).

    >>> _MemoryStore({"达到": (100, "v")}, 120).words(["达到", "达"])
    {'达到': (100, 'v')}
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import sqlite3
from pathlib import Path

from .cache import candidates, replacing
from .hmm import Model, tables

__all__ = ["open_store"]

_FORMAT = "4"  # bump when the store's layout changes
_BATCH = 64  # words per query (SQLite allows 999 parameters and 500 SELECTs in a UNION)


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
            _sweep(d, keep=path)
        if store is not None:
            return store
    pos = build_tokenizer()
    return _MemoryStore(
        {w: (f, pos.word_tag_tab.get(w)) for w, f in pos.tokenizer.FREQ.items()}, pos.tokenizer.total
    )


def _sweep(directory: Path, keep: Path) -> None:
    """Remove the stores an earlier format left in ``directory`` (~13 MB each).

    Stores of this format for other user words (another ``--rules`` directory) stay.
    """
    for path in directory.glob("jieba-*.sqlite3"):
        if path != keep and _format_of(path) != int(_FORMAT):
            with contextlib.suppress(OSError):
                path.unlink()


def _format_of(path: Path) -> int | None:
    """The format a store says it has; None for a damaged or foreign file."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT v FROM meta WHERE k = 'format'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


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
        con.execute("INSERT INTO meta VALUES ('total', ?), ('format', ?)", (pos.tokenizer.total, int(_FORMAT)))
        # the HMM, its states numbered (hmm.Model): the model once, then a row per
        # character, so that a process reads only the characters it meets
        model = _memory_model()
        con.execute("CREATE TABLE blob (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        con.execute("INSERT INTO blob VALUES ('model', ?)", (marshal.dumps(model.table()),))
        con.execute("CREATE TABLE hmm (c TEXT PRIMARY KEY, r BLOB NOT NULL) WITHOUT ROWID")
        con.executemany("INSERT INTO hmm VALUES (?, ?)", [(c, marshal.dumps(r)) for c, r in _memory_rows().items()])
        con.commit()
        con.close()


class _SqliteStore:
    """jieba's tables in SQLite, read a batch of words or characters at a time."""

    def __init__(self, con: sqlite3.Connection, total: int) -> None:
        self.con, self.total = con, total

    @classmethod
    def open(cls, path: Path) -> "_SqliteStore | None":
        if not path.is_file():
            return None
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            meta = dict(con.execute("SELECT k, v FROM meta").fetchall())
        except sqlite3.Error:
            return None  # a damaged file: rebuilt by the caller
        if meta.get("format") != int(_FORMAT) or not isinstance(meta.get("total"), int):
            con.close()
            return None  # damaged, or written by another version under the same name
        return cls(con, meta["total"])

    def words(self, words: list[str]) -> dict:
        """word → (frequency or None when not in the prefix table, tag or None), for the stored ones."""
        return {w: (None if f < 0 else f, t) for w, f, t in self._rows("SELECT w, f, t FROM word WHERE w = ?", words)}

    def chars(self, chars: list[str]) -> dict:
        """character → its HMM row (``Model.char``), for the characters that have one."""
        return {c: marshal.loads(r) for c, r in self._rows("SELECT c, r FROM hmm WHERE c = ?", chars)}

    def model(self) -> Model:
        (blob,) = self.con.execute("SELECT v FROM blob WHERE k = 'model'").fetchone()
        return Model(*marshal.loads(blob))

    def _rows(self, select: str, keys: list[str]) -> list:
        """The rows of ``select`` (one key) for each key, in as few statements as may be.

        One lookup per SELECT joined by UNION ALL: an IN list would cost SQLite
        a temporary index per query.  The number of SELECTs is a power of two
        (the last keys repeated), so that a handful of statements are compiled
        and then reused from the connection's cache.
        """
        out: list = []
        for i in range(0, len(keys), _BATCH):
            part = keys[i : i + _BATCH]
            size = 1 << (len(part) - 1).bit_length()
            part += part[-1:] * (size - len(part))
            out += self.con.execute(" UNION ALL ".join([select] * size), part).fetchall()
        return out


class _MemoryStore:
    """The same tables in a dict (no writable cache directory; tests)."""

    def __init__(self, table: dict, total: int) -> None:
        self.table, self.total = table, total

    def words(self, words: list[str]) -> dict:
        table = self.table
        return {w: table[w] for w in words if w in table}

    def chars(self, chars: list[str]) -> dict:
        rows = _memory_rows()
        return {c: rows[c] for c in chars if c in rows}

    def model(self) -> Model:
        return _memory_model()


@functools.cache
def _memory_model() -> Model:
    t = tables()
    return Model.from_tables(t["prob_start"], t["prob_trans"])


@functools.cache
def _memory_rows() -> dict:
    """character → its HMM row (``Model.char``), for every character of jieba's tables."""
    t, model = tables(), _memory_model()
    emit: dict = {}
    for state, row in t["prob_emit"].items():
        for ch, p in row.items():
            emit.setdefault(ch, {})[state] = p
    states = t["char_state_tab"]
    return {ch: model.char(states.get(ch), emit.get(ch, {})) for ch in sorted(set(states) | set(emit))}
