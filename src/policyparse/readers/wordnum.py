"""Word's automatic list numbering: definitions, counters, and labels as Word displays them.

A paragraph in a list carries ``numPr`` (numId, ilvl) directly or through its
style; the numId points to an ``abstractNum`` whose level gives ``lvlText``
("%1、", "（%2）"), ``numFmt`` (chineseCounting, decimal …) and ``start``.
Counters run per abstractNum (as in Word); a ``startOverride`` restarts a list
on its first use; ``lvlRestart`` and ``isLgl`` are honoured.

    >>> format_number(12, "chineseCounting"), format_number(3, "decimalEnclosedCircle")
    ('十二', '③')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CJK_END = re.compile(r"[\u3000-\u303f\uff00-\uffef\u4e00-\u9fff①-⑳]$")


_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIAN_GAN = "甲乙丙丁戊己庚辛壬癸"
_DI_ZHI = "子丑寅卯辰巳午未申酉戌亥"


def _counting(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """Chinese counting form: 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if n <= 0 or n >= 10000:
        return str(n)
    zero = "零" if digits is _DIGITS else digits[0]
    parts, need_zero = [], False
    for value, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // value % 10
        if d:
            if need_zero:
                parts.append(zero)
            parts.append(digits[d] + unit)
            need_zero = False
        elif parts:
            need_zero = True
    out = "".join(parts).rstrip(zero)
    if 10 <= n < 20 and digits is _DIGITS:
        out = out[1:]  # 十一, not 一十一
    return out


def format_number(n: int, fmt: str) -> str:
    """The number ``n`` in Word's number format ``fmt`` (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _counting(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return _counting(n, _LEGAL, "拾佰仟")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(ord("①") + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(ord("⑴") + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(ord("⒈") + n - 1)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ideographTraditional":
        return _TIAN_GAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DI_ZHI[(n - 1) % 12]
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # isLgl: other levels' numbers shown as decimal
    suffix: str = "tab"


@dataclass
class Numbering:
    """The numbering part: definitions plus the running counters while reading."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstractNum (Word's rule)
    used: set[str] = field(default_factory=set)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list ``num_id`` at level ``ilvl`` and return the label shown."""
        if num_id not in self.nums:
            return None
        abs_id, overrides = self.nums[num_id]
        levels = dict(self.abstract.get(abs_id, {}))
        for k, (_, lvl) in overrides.items():
            if lvl is not None:
                levels[k] = lvl
        if ilvl not in levels:
            return None
        counts = self.counters.setdefault(abs_id, [None] * 9)
        if num_id not in self.used:  # a restarted list (startOverride) begins again on first use
            self.used.add(num_id)
            for k, (start, _) in overrides.items():
                if start is not None and 0 <= k < 9:
                    counts[k] = start - 1
        lvl = levels[ilvl]
        counts[ilvl] = (counts[ilvl] if counts[ilvl] is not None else lvl.start - 1) + 1
        for k in range(ilvl + 1, 9):
            deeper = levels.get(k)
            rs = deeper.restart if deeper else None
            if rs is None or (rs != 0 and ilvl < rs):
                counts[k] = None
        if lvl.fmt == "bullet":
            return ""  # a bullet is not a label

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            other = levels.get(k, _Level())
            n = counts[k] if counts[k] is not None else other.start
            fmt = "decimal" if lvl.legal and k != ilvl and other.fmt != "none" else other.fmt
            return format_number(n, fmt)

        text = re.sub(r"%([1-9])", sub, lvl.text)
        if not text:
            return ""
        if lvl.suffix == "space" or (lvl.suffix == "tab" and not _CJK_END.search(text)):
            return text + " "  # "1." before its text; "一、" needs no gap
        return text


def val(el, tag: str, default=None):
    child = el.find(_W + tag) if el is not None else None
    if child is None:
        return default
    return child.get(_W + "val", default)


def _level(lvl) -> _Level:
    out = _Level()
    out.start = int(val(lvl, "start", "1") or 1)
    out.fmt = val(lvl, "numFmt", "decimal") or "decimal"
    text = lvl.find(_W + "lvlText")
    out.text = text.get(_W + "val", "") if text is not None else ""
    rs = val(lvl, "lvlRestart")
    out.restart = int(rs) if rs is not None and rs.lstrip("-").isdigit() else None
    legal = lvl.find(_W + "isLgl")
    out.legal = legal is not None and legal.get(_W + "val", "true") not in ("0", "false", "off")
    out.suffix = val(lvl, "suff", "tab") or "tab"
    return out


def load_numbering(document, styles: dict) -> Numbering:
    out = Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return out
    links = {}  # abstractNum → style whose numbering it borrows (numStyleLink)
    for an in root.findall(_W + "abstractNum"):
        aid = an.get(_W + "abstractNumId")
        out.abstract[aid] = {int(lvl.get(_W + "ilvl", "0")): _level(lvl) for lvl in an.findall(_W + "lvl")}
        link = val(an, "numStyleLink")
        if link:
            links[aid] = link
    for num in root.findall(_W + "num"):
        nid = num.get(_W + "numId")
        aid = val(num, "abstractNumId")
        overrides = {}
        for ov in num.findall(_W + "lvlOverride"):
            k = int(ov.get(_W + "ilvl", "0"))
            start = val(ov, "startOverride")
            lvl = ov.find(_W + "lvl")
            overrides[k] = (int(start) if start and start.isdigit() else None, _level(lvl) if lvl is not None else None)
        out.nums[nid] = (aid, overrides)
    for aid, style_id in links.items():  # resolve one level of numStyleLink
        target = styles.get(style_id, {}).get("numId")
        if target in out.nums and not out.abstract.get(aid):
            out.abstract[aid] = out.abstract.get(out.nums[target][0], {})
    return out


def load_styles(document) -> dict:
    """styleId → {numId, ilvl, basedOn} for paragraph styles."""
    out = {}
    try:
        root = document.styles.element
    except (KeyError, AttributeError):
        return out
    for st in root.findall(_W + "style"):
        sid = st.get(_W + "styleId")
        ppr = st.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        out[sid] = {
            "numId": val(num_pr, "numId"),
            "ilvl": val(num_pr, "ilvl"),
            "basedOn": val(st, "basedOn"),
        }
    return out
