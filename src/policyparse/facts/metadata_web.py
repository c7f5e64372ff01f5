"""A web page print's 政府信息公开 metadata table: title, issuer, doc_number, issued_on.

    >>> web_table("索引号：001/2025-01发文机关：海南省卫生健康委员会文号：琼健爱卫〔2025〕7号成文日期：2025年05月15日")[0]["doc_number"]
    '琼健爱卫〔2025〕7号'
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex

from .. import recache
from .metadata_text import clean_title, doc_numbers, doc_type_ends, is_organ, iso_date, organ_prefix, ruleset, rx, squash, title_end

_TABLE_CAP = 300  # characters a web table spans between two of its labels
_WEB_VALUE = {
    "索引号": regex.compile(r"[\w\-/.]+"),
    "时效性": regex.compile(r"现行有效|已失效|已废止|部分失效|已修改|有效|失效|废止"),
}
_WEB_DATE = ("成文日期", "发布日期", "生效日期", "废止日期")
_FIELD_LINE = recache.lazy(r"^\s*$|^\s*\S{1,8}\s*[：:]")  # a line of the table: a label and its value
_TIME = recache.lazy(r"\s*\d{1,2}:\d{2}(?::\d{2})?")


def web_table(text: str, rules_dir: Path | None = None) -> tuple[dict, int]:
    """Fields of a 政府信息公开 metadata table (title, issuer, doc_number, issued_on) and its end."""
    rs = ruleset(rules_dir)
    strong = rs.compile(r"^{web_strong}$")
    labels = list(rx("web-label", rules_dir).finditer(text[:6000]))
    first = next((i for i, m in enumerate(labels) if strong.match(m.group("label"))), None)
    if first is None:
        return {}, 0
    run = [labels[first]]
    for m in labels[first + 1 :]:
        if m.start() - run[-1].end() > _TABLE_CAP:
            break
        if any(not _FIELD_LINE.search(ln) for ln in text[run[-1].end() : m.start()].rstrip().split("\n")[1:]):
            break  # a line that is no field (the document's title) ends the table (公开方式：… is one)
        run.append(m)
    if len({squash(m.group("label")) for m in run if strong.match(m.group("label"))}) < 2:
        return {}, 0
    fields, end = {}, run[-1].end()
    for i, m in enumerate(run):
        stop = run[i + 1].start() if i + 1 < len(run) else _line_end(text, m.end())
        raw, key = text[m.end() : stop], squash(m.group("label")).replace("有效性", "时效性").replace("时间", "日期")
        value, used = _web_value(key, raw, rules_dir, last=i + 1 == len(run))
        end = max(end, m.end() + used)
        if value and key not in fields:
            fields[key] = value
    title = clean_title(fields.get("标题", ""))
    org = organ_prefix(title, rules_dir)
    out = {
        "title": title[len(org) :] if org else title,
        "issuer": fields.get("发文机关") if is_organ(fields.get("发文机关", ""), rules_dir) else None,
        "doc_number": fields.get("发文字号") or fields.get("文号"),
        "issued_on": fields.get("成文日期"),
    }
    out["heading"] = _heading_above(text[: run[0].start()], rules_dir)
    return {k: v for k, v in out.items() if v}, end


def _heading_above(before: str, rules_dir) -> str | None:
    """The page's heading on the line right above its table: the title when the document prints none."""
    lines = [ln.strip() for ln in before.rstrip().split("\n")]
    last = clean_title(lines[-1]) if lines and lines[-1] else ""
    if not last or not title_end(last, rules_dir):
        return None
    org = organ_prefix(last, rules_dir)
    return last[len(org) :] if org else last


def _line_end(text: str, pos: int) -> int:
    n = text.find("\n", pos)
    return len(text) if n < 0 else n


def _web_value(key: str, raw: str, rules_dir, last: bool = False) -> tuple[str | None, int]:
    """The value of one table field and how many characters of ``raw`` it takes."""
    lead = len(raw) - len(raw.lstrip())
    body = raw.lstrip()
    if key == "标题" and last:  # nothing bounds it: stop where the title is complete
        e = _title_stop(body, rules_dir)
        return squash(body[:e]) or None, lead + e
    if key in ("文号", "发文字号"):
        nums = doc_numbers(body, rules_dir)
        if nums and nums[0][0] == 0:
            return nums[0][2], lead + nums[0][1]
        return None, lead
    if key in _WEB_DATE:
        m = rx("date", rules_dir).match(body)
        if m is None:
            return None, lead
        t = _TIME.match(body, m.end())  # 发布日期:2021-12-22 17:45: the time goes with its date
        return iso_date(m.group(0), rules_dir), lead + (t.end() if t else m.end())
    if key in _WEB_VALUE:
        m = _WEB_VALUE[key].match(body)
        return (m.group(0), lead + m.end()) if m else (None, lead)
    return squash(body) or None, len(raw)


_CONTINUED = recache.lazy(r"^(?:[的和及与暨、，,（(》”]|实施|工作)")


@functools.lru_cache(maxsize=8)
def _doc_type_start(rules_dir):
    """A 文种 at the start of a string."""
    return recache.compile("^(?:" + ruleset(rules_dir).parts["doc_type"] + ")")


def _title_stop(s: str, rules_dir) -> int:
    """Where a title run into the following text ends: its first complete 文种.

    >>> _title_stop("关于印发工作方案的通知各区县人民政府：", None)
    11
    """
    dt = _doc_type_start(rules_dir)
    for e in doc_type_ends(s, rules_dir):
        rest = s[e:].lstrip()
        if not rest or not (_CONTINUED.match(rest) or dt.match(rest)):
            return e
    return len(s)
