"""The per-user cache directory and atomic writes into it.

Kept between processes: jieba's tables as an SQLite store (``lexicon.py``),
compiled regular expressions (``recache.py``) and parsed rule files
(``rules.py``), the last two through ``Memo``.  Everything is rebuilt when
missing or damaged, so the directory may be deleted at any time.

    >>> candidates()[-1].name.startswith("policyparse-")  # the fallback under $TMPDIR
    True
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import marshal
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["cache_dir", "candidates", "memo", "replacing", "write_atomic"]


def cache_dir() -> Path:
    """$POLICYPARSE_CACHE, else $XDG_CACHE_HOME/policyparse, else ~/.cache/policyparse."""
    env = os.environ.get("POLICYPARSE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policyparse"


def candidates() -> list[Path]:
    """The cache directory, then a per-user one under the temporary directory."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return [cache_dir(), Path(tempfile.gettempdir()) / f"policyparse-{uid}"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (raises OSError)."""
    with replacing(path) as tmp:
        Path(tmp).write_bytes(data)


@contextlib.contextmanager
def replacing(path: Path):
    """A temporary path beside ``path``, renamed onto it when the block succeeds (else removed).

    Another process may be writing the same file: the last rename wins whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.cache
def memo(name: str, max_entries: int = 2000) -> "Memo":
    """The process's ``Memo`` called ``name`` (read from the cache once, saved at exit)."""
    m = Memo(f"{name}-py{sys.version_info[0]}{sys.version_info[1]}.marshal", max_entries)
    atexit.register(m.save)
    return m


class Memo:
    """A dict of plain values (marshal-able) shared by the processes of one user.

    The file keeps at most ``max_entries``: what the last writer used (read or
    added) comes first, so entries of rule files and patterns no longer in use
    (an upgrade, an edited rule) are the ones dropped, and a new entry is never
    refused for lack of room.
    """

    def __init__(self, file_name: str, max_entries: int) -> None:
        self.file_name, self.max_entries, self.new = file_name, max_entries, 0
        self.entries: dict = {}
        self.used: set = set()
        for d in candidates():
            self.entries = self._read(d / file_name)
            if self.entries:
                break

    def get(self, key):
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key, value) -> None:
        """Remember ``value`` (dropped when it cannot be marshalled, or when this process
        alone has added twice the file's room)."""
        try:
            marshal.dumps((key, value))
        except ValueError:
            return
        if self.new < 2 * self.max_entries:
            self.entries[key] = value
            self.used.add(key)
            self.new += 1

    def drop(self, key) -> None:
        self.entries.pop(key, None)
        self.used.discard(key)

    def save(self) -> None:
        """Write the new entries, merged with what another process wrote meanwhile."""
        if not self.new:
            return
        for d in candidates():
            path = d / self.file_name
            merged = {**self._read(path), **self.entries}
            order = [k for k in merged if k in self.used] + [k for k in merged if k not in self.used]
            kept = {k: merged[k] for k in order[: self.max_entries]}
            try:
                write_atomic(path, marshal.dumps(kept))
            except (OSError, ValueError):
                continue
            self.new = 0
            return

    @staticmethod
    def _read(path: Path) -> dict:
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}
