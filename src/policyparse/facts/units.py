"""Responsible units: who leads, answers for or supports an item (rules/units.toml).

Three sources: tags (（牵头单位：A；责任单位：B）), phrases (A牵头，B按职责分工负责;
由A负责; A配合做好…) and duty lines of a list of departments (人事股：负责…).
Lists are split, an elided administrative prefix is restored, and every name
must look like an organization (rule word lists, plus rules/orgs.txt).

    >>> [(u.role, u.name) for u in extract("（牵头单位：区财政金融局、卫生健康管理服务中心）")]
    [('lead', '区财政金融局'), ('lead', '区卫生健康管理服务中心')]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .. import rules
from ..models import Span, Unit

__all__ = ["extract", "from_cell"]

_ITEM_SEP = "、，,；;/"  # between names of a list
_CLAUSE_STOP = "。；;，,：:！？!?\n"  # a phrase's names never reach back over these
_LIST_STOP = "。；;！？!?\n"  # a tag's names end here (or at a closing bracket)
_OPEN, _CLOSE = "（(", "）)"
_AND = regex.compile(r"以及|会同|及|和|与|并")  # may join two names, or sit inside one
_WS = regex.compile(r"\s+")
_BRACKET_TAIL = regex.compile(r"(?:（[^（）]*）|\([^()]*\))$")
# a bracket after a name that states its part, not its name: （牵头）, （按职责分工负责）
_NOTE = regex.compile(r"[（(〔［\[]([^（）()〔〕［］\[\]]{0,10}?(?:牵头|主责|配合|协办|参与|协助|负责))[）)〕］\]]$")
_NOTE_ROLE = {"牵头": "lead", "主责": "lead", "配合": "support", "协办": "support", "参与": "support", "协助": "support"}
# the role of a unit noun by its first word (协同部门, 落实单位), where the tag lists lack it
_NOUN_ROLE = _NOTE_ROLE | {"协同": "support", "责任": "responsible", "落实": "responsible", "实施": "responsible", "承办": "responsible"}
# a contact line (区卫生健康局：张三 0631-5201234) is no duty
_CONTACT = regex.compile(r"\d{3,4}[-－—]\d{7,8}|(?<!\d)1\d{10}(?!\d)|电话|联系人|邮箱|传真")
# jieba flags of words that open a clause, never a name: time, conjunction, adverb, preposition
_CLAUSE_FLAGS = frozenset({"t", "c", "d", "ad", "p"})
_DUTY_LEAD = regex.compile(r"牵头(?!单位|部门|科室|处室|股室|领导|的|人|作用)")


@dataclass
class _Name:
    """One organization found in the text: printed extent [start, end)."""

    name: str
    start: int
    end: int
    role: str | None = None  # a note such as （牵头） overrides the list's role


@dataclass(frozen=True)
class _Lex:
    """The word lists of rules/units.toml, ready to test names against."""

    org_end: tuple
    not_org_end: tuple
    not_org_start: tuple
    not_in_org: tuple
    verb_inside: tuple
    admin_prefix: frozenset
    not_admin_prefix: tuple
    prefixable_end: tuple
    unprefixable_start: tuple
    generic: frozenset
    not_org_cell: frozenset
    not_org_cell_end: tuple
    each: frozenset
    not_org: frozenset
    alias_bracket: tuple
    duty_not_end: tuple
    party_organ_end: tuple
    prefixed_despite: tuple
    shared_suffix: tuple
    kw_role: dict
    orgs: frozenset = field(default_factory=frozenset)
    rules_dir: str | None = None


# ---- public -------------------------------------------------------------------


def extract(text: str, ctx=None) -> list[Unit]:
    """Units named in prose (spans relative to ``text``).

    >>> [(u.role, u.name) for u in extract("（省教育厅牵头，省妇联、团省委按职责分工负责）")]
    [('lead', '省教育厅'), ('responsible', '省妇联'), ('responsible', '团省委')]
    """
    rs = _rules(ctx)
    lex = _lexicon(_rules_dir(ctx))
    phrases = _phrases(text, rs, lex, "prose") + _role_nouns(text, rs, lex)
    # a tag whose list carries its own verbs (责任单位：A牵头，B、C配合): the verbs decide
    said = {(n.start, n.end) for _, n in phrases}
    found = [(r, n) for r, n in _tags(text, rs, lex) if (n.start, n.end) not in said] + phrases
    found += _duty_lines(text, rs, lex) + _duty_rows(text, rs, lex)
    return _units(found)


def from_cell(text: str, role: str, ctx=None) -> list[Unit]:
    """Units named in one table cell whose column gives ``role`` (lead/support/responsible).

    >>> [(u.role, u.name) for u in from_cell("规划信息科、医政医改科按职责分工分别牵头", "lead")]
    [('lead', '规划信息科'), ('lead', '医政医改科')]
    """
    rs = _rules(ctx)
    lex = _lexicon(_rules_dir(ctx))
    found: list[tuple[str, _Name]] = []
    for a, b in _pieces(text, 0, len(text), "，,；;"):
        clause = text[a:b]
        got = _tags(clause, rs, lex) + _phrases(clause, rs, lex, "cell")
        if got:
            # 负责 in a cell only repeats what the column says
            got = [(role if r == "responsible" else r, n) for r, n in got]
        else:
            names = _names(clause, 0, len(clause), lex, "cell")
            got = [(n.role or role, n) for n in names]
        found += [(r, _Name(n.name, n.start + a, n.end + a)) for r, n in got]
    return _units(found)


# ---- sources ----------------------------------------------------------------------


def _tags(text: str, rs, lex: _Lex) -> list[tuple[str, _Name]]:
    """（牵头单位：A、B；责任单位：C）: each keyword's names run to the next tag or a stop."""
    hits = list(rs.rule("tag").regex.finditer(text))
    out = []
    for i, m in enumerate(hits):
        limit = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        # inside （…） the list may wrap over lines; a bare tag ends with its line
        end = _list_end(text, m.end(), limit, _LIST_STOP.replace("\n", "") if _bracketed(text, m.start()) else _LIST_STOP)
        role = _kw_role(m.group("kw"), lex)
        out += [(n.role or role, n) for n in _names(text, m.end(), end, lex, "list")]
    return out


def _role_nouns(text: str, rs, lex: _Lex) -> list[tuple[str, _Name]]:
    """县卫生健康局为牵头单位: the clause before 为 (not 以X为牵头单位, which builds a group)."""
    out = []
    for m in rs.rule("role-noun").regex.finditer(text):
        names = _clause_names(text, m.start(), lex, "prose")
        if names and "以" in text[_clause_start(text, m.start()) : names[0].start]:
            continue
        out += [(n.role or _kw_role(m.group("kw"), lex), n) for n in names]
    return out


def _kw_role(kw: str, lex: _Lex) -> str:
    return lex.kw_role.get(kw) or _NOUN_ROLE.get(kw[:2], "responsible")


def _phrases(text: str, rs, lex: _Lex, mode: str) -> list[tuple[str, _Name]]:
    """A牵头 / 由A负责 / A配合: the names are the clause before the verb."""
    out = []
    for name in ("lead-phrase", "support-phrase", "responsible-phrase"):
        rule = rs.rule(name)
        for m in rule.regex.finditer(text):
            names = _clause_names(text, m.start(), lex, mode)
            out += [(n.role or rule.get("role"), n) for n in names]
    return out


def _duty_lines(text: str, rs, lex: _Lex) -> list[tuple[str, _Name]]:
    """人事股：负责… / 基层卫生与老龄健康科。负责…: the department of a duty line."""
    out = []
    for m in rs.rule("duty-line").regex.finditer(text):
        s, e = m.span("name")
        name = _clean(text[s:e])
        if name.startswith("各") or name.endswith(lex.duty_not_end) or not _is_org(name, lex, "prose"):
            continue
        line_end = text.find("\n", m.end())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)]
        first = _clean(regex.split(r"[，,。；;\s]", rest.strip(), maxsplit=1)[0])
        if _is_org(first, lex, "prose") or _CONTACT.search(rest):  # 发文机关：…办公厅 / 卫健局：张三 138…
            continue
        out.append(("responsible", _Name(name, s, e)))
        if _DUTY_LEAD.search(rest):
            out.append(("lead", _Name(name, s, e)))
    return out


def _duty_rows(text: str, rs, lex: _Lex) -> list[tuple[str, _Name]]:
    """省委组织部<TAB>加强对…: the departments of a row of a table of duties."""
    out = []
    for m in rs.rule("duty-row").regex.finditer(text):
        line_end = text.find("\n", m.end())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)]
        cell = rest.split("\t", 1)[0]
        if len(regex.findall(r"\p{Han}", cell)) < 10 or _CONTACT.search(cell):  # an address or a phone
            continue
        for n in _names(text, *m.span("names"), lex, "list", strict=True):
            out.append(("responsible", n))
            if _DUTY_LEAD.search(rest):
                out.append(("lead", n))
    return out


# ---- names ------------------------------------------------------------------------


def _clause_names(text: str, verb: int, lex: _Lex, mode: str) -> list[_Name]:
    """The organizations of the clause that ends at ``verb``: all of it, or what follows 由."""
    # a cell wraps its names over lines; prose arrives with wrapped lines joined
    start = _clause_start(text, verb, _CLAUSE_STOP.replace("\n", "") if mode == "cell" else _CLAUSE_STOP)
    starts = [start]
    you = text.rfind("由", start, verb)
    if you >= 0 and (you == 0 or text[you - 1] not in "自理缘经"):
        starts.insert(0, you + 1)  # …经费由县财政局负责: the names follow 由
    for s in starts:
        names = _names(text, s, verb, lex, mode, strict=True)
        if names:
            return _earlier_names(text, s, lex, mode) + names if s == start else names
    return []


def _earlier_names(text: str, start: int, lex: _Lex, mode: str) -> list[_Name]:
    """A list that goes on over a comma (县卫健局、县财政局，县医保局分别负责): the clauses before
    ``start`` that hold organizations only, back to the first that does not."""
    out: list[_Name] = []
    while start > 0 and text[start - 1] in "，,":
        a = _clause_start(text, start - 1, _CLAUSE_STOP.replace("\n", "") if mode == "cell" else _CLAUSE_STOP)
        names = _names(text, a, start - 1, lex, mode, strict=True)
        # every item an organization, none trimmed of clause words (同时，… / 为此，…)
        if not names or not _only_names(text, a, start - 1, names):
            break
        out = names + out
        start = a
    return out


def _only_names(text: str, a: int, b: int, names: list[_Name]) -> bool:
    """Does text[a:b] hold nothing but ``names`` and list separators?"""
    rest = text[a:b]
    for n in sorted(names, key=lambda n: -n.start):
        rest = rest[: n.start - a] + rest[n.end - a :]
    return not _clean(regex.sub(r"[、，,；;及和与\s]|以及|会同", "", rest))


def _names(text: str, a: int, b: int, lex: _Lex, mode: str, strict: bool = False) -> list[_Name]:
    """Split text[a:b] into organization names; ``strict``: every item must be one."""
    out: list[_Name] = []
    pieces = [piece for s, e in _pieces(text, a, b, _ITEM_SEP) for piece in _split_ws(text, s, e, lex)]
    shared = _shared_suffix(text, pieces, lex)
    for piece in pieces:
        parts = [shared[piece]] if piece in shared else _split_and(text, *piece, lex, mode)
        if parts is None:
            if strict:
                return []
            continue
        out += parts
    if strict and mode != "cell" and out:
        out = _trim_first(out, lex)
    _restore_prefix(out, lex)
    return out


def _split_and(text: str, s: int, e: int, lex: _Lex, mode: str) -> list[_Name] | None:
    """One list item: drop 等/generic tails and notes, split A及B, A和B; None = not a name."""
    raw = text[s:e]
    role = None
    note = _NOTE.search(raw)
    if note:
        role = next((r for w, r in _NOTE_ROLE.items() if note.group(1).endswith(w)), None)
        e = s + note.start()
        raw = text[s:e]
    alias = _BRACKET_TAIL.search(raw)
    if alias and alias.group(0)[1:].startswith(lex.alias_bracket):  # X（以下简称Y）is X
        e = s + alias.start()
        raw = text[s:e]
    if "等" in raw:  # 省卫生健康委等 / 省医保局等有关部门
        cut = raw.rfind("等")
        if cut > 0 and (cut == len(raw) - 1 or _clean(raw[cut + 1 :]) in lex.generic):
            e = s + cut
            raw = text[s:e]
    name = _clean(raw)
    if not name or name in lex.generic:
        return []
    for m in _AND.finditer(raw):
        left, right = _clean(raw[: m.start()]), _clean(raw[m.end() :])
        if _is_org(left, lex, "prose") and _is_org(right, lex, mode):
            rest = _split_and(text, s + m.end(), e, lex, mode) or []
            return [_Name(left, s, s + m.start(), role)] + rest
    if not _is_org(name, lex, mode):
        return None
    lead = len(raw) - len(raw.lstrip())
    tail = len(raw) - len(raw.rstrip())
    return [_Name(name, s + lead, e - tail, role)]


_PLACE = regex.compile(r"(各?\p{Han}{0,8}?(?:自治县|自治州|自治区|省|市|县|区|州|盟|旗|镇|乡|街道)(?:（[^（）]{1,8}）)?)")


def _shared_suffix(text: str, pieces: list[tuple[int, int]], lex: _Lex) -> dict:
    """海口市、三亚市、儋州市人民政府 / 各市、县、自治县人民政府: places that share the last one's organ.

    Returns piece → _Name for the places (and the last piece where 各 spreads to it).
    """
    out: dict = {}
    run: list[tuple[int, int]] = []
    for piece in pieces:
        raw = _clean(text[piece[0] : piece[1]])
        if _PLACE.fullmatch(raw) and not _is_org(raw, lex, "prose") or raw in ("各市", "各县", "各区"):
            run.append(piece)
            continue
        tail = next((t for t in sorted(lex.shared_suffix, key=len, reverse=True) if raw.endswith(t)), "")
        if run and tail and _PLACE.fullmatch(raw[: -len(tail)]):
            each = _clean(text[run[0][0] : run[0][1]]).startswith("各")
            for s, e in run:
                place = _clean(text[s:e])
                name = place if place.startswith("各") or not each else "各" + place
                out[(s, e)] = _Name(name + tail, s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip())))
            if each and not raw.startswith("各"):
                out[piece] = _Name("各" + raw, piece[0], piece[1])
        run = []
    return out


def _trim_first(names: list[_Name], lex: _Lex) -> list[_Name]:
    """Clause words in front of a phrase's first name are dropped (积极协调区卫生健康局牵头)."""
    first = names[0]
    if first.name in lex.orgs or _admin_prefix(first.name, lex) or first.name.startswith("各"):
        return names
    trimmed = _trim_words(first.name, lex)
    if trimmed is None:
        return []
    if trimmed == first.name:
        return names
    return [_Name(trimmed, first.end - len(trimmed), first.end, first.role)] + names[1:]


def _trim_words(name: str, lex: _Lex) -> str | None:
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
        if words[i][1] == "v" and words[i][0] not in lex.orgs:  # 邀请威海市立医院参与: a verb opens it
            return None
        rest = "".join(w for w, _ in words[i:])
    if rest == name:
        return None if name.startswith(lex.not_org_start) else name
    ok = _is_org(rest, lex, "prose") and not rest.startswith(lex.not_org_start)
    return rest if ok and (len(rest) >= 4 or _admin_prefix(rest, lex) or rest.startswith("各")) else None


def _restore_prefix(names: list[_Name], lex: _Lex) -> None:
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


def _admin_prefix(name: str, lex: _Lex) -> str | None:
    """省/市/县… that opens ``name`` (市民政局 has one, 市场监管局 has none)."""
    if name[:1] in lex.admin_prefix and (name.startswith(lex.prefixed_despite) or not name.startswith(lex.not_admin_prefix)):
        return name[0]
    return None


def _prefixable(name: str, lex: _Lex) -> bool:
    if name.startswith(lex.unprefixable_start):
        return False
    core = _core(name)
    if not core.endswith(lex.prefixable_end):
        return False
    bare = core
    for w in lex.not_admin_prefix:
        bare = bare.replace(w, "")
    return not any(c in lex.admin_prefix for c in bare)


def _is_org(name: str, lex: _Lex, mode: str) -> bool:
    """Does ``name`` look like an organization?  ``cell``: a table cell's looser test."""
    if len(name) < 2 or len(name) > 40:
        return False
    if name in lex.orgs:
        return True
    if name in lex.not_org or name in lex.kw_role or any(w in name for w in lex.not_in_org):
        return False
    if any(name.find(w, 1) > 0 for w in lex.verb_inside):
        return False
    core = _core(name)
    if core.startswith("各") and len(core) >= 2:
        return _ends_org(core[1:], lex) or core[1:] in lex.each
    if _ends_org(core, lex):
        return True
    if mode != "cell":
        return False
    han = regex.findall(r"\p{Han}", name)
    return (
        len(han) >= 3
        and not regex.search(r"\d", name)
        and name not in lex.not_org_cell
        and not name.endswith(lex.not_org_cell_end)
        and not name.startswith(lex.not_org_start)
    )


def _ends_org(core: str, lex: _Lex) -> bool:
    return len(core) >= 2 and core.endswith(lex.org_end) and not core.endswith(lex.not_org_end)


def _core(name: str) -> str:
    """The name without a trailing bracketed part: 办公室（宣教科） → 办公室."""
    core = _BRACKET_TAIL.sub("", name)
    return core or name


# ---- text scanning --------------------------------------------------------------------


def _clean(s: str) -> str:
    return _WS.sub("", s).strip(_ITEM_SEP + "：:")


def _pieces(text: str, a: int, b: int, seps: str) -> list[tuple[int, int]]:
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


def _split_ws(text: str, s: int, e: int, lex: _Lex) -> list[tuple[int, int]]:
    """Whitespace inside an item separates two names only where the left one is complete."""
    out, start = [], s
    for m in _WS.finditer(text, s, e):
        left = _clean(text[start : m.start()])
        right = _clean(text[m.end() : e])
        if left and right and _ends_org(_core(left), lex):
            out.append((start, m.start()))
            start = m.end()
    out.append((start, e))
    return [(x, y) for x, y in out if text[x:y].strip()]


def _clause_start(text: str, pos: int, stops: str = _CLAUSE_STOP) -> int:
    """Where the clause ending at ``pos`` begins: after a stop or an unclosed bracket."""
    depth = 0
    i = pos - 1
    while i >= 0:
        c = text[i]
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN:
            if depth == 0:
                return i + 1
            depth -= 1
        elif depth == 0 and c in stops:
            return i + 1
        i -= 1
    return 0


def _bracketed(text: str, pos: int, reach: int = 300) -> bool:
    """Is ``pos`` inside a bracket opened at most ``reach`` characters before?"""
    a = max(0, pos - reach)
    opened = max(text.rfind("（", a, pos), text.rfind("(", a, pos))
    closed = max(text.rfind("）", a, pos), text.rfind(")", a, pos))
    return opened > closed


def _list_end(text: str, a: int, limit: int, stops: str = _LIST_STOP) -> int:
    """Where a tag's list ends: a stop, a closing bracket of the tag, or ``limit``."""
    depth = 0
    for i in range(a, limit):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and c in stops:
            return i
    return limit


def _units(found: list[tuple[str, _Name]]) -> list[Unit]:
    """In text order, one Unit per (role, name)."""
    seen, out = set(), []
    for role, n in sorted(found, key=lambda rn: (rn[1].start, rn[1].end)):
        if (role, n.name) in seen:
            continue
        seen.add((role, n.name))
        out.append(Unit(name=n.name, role=role, span=Span(start=n.start, end=n.end)))
    return out


# ---- data -------------------------------------------------------------------------------


def _rules_dir(ctx) -> str | None:
    d = getattr(ctx, "rules_dir", None)
    return None if d is None else str(d)


def _rules(ctx):
    return rules.load("units", _rules_dir(ctx))


@functools.cache
def _lexicon(rules_dir: str | None) -> _Lex:
    rs = rules.load("units", rules_dir)
    w = rs.words
    kw_role = {k: "lead" for k in w("lead_tag")}
    kw_role |= {k: "responsible" for k in w("responsible_tag")}
    kw_role |= {k: "support" for k in w("support_tag")}
    return _Lex(
        org_end=w("org_end"),
        not_org_end=w("not_org_end"),
        not_org_start=w("not_org_start"),
        not_in_org=w("not_in_org"),
        verb_inside=w("verb_inside"),
        admin_prefix=frozenset(w("admin_prefix")),
        not_admin_prefix=w("not_admin_prefix"),
        prefixable_end=w("prefixable_end"),
        unprefixable_start=w("unprefixable_start"),
        generic=frozenset(w("generic")),
        not_org_cell=frozenset(w("not_org_cell")),
        not_org_cell_end=w("not_org_cell_end"),
        each=frozenset(w("each")),
        not_org=frozenset(w("not_org")),
        alias_bracket=w("alias_bracket"),
        duty_not_end=w("duty_not_end"),
        party_organ_end=w("party_organ_end"),
        prefixed_despite=w("prefixed_despite"),
        shared_suffix=w("shared_suffix"),
        kw_role=kw_role,
        orgs=_orgs(rs.path.parent / "orgs.txt"),
        rules_dir=rules_dir,
    )


@functools.cache
def _orgs(path: Path) -> frozenset:
    """Organization names of the jieba dictionary (``name [freq] [tag]``; # = comment)."""
    if not path.is_file():
        return frozenset()
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line.split()[0])
    return frozenset(names)


def _tagged(text: str, rules_dir: str | None) -> list[tuple[str, str]] | None:
    """Words and part-of-speech flags of a short span (private jieba, see segment.py)."""
    try:
        from .. import segment  # noqa: PLC0415 - loads jieba on first use only
    except ImportError:
        return None
    return segment.tag(text, rules_dir)
