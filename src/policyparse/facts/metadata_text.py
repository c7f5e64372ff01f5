"""Small text helpers for document metadata: dates, 发文字号, organ names, lists.

Everything reads its patterns and word lists from ``rules/metadata.toml``.

    >>> iso_date("二〇二三年五月三日")
    '2023-05-03'
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import regex

from .. import recache, rules

_HAN_DIGIT = {"〇": 0, "○": 0, "O": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SENTENCE = "。；！？!?;"
_OPEN, _CLOSE = "（(【[〔《“", "）)】]〕》”"
SPACES = recache.lazy(r"\s+")


def ruleset(rules_dir: Path | None = None) -> rules.RuleSet:
    """The metadata rules (memoized by the loader)."""
    return rules.load("metadata", rules_dir)


def rx(name: str, rules_dir: Path | None = None):
    """The compiled pattern of one named rule."""
    r = _rules_by_name(None if rules_dir is None else str(rules_dir)).get(name)
    return (r or ruleset(rules_dir).rule(name)).regex  # an unknown name: the rule set's own error


def may_match(name: str, s: str, rules_dir: Path | None = None) -> bool:
    """False only where rule ``name`` cannot match ``s``: it lacks text every match holds.

    Metadata tries several rules on every line; most lines lack their words
    (抄送, 附件, 印发), and ``in`` tests cost far less than a match.

    >>> may_match("cc", "抄送：市委办公室。"), may_match("cc", "加强组织领导。")
    (True, False)
    """
    return gate(name, rules_dir)(s)


def gate(name: str, rules_dir: Path | None = None):
    """``may_match`` of rule ``name`` as a one-argument test, to take once before a loop over lines."""
    return _gate(name, None if rules_dir is None else str(rules_dir))


@functools.lru_cache(maxsize=64)
def _gate(name: str, rules_dir: str | None):
    clauses = _clauses(name, rules_dir)
    if not clauses:
        return _always
    if len(clauses) == 1 and len(clauses[0][0]) == 1 and not clauses[0][1]:
        return _contains(clauses[0][0][0])  # one word (印, 抄): one ``in``

    def test(s: str) -> bool:
        for words, digit in clauses:
            for w in words:
                if w in s:
                    break
            else:
                if not (digit and _DIGIT.search(s)):
                    return False
        return True

    return test


def _always(s: str) -> bool:
    return True


def _contains(word: str):
    return lambda s: word in s


_DIGIT = recache.lazy(r"\d")  # the rules' own \d


@functools.lru_cache(maxsize=64)
def _clauses(name: str, rules_dir: str | None) -> tuple:
    """(words, digit) per clause that every match of rule ``name`` satisfies (facts/prefilter.py)."""
    from .prefilter import needs

    pat = rx(name, Path(rules_dir) if rules_dir else None)
    if pat.flags & regex.IGNORECASE:
        return ()
    return tuple((tuple(sorted(c.words, key=len)), c.digit) for c in needs(pat.pattern))


@functools.lru_cache(maxsize=8)
def _rules_by_name(rules_dir: str | None) -> dict:
    # rx() is asked for a pattern per line: a dict instead of a walk over the rules
    return {r.name: r for r in ruleset(Path(rules_dir) if rules_dir else None).rules}


@functools.lru_cache(maxsize=8)
def _compiled_lists(rules_dir: str | None) -> dict:
    rs = ruleset(Path(rules_dir) if rules_dir else None)
    return {
        "organ_end": rs.compile(r"(?:{organ_suffix})$"),
        "doc_type": rs.compile(r"{doc_type}"),
        "title_end": rs.compile(r"(?:{doc_type})(?:[（(][^（）()]{1,16}[）)])?$"),
        "stop": rs.compile(r"{prefix_stop}"),
        "seal": rs.compile(r"[（(](?:{seal}|[^（）()]{2,30}?代章)[）)]$"),  # （代章）, （…党工委代章）
        "head_end": rs.compile(r"(?:{organ_head_end})$"),
        "head_place": rs.compile(r"{organ_head_place}"),
        # a seal note holds none of what rules a name out: such text outlives strip_seal
        "seal_clean": not _NOT_A_NAME.search("".join(rs.words("seal"))),
    }


def lists(rules_dir: Path | None = None) -> dict:
    return _compiled_lists(None if rules_dir is None else str(rules_dir))


def squash(s: str) -> str:
    """Remove every white space (titles and names are compared without them)."""
    return SPACES.sub("", s or "")


# ---- dates ------------------------------------------------------------------------


def _han_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23, 三十 → 30."""
    if "十" not in s:
        return _HAN_DIGIT.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_HAN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_HAN_DIGIT.get(ones, 0) if ones else 0)


def iso_date(text: str, rules_dir: Path | None = None) -> str | None:
    """The first full date in ``text`` as ISO, or None.

    >>> iso_date("2024 年 12月 31 日")
    '2024-12-31'
    """
    m = rx("date", rules_dir).search(text or "")
    if not m:
        return None
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    elif m.group("hy"):
        y = int("".join(str(_HAN_DIGIT[c]) for c in m.group("hy")))
        mo, d = _han_number(m.group("hm")), _han_number(m.group("hd"))
    else:
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


# ---- 发文字号 ------------------------------------------------------------------------


def doc_numbers(text: str, rules_dir: Path | None = None) -> list[tuple[int, int, str]]:
    """Every 发文字号 in ``text`` as (start, end, normalized), prefix trimmed.

    >>> [n for _, _, n in doc_numbers("按照《关于转发鲁卫基层字〔2022〕4 号文件的通知》")]
    ['鲁卫基层字〔2022〕4号']
    """
    stop = lists(rules_dir)["stop"]
    out = []
    for m in _doc_number_matches(text or "", rules_dir):
        prefix = m.group("prefix")
        cut = 0
        for s in stop.finditer(prefix, overlapped=True):
            cut = max(cut, s.end())
        prefix = prefix[cut:]
        cut += _organ_head(prefix, rules_dir)
        prefix = m.group("prefix")[cut:]
        if len(prefix) < 2:
            continue
        start = m.start("prefix") + cut
        out.append((start, m.end(), f"{prefix}〔{m.group('year')}〕{m.group('num')}号"))
    return out


def _doc_number_matches(text: str, rules_dir: Path | None):
    r"""``rx("doc-number").finditer(text)``, tried only where a match can start.

    The rule opens with ``\p{Han}{1,20}``, ``\s*``, an opening bracket and a year.
    Tried at every Chinese character, it reads up to 20 characters at each one;
    but a match can only start in the 20 characters of a Chinese run that end
    (spaces aside) at a bracket before a year, and every start there gives the
    same match.  So the scan visits those brackets and tries the rule once before each.
    """
    pat = rx("doc-number", rules_dir)
    scan = _bracket_scan(None if rules_dir is None else str(rules_dir))
    if scan is None:  # the rule has another shape: scan it plainly
        yield from pat.finditer(text)
        return
    brackets, prefix = scan
    last = 0  # where the previous match ended: the next one starts at or after it
    for b in brackets.finditer(text):
        if b.start() < last:
            continue
        head = prefix.match(text, last, b.start())  # back over spaces and up to 20 Chinese
        if head is None or not head.group(1):
            continue
        m = pat.match(text, head.start())
        if m:
            yield m
            last = m.end()


_PATTERN_NOISE = recache.lazy(r"#[^\n]*|\s+")  # verbose-mode comments and spaces


@functools.lru_cache(maxsize=8)
def _bracket_scan(rules_dir: str | None):
    """(opening brackets, reversed prefix) for ``_doc_number_matches``, or None when the rule differs."""
    rs = ruleset(Path(rules_dir) if rules_dir else None)
    ob, year = rs.parts.get("ob", ""), _PATTERN_NOISE.sub("", rs.parts.get("year", ""))
    shape = _PATTERN_NOISE.sub("", rs.rule("doc-number").pattern)
    head = r"(?P<prefix>\p{Han}{1,20})\s*(?:" + ob + r")\s*(?P<year>(?:" + year + "))"
    chars = _class_chars(ob)
    if not chars or not year or regex.search(r"[\s\p{Han}]", chars) or not shape.startswith(head):
        return None
    # REVERSE: match backwards from the bracket, greedy: the earliest start of the run's last 20
    return recache.compile(f"(?:{ob})\\s*(?:{year})"), recache.compile(r"(\p{Han}{1,20})\s*", regex.REVERSE)


def _class_chars(cls: str) -> str | None:
    r"""The characters of a plain character class ``[…]`` (escapes allowed, no ranges), or None.

    >>> _class_chars(r"[〔\[（]")
    '〔[（'
    """
    if len(cls) < 3 or cls[0] != "[" or cls[-1] != "]":
        return None
    out, i, body = [], 0, cls[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1].isalnum():
                return None  # \d, \p{…}: a class of its own
            ch, i = body[i + 1], i + 1
        elif ch in "-[]^":
            return None
        out.append(ch)
        i += 1
    return "".join(out)


def _organ_head(prefix: str, rules_dir) -> int:
    """Length of an organ's name run onto a 机关代字 ('省卫健委|鲁卫发'), else 0."""
    ls = lists(rules_dir)
    for k in range(len(prefix) - 2, 3, -1):  # the longest name that leaves a 代字 of 2 or more
        head = prefix[:k]
        if len(prefix) - k <= 8 and ls["head_end"].search(head) and ls["head_place"].search(head):
            return k
    return 0


# ---- organs and lists ----------------------------------------------------------------


def strip_seal(s: str, rules_dir: Path | None = None) -> str:
    """海南省……委员会（代章） → 海南省……委员会."""
    seal = lists(rules_dir)["seal"]
    s = s.strip()
    while True:
        t = seal.sub("", s).strip()
        if t == s:
            return s
        s = t


def _strip_brackets_tail(s: str) -> str:
    """县（区） → 县; trailing bracket groups do not decide what a name ends with."""
    while s and s[-1] in "）)":
        depth, i = 0, len(s) - 1
        while i >= 0:
            depth += s[i] in "）)"
            depth -= s[i] in "（("
            if depth == 0:
                break
            i -= 1
        if i <= 0:
            return s
        s = s[:i].rstrip()
    return s


_NOT_A_NAME = recache.lazy(r"[\d。，；：:,;“”《》？！?!…]|关于|印发|转发|通知")


def is_organ(s: str, rules_dir: Path | None = None, longest: int = 40) -> bool:
    """A name that ends like an organ and carries no sentence punctuation.

    >>> is_organ("海南省健康海南建设委员会（爱国卫生运动委员会）")
    True
    >>> is_organ("2023年5月3日")
    False
    """
    ls = lists(rules_dir)
    if ls["seal_clean"] and _NOT_A_NAME.search(s):
        return False  # most lines asked are sentences: decided before any cleaning
    s = squash(strip_seal(s, rules_dir))
    if not 2 <= len(s) <= longest or _NOT_A_NAME.search(s):
        return False
    core = _strip_brackets_tail(s)
    return len(core) >= 2 and bool(ls["organ_end"].search(core))


def split_items(s: str, seps: list | None = None) -> list[str]:
    """Split a list on 、，,；; outside brackets; drop empties and end punctuation.

    ``seps``, when given, receives the separator after each item ("" after the last).

    >>> split_items("各镇（街道、园区）计生办，各卫生院、局直各单位。")
    ['各镇（街道、园区）计生办', '各卫生院', '局直各单位']
    """
    out, cur, depth, after = [], [], 0, []
    for ch in s:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            out.append("".join(cur))
            after.append(ch)
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    after.append("")
    kept = [(t, a) for t, a in ((squash(x).strip("。.：:"), a) for x, a in zip(out, after)) if t]
    if seps is not None:
        seps.extend(a for _, a in kept)
    return [t for t, _ in kept]


def outside_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` lies outside every 《》 pair."""
    before = text[:pos]
    return before.count("《") <= before.count("》")


def title_end(s: str, rules_dir: Path | None = None) -> bool:
    """Does ``s`` end with a 文种 (optionally with （试行）-style brackets)?"""
    return bool(lists(rules_dir)["title_end"].search(squash(s)))


def doc_type_ends(s: str, rules_dir: Path | None = None) -> list[int]:
    """Offsets just after each 文种 word of ``s`` that lies outside 《》."""
    ends = []
    for m in lists(rules_dir)["doc_type"].finditer(s):
        if outside_quotes(s, m.start()) and not s[m.end() : m.end() + 1] in ("》", "〉"):
            ends.append(m.end())
    return ends


def clean_title(s: str) -> str:
    """Join title lines: no spaces, no markup, no trailing punctuation, no 《》 around the whole.

    >>> clean_title("《北京市人民政府办公厅关于印发〈工作要点〉的通知》")
    '北京市人民政府办公厅关于印发〈工作要点〉的通知'
    """
    s = squash(s).replace("**", "").lstrip("#").strip("：:，,。")
    if s[:1] == "《" and s[-1:] == "》" and s.count("《") == 1:  # a page that quotes its own title
        s = s[1:-1]
    return s


_BEFORE_GUANYU = recache.lazy(r"^(.{2,60}?)(?=关于)")


def organ_prefix(title: str, rules_dir: Path | None = None) -> str | None:
    """'文水县卫生健康和体育局关于…' → '文水县卫生健康和体育局'."""
    t = squash(title)
    m = _BEFORE_GUANYU.match(t)
    if m and is_organ(m.group(1), rules_dir, longest=60):
        return m.group(1)
    return None
