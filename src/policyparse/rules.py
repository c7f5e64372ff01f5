"""Load rule files (``rules/<kind>.toml``): named parts, word lists and patterns.

A rule file is data only (TOML, read with the standard library's safe parser)::

    module = "policyparse.facts.targets"   # whose extract() runs the examples

    [parts]                      # named regex parts, usable as {name}
    num = '\\d+(?:\\.\\d+)?'

    [lists]                      # word lists, usable as {name} (longest first)
    ge = ["以上", "不低于"]

    [[rules]]
    name = "value-unit"
    pattern = '''
      (?P<value>{num})           # the number
    '''
    why = "why the rule exists, where not obvious"
    examples = [{text = "达到40%", expect = {value = 40}}]
    counter_examples = ["服务人口超过1万人的"]

Patterns are compiled with ``regex.VERBOSE``.  ``{name}`` expands to a part or
list as a non-capturing group; numeric quantifiers such as ``{2,3}`` are left
alone.  Errors name the file, the rule and the line.

    >>> rs = load("numbering")
    >>> rs.kind
    'numbering'
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from . import cache, recache
from .errors import RulesError

__all__ = ["Rule", "RuleSet", "RulesError", "load", "kinds", "locate", "check_dir", "default_dir"]

_REF = recache.lazy(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_]*)\}")  # \p{Han} is a property, not a part
_RULE_KEYS = {"name", "pattern", "why", "examples", "counter_examples"}


@dataclass(frozen=True)
class Rule:
    """One named pattern with its examples and any extra data keys."""

    name: str
    pattern: str
    line: int
    why: str = ""
    examples: tuple = ()
    counter_examples: tuple = ()
    data: dict = field(default_factory=dict)
    path: Path | None = None

    @functools.cached_property
    def regex(self) -> Any:
        """The compiled pattern, compiled on first use (a process may need few of them)."""
        return _compile(self.pattern, self.path, f"rule {self.name!r}", self.line)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass(frozen=True)
class RuleSet:
    """All rules, parts and lists of one kind, ready to use."""

    kind: str
    path: Path
    module: str | None
    parts: dict
    lists: dict
    rules: tuple
    data: dict
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # compiled ad-hoc patterns

    def rule(self, name: str) -> Rule:
        for r in self.rules:
            if r.name == name:
                return r
        raise KeyError(f"{self.path}: no rule named {name!r}")

    def compile(self, expr: str, flags: int = 0) -> Any:
        """Compile an ad-hoc pattern that refers to this file's parts and lists (memoized)."""
        key = (expr, flags)
        if key not in self.memo:
            self.memo[key] = recache.compile(_expand(expr, self.parts, self.path, "<inline>", 0), regex.VERBOSE | flags)
        return self.memo[key]

    def words(self, name: str) -> tuple:
        return tuple(self.lists.get(name, ()))


@functools.cache
def default_dir() -> Path:
    """Where the shipped rules live: inside the wheel, or beside ``src/`` in a checkout."""
    packaged = resources.files("policyparse").joinpath("rules")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def kinds(rules_dir: Path | None = None) -> list[str]:
    """Every rule kind available (shipped, plus any extra ones in ``rules_dir``)."""
    names = {p.stem for p in default_dir().glob("*.toml")}
    if rules_dir is not None:
        names |= {p.stem for p in Path(rules_dir).glob("*.toml")}
    return sorted(names)


def locate(kind: str, rules_dir: Path | None = None) -> Path:
    """The file for ``kind``: the override directory first, then the shipped rules."""
    if rules_dir is not None:
        cand = Path(rules_dir) / f"{kind}.toml"
        if cand.is_file():
            return cand
    cand = default_dir() / f"{kind}.toml"
    if not cand.is_file():
        raise RulesError(f"{cand}: no rules file for kind {kind!r}")
    return cand


def load(kind: str, rules_dir: Path | str | None = None) -> RuleSet:
    """Load and validate the rules of ``kind`` (memoized per directory).

    >>> load("numbering").path.name
    'numbering.toml'
    """
    return _load(kind, None if rules_dir is None else str(rules_dir))


def check_dir(rules_dir: Path | str) -> list[str]:
    """Load every rules file in ``rules_dir``; returns the kinds, raises RulesError."""
    d = Path(rules_dir)
    if not d.is_dir():
        raise RulesError(f"{d}: rules directory not found")
    return [load(p.stem, d).kind for p in sorted(d.glob("*.toml"))]


@functools.lru_cache(maxsize=64)
def _load(kind: str, rules_dir: str | None) -> RuleSet:
    path = locate(kind, Path(rules_dir) if rules_dir else None)
    # the shipped rules are checked by the test suite and compiled as used; a user's
    # own file (--rules DIR) is compiled at once, so that its errors come at load
    eager = path.parent.resolve() != default_dir().resolve()
    raw = path.read_text(encoding="utf-8")
    doc = _parse(raw, path)
    lists = {}
    for name, words in (doc.get("lists") or {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise RulesError(f"{path}:{_line_of(raw, name)}: list {name!r} must be a list of non-empty strings")
        lists[name] = words
    parts: dict[str, str] = {}
    for name, words in lists.items():
        # a fixed order: one cache key; most words are all letters, which escape() returns unchanged
        parts[name] = "|".join(w if w.isalnum() else regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    for name, pat in (doc.get("parts") or {}).items():
        if not isinstance(pat, str):
            raise RulesError(f"{path}:{_line_of(raw, name)}: part {name!r} must be a string")
        parts[name] = _expand(pat, parts, path, f"part {name}", _line_of(raw, name))
        if eager:
            _compile(parts[name], path, f"part {name}", _line_of(raw, name))
    rules = []
    seen = set()
    for i, r in enumerate(doc.get("rules") or []):
        name = r.get("name")
        line = _line_of(raw, f'"{name}"') if name else 0
        where = f"rule {name!r}" if name else f"rule #{i + 1}"
        if not isinstance(name, str) or not name:
            raise RulesError(f"{path}: {where}: every rule needs a name")
        if name in seen:
            raise RulesError(f"{path}:{line}: {where}: duplicate rule name")
        seen.add(name)
        if not isinstance(r.get("pattern"), str):
            raise RulesError(f"{path}:{line}: {where}: missing 'pattern'")
        src = _expand(r["pattern"], parts, path, where, line)
        examples = r.get("examples", [])
        counter = r.get("counter_examples", [])
        if not isinstance(examples, list) or not isinstance(counter, list):
            raise RulesError(f"{path}:{line}: {where}: examples and counter_examples must be lists")
        rule = Rule(
            name=name,
            pattern=src,
            line=line,
            why=r.get("why", ""),
            examples=tuple(examples),
            counter_examples=tuple(counter),
            data={k: v for k, v in r.items() if k not in _RULE_KEYS},
            path=path,
        )
        if eager:
            rule.regex  # noqa: B018  (compiles now, so that a bad pattern is reported at load)
        rules.append(rule)
    data = {k: v for k, v in doc.items() if k not in {"parts", "lists", "rules", "module"}}
    return RuleSet(kind, path, doc.get("module"), parts, lists, tuple(rules), data)


def _parse(raw: str, path: Path) -> dict:
    """The TOML document, from the parse cache when this exact text was parsed before.

    tomllib is pure Python: ~5 ms a file, half a short notice's work.
    """
    memo = cache.memo("rules", 44)  # ~8 KB a file: four versions of each shipped file
    key = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    doc = memo.get(key)
    if isinstance(doc, dict):
        return doc
    import tomllib  # only when the text was not parsed before

    try:
        doc = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML: {exc}") from None
    memo.put(key, doc)
    return doc


def _expand(pat: str, parts: dict, path: Path, where: str, line: int, depth: int = 0) -> str:
    if depth > 20:
        raise RulesError(f"{path}:{line}: {where}: parts refer to each other in a cycle")

    def sub(m):
        name = m.group(1)
        if name not in parts:
            raise RulesError(f"{path}:{line}: {where}: unknown part {{{name}}}")
        return "(?:" + parts[name] + ")"

    out = _REF.sub(sub, pat)
    return out if out == pat else _expand(out, parts, path, where, line, depth + 1)


def _compile(src: str, path: Path, where: str, line: int):
    try:
        return recache.compile(src, regex.VERBOSE)
    except regex.error as exc:
        raise RulesError(f"{path}:{line}: {where}: bad pattern: {exc}") from None


def _line_of(raw: str, needle: str) -> int:
    idx = raw.find(needle)
    return raw.count("\n", 0, idx) + 1 if idx >= 0 else 0
