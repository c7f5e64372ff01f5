"""What a text must hold for a rule's pattern to match anywhere in it: a cheap test before the scan.

Most measures name no deadline, no unit, no frequency; a scan with a look-behind
at its start tries every position, while ``"牵头" in text`` costs almost
nothing.  ``needs`` reads a pattern's syntax tree once and returns clauses that
every match satisfies: each clause is a set of strings (and maybe "a digit"),
at least one of which the text must contain.  Anything it cannot read (a
negated class, an optional part, syntax of its own) adds no clause, so a
missing clause only costs speed, never a match.

    >>> n = needs(r"(?:分别|共同)? (?:配合|协助) (?!单位)")
    >>> sorted(n[0].words)
    ['协助', '配合']
    >>> may_match(n, "由区卫健局配合"), may_match(n, "加强宣传")
    (True, False)
    >>> Gate((r"牵头", r"配合")).live("加强宣传，由区卫健局配合")
    [1]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import regex

from .. import cache, recache

__all__ = ["Clause", "Gate", "needs", "may_match", "of_rules"]

try:  # the standard library's parser reads the syntax the rules use (3.11: re._parser)
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - older layout
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

_DIGIT = recache.lazy(r"\d")  # the rules' own \d (Unicode decimal digits)
_MAX_RANGE = 64  # a class wider than this ([一-龥]) says too little to test
_MAX_CLAUSES = 3
_MAX_IN_CHARS = 4  # up to this many single characters are tested with ``in`` (a search call costs more than a few scans)
_VERSION = 3  # of the analysis: bump when needs() would answer differently
# syntax the regex module reads differently from re (POSIX classes, fuzzy
# matching, version-1 set operations): such a pattern gets no clauses at all
_FOREIGN = re.compile(r"\[:\^?\w+:\]|\{(?!\d*,?\d*\})|\(\?V|\\[pPmMGXL]")  # [:alpha:], not [:：]
_PROPERTY = re.compile(r"(?<!\\)\\([pP])\{[^{}]*\}")  # \p{Han}: read as \w (requires nothing, in a set or not)
_NAMED = re.compile(r"(?<!\\)\(\?P<\w+>")  # the rules reuse group names (re refuses that)


@dataclass(frozen=True)
class Clause:
    """At least one of ``words`` occurs in the text, or a digit when ``digit``."""

    words: frozenset
    digit: bool = False

    def score(self) -> tuple:
        """Lower is more selective: no digit, no lone punctuation (。 is everywhere), long words, few words."""
        punct = any(len(w) == 1 and unicodedata.category(w)[0] in "PZC" for w in self.words)
        return (self.digit, punct, -min((len(w) for w in self.words), default=0), len(self.words))


@functools.lru_cache(maxsize=None)
def needs(pattern: str, flags: int = re.VERBOSE) -> tuple:
    """The clauses every match of ``pattern`` satisfies (empty: none known).

    Read once per machine: the syntax tree walk costs ~0.1 s for all rules, so
    the clauses are kept in the cache directory (``cache.memo``) by pattern.

    >>> [sorted(c.words) for c in needs(r"到 (?:19|20)\\d\\d 年")]
    [['19', '20'], ['到'], ['年']]
    """
    memo = cache.memo("prefilter")
    key = (_VERSION, pattern, int(flags))
    kept = memo.get(key)
    if isinstance(kept, tuple):
        return tuple(Clause(frozenset(w), d) for w, d in kept)
    found = _needs(pattern, flags)
    memo.put(key, tuple((frozenset(c.words), c.digit) for c in found))
    return found


def _needs(pattern: str, flags: int) -> tuple:
    pattern = _PROPERTY.sub(lambda m: "\\w" if m.group(1) == "p" else "\\W", pattern)
    if _FOREIGN.search(pattern):
        return ()
    try:
        tree = _P.parse(_NAMED.sub("(?:", pattern), flags)
    except (re.error, RecursionError, OverflowError):
        return ()
    if tree.state.flags & re.IGNORECASE:
        return ()
    return tuple(_seq(list(tree)))


def may_match(clauses: tuple, text: str, digit: bool | None = None) -> bool:
    """Whether ``text`` satisfies every clause (``digit``: whether it holds one, if known)."""
    for c in clauses:
        if any(w in text for w in c.words):
            continue
        if c.digit and (digit if digit is not None else _DIGIT.search(text) is not None):
            continue
        return False
    return True


class Gate:
    """The clauses of several patterns, tested together on one text at a time.

    A clause of a few words is tested with ``in``; a longer one (a class of
    digits) with one search for any of its words; each clause once per text.

        >>> Gate((r"牵头", r"配合|协助", r"\\d+天内")).live("由区卫健局牵头，3天内完成")
        [0, 2]
    """

    def __init__(self, patterns: tuple):
        # clauses shared by several patterns (年, 每) are tested once per text, and
        # patterns that share their first clause are skipped together when it fails
        index: dict = {}
        tests = [tuple(index.setdefault(_test(c), len(index)) for c in needs(p)) for p in patterns]
        self._clauses = list(index)
        self._always = [i for i, ts in enumerate(tests) if not ts]
        groups: dict = {}
        for i, ts in enumerate(tests):
            if ts:
                groups.setdefault(ts[0], []).append((i, ts[1:]))
        self._groups = list(groups.items())

    def live(self, text: str) -> list[int]:
        """The indices of the patterns that may match somewhere in ``text``."""
        return self._live(text)

    @functools.cached_property
    def _live(self):
        return _compiled(self._clauses, self._always, self._groups)


def _compiled(clauses: list, always: list, groups: list):
    """``Gate.live`` as one function of plain ``in`` tests and searches (the gate runs 3 times per text).

    A loop over the groups paid a dozen interpreter steps per clause; the same
    tests written out run as a handful of byte codes each.  Each group's first
    clause is tested once; a later clause used by several of its patterns is
    tested once too (the answer never depends on the order of the tests).

        >>> g = Gate((r"牵头", r"配合|协助", r"\\d+天内"))
        >>> g.live("由区卫健局牵头，3天内完成"), g.live("加强宣传")
        ([0, 2], [])
    """
    args, body = [], [f"    out = {list(always)!r}"]

    def test(k: int) -> str:
        words, pattern = clauses[k]
        if pattern is None:
            return "(" + " or ".join(f"{w!r} in text" for w in words) + ")"
        args.append(f"_s{k}=_searches[{k}]")
        return f"(_s{k}(text) is not None)"

    for first, members in groups:
        body.append(f"    if {test(first)}:")
        uses: dict = {}
        for _i, rest in members:
            for k in rest:
                uses[k] = uses.get(k, 0) + 1
        shared = {k for k, n in uses.items() if n > 1}
        for k in sorted(shared):
            body.append(f"        c{k} = {test(k)}")
        for i, rest in members:
            cond = " and ".join(f"c{k}" if k in shared else test(k) for k in rest) or "True"
            body.append(f"        if {cond}:")
            body.append(f"            out.append({i})")
    body += ["    if len(out) > 1:", "        out.sort()", "    return out"]
    src = f"def live(text, {', '.join(sorted(set(args)))}):\n" if args else "def live(text):\n"
    src += "\n".join(body) + "\n"
    space = {"_searches": {k: c[1].search for k, c in enumerate(clauses) if c[1] is not None}}
    exec(compile(src, "<prefilter.Gate>", "exec"), space)  # noqa: S102 - the source is built above from literals
    return space["live"]


_GATE = "prefilter gate"  # key of a rule set's gate in its memo


def of_rules(rs) -> Gate:
    """The gate of a rule set's rules, in rule order (built once per rule set, kept in its memo).

        >>> from policyparse import rules
        >>> of_rules(rules.load("units")) is of_rules(rules.load("units"))
        True
    """
    gate = rs.memo.get(_GATE)
    if gate is None:
        gate = rs.memo[_GATE] = Gate(tuple(r.pattern for r in rs.rules))
    return gate


def _test(c: Clause) -> tuple:
    """(words, None) to test with ``in``, or ((), one pattern for all of them)."""
    words = sorted(c.words, key=lambda w: (-len(w), w))
    if c.digit:  # the rules' own \d (the regex module's Unicode tables)
        return (), recache.compile("|".join([regex.escape(w) for w in words] + [r"\d"]))
    if len(words) > _MAX_IN_CHARS and all(len(w) == 1 for w in words):
        return (), re.compile("[" + "".join(re.escape(w) for w in words) + "]")  # one class: one pass
    if len(words) <= 8:
        return tuple(words), None
    return (), re.compile("|".join(re.escape(w) for w in words))


# ---- reading the syntax tree -------------------------------------------------------


def _seq(items: list) -> list[Clause]:
    """Clauses of a sequence: all its parts must match (runs of literals make words)."""
    out: list[Clause] = []
    run = ""
    for op, av in items:
        if op is _C.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append(Clause(frozenset([run])))
            run = ""
        out += _item(op, av)
    if run:
        out.append(Clause(frozenset([run])))
    out = sorted(set(out), key=lambda c: (c.score(), sorted(c.words)))  # (a set: 年…年 is one clause)
    return out[:_MAX_CLAUSES]


def _item(op, av) -> list[Clause]:
    if op is _C.IN:
        c = _charset(av)
        return [c] if c else []
    if op is _C.BRANCH:
        # one of the branches matches: a clause holds if each branch brings one, so the
        # branches' best clauses make one, their second best another, and so on
        bests = []
        for branch in av[1]:
            best = _seq(list(branch))
            if not best:
                return []
            bests.append(best)
        out = []
        for k in range(min(len(b) for b in bests)):
            words, digit = set(), False
            for best in bests:
                words |= best[k].words
                digit = digit or best[k].digit
            out.append(Clause(_shortest(words), digit))
        return out
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, p = av
        return [] if add_flags & re.IGNORECASE else _seq(list(p))
    if op is _C.ATOMIC_GROUP:
        return _seq(list(av))
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        lo, _hi, p = av
        return _seq(list(p)) if lo >= 1 else []
    if op is _C.ASSERT:  # a look-ahead or look-behind that must hold: its text is in the text too
        return _seq(list(av[1]))
    return []  # ASSERT_NOT, AT, ANY, NOT_LITERAL, GROUPREF, …: nothing required


def _shortest(words: set) -> frozenset:
    """The same test with fewer words: a word that holds another (今年, 年) is found whenever it is.

    >>> sorted(_shortest({"今年", "年", "本年度", "季度"}))
    ['季度', '年']
    """
    return frozenset(w for w in words if not any(v != w and v in w for v in words))


def _charset(items) -> Clause | None:
    words, digit = set(), False
    for op, av in items:
        if op is _C.LITERAL:
            words.add(chr(av))
        elif op is _C.RANGE and av[1] - av[0] < _MAX_RANGE:
            words.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            digit = True
        else:  # NEGATE, \w, \s, a wide range: anything may stand there
            return None
    return Clause(frozenset(words), digit)
