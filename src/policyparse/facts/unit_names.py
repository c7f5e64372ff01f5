"""Organization names in a span of text: split lists, restore elided prefixes, test each name.

What units.py calls a name: the word lists of rules/units.toml (endings, non-endings,
clause words, generic tails) plus rules/orgs.txt; jieba's part-of-speech tags drop
clause words in front of a phrase's first name.

    >>> [n.name for n in find_names("区财政金融局、卫生健康管理服务中心", 0, 17, lexicon(None), "list")]
    ['区财政金融局', '区卫生健康管理服务中心']
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


from .. import recache
from .unit_lexicon import Lex, lexicon

__all__ = ["Lex", "NOTE_ROLE", "Name", "clean", "is_org", "lexicon", "find_names", "split_at"]

_ITEM_SEP = "、，,；;/"  # between names of a list
_EDGE = _ITEM_SEP + "：:"  # what cleaning takes off a name's ends (besides spaces)
_OPEN, _CLOSE = "（(", "）)"
_AND = recache.lazy(r"以及|会同|及|和|与|并")  # may join two names, or sit inside one
_WS = recache.lazy(r"\s+")
_HAN = recache.lazy(r"\p{Han}")
_DIGIT = recache.lazy(r"\d")
_BRACKET_TAIL = recache.lazy(r"(?:（[^（）]*）|\([^()]*\))$")
# a bracket after a name that states its part, not its name: （牵头）, （按职责分工负责）
_NOTE = recache.lazy(r"[（(〔［\[]([^（）()〔〕［］\[\]]{0,10}?(?:牵头|主责|配合|协办|参与|协助|负责))[）)〕］\]]$")
NOTE_ROLE = {"牵头": "lead", "主责": "lead", "配合": "support", "协办": "support", "参与": "support", "协助": "support"}
# jieba flags of words that open a clause, never a name: time, conjunction, adverb, preposition
_CLAUSE_FLAGS = frozenset({"t", "c", "d", "ad", "p"})


@dataclass
class Name:
    """One organization found in the text: printed extent [start, end)."""

    name: str
    start: int
    end: int
    role: str | None = None  # a note such as （牵头） overrides the list's role


# ---- names ----------------------------------------------------------------------------


def find_names(text: str, a: int, b: int, lex: Lex, mode: str, strict: bool = False, after_you: bool = False) -> list[Name]:
    """Split text[a:b] into organization names; ``strict``: every item must be one;
    ``after_you``: the span follows 由, where a name may open with a verb (扶贫部门)."""
    out: list[Name] = []
    pieces = [piece for s, e in split_at(text, a, b, _ITEM_SEP) for piece in _split_ws(text, s, e, lex)]
    shared = _shared_suffix(text, pieces, lex)
    for piece in pieces:
        parts = [shared[piece]] if piece in shared else _split_and(text, *piece, lex, mode)
        if parts is None:
            if strict:
                return []
            continue
        out += parts
    if strict and mode != "cell" and out:
        out = _trim_first(out, lex, after_you)
    _restore_prefix(out, lex)
    return out


def _split_and(text: str, s: int, e: int, lex: Lex, mode: str) -> list[Name] | None:
    """One list item: drop 等/generic tails and notes, split A及B, A和B; None = not a name."""
    raw = text[s:e]
    role = None
    note = _NOTE.search(raw)
    if note:
        role = next((r for w, r in NOTE_ROLE.items() if note.group(1).endswith(w)), None)
        e = s + note.start()
        raw = text[s:e]
    alias = _BRACKET_TAIL.search(raw)
    if alias and alias.group(0)[1:].startswith(lex.alias_bracket):  # X（以下简称Y）is X
        e = s + alias.start()
        raw = text[s:e]
    if "等" in raw:  # 省卫生健康委等 / 省医保局等有关部门
        cut = raw.rfind("等")
        if cut > 0 and (cut == len(raw) - 1 or clean(raw[cut + 1 :]) in lex.generic):
            e = s + cut
            raw = text[s:e]
    name = clean(raw)
    if not name or name in lex.generic:
        return []
    for m in _AND.finditer(raw):
        left, right = clean(raw[: m.start()]), clean(raw[m.end() :])
        if right in lex.place_body:  # 各乡镇党委和人民政府: the government of the same places
            continue
        if is_org(left, lex, "prose") and is_org(right, lex, mode):
            rest = _split_and(text, s + m.end(), e, lex, mode) or []
            lead, tail = _ends(raw[: m.start()])
            return [Name(left, s + lead, s + m.start() - tail, role)] + rest
    if not is_org(name, lex, mode):
        return None
    lead, tail = _ends(raw)
    return [Name(name, s + lead, e - tail, role)]


def _ends(raw: str) -> tuple[int, int]:
    """How many characters ``clean`` drops at the start and at the end of ``raw``: a span
    covers the name only (：村卫生室 → 村卫生室).

    >>> _ends(" ：村卫生室、")
    (2, 1)
    """
    i, j = 0, len(raw)
    while i < j and (raw[i].isspace() or raw[i] in _EDGE):
        i += 1
    while j > i and (raw[j - 1].isspace() or raw[j - 1] in _EDGE):
        j -= 1
    return i, len(raw) - j


_PLACE = recache.lazy(r"(各?\p{Han}{0,8}?(?:自治县|自治州|自治区|省|市|县|区|州|盟|旗|镇|乡|街道)(?:（[^（）]{1,8}）)?)")


def _shared_suffix(text: str, pieces: list[tuple[int, int]], lex: Lex) -> dict:
    """海口市、三亚市、儋州市人民政府 / 各市、县、自治县人民政府: places that share the last one's organ.

    Returns piece → Name for the places (and the last piece where 各 spreads to it).
    """
    out: dict = {}
    run: list[tuple[int, int]] = []
    for piece in pieces:
        raw = clean(text[piece[0] : piece[1]])
        if _PLACE.fullmatch(raw) and not is_org(raw, lex, "prose") or raw in ("各市", "各县", "各区"):
            run.append(piece)
            continue
        tail = next((t for t in lex.shared_suffix if raw.endswith(t)), "") if raw.endswith(lex.shared_suffix) else ""
        if run and tail and _PLACE.fullmatch(raw[: -len(tail)]):
            each = clean(text[run[0][0] : run[0][1]]).startswith("各")
            for s, e in run:
                place = clean(text[s:e])
                name = place if place.startswith("各") or not each else "各" + place
                out[(s, e)] = Name(name + tail, s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip())))
            if each and not raw.startswith("各"):
                out[piece] = Name("各" + raw, piece[0], piece[1])
        run = []
    return out


def _trim_first(names: list[Name], lex: Lex, verb_ok: bool = False) -> list[Name]:
    """Clause words in front of a phrase's first name are dropped (积极协调区卫生健康局牵头)."""
    first = names[0]
    if first.name in lex.orgs or _admin_prefix(first.name, lex) or first.name.startswith("各"):
        return names
    trimmed = _trim_words(first.name, lex, verb_ok)
    if trimmed is None:
        return []
    if trimmed == first.name:
        return names
    return [Name(trimmed, first.end - len(trimmed), first.end, first.role)] + names[1:]


def _trim_words(name: str, lex: Lex, verb_ok: bool = False) -> str | None:
    """The organization at the end of ``name`` without the clause words before it; None: none."""
    words = _tagged(name, lex.rules_dir)
    if words is None:  # no segmenter: strip listed clause words only
        rest = name
        while (w := next((w for w in lex.not_org_start if rest.startswith(w)), None)) is not None:
            rest = rest[len(w) :]
    else:
        i = 0
        while i < len(words) - 1 and (
            words[i][1] in _CLAUSE_FLAGS or (words[i][0] in lex.not_org_start and not words[i][1].startswith("v"))
        ):
            i += 1
        j = i
        while j < len(words) - 1 and words[j][1] == "v":
            j += 1
        tail = "".join(w for w, _ in words[j:])
        if j > i and (_admin_prefix(tail, lex) or tail.startswith("各")):  # 统筹区财政局 → 区财政局
            i = j
        # 邀请威海市立医院参与: a verb opens it (after 由 it is part of the name: 由扶贫部门进行…)
        if words[i][1] == "v" and words[i][0] not in lex.orgs and not verb_ok:
            return None
        rest = "".join(w for w, _ in words[i:])
    if rest == name:  # (after 由 a name may open with a clause word's verb: 由推进委员会统筹)
        return None if name.startswith(lex.not_org_start) and not verb_ok else name
    ok = is_org(rest, lex, "prose") and not rest.startswith(lex.not_org_start)
    return rest if ok and (len(rest) >= 4 or _admin_prefix(rest, lex) or rest.startswith("各")) else None


def _restore_prefix(names: list[Name], lex: Lex) -> None:
    """区财政金融局、卫生健康管理服务中心 → the second is 区卫生健康管理服务中心.

    After a party organ the elided prefix of another party organ is the committee's:
    县委组织部、宣传部 → 县委宣传部 (but 县委组织部、财政局 → 县财政局).
    """
    current, party = None, None
    for n in names:
        p = _admin_prefix(n.name, lex)
        if p:
            current = p
            party = p + "委" if n.name.startswith(p + "委") and len(n.name) > 2 else None
        elif current and _prefixable(n.name, lex):
            n.name = (party if party and _core(n.name).endswith(lex.party_organ_end) else current) + n.name


def _admin_prefix(name: str, lex: Lex) -> str | None:
    """省/市/县… that opens ``name`` (市民政局 has one, 市场监管局 has none)."""
    if name[:1] in lex.admin_prefix and (name.startswith(lex.prefixed_despite) or not name.startswith(lex.not_admin_prefix)):
        return name[0]
    return None


def _prefixable(name: str, lex: Lex) -> bool:
    if name.startswith(lex.unprefixable_start):
        return False
    core = _core(name)
    if not core.endswith(lex.prefixable_end):
        return False
    bare = core
    for w in lex.not_admin_prefix:
        bare = bare.replace(w, "")
    if any(c in lex.admin_prefix for c in bare):
        return False
    # a name opening with a place (福建证监局, 厦门银保监局 after 省财政厅) is placed already
    words = _tagged(core, lex.rules_dir)
    return not (words and len(words) > 1 and words[0][1] == "ns")


def is_org(name: str, lex: Lex, mode: str) -> bool:
    """Does ``name`` look like an organization?  ``cell``: a table cell's looser test."""
    if len(name) < 2 or len(name) > 40:
        return False
    if name in lex.orgs:
        return True
    if name in lex.not_org or name in lex.kw_role or _any_of(lex.not_in_org).search(name):
        return False
    if _any_of(lex.verb_inside).search(name, 1):  # a verb after the first character
        return False
    core = _core(name)
    each = core.startswith("各") and len(core) >= 2
    if each and (_ends_org(core[1:], lex) or core[1:] in lex.each):
        return True
    if not each and _ends_org(core, lex):
        return True
    if mode not in ("cell", "list"):  # a tag's list declares its names units, as a cell does
        return False
    han = _HAN.findall(name)
    return (
        len(han) >= (3 if mode == "cell" else 4)  # (a list's three characters may be a person: 夏伟清)
        and not _DIGIT.search(name)
        and name not in lex.not_org_cell
        and not name.endswith(lex.not_org_cell_end)
        and not name.startswith(lex.not_org_start)
    )


def _ends_org(core: str, lex: Lex) -> bool:
    return len(core) >= 2 and core.endswith(lex.org_end) and not core.endswith(lex.not_org_end)


def _core(name: str) -> str:
    """The name without a trailing bracketed part: 办公室（宣教科） → 办公室."""
    if not name.endswith(_CLOSED):
        return name  # no bracket at its end (most names): nothing for the pattern to drop
    core = _BRACKET_TAIL.sub("", name)
    return core or name


_CLOSED = ("）", ")", "）\n", ")\n")  # where a match of _BRACKET_TAIL ends ($ also stands before a last \n)


@functools.cache
def _any_of(words: tuple):
    """One search for any of ``words`` (the standard library's engine reads a literal alternation fastest).

    >>> bool(_any_of(("的", "要")).search("要求")), bool(_any_of(()).search("要求"))
    (True, False)
    """
    return re.compile("|".join(re.escape(w) for w in words) if words else "(?!)")


# ---- text scanning ------------------------------------------------------------------------


def clean(s: str) -> str:
    return _WS.sub("", s).strip(_EDGE)


def split_at(text: str, a: int, b: int, seps: str) -> list[tuple[int, int]]:
    """Split text[a:b] at ``seps`` outside brackets; empty pieces are dropped."""
    out, depth, s = [], 0, a
    for i in range(a, b):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in seps:
            out.append((s, i))
            s = i + 1
    out.append((s, b))
    return [(x, y) for x, y in out if text[x:y].strip()]


def _split_ws(text: str, s: int, e: int, lex: Lex) -> list[tuple[int, int]]:
    """Whitespace inside an item separates two names only where the left one is complete."""
    out, start = [], s
    for m in _WS.finditer(text, s, e):
        left = clean(text[start : m.start()])
        right = clean(text[m.end() : e])
        if left and right and _ends_org(_core(left), lex):
            out.append((start, m.start()))
            start = m.end()
    out.append((start, e))
    return [(x, y) for x, y in out if text[x:y].strip()]


def _tagged(text: str, rules_dir: str | None) -> list[tuple[str, str]] | None:
    """Words and part-of-speech flags of a short span (private jieba, see segment.py)."""
    try:
        from .. import segment  # noqa: PLC0415 - loads jieba on first use only
    except ImportError:
        return None
    return segment.tag(text, rules_dir)
