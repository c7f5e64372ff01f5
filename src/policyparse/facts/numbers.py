"""Numbers and quantities: Arabic and Chinese numerals, ranges, magnitudes and units.

``extract`` finds every quantity in a text — a number or a range, with the unit
written after it and 万/亿 folded into the value — and ``parse_number`` reads one
isolated numeral.  Which quantities are commitments is decided in ``targets``.
The grammar (number pattern, units, magnitudes) is data: ``rules/numbers.toml``.

    >>> [(q["value"], q["unit"]) for q in extract("每处给予25万元，配备3至5名")]
    [(250000.0, '元'), (3.0, '名')]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path


from .. import recache, rules
from . import prefilter

__all__ = ["extract", "parse_number"]

_ARABIC = recache.lazy(r"\d+(?:,\d{3})*(?:\.\d+)?")
_ARABIC_MAG = recache.lazy(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<mag>[万亿千百]*)")
_GAP = recache.lazy(r"[ \t\u3000]*")


def parse_number(s: str) -> float | None:
    """The value of one isolated numeral, or None when ``s`` is not a number.

    Arabic (``2.4``, ``1,000``), Chinese (``三千五百``, ``两``, ``二〇二五``),
    mixtures with a magnitude (``2.5万`` → 25000) and ``百分之四十`` (→ 40, the
    percentage).  Units are not read here: ``parse_number("一次")`` is None.

    >>> parse_number("三千五百"), parse_number("2.5万"), parse_number("两"), parse_number("次")
    (3500.0, 25000.0, 2.0, None)
    """
    s = (s or "").strip()
    if s.startswith("百分之"):
        s = s[3:]
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return float(s)  # 30: what the pattern below reads it as, without the match
    if len(s) == 1 and s in _DIGITS:
        return float(_DIGITS[s])  # 一, 两, 〇: what chinese_value reads a lone digit as
    m = None if s[0] in _NUMERALS else _ARABIC_MAG.fullmatch(s)  # 三十: no Arabic digit opens it
    if m:
        value = float(m.group("num").replace(",", ""))
        for c in m.group("mag"):
            value *= _grammar(None).magnitudes[c]
        return value
    if not _grammar(None).chinese_re.fullmatch(s):
        return None
    value = chinese_value(s)
    if value is None or value is not _UNSURE:
        return value
    import cn2an  # lazy, for the rare irregular numeral: ~0.3 s to import

    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


# ---- Chinese numerals ---------------------------------------------------------------
# The regular forms are read here; anything irregular (一百十, 二五, 千万亿 orders)
# is left to cn2an.  tests/test_numbers.py checks every reading against cn2an, so
# the two never disagree — the reader only spares the import (~0.3 s per process).

_UNSURE = object()
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_PLAN_TERM = recache.lazy("[一二三四五六七八九]?十[一二三四五六七八九]{2,3}")  # at least 3 characters, one 十
_NUMERALS = frozenset(_DIGITS) | frozenset(_SMALL) | frozenset(_BIG)  # none of them a decimal digit (\d)


def chinese_value(s: str):
    """The value of a Chinese numeral, None when it is none, ``_UNSURE`` when it is irregular.

    >>> chinese_value("一千零五十"), chinese_value("二〇二五"), chinese_value("三点五")
    (1050.0, 2025.0, 3.5)
    """
    whole, dot, frac = s.partition("点")
    if dot:
        if not frac or any(c not in _DIGITS or c == "两" for c in frac):
            return _UNSURE
        head = _integer(whole) if whole else _UNSURE
        if head is _UNSURE or head is None:
            return head
        return float(f"{int(head)}.{''.join(str(_DIGITS[c]) for c in frac)}")
    value = _integer(whole)
    return value if value is _UNSURE or value is None else float(value)


def _integer(s: str):
    if not s:
        return _UNSURE
    if len(s) >= 3 and "十" in s and _PLAN_TERM.fullmatch(s):
        return None  # 十三五, 二十五六: not a number (cn2an refuses them too), a plan's name
    if all(c in _DIGITS for c in s):  # 二〇二五: digit by digit
        if len(s) > 1 and "两" in s:
            return _UNSURE
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit, small, big = 0, 0, None, 10_000, 10**12
    zero = False  # a 零 was written since the last unit
    lead0 = False  # the section after a big unit opened with 零
    for c in s:
        if c in _DIGITS:
            d = _DIGITS[c]
            if d == 0:
                if zero or digit is not None or small == 10 or (small == 10_000 and big == 10**12):
                    return _UNSURE  # 零零, 五零, or a leading 零 before a unit
                zero = True
                lead0 = lead0 or small == 10_000
                continue
            if digit is not None:
                return _UNSURE
            digit = d
        elif c in _SMALL:
            u = _SMALL[c]
            if u >= small or (digit is None and (u != 10 or section or total or zero)):
                return _UNSURE  # 一百十, 百, 十十: irregular
            if zero and u * 10 >= small:
                return _UNSURE  # 一千零百: a 零 may only skip a unit
            section += (1 if digit is None else digit) * u
            digit, small, zero = None, u, False
        elif c in _BIG:
            u = _BIG[c]
            if digit is not None and small in (100, 1000) and not zero:
                return _UNSURE  # 一百一万
            if digit is not None:
                section += digit
            if u >= big or section == 0 or zero:
                return _UNSURE
            total += section * u
            section, digit, small, big, zero, lead0 = 0, None, 10_000, u, False, False
        else:
            return _UNSURE
    if digit is not None:
        if zero or small == 10 or big == 10**12 and small == 10_000:
            section += digit  # 一千零五, 二十五, 五
        elif small in (100, 1000):
            section += digit * small // 10  # 三千五 → 3500, 二百五 → 250
        elif small == 10_000 and big == 10_000 and section == 0:
            section += digit * 1000  # 一万二 → 12000
        else:
            return _UNSURE  # 一亿一, 一万一千一: irregular
    elif zero:
        return _UNSURE  # a trailing 零
    if big == 100_000_000 and section and not lead0:
        return _UNSURE  # 一亿一千: cn2an wants 一亿零一千
    return total + section


def extract(text: str, ctx=None) -> list[dict]:
    """Every quantity in ``text``: dicts with text, value, value_max, unit, start, end.

    Also ``chinese`` (the number is written in Chinese numerals) and ``scale``
    (the magnitude folded in).  Ratios (2:8) are skipped.

    >>> q = extract("按照常住人口的1—1.5‰配备")[0]
    >>> (q["text"], q["value"], q["value_max"], q["unit"])
    ('1—1.5‰', 1.0, 1.5, '‰')
    """
    g = _grammar(_rules_dir(ctx))
    # a ratio needs its colon: most texts skip the scan (whose look-behind tries every position)
    blocked = [(m.start(), m.end()) for m in g.ratio.finditer(text)] if g.ratio_gate.live(text) else []
    out: list[dict] = []
    pos = 0
    while True:
        m = g.number.search(text, pos)
        if m is None:
            break
        pos = m.end()
        if (blocked and any(a <= m.start() < b for a, b in blocked)) or not _clean_start(text, m):
            continue
        q = _read(text, m, g)
        if q is None:
            continue
        out.append(q)
        pos = q["end"]
    _share_units(text, out)
    return out


# ---- reading one quantity ---------------------------------------------------------


def _read(text: str, m, g: "_Grammar") -> dict | None:
    """The quantity that starts at number match ``m`` (with its range and unit)."""
    pct, num = m.group("pct", "num")
    value = parse_number(num)
    if value is None:
        return None
    start, end = m.span()
    chinese = not num[0].isdigit()
    value_max = None
    if pct:
        unit, scale = "%", 1.0  # 百分之四十: no range follows a percentage
    else:
        unit, scale, end = _unit(text, end, not chinese, g)
        r = g.range_tail.match(text, end)
        if r:
            hi_num = r.group("num")
            hi = parse_number(hi_num)
            hi_chinese = not hi_num[0].isdigit()
            if hi is not None and hi_chinese == chinese:
                unit2, scale2, end2 = _unit(text, r.end(), not chinese, g)
                if unit is None or unit2 == unit:
                    value_max = hi * scale2
                    if scale == 1.0:
                        scale = scale2
                    unit, end = unit2 or unit, end2
    return {
        "text": text[start:end],
        "value": value * scale,
        "value_max": value_max,
        "unit": unit,
        "start": start,
        "end": end,
        "chinese": chinese,
        "scale": scale,
    }


_GAP_CHARS = " \t\u3000"  # what _GAP skips: most units follow their number directly


def _unit(text: str, p: int, arabic: bool, g: "_Grammar") -> tuple[str | None, float, int]:
    """The unit written at ``p`` (after magnitudes 万/亿, which fold into a scale)."""
    scale = 1.0
    n = len(text)
    q = p if p < n and text[p] not in _GAP_CHARS else _GAP.match(text, p).end()
    while q < n:
        u = _unit_at(text, q, g)
        if u:
            return u, scale, q + len(u)
        c = text[q]
        if c in g.magnitudes and (arabic or c in "万亿"):
            scale *= g.magnitudes[c]
            q += 1
            continue
        break
    end = q if scale != 1.0 else p
    return None, scale, end


def _unit_at(text: str, q: int, g: "_Grammar") -> str | None:
    for u in g.units_by_first.get(text[q : q + 1], ()):  # longest first
        if not text.startswith(u, q):
            continue
        nxt = text[q + len(u) : q + len(u) + 1]
        if nxt and nxt in g.not_before.get(u, ""):
            continue
        if u[-1].isascii() and u[-1].isalpha() and nxt.isascii() and nxt.isalpha():
            continue  # 5G网络, 7mmHg: a letter unit must end the letters
        return u
    return None


def _clean_start(text: str, m) -> bool:
    """A number glued to Latin letters (H7N9, COVID-19) is part of a name."""
    before = text[m.start() - 1 : m.start()]
    if not before:
        return True
    if before.isascii() and (before.isalnum() or before in ".-_/"):
        return not (m.group("num")[0].isdigit())
    return True


def _share_units(text: str, out: list[dict]) -> None:
    """``10、9、8个小时``: bare numbers in a 、-run take the unit of the run's last item."""
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a["unit"] is None and b["unit"] and a["scale"] == 1.0 and text[a["end"] : b["start"]].strip() in ("、", "和", "或"):
            a["unit"], a["scale"] = b["unit"], b["scale"]
            a["value"] *= b["scale"]
            if a["value_max"] is not None:
                a["value_max"] *= b["scale"]


# ---- grammar (rules/numbers.toml) -------------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    number: object
    range_tail: object
    ratio: object
    ratio_gate: object  # prefilter.Gate: what a text must hold for ``ratio`` to match
    chinese: str
    chinese_re: object
    units: tuple
    units_by_first: dict  # first character → the units it opens, longest first
    not_before: dict
    magnitudes: dict


@functools.cache
def _grammar(rules_dir: str | None) -> _Grammar:
    rs = rules.load("numbers", rules_dir)
    units = tuple(sorted(set(rs.words("units")), key=lambda w: (-len(w), w)))
    return _Grammar(
        number=rs.rule("number").regex,
        range_tail=rs.compile(r"[ \t]* (?:{range_sep}) [ \t]* (?P<num>{number})"),
        ratio=rs.rule("ratio").regex,
        ratio_gate=prefilter.Gate((rs.rule("ratio").pattern,)),
        chinese=rs.parts["chinese"],
        chinese_re=rs.compile("{chinese}"),
        units=units,
        units_by_first={c: tuple(u for u in units if u[0] == c) for c in {u[0] for u in units}},
        not_before=dict(rs.data.get("not_before", {})),
        magnitudes={k: float(v) for k, v in rs.data.get("magnitudes", {}).items()},
    )


def _rules_dir(ctx) -> str | None:
    d = getattr(ctx, "rules_dir", None)
    return None if d is None else str(Path(d))
