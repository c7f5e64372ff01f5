"""Compiled regular expressions kept between processes.

The ``regex`` module parses and compiles a pattern in Python: ~0.5 ms for a
short one, several ms for a rule built from word lists, ~0.15 s for all of
policyparse's rules — most of a short notice's run time from the shell.  What
its parser hands the C engine (``_regex.compile``'s arguments: the opcode list
and group tables) is plain data, so it is recorded the first time and
kept in the cache directory (marshal, keyed by the regex and Python versions);
later processes hand it to the engine directly (~5 µs).  A missing, damaged or
foreign cache, or a ``regex`` whose internals differ, only means compiling as usual;
``tests/test_recache.py`` checks every rule compiles to the same behaviour both ways.

    >>> compile(r"\\d+(?P<unit>万元|个)").match("25万元").group("unit")
    '万元'
"""

from __future__ import annotations

import sys
import threading

import regex

from .cache import memo

__all__ = ["Lazy", "compile", "lazy", "save"]

_LOCK = threading.Lock()  # one capture at a time (it swaps the engine module for a moment)


def compile(pattern: str, flags: int = 0):  # noqa: A001 - the regex API's own name
    """``regex.compile(pattern, flags)``, from the cache when the pattern was seen before."""
    table = _memo()
    key = (pattern, int(flags))
    args = table.get(key)
    if isinstance(args, tuple) and len(args) == 11:
        engine = _engine()
        if engine is not None:
            try:
                return engine.compile(*args)
            except Exception:  # a cache written by another build of the engine
                table.drop(key)
    compiled, args = _capture(pattern, flags)
    if args is not None:
        table.put(key, args)
    return compiled


def lazy(pattern: str, flags: int = 0) -> Lazy:
    """A module-level pattern, compiled through the cache the first time it is used.

    Modules define their patterns at import; compiling them there cost ~0.1 s of
    every start (and reading the cache at import would be I/O at import time).

        >>> digits = lazy("[0-9]+")
        >>> digits.pattern, digits.match("25").group()
        ('[0-9]+', '25')
    """
    return Lazy(pattern, flags)


class Lazy:
    """Stands in for a compiled pattern: the first attribute asked for compiles it and
    copies its methods onto this object, so later calls cost what a pattern's own do."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern  # known without compiling: other patterns are built from it
        self._flags = flags

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy/pickle probing: not a pattern method
            raise AttributeError(name)
        compiled = compile(self.pattern, self._flags)
        for attr in dir(compiled):
            if not attr.startswith("_"):
                setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"recache.lazy({self.pattern!r}, {int(self._flags)})"


def save() -> None:
    """Write the patterns compiled in this process to the cache (merged with what is there)."""
    _memo().save()


def _memo():
    # ~1.2 KB a pattern; the shipped rules and modules use ~250
    return memo(f"regex-{getattr(regex, '__version__', 'x')}", 1000)


def _engine():
    """regex's C module, as its Python layer calls it; None if this regex is built otherwise."""
    main = sys.modules.get("regex._main") or getattr(regex, "_main", None)
    engine = getattr(main, "_regex", None)
    return engine if hasattr(engine, "compile") else None


def _capture(pattern: str, flags: int) -> tuple:
    """Compile as usual, recording the arguments the Python layer hands the engine."""
    main = sys.modules.get("regex._main")
    engine = _engine()
    if main is None or engine is None:
        return regex.compile(pattern, flags), None
    seen: list = []
    me = threading.get_ident()

    class _Spy:
        def __getattr__(self, name):
            return getattr(engine, name)

        def compile(self, *args):
            if threading.get_ident() == me:
                seen.append(args)
            return engine.compile(*args)

    with _LOCK:
        main._regex = _Spy()
        try:
            compiled = regex.compile(pattern, flags)
        finally:
            main._regex = engine
    if len(seen) != 1:
        return compiled, None  # served from regex's own in-process cache: nothing to record
    return compiled, tuple(int(a) if isinstance(a, int) else a for a in seen[0])  # RegexFlag → int
