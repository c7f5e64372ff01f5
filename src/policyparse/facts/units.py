"""Responsible units: who leads, answers for or supports an item (rules/units.toml).

Three sources: tags (（牵头单位：A；责任单位：B）), phrases (A牵头，B按职责分工负责;
由A负责; A配合做好…) and duty lines of a list of departments (人事股：负责…).
Lists are split, an elided administrative prefix is restored, and every name
must look like an organization (rule word lists, plus rules/orgs.txt).

    >>> [(u.role, u.name) for u in extract("（牵头单位：区财政金融局、卫生健康管理服务中心）")]
    [('lead', '区财政金融局'), ('lead', '区卫生健康管理服务中心')]
"""

from __future__ import annotations



from .. import recache, rules
from ..models import Span, Unit
from . import prefilter
from .unit_names import NOTE_ROLE, Lex, Name, clean, find_names, is_org, lexicon, split_at

__all__ = ["extract", "from_cell"]

_CLAUSE_STOP = "。；;，,：:！？!?\n"  # a phrase's names never reach back over these
_LIST_STOP = "。；;！？!?\n"  # a tag's names end here (or at a closing bracket)
_NEXT_FIELD = recache.lazy(r"[，,]\s*\p{Han}{2,8}[：:]")  # …，所属片区：… (a field of the item, not a name)
_OPEN, _CLOSE = "（(【", "）)】"  # 【牵头单位：…】 as well as （牵头单位：…）
# the role of a unit noun by its first word (协同部门, 落实单位), where the tag lists lack it
_NOUN_ROLE = NOTE_ROLE | {"协同": "support", "责任": "responsible", "落实": "responsible", "实施": "responsible", "承办": "responsible"}
# a contact line (区卫生健康局：张三 0631-5201234) is no duty
_CONTACT = recache.lazy(r"\d{3,4}[-－—]\d{7,8}|(?<!\d)1\d{10}(?!\d)|电话|联系人|邮箱|传真")
_DUTY_LEAD = recache.lazy(r"牵头(?!单位|部门|科室|处室|股室|领导|的|人|作用)")
_FIRST_WORD_END = recache.lazy(r"[，,。；;\s]")
_HAN = recache.lazy(r"\p{Han}")
_LIST_GLUE = recache.lazy(r"[、，,；;及和与\s]|以及|会同")


# ---- public -------------------------------------------------------------------


def extract(text: str, ctx=None) -> list[Unit]:
    """Units named in prose (spans relative to ``text``).

    >>> [(u.role, u.name) for u in extract("（省教育厅牵头，省妇联、团省委按职责分工负责）")]
    [('lead', '省教育厅'), ('responsible', '省妇联'), ('responsible', '团省委')]
    """
    rs = _rules(ctx)
    live = _live(rs, text)  # the rules that may match here: most measures name no unit
    if not live:
        return []
    lex = lexicon(_rules_dir(ctx))
    phrases = _phrases(text, rs, lex, "prose", live) + _role_nouns(text, rs, lex, live)
    # a tag whose list carries its own verbs (责任单位：A牵头，B、C配合): the verbs decide
    said = {(n.start, n.end) for _, n in phrases}
    found = [(r, n) for r, n in _tags(text, rs, lex, live) if (n.start, n.end) not in said] + phrases
    found += _duty_lines(text, rs, lex, live) + _duty_rows(text, rs, lex, live)
    return _units(found)


def from_cell(text: str, role: str, ctx=None) -> list[Unit]:
    """Units named in one table cell whose column gives ``role`` (lead/support/responsible).

    >>> [(u.role, u.name) for u in from_cell("规划信息科、医政医改科按职责分工分别牵头", "lead")]
    [('lead', '规划信息科'), ('lead', '医政医改科')]
    """
    rs = _rules(ctx)
    lex = lexicon(_rules_dir(ctx))
    found: list[tuple[str, Name]] = []
    for a, b in split_at(text, 0, len(text), "，,；;"):
        clause = text[a:b]
        live = _live(rs, clause)
        got = _tags(clause, rs, lex, live) + _phrases(clause, rs, lex, "cell", live)
        if got:
            # 负责 in a cell only repeats what the column says
            got = [(role if r == "responsible" else r, n) for r, n in got]
        else:
            names = find_names(clause, 0, len(clause), lex, "cell")
            got = [(n.role or role, n) for n in names]
        found += [(r, Name(n.name, n.start + a, n.end + a)) for r, n in got]
    return _units(found)


# ---- sources ----------------------------------------------------------------------


def _tags(text: str, rs, lex: Lex, live=None) -> list[tuple[str, Name]]:
    """（牵头单位：A、B；责任单位：C）: each keyword's names run to the next tag or a stop."""
    hits = list(_scan(rs, "tag", text, live))
    out = []
    for i, m in enumerate(hits):
        limit = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        # inside （…） the list may wrap over lines; a bare tag ends with its line
        end = _list_end(text, m.end(), limit, _LIST_STOP.replace("\n", "") if _bracketed(text, m.start()) else _LIST_STOP)
        field = _NEXT_FIELD.search(text, m.end(), end)  # 责任单位：A，所属片区：B: another field ends the list
        end = field.start() if field else end
        role = _kw_role(m.group("kw"), lex)
        out += [(n.role or role, n) for n in find_names(text, m.end(), end, lex, "list")]
    return out


def _role_nouns(text: str, rs, lex: Lex, live=None) -> list[tuple[str, Name]]:
    """县卫生健康局为牵头单位: the clause before 为 (not 以X为牵头单位, which builds a group)."""
    out = []
    for m in _scan(rs, "role-noun", text, live):
        names = _clause_names(text, m.start(), lex, "prose")
        if names and "以" in text[_clause_start(text, m.start()) : names[0].start]:
            continue
        out += [(n.role or _kw_role(m.group("kw"), lex), n) for n in names]
    return out


def _kw_role(kw: str, lex: Lex) -> str:
    return lex.kw_role.get(kw) or _NOUN_ROLE.get(kw[:2], "responsible")


def _phrases(text: str, rs, lex: Lex, mode: str, live=None) -> list[tuple[str, Name]]:
    """A牵头 / 由A负责 / A配合 / 由A统一兑现: the names are the clause before the verb."""
    out = []
    for name in ("lead-phrase", "support-phrase", "responsible-phrase", "by-phrase"):
        rule = rs.rule(name)
        organs = rule.get("organs_only")
        for m in _scan(rs, name, text, live):
            if organs and "的" in text[m.end() : _list_end(text, m.end(), len(text), _CLAUSE_STOP)]:
                continue  # 由财政部门拨付经费的事业单位: a modifier, not a duty
            verb = m.start("verb") if "verb" in rule.regex.groupindex else m.start()
            verb -= _modal_before(text, verb, lex)  # 各地人社部门要牵头开展: the names end before 要
            names = _clause_names(text, verb, lex, mode, after_you_only=organs)
            if organs:  # 由乡镇卫生院开展巡诊: who serves, not who answers for the item
                names = [n for n in names if n.name.endswith(lex.organ_end)]
            out += [(n.role or rule.get("role"), n) for n in names]
    return out


def _duty_lines(text: str, rs, lex: Lex, live=None) -> list[tuple[str, Name]]:
    """人事股：负责… / 基层卫生与老龄健康科。负责…: the department of a duty line."""
    out = []
    for m in _scan(rs, "duty-line", text, live):
        s, e = m.span("name")
        name = clean(text[s:e])
        if name.startswith("各") or name.endswith(lex.duty_not_end) or not is_org(name, lex, "prose"):
            continue
        line_end = text.find("\n", m.end())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)]
        first = clean(_FIRST_WORD_END.split(rest.strip(), maxsplit=1)[0])
        if is_org(first, lex, "prose") or _CONTACT.search(rest):  # 发文机关：…办公厅 / 卫健局：张三 138…
            continue
        out.append(("responsible", Name(name, s, e)))
        if _DUTY_LEAD.search(rest):
            out.append(("lead", Name(name, s, e)))
    return out


def _duty_rows(text: str, rs, lex: Lex, live=None) -> list[tuple[str, Name]]:
    """省委组织部<TAB>加强对…: the departments of a row of a table of duties."""
    out = []
    for m in _scan(rs, "duty-row", text, live):
        line_end = text.find("\n", m.end())
        rest = text[m.end() : line_end if line_end >= 0 else len(text)]
        cell = rest.split("\t", 1)[0]
        if len(_HAN.findall(cell)) < 10 or _CONTACT.search(cell):  # an address or a phone
            continue
        for n in find_names(text, *m.span("names"), lex, "list", strict=True):
            out.append(("responsible", n))
            if _DUTY_LEAD.search(rest):
                out.append(("lead", n))
    return out


# ---- names ------------------------------------------------------------------------


def _clause_names(text: str, verb: int, lex: Lex, mode: str, after_you_only: bool = False) -> list[Name]:
    """The organizations of the clause that ends at ``verb``: all of it, or what follows 由
    (only that with ``after_you_only``)."""
    # a cell wraps its names over lines; prose arrives with wrapped lines joined
    start = _clause_start(text, verb, _CLAUSE_STOP.replace("\n", "") if mode == "cell" else _CLAUSE_STOP)
    starts = [start]
    you = text.rfind("由", start, verb)
    if you >= 0 and (you == 0 or text[you - 1] not in "自理缘经"):
        starts.insert(0, you + 1)  # …经费由县财政局负责: the names follow 由
    if after_you_only:
        starts = starts[:-1]
    for s in starts:
        # right after 由 stands the agent, whose name may open with a verb (由扶贫部门进行…)
        names = find_names(text, s, verb, lex, mode, strict=True, after_you=s != start)
        if names:
            return _earlier_names(text, s, lex, mode) + names if s == start else names
    return []


def _modal_before(text: str, verb: int, lex: Lex) -> int:
    """How many characters of a modal (要, 应当, rules/units.toml) stand right before ``verb``.

    >>> lx = lexicon(None)
    >>> _modal_before("人社部门要牵头", 5, lx), _modal_before("主要负责", 2, lx)
    (1, 0)
    """
    if any(text.endswith(w, 0, verb) for w in lex.not_modal):
        return 0
    return next((len(w) for w in lex.modal if text.endswith(w, 0, verb)), 0)


def _earlier_names(text: str, start: int, lex: Lex, mode: str) -> list[Name]:
    """A list that goes on over a comma (县卫健局、县财政局，县医保局分别负责): the clauses before
    ``start`` that hold organizations only, back to the first that does not."""
    out: list[Name] = []
    while start > 0 and text[start - 1] in "，,":
        a = _clause_start(text, start - 1, _CLAUSE_STOP.replace("\n", "") if mode == "cell" else _CLAUSE_STOP)
        names = find_names(text, a, start - 1, lex, mode, strict=True)
        # every item an organization, none trimmed of clause words (同时，… / 为此，…)
        if not names or not _only_names(text, a, start - 1, names):
            break
        out = names + out
        start = a
    return out


def _only_names(text: str, a: int, b: int, names: list[Name]) -> bool:
    """Does text[a:b] hold nothing but ``names`` and list separators?"""
    rest = text[a:b]
    for n in sorted(names, key=lambda n: -n.start):
        rest = rest[: n.start - a] + rest[n.end - a :]
    return not clean(_LIST_GLUE.sub("", rest))



# ---- text scanning --------------------------------------------------------------------


def _live(rs, text: str) -> frozenset:
    """The names of the rules that may match in ``text`` (the others lack a word every match holds)."""
    rules_ = rs.rules
    return frozenset([rules_[i].name for i in prefilter.of_rules(rs).live(text)])


def _scan(rs, name: str, text: str, live: frozenset | None = None):
    """The matches of rule ``name``; none, without a scan, when it is not ``live``."""
    if name not in (live if live is not None else _live(rs, text)):
        return iter(())
    rule = rs.rule(name)
    if rule.pattern.lstrip().startswith("(?m)^"):
        return _at_line_starts(rule.regex, text)
    return rule.regex.finditer(text)


def _at_line_starts(rx, text: str):
    r"""``rx.finditer(text)`` for a pattern that opens with ``(?m)^``: tried at line starts only.

    (The regex module tries such a pattern at every position of a line.)

        >>> [m.group() for m in _at_line_starts(recache.compile(r"(?m)^[ \t]*甲"), "甲乙\n 甲\n乙甲")]
        ['甲', ' 甲']
    """
    pos, n = 0, len(text)
    while pos <= n:
        m = rx.match(text, pos)
        if m is not None and m.end() > m.start():
            yield m
            pos = m.end()
            if text[pos - 1 : pos] == "\n":
                continue  # the match ended its line: the next one starts here
        elif m is not None:  # an empty match: leave the rest to finditer's own rules
            yield from rx.finditer(text, pos)
            return
        nl = text.find("\n", pos)
        if nl < 0:
            return
        pos = nl + 1


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
    opened = max(text.rfind(c, a, pos) for c in _OPEN)
    closed = max(text.rfind(c, a, pos) for c in _CLOSE)
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


def _units(found: list[tuple[str, Name]]) -> list[Unit]:
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
