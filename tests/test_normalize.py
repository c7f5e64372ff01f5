"""Normalization properties that need long inputs: running heads, offsets, lines."""

from __future__ import annotations

from policyparse.normalize import normalize_text


def _paged(pages: int, head: str = "中央和国务院相关文件") -> str:
    body = []
    for p in range(pages):
        body.append(head)
        body += [f"第{p + 1}页的第{i + 1}段内容，各地要认真贯彻落实。" for i in range(20)]
        body.append(str(p + 1))
    return "\n".join(body)


def test_running_head_repeated_on_every_page_is_dropped():
    norm = normalize_text(_paged(4))
    assert "中央和国务院相关文件" not in norm.text
    assert "第4页的第20段内容" in norm.text


def test_every_character_maps_back_to_its_input_line():
    text = _paged(3)
    norm = normalize_text(text)
    lines = text.split("\n")
    for needle in ("第1页的第1段", "第2页的第7段", "第3页的第20段"):
        off = norm.text.index(needle)
        assert needle in lines[norm.line_of(off) - 1]


def test_a_repeated_tag_continuation_is_not_a_running_head():
    item = "（{}）加强控烟工作，推进无烟环境建设。（卫生健康委牵头，中央文明办、烟草\n局按职责分工负责）"
    text = "\n".join(["一、重点任务"] + [item.format(n) for n in "一二三四五六七八"] + ["正文内容。"] * 60)
    assert normalize_text(text).text.count("局按职责分工负责）") == 8


def test_a_one_letter_page_mark_repeated_on_every_page_is_dropped():
    norm = normalize_text(_paged(4, head="X"))
    assert "X" not in norm.text


def _wrapped(lines: list[str]) -> str:
    """A hard-wrapped export: many full lines of one width, around ``lines``."""
    filler = ["加强基层医疗卫生服务体系建设，提升服务能力和服务水平。" + "推进分级诊疗制度建设完善"[: k % 3] for k in range(10)]
    body = [f.ljust(28, "务")[:28] for f in filler]
    return "\n".join(body[:5] + lines + body[5:]) + "\n"


def test_a_number_broken_by_the_line_end_is_joined_again():
    text = _wrapped(["吸引特色品牌专科和企业巨头入驻，力争在全市范围内201", "9年底前，完成医院主体封顶并投入使用，加强管理。"])
    assert "2019年底前" in normalize_text(text).text


def test_two_numbers_on_two_lines_stay_apart():
    text = _wrapped(["人均预期寿命由基期的七十六岁提高到目标值为76.34", "2020年目标值为七十七岁，主要健康指标持续改善。"])
    assert "76.34 2020年" in normalize_text(text).text
