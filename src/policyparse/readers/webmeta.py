"""The metadata block government sites print above a notice: 索引号, 发文机关, 发文字号, 成文日期, 标题.

Sites print it as a table of key / value cells, as one run of "key：value"
pairs, or as a list; keys are often spaced out to align (文　　号).  Values are
cleaned: dates to ISO, document numbers without spaces, "无" dropped.

    >>> meta_fields(["发文字号", "示卫发〔2024〕 12号", "成文日期：2024年03月05日"])["issued_on"]
    '2024-03-05'
"""

from __future__ import annotations

import re

from .. import recache

_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"

# the page's metadata block: field → the names sites give it
_META_KEYS = {
    "index_no": ("索引号",),
    "topic": ("主题分类", "主题词", "组配分类"),
    "issuer": ("发文机关", "发布机构", "发文单位", "发布单位", "制发机关", "发文机构"),
    "doc_number": ("发文字号", "文号", "文件编号"),
    "issued_on": ("成文日期", "发文日期", "印发日期", "成文时间"),
    "published_on": ("发布日期", "公开日期", "发布时间"),
    "title": ("标题", "名称", "文件名称"),
    "validity": ("有效性", "时效性", "效力状态"),
}
_KEY_FIELD = {"".join(k): f for f, ks in _META_KEYS.items() for k in ks}
_KEY_ALT = "|".join(
    r"[\s\u3000\xa0]*".join(map(re.escape, k)) for k in sorted(_KEY_FIELD, key=len, reverse=True)
)
# a key opens a cell (its value follows or fills the next cell), or stands mid-text before a colon
_KEY_AT_START = recache.lazy(rf"^(?P<key>{_KEY_ALT})[\s\u3000\xa0]*[:：]?")
_KEY_MID = recache.lazy(rf"(?P<key>{_KEY_ALT})[\s\u3000\xa0]*[:：]")
_CORE_FIELDS = {"index_no", "issuer", "doc_number", "issued_on"}
_DATE = recache.lazy(r"(\d{4})\s*[年\-/.．]\s*(\d{1,2})\s*[月\-/.．]\s*(\d{1,2})")


def fields_in(text: str, segments: list[str]) -> set[str]:
    """The metadata fields whose keys appear in a block (its text, and its cells)."""
    found = {_KEY_FIELD[re.sub(r"[\s\u3000\xa0]", "", m.group("key"))] for m in _KEY_MID.finditer(text)}
    return found | ({_field_of(c) for c in segments} - {None})


def is_meta_block(found: set[str]) -> bool:
    """At least three keys, one of them a core one (an info bar has only 发布时间, 来源)."""
    return len(found) >= 3 and bool(found & _CORE_FIELDS)


def _field_of(seg: str) -> str | None:
    m = _KEY_AT_START.match(seg)
    return _KEY_FIELD[re.sub(r"[\s\u3000\xa0]", "", m.group("key"))] if m else None


def meta_fields(segs: list[str]) -> dict:
    """Fields of a metadata block from its cells' texts ("发文字号：x" in one cell, or "发文字号" | "x")."""
    values: dict[str, str] = {}
    i = 0
    while i < len(segs):
        seg = segs[i]
        hits = []
        m = _KEY_AT_START.match(seg)
        if m:
            hits.append(m)
        hits += [h for h in _KEY_MID.finditer(seg, m.end() if m else 0)]
        if not hits:
            i += 1
            continue
        for j, h in enumerate(hits):
            end = hits[j + 1].start() if j + 1 < len(hits) else len(seg)
            value = seg[h.end():end].strip(" \u3000\xa0:：")
            if not value and j == len(hits) - 1 and i + 1 < len(segs) and not _KEY_AT_START.match(segs[i + 1]):
                i += 1
                value = segs[i]
            field = _KEY_FIELD[re.sub(r"[\s\u3000\xa0]", "", h.group("key"))]
            if value and field not in values:
                values[field] = value
        i += 1
    return _clean_meta(values)


def _clean_meta(values: dict) -> dict:
    out: dict = {"title": None, "issuer": None, "doc_number": None, "issued_on": None}
    for field, value in values.items():
        value = re.sub(r"[\s\u3000\xa0]+", " ", value).strip()
        if value in ("无", "/", "-", "－", "—", "暂无"):
            continue
        if field in ("issued_on", "published_on"):
            d = _DATE.search(value)
            if not d:
                continue
            y, mth, day = (int(x) for x in d.groups())
            if not (1 <= mth <= 12 and 1 <= day <= 31):
                continue
            value = f"{y:04d}-{mth:02d}-{day:02d}"
        elif field == "doc_number":
            value = re.sub(r"\s+", "", value)
            if not re.search(r"\d", value):
                continue
        elif field == "title":
            value = re.sub(r"\s+", "", value) if re.search(rf"[{_CJK}]", value) else value
        out[field] = value
    return out
