"""Run-on lines split before the item labels inside them (a whole notice on one line).

A web page copied without its line breaks, or an export that drops them, puts
many items on one line: the line is cut before each label that follows a
sentence end, and after a title run into its first sub-item.

    >>> from policyparse.normalize import normalize_text
    >>> t = "二、重点工作（一）依托资源下沉提效赋能1．持续深化分级诊疗，落实双向转诊。2．强化学科建设，提升服务能力。"
    >>> normalize_text(t).text.splitlines()
    ['二、重点工作', '（一）依托资源下沉提效赋能', '1．持续深化分级诊疗，落实双向转诊。', '2．强化学科建设，提升服务能力。']
    >>> normalize_text("请抓好落实：一、2016年新开工建设目标任务1.中原安置小区1052套；2.吉钓安置小区1860套。").text.splitlines()
    ['请抓好落实：', '一、2016年新开工建设目标任务', '1.中原安置小区1052套；', '2.吉钓安置小区1860套。']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from . import recache
from .runon_attachments import attachment_cuts
from .wraps import _DATE, is_label_start

if TYPE_CHECKING:
    from .offsets import Line

# a label that opens a new item inside a run-on line: after a sentence end (group 1: the
# white space before it).  The sentence end is matched, not looked behind at: the engine
# then skips to the places where one stands; it is never white space, so each match is
# where a look-behind would find it
_INLINE_LABEL = recache.lazy(
    r"""[。：；！？:;!?）)](\s*)(?=
        [一二三四五六七八九十]{1,3}、
      | [（(][一二三四五六七八九十]{1,3}[）)]
      | \d{1,2}[．.](?!\d)
      | [（(]\d{1,2}[）)]
      | 第[一二三四五六七八九十百\d]{1,4}[章节条]
    )""",
    regex.VERBOSE,
)
# a title run into its first chapter or item (…储备粮管理办法第一章 总则, …实施方案一、总体要求):
# the first only, so that 本办法第十条规定 stays whole
_TITLE_INTO_FIRST = recache.lazy(r"(?:办法|规定|细则|条例|方案|规则|意见|措施|要点)(?=\s*(?:第一章|一、))")


# the notice's signature run into its text (…请认真贯彻落实。临港区党政办公室2024年12月31日（此件…):
# the organ and its date make a line of their own, and what follows starts another
_INLINE_SIGNATURE = recache.lazy(
    r"""(?:[。！？）)]|^)\s*  # (matched, not looked behind at: the engine skips to where one stands)
        (?P<organ>\p{Han}{2,30}?(?:局|委|委员会|办公室|办公厅|政府|中心|小组|院|会|部|厅|党组|党委)
          | [（(]\p{Han}{2,30}?代章[）)])  # or the seal another organ puts for it: （…党工委代章）
        \s*(?P<date>%s)(?!\s*印\s*发)  # (…办公室 2023年10月9日印发 is the 印发 line)""" % _DATE,
    regex.VERBOSE,
)


# a space between two Chinese characters or marks, in a line of a whole notice: where a
# web copy put a line break of the page (…“一张网” 为实现…, …区公安局 配合单位：…)
_LOST_BREAK = recache.lazy(r"(?<=[^\x00-\x7F])[ \u3000]+(?=[^\x00-\x7F])")
_WHOLE_NOTICE = 400  # characters of a line that can only be many paragraphs run together
_LOST_BREAKS_MIN = 3  # spaces such a line holds where they stand for its line breaks


def split_run_ons(lines: list[Line], longest: int = 40) -> list[Line]:
    """Break very long lines (a whole notice on one line) before inline item labels."""
    out: list[Line] = []
    for ln in lines:
        if ln.kind != "text":
            out.append(ln)
        elif len(ln.text) <= longest:
            _add_heading_run(out, ln)
        else:
            # a whole notice whose page's line breaks became spaces is cut there too, after
            # its signature and attachments are cut out (those read the whole line)
            lost = len(ln.text) > _WHOLE_NOTICE and (" " in ln.text or "\u3000" in ln.text)
            for piece in _cut_signature_and_attachments(ln):
                for part in _cut_lost_breaks(piece) if lost else [piece]:
                    # a part may open with a signature now (（…党工委代章） 2019年8月12日解决…方案),
                    # and hold a label however short it is (…储备粮。第五条)
                    for sub in _cut_signature_and_attachments(part, signatures_only=True) if lost else [part]:
                        _split_piece(out, sub)
    return out


def _cut_lost_breaks(ln: Line) -> list[Line]:
    """A whole notice on one line cut at the spaces that stand for its lost line breaks.

    Not inside a book title or a quote (《中共江西省委 江西省人民政府关于…》), not before a mark
    that goes on a clause (二 、), not after a colon (发文机关： 中国平潭), not in
    letter-spaced words (力 争 每 年, 标 题：), and not after a label alone
    (第七章 监督检查: the label's own title).

        >>> from policyparse.offsets import Line, offset_array
        >>> [x.text for x in _cut_lost_breaks(Line("一、实施档案电子化 为实现共享，推进工程。 牵头单位：区公安局 全市近视率力 争 每 年 降 低。", offset_array(range(52))))]
        ['一、实施档案电子化', '为实现共享，推进工程。', '牵头单位：区公安局', '全市近视率力 争 每 年 降 低。']
    """
    t = ln.text
    spaces = [m for m in _LOST_BREAK.finditer(t) if t[m.start() - 1] not in _OPENS and t[m.end()] not in _GOES_ON]
    if len(spaces) < _LOST_BREAKS_MIN:
        return [ln]  # a stray space in a long paragraph, not a page's lines run together
    bounds, depth, pos = [0], 0, 0
    for k, m in enumerate(spaces):
        depth += sum(t.count(a, pos, m.start()) - t.count(b, pos, m.start()) for a, b in _PAIRS)
        pos = m.start()
        before = m.start() - (spaces[k - 1].end() if k else 0)
        after = (spaces[k + 1].start() if k + 1 < len(spaces) else len(t)) - m.end()
        # 标 题：, …28标 题 (but 完成 三、创新…: a label after the space is no letter-spaced word)
        spaced = _lone(t, m.start() - 1, -1) or (_lone(t, m.end(), 1) and not is_label_start(t[m.end() : m.end() + 8]))
        if depth <= 0 and before >= 2 and after >= 2 and not spaced and not _label_before(t, bounds[-1], m.start()):
            bounds += [m.start(), m.end()]
    bounds.append(len(t))
    return [ln.slice(a, b) for a, b in zip(bounds[::2], bounds[1::2]) if b > a]


def _label_before(t: str, a: int, b: int) -> bool:
    """Does the piece ``t[a:b]`` end with a label, whose title follows the space (第七章 监督检查, …办法第一章  总则)?"""
    last = max(t.rfind(c, a, b) for c in "。；！？") + 1 or a  # its last sentence
    return (b - last <= 6 and is_label_start(t[last:b])) or _LABEL_ENDS.search(t, a, b) is not None


def _lone(t: str, i: int, step: int) -> bool:
    """Is ``t[i]`` a Chinese character standing alone on its side of a space (a letter-spaced word)?"""
    j = i + step
    # (a digit or letter beside it makes a word with it: 186号 平潭 is cut)
    return _is_han(t[i]) and not (0 <= j < len(t) and (_is_han(t[j]) or t[j].isalnum()))


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


# a label ending the piece before a space (…管理办法第一章 总则): its title follows the space
_LABEL_ENDS = recache.lazy(r"(?:第[一二三四五六七八九十百\d]{1,4}[章节编篇]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])$")
_PAIRS = (("《", "》"), ("“", "”"))  # no line break inside a title or a quote (“三高共管 六病同防”)
_OPENS = "（(《“‘「『【：:"  # a space after these is inside what they open (or a field's value)
_GOES_ON = "、，,。；;：:！？!?）)》”’」』】"  # a space before these is inside a clause


def _split_piece(out: list[Line], piece: Line) -> None:
    """Append a piece of a long line to ``out``, cut after a title run into its first item and before its labels."""
    t = piece.text
    m = _TITLE_INTO_FIRST.search(t) if ("一、" in t or "第一章" in t) else None
    if m:
        _split_labels(out, piece.slice(0, m.end()))
        piece = piece.slice(m.end()).strip()
    if len(piece.text):
        _split_labels(out, piece)


def _split_labels(out: list[Line], ln: Line) -> None:
    """Append ``ln`` cut before each label that follows a sentence end (and titles run into items)."""
    t = ln.text
    cuts = [(m.start(1), m.end()) for m in _INLINE_LABEL.finditer(t)]
    if len(t) > _WHOLE_NOTICE:  # a whole notice: also before the labels that go on a sequence
        cuts = sorted(cuts + [(i, i) for i in _sequence_cuts(t, [b for _, b in cuts])])
    a = 0
    for end, start in cuts:
        if start - a >= 2:
            _add_heading_run(out, ln.slice(a, end))
            a = start
    _add_heading_run(out, ln.slice(a) if a else ln)


# ---- labels that go on a sequence ------------------------------------------------------
# Where a page lost every line break and space, an item's label may follow its last
# unit's name or a title with no sentence end before it (…责任处室:农业农村处2.提升公厕档次。,
# …交通建设处（二）农村生活污水治理提升): such a label is taken where it is the next of a
# sequence already open in the line (1. → 2., （一） → （二）), and nowhere else.

_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """12 → 十二 (1–99, as labels write them)."""
    tens, ones = divmod(n, 10)
    return (_CN[tens - 1] if tens > 1 else "") + ("十" if tens else "") + (_CN[ones - 1] if ones else "")


_CN_VALUE = {_cn(n): n for n in range(1, 100)}
# a label at a piece's start: its style (the group that matched) and its number
_LABEL_AT = recache.lazy(
    r"(?P<dun>[一二三四五六七八九十]{1,3})、|[（(](?P<phan>[一二三四五六七八九十]{1,3})[）)]"
    r"|(?P<dot>\d{1,2})[．.](?!\d)|(?P<adun>\d{1,2})、(?!\d)|[（(](?P<parab>\d{1,2})[）)]"
)
# what may stand just before a label with no sentence end: a name's or a title's last character
# (not a numeral, nor a word that a number goes with: 附件2. 第三、四季度 至三、)
_NOT_BEFORE = frozenset(_CN + "零〇两百千万第件表图号款条项章节至到和及或与共约")
_AFTER_NUMBER = {"dot": True, "adun": True, "dun": True}  # styles whose label a Han character must follow


def _successors(style: str, n: int) -> tuple[str, ...]:
    if style == "dun":
        return (_cn(n) + "、",)
    if style == "phan":
        return ("（" + _cn(n) + "）", "(" + _cn(n) + ")")
    if style == "dot":
        return (f"{n}.", f"{n}．")
    if style == "adun":
        return (f"{n}、",)
    return (f"（{n}）", f"({n})")


def _fits(t: str, j: int, label: str, style: str, start: int) -> bool:
    """May ``label`` at ``t[j]`` open an item (no sentence end before it)?"""
    before = t[j - 1]
    if not (_is_han(before) or before in "。；;：:！？!?）)”》") or before in _NOT_BEFORE:
        return False
    after = t[j + len(label) : j + len(label) + 1]
    if style in _AFTER_NUMBER and not (_is_han(after) and after not in _CN or after in "“《（("):
        return False
    # not inside a book title or a quote
    return all(t.count(a, start, j) <= t.count(b, start, j) for a, b in _PAIRS)


def _sequence_cuts(t: str, starts: list[int]) -> list[int]:
    """Where ``t`` (cut at ``starts`` already) holds the next label of a sequence open before it.

        >>> t = "（一）改厕1.改造厕所。责任处室:农业农村处2.提升公厕档次。责任处室:交通建设处（二）污水治理1.治理污水。"
        >>> [t[i:i + 4] for i in _sequence_cuts(t, [])]
        ['2.提升', '（二）污']

    (``_add_heading_run`` then cuts the titles run into their first items: （二）污水治理 1.治理污水。)
    """
    levels: list[str] = []  # the styles open, outermost first
    last: dict[str, int] = {}
    out, pos, ends = [], 0, sorted({*starts, len(t)})
    while pos < len(t):
        end = next(e for e in ends if e > pos)
        # the labels the piece opens with: its own, and those of titles run into their first item
        head = pos
        while m := _LABEL_AT.match(t, head):
            style = m.lastgroup
            if style in levels:
                del levels[levels.index(style) + 1 :]  # a higher item closes the deeper ones
            else:
                levels.append(style)
            for deeper in set(last) - set(levels):
                del last[deeper]
            last[style] = int(m.group(style)) if style in ("dot", "adun", "parab") else _CN_VALUE.get(m.group(style), 0)
            run = _HEADING_RUN.match(t[head:end])
            if not run:
                break
            head += run.end()
        found = None
        for style, n in last.items():
            for label in _successors(style, n + 1):
                j = t.find(label, head + 1, end)
                while j >= 0 and not _fits(t, j, label, style, pos):
                    j = t.find(label, j + 1, end)
                if j >= 0 and (found is None or j < found):
                    found = j
        if found is None:
            pos = end
        else:
            out.append(found)
            pos = found
    return out


def signature_spans(t: str) -> list[tuple[int, int]]:
    """Where a signature (organ and date) stands run into the text of ``t``."""
    if "日" not in t or "月" not in t:  # no date, no signature: most lines
        return []
    return [(m.start("organ"), m.end("date")) for m in _INLINE_SIGNATURE.finditer(t)]


def cut_offsets(t: str) -> list[int]:
    """Where a run-on line breaks around a signature run into it and around its attachments."""
    spans = signature_spans(t)
    return sorted({c for a, b in spans for c in (a, b)} | set(attachment_cuts(t, [a for a, _ in spans])))


def _cut_signature_and_attachments(ln: Line, signatures_only: bool = False) -> list[Line]:
    """``ln`` cut at ``cut_offsets`` (or around its signatures only)."""
    cuts = sorted({c for span in signature_spans(ln.text) for c in span}) if signatures_only else cut_offsets(ln.text)
    if not cuts:
        return [ln]
    bounds = [0, *cuts, len(ln.text)]
    return [ln.slice(a, b).strip() for a, b in zip(bounds, bounds[1:]) if ln.text[a:b].strip()]


# a title run into its first sub-item, where a whole notice stands on one line:
# 二、总体要求（一）指导思想。  （一）依托资源下沉提效赋能1．持续深化分级诊疗。
_HEADING_RUN = recache.lazy(
    r"""^(?:
        第[一二三四五六七八九十百\d]{1,4}章[^。；，,（(]{1,30}?(?=第[一二三四五六七八九十百\d]{1,4}条)  # 第一章 总则第一条
      | [一二三四五六七八九十]{1,3}、[^。；（(]{2,40}(?=[（(][一二三四五六七八九十]{1,3}[）)])
      | (?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])
        (?:[^。；（(\d]|(?:19|20)\d\d年){2,40}(?=\d{1,2}[．.](?!\d)\p{Han})  # a title holds no digits but a year: 1． after it is a label
    )""",
    regex.VERBOSE,
)
_HEADING_FIRST = "一二三四五六七八九十（(第"  # what _HEADING_RUN opens with


def _split_heading_run(ln: Line) -> list[Line]:
    """``ln`` cut after each title run into its first sub-item (二、总体要求（一）目标1．…: three lines)."""
    out = []
    m = _HEADING_RUN.match(ln.text) if ln.kind == "text" else None
    while m:
        out.append(ln.slice(0, m.end()))
        ln = ln.slice(m.end())
        m = _HEADING_RUN.match(ln.text)
    out.append(ln)
    return out


def _add_heading_run(out: list[Line], ln: Line) -> None:
    """Append ``_split_heading_run(ln)`` (a text line) to ``out``."""
    if ln.text[:1] and ln.text[0] in _HEADING_FIRST:
        out.extend(_split_heading_run(ln))
    else:
        out.append(ln)
