"""Rebuild tables printed as keyed rows (``领域：健康水平  指标：人均预期寿命(岁)  2020年：77.3``) as TSV.

A web page that lays a table out for narrow screens, and the text or PDF
printed from it, writes each row as ``column：value`` pairs; the rows wrap
over lines like prose, and would run into each other once wrapped lines are
joined.  This step finds runs of such rows (two or more, each opening with
the same column name and naming two or more known columns of
``rules/columns.toml``), writes the first row's column names once as a header
line and each row as one line of TAB-separated values, so the structure step
reads them as it reads any table.

    >>> from policyparse.normalize import normalize_text
    >>> t = "领域：健康水平  指标：婴儿死亡率(‰)  2015 年：8.1\\n2020 年：7.5  2030 年：5.0\\n领域：健康生活  指标：居民健康素养水平(%)  2015 年：10  2020 年：20  2030 年：30"
    >>> normalize_text(t).text.splitlines()[:2]
    ['领域\\t指标\\t2015年\\t2020年\\t2030年', '健康水平\\t婴儿死亡率(‰)\\t8.1\\t7.5\\t5.0']
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from pathlib import Path

from . import recache
from .layout import tsv_line
from .structure.columns import role_of, roles_of
from .wraps import is_label_start

_KEY_MAX = 12  # characters of a column's name
# a column's name (Chinese and digits, single spaces inside: 2015 年) and its colon
_NAME = r"(?P<key>[\p{Han}\d](?:[\p{Han}\d]| (?=[\p{Han}\d])){0,%d}?)\s?[：:]" % (_KEY_MAX - 1)
# where a cell starts: at the line start, after white space, or after a closing bracket
# that a wrapped line left it against (人数(亿人)2015 年：3.6)
_KEY = recache.lazy(r"(?:^|(?<=[\s)）]))" + _NAME)
# where a wrapped line starts (joined lines keep no space between them: 76.34|2020 年：)
_KEY_AT = recache.lazy(_NAME)
_MAX_ROW_LINES = 6  # a row wraps over a few lines; more is prose that happens to open alike
_TAIL = 4  # characters of a last value's wrapped end on a line of its own (25 左 / 右)


def rebuild(lines: list, rules_dir: Path | None = None) -> list:
    """Return ``lines`` with each run of keyed rows rebuilt as a header and TSV rows."""
    opening = {i: k for i in _colon_near(lines) if (k := _opening(lines[i], rules_dir)) is not None}
    if len(opening) < 2:
        return lines
    out, done = [], 0
    for i in sorted(opening):
        # a run needs a second row opening with the same column within a row's reach
        if i < done or all(opening.get(j) != opening[i] for j in range(i + 1, i + _MAX_ROW_LINES + 1)):
            continue
        rows = _run(lines, opening, i, rules_dir)
        if rows is not None:
            out += lines[done:i]
            out += _table(rows, rules_dir)
            done = i + sum(len(r) for r in rows)
    return out + lines[done:] if done else lines


def _colon_near(lines: list) -> list[int]:
    """The lines with a colon close enough to their start to end a column's name.

    Found from the colons of the whole text (a notice holds a few hundred), not
    line by line: most lines hold none near their start.
    """
    texts = [ln.text for ln in lines]
    text = "\n".join(texts)
    ends = [n + i for i, n in enumerate(accumulate(map(len, texts)))]  # where each line ends in ``text``
    found = set()
    for colon in "：:":
        p = text.find(colon)
        while p >= 0:
            start = text.rfind("\n", 0, p) + 1
            if 0 < p - start <= _KEY_MAX + 1:
                found.add(bisect.bisect_left(ends, p))
            p = text.find(colon, p + 1)
    return sorted(found)


def _keys(row: list, rules_dir) -> list:
    """The keys of a row's lines joined (``_joined``) that name a known column, in order."""
    text = _joined(row).text
    found = list(_KEY.finditer(text, overlapped=True))  # 28 左右 2030 年：— 左右 2030 年 is no column, 2030 年 is
    b = 0
    for ln in row[:-1]:
        b += len(ln.text)
        m = _KEY_AT.match(text, b)
        if m:
            found.append(m)
    out, end = [], 0
    for m in sorted(found, key=lambda m: m.start()):
        if m.start() >= end and role_of(m.group("key"), rules_dir) is not None:
            out.append(m)
            end = m.end()
    return out


def _name(m) -> str:
    return m.group("key").replace(" ", "")


def _opening(ln, rules_dir) -> str | None:
    """The column a line opens with (``领域`` of ``领域：健康水平``), or None."""
    if ln.kind != "text":
        return None
    m = _KEY.match(ln.text)
    return _name(m) if m and role_of(m.group("key"), rules_dir) is not None else None


def _run(lines: list, opening: dict, i: int, rules_dir) -> list | None:
    """The rows (lists of lines) of a run of two or more keyed rows opening at ``i``, else None.

    A row is its first line, the lines after it up to the last one that names a
    column (a long name or value wraps between them), and a short tail where its
    last value wraps (``25 左`` / ``右``).  Rows follow one another directly: a line
    of prose or a numbered item between two rows (责任单位：…  完成时限：… under each
    item of a list) ends the run.
    """
    first = opening[i]
    rows, j = [], i
    while j < len(lines) and opening.get(j) == first:
        row = _row(lines, opening, j, rules_dir)
        rows.append(row)
        j += len(row)
    if len(rows) < 2 or "text" not in (roles_of(_names(rows[0], rules_dir), rules_dir) or ()):
        return None  # a table has a column saying what each row is about (指标, 任务)
    if any(len(_keys(r, rules_dir)) < 2 for r in rows):
        return None  # a row naming one column: prose that opens with a column's name
    return rows


def _row(lines: list, opening: dict, j: int, rules_dir) -> list:
    """The lines of the keyed row opening at ``j`` (see ``_run``)."""
    k, last_key, seen = j + 1, j, len(_keys(lines[j : j + 1], rules_dir))
    while (
        k < len(lines)
        and k - j < _MAX_ROW_LINES
        and lines[k].kind == "text"
        and opening.get(k) != opening[j]
        and not is_label_start(lines[k].text)
    ):
        n = len(_keys(lines[j : k + 1], rules_dir))  # a name may wrap too: 2030 / 年：
        if n > seen:
            last_key, seen = k, n
        k += 1
    end = last_key + 1
    if end < k and len(lines[end].text) <= _TAIL and (end + 1 == len(lines) or opening.get(end + 1) == opening[j]):
        end += 1  # the last value's wrapped end, right before the next row
    return lines[j:end]


def _names(row: list, rules_dir) -> list:
    return [_name(m) for m in _keys(row, rules_dir)]


def _joined(row: list):
    out = row[0]
    for ln in row[1:]:
        out = out + ln
    return out


def _table(rows: list, rules_dir) -> list:
    """A header line (every column the rows name, in the order they first come) and one TSV line per row.

    A row may name a column the first row lacks (配合单位 where only some tasks have
    helpers): it is placed after the columns it follows in that row.
    """
    joined = [_joined(row) for row in rows]
    found = [_keys(row, rules_dir) for row in rows]
    names: list = []
    heads: dict = {}  # each column's name as first printed (its offsets)
    for ln, keys in zip(joined, found):
        at = 0
        for m in keys:
            name = _name(m)
            if name in heads:
                at = names.index(name) + 1
                continue
            heads[name] = ln.slice(m.start("key"), m.end("key"))
            names.insert(at, name)
            at += 1
    header = tsv_line([heads[n] for n in names], "header")
    header.gap_before = rows[0][0].gap_before
    out = [header]
    for ln, keys in zip(joined, found):
        cells: dict = {}
        for m, nxt in zip(keys, keys[1:] + [None]):
            value = ln.slice(m.end(), nxt.start() if nxt is not None else len(ln.text)).strip()
            cells.setdefault(_name(m), value if len(value) else None)
        out.append(tsv_line([cells.get(n) for n in names], "row"))
    return out
