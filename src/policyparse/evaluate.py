"""``policyparse eval``: precision, recall and F1 of outputs against gold annotations.

Gold files are ``<stem>.gold.json`` in the project's gold format (README,
"Evaluating"): the document fields, the measures by path with their headings,
and the facts by the path of the measure holding them.  Matching:

- text is compared after NFKC folding, with whitespace, ``**`` and edge
  punctuation dropped and 〔〕 read as [];
- measures by path; headings on measures present on both sides;
- targets by (path, value, value_max, unit, comparator), deadlines by (path,
  date, or "within" for relative limits), frequencies by (path, period, times),
  units by (path, role, name without a leading 区/县/市), leaders by (path, name);
- a gold fact marked ``optional`` neither rewards nor punishes;
- a target matched by value also scores its deadline (``target_deadlines``);
- document fields: exact match after folding (a title may carry its issuer in
  front; joint issuers ignore separators); lists as multisets (recipients organ
  by organ).

    >>> gold = {"measures": [{"path": ["一"], "heading": "总体要求"}]}
    >>> pred = {"measures": [{"path": ["一、"], "heading": "总体要求。"}]}
    >>> s = score(gold, pred)
    >>> s.tallies["measures"].f1, s.tallies["headings"].f1
    (1.0, 1.0)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FACT_FIELDS = ("targets", "deadlines", "frequencies", "units", "leaders")
DOC_SCALARS = ("title", "issuer", "doc_number", "issued_on")
DOC_LISTS = ("recipients", "attachments", "cited_documents")
FIELDS = ("measures", "headings", *FACT_FIELDS, "target_deadlines",
          *(f"doc.{k}" for k in DOC_SCALARS), *(f"doc.{k}" for k in DOC_LISTS))

_EDGE = "。．.，,：:;；"
_ORGAN_END = re.compile(r"(?:局|委|委员会|办公室|办公厅|政府|厅|部|中心|院)$")


# ---- folding -----------------------------------------------------------------------


def fold(s) -> str:
    """Text as compared: NFKC, no whitespace or ``**``, 〔〕 → [], no edge punctuation.

    >>> fold(" 文卫体字〔2023〕57号。")
    '文卫体字[2023]57号'
    """
    if s is None:
        return ""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))
    t = t.replace("**", "").replace("〔", "[").replace("〕", "]")
    return t.strip(_EDGE)


def fold_label(s) -> str:
    """A numbering label as compared: ``（一）、`` → ``(一)``.

    >>> fold_label("（十二）"), fold_label("## 一、")
    ('(十二)', '一')
    """
    return fold(s).lstrip("#").rstrip("、.")


def fold_path(path) -> tuple[str, ...]:
    return tuple(fold_label(x) for x in path or ())


def _number(x):
    if x is None:
        return None
    try:
        return round(float(x), 4)
    except (TypeError, ValueError):
        return str(x)


def _unit(u) -> str:
    t = fold(u)
    return t[1:] if len(t) > 1 and t.startswith("个") else t  # 个百分点 = 百分点


def _org(name) -> str:
    return re.sub(r"^[区县市]", "", fold(name))


def fact_key(kind: str, path: tuple, f) -> tuple:
    """What must agree for two facts of ``kind`` to match.

    >>> fact_key("frequencies", ("一",), {"period": "year", "times": 2})
    (('一',), 'year', 2.0)
    """
    if kind == "targets":
        return (path, _number(f.get("value")), _number(f.get("value_max")), _unit(f.get("unit")), f.get("comparator"))
    if kind == "deadlines":
        return (path, f.get("date") or "within")
    if kind == "frequencies":
        return (path, f.get("period"), _number(f.get("times")))
    if kind == "units":
        return (path, f.get("role"), _org(f.get("name")))
    if kind == "leaders":
        return (path, fold(f if isinstance(f, str) else f.get("name")))
    raise ValueError(kind)


def same_title(a: str, b: str) -> bool:
    """'issuer + 关于…的通知' and '关于…的通知' are one title (both folded).

    >>> same_title("文水县卫生健康和体育局关于印发方案的通知", "关于印发方案的通知")
    True
    """
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return long_.endswith(short) and bool(_ORGAN_END.search(long_[: len(long_) - len(short)]))


def _recipients(items) -> list[str]:
    return [x for it in items or () for x in re.split(r"[、，,；;]", str(it)) if x.strip()]


# ---- tallies -------------------------------------------------------------------------


@dataclass
class Tally:
    """True positives, false alarms and misses of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Tally") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def empty(self) -> bool:
        return not (self.tp or self.fp or self.fn)

    @property
    def precision(self) -> float:
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Miss:
    """One disagreement: a gold item missed, a false alarm, or a wrong value."""

    field: str
    what: str  # missed | false alarm | wrong | no output
    path: tuple[str, ...] | None  # the measure path (None for document fields)
    detail: str

    def as_dict(self) -> dict:
        return {"field": self.field, "what": self.what, "path": list(self.path) if self.path is not None else None,
                "detail": self.detail}


@dataclass
class DocScore:
    name: str
    tallies: dict[str, Tally] = field(default_factory=lambda: {n: Tally() for n in FIELDS})
    misses: list[Miss] = field(default_factory=list)


def _compare(t: Tally, gold: Counter, pred: Counter, optional: Counter = Counter()) -> tuple[Counter, Counter]:
    """Count matches; return (missed gold keys, false-alarm keys)."""
    t.tp += sum((gold & pred).values())
    missed = gold - pred
    alarms = pred - gold - optional  # a prediction matching an optional gold item is neutral
    t.fn += sum(missed.values())
    t.fp += sum(alarms.values())
    return missed, alarms


def _detail(kind: str, key: tuple) -> str:
    rest = key[1:]
    if kind == "targets":
        value, vmax, unit, cmp = rest
        v = f"{value:g}" if isinstance(value, float) else str(value)
        if vmax is not None:
            v += f"–{vmax:g}" if isinstance(vmax, float) else f"–{vmax}"
        return f"{cmp} {v}{unit}"
    return " ".join("" if x is None else (f"{x:g}" if isinstance(x, float) else str(x)) for x in rest)


def _holders(pred: dict, flat: bool):
    yield (), pred.get("preamble") or {}
    for m in pred.get("measures") or ():
        yield (() if flat else fold_path(m.get("path"))), m


def score(gold: dict, pred: dict, *, name: str = "", flat: bool = False) -> DocScore:
    """Score one output object against one gold object (``flat``: ignore which measure holds a fact)."""
    s = DocScore(name)
    T, M = s.tallies, s.misses
    # measures by path, then headings where both sides have the measure
    gm = Counter(fold_path(m.get("path")) for m in gold.get("measures") or ())
    pm = Counter(fold_path(m.get("path")) for m in pred.get("measures") or ())
    missed, alarms = _compare(T["measures"], gm, pm)
    M += [Miss("measures", "missed", p, "") for p in missed.elements()]
    M += [Miss("measures", "false alarm", p, "") for p in alarms.elements()]
    heads = {fold_path(m.get("path")): m.get("heading") for m in pred.get("measures") or ()}
    for m in gold.get("measures") or ():
        p = fold_path(m.get("path"))
        if m.get("heading") is None or p not in heads:
            continue
        ok = fold(heads[p]) == fold(m["heading"])
        T["headings"].add(Tally(int(ok), int(not ok), int(not ok)))
        if not ok:
            M.append(Miss("headings", "wrong", p, f"gold {m['heading']!r}, got {heads[p]!r}"))
    # facts
    held = {k: [] for k in FACT_FIELDS}
    for path, h in _holders(pred, flat):
        for k in FACT_FIELDS:
            held[k] += [(path, f) for f in h.get(k) or ()]
    for k in FACT_FIELDS:
        g, opt = Counter(), Counter()
        for f in gold.get(k) or ():
            (opt if f.get("optional") else g)[fact_key(k, () if flat else fold_path(f.get("path")), f)] += 1
        p = Counter(fact_key(k, path, f) for path, f in held[k])
        missed, alarms = _compare(T[k], g, p, opt)
        M += [Miss(k, "missed", key[0], _detail(k, key)) for key in missed.elements()]
        M += [Miss(k, "false alarm", key[0], _detail(k, key)) for key in alarms.elements()]
    _target_deadlines(gold, held["targets"], T["target_deadlines"], M, flat)
    _document(gold.get("document") or {}, pred.get("document") or {}, T, M)
    return s


def _target_deadlines(gold: dict, held: list, t: Tally, misses: list, flat: bool) -> None:
    """For each gold target the output found, is its deadline right?"""
    got: dict[tuple, set] = {}
    for path, f in held:
        got.setdefault(fact_key("targets", path, f), set()).add(f.get("deadline"))
    for f in gold.get("targets") or ():
        if f.get("optional"):
            continue
        key = fact_key("targets", () if flat else fold_path(f.get("path")), f)
        if key not in got:
            continue
        ok = f.get("deadline") in got[key]
        t.add(Tally(int(ok), int(not ok), int(not ok)))
        if not ok:
            misses.append(Miss("target_deadlines", "wrong", key[0], f"{_detail('targets', key)}: gold {f.get('deadline')}, got {sorted(map(str, got[key]))}"))


def _document(gd: dict, pd: dict, T: dict, M: list) -> None:
    for k in DOC_SCALARS:
        g, o = fold(gd.get(k)), fold(pd.get(k))
        if k == "issuer":  # joint issuers: separators do not matter
            g, o = re.sub(r"[、，,]", "", g), re.sub(r"[、，,]", "", o)
        ok = g == o or (k == "title" and same_title(g, o))
        if not g:  # nothing to find: only a made-up value counts, against precision
            T[f"doc.{k}"].add(Tally(0, int(bool(o)), 0))
        else:
            T[f"doc.{k}"].add(Tally(int(ok), int(not ok and bool(o)), int(not ok)))
        if not ok:
            M.append(Miss(f"doc.{k}", "wrong", None, f"gold {gd.get(k)!r}, got {pd.get(k)!r}"))
    for k in DOC_LISTS:
        split = _recipients if k == "recipients" else (lambda xs: list(xs or ()))
        g = Counter(fold(x) for x in split(gd.get(k)))
        o = Counter(fold(x) for x in split(pd.get(k)))
        missed, alarms = _compare(T[f"doc.{k}"], g, o)
        M += [Miss(f"doc.{k}", "missed", None, x) for x in missed.elements()]
        M += [Miss(f"doc.{k}", "false alarm", None, x) for x in alarms.elements()]


# ---- a whole run ---------------------------------------------------------------------------


@dataclass
class Report:
    """Per-document scores, the micro-averaged total, and what could not be paired."""

    docs: list[DocScore]
    total: dict[str, Tally]
    unpaired_gold: list[str] = field(default_factory=list)  # gold files without an output
    unpaired_output: list[str] = field(default_factory=list)  # outputs without a gold file

    def as_dict(self, misses: bool = False) -> dict:
        out = {
            "total": {n: t.as_dict() for n, t in self.total.items()},
            "documents": {d.name: {n: t.as_dict() for n, t in d.tallies.items() if not t.empty} for d in self.docs},
            "unpaired_gold": self.unpaired_gold,
            "unpaired_output": self.unpaired_output,
        }
        if misses:
            out["misses"] = {d.name: [m.as_dict() for m in d.misses] for d in self.docs}
        return out


def load_gold(gold_dir: Path) -> dict[str, dict]:
    """Gold objects by document stem (from ``file``, else the file name)."""
    out = {}
    for p in sorted(Path(gold_dir).glob("*.gold.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        out[Path(g.get("file") or p.name[: -len(".gold.json")]).stem] = g
    return out


def stem_of(output: dict, fallback: str) -> str:
    """The stem an output pairs with gold by: its source path, else where it was read from."""
    src = (output.get("source") or {}).get("path")
    return Path(src if src and src != "-" else fallback).stem


def evaluate(gold: dict[str, dict], outputs: dict[str, dict], *, all_gold: bool = False, flat: bool = False) -> Report:
    """Score outputs (by stem) against gold (by stem); ``all_gold``: a gold file without output scores as all missed."""
    docs, total = [], {n: Tally() for n in FIELDS}
    unpaired = [s for s in gold if s not in outputs]
    for stem, g in gold.items():
        pred = outputs.get(stem)
        if pred is None and not all_gold:
            continue
        failed = pred is None or "error" in pred
        s = score(g, {} if failed else pred, name=stem, flat=flat)
        if failed:
            s.misses.insert(0, Miss("document", "no output", None, stem))
        docs.append(s)
        for n in FIELDS:
            total[n].add(s.tallies[n])
    return Report(docs, total, unpaired, sorted(s for s in outputs if s not in gold))
