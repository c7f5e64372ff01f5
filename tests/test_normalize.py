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


# ---- the one-scan helpers give what the per-line tests give ---------------------------

_PIECES = ["加强", "领导", "，", "。", "2025", "年", " ", "\t", "①", "·", "×", "—", "…", "“", "”", "ab", "％", "〇",
           "𠀀", "\u3000", "\u2e8c", "\uf900", "\ud800", "網", "é", "打印", "收藏", "网站", "ICP备", "字号", "|", "第3页"]


def _texts(rnd, n: int) -> list[str]:
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 12))) for _ in range(n)]


def test_widths_from_utf8_lengths_are_display_widths():
    import random

    from policyparse import wraps

    rnd = random.Random(21)
    for _ in range(500):
        texts = _texts(rnd, rnd.randint(1, 12))
        assert wraps._widths(texts) == [wraps._width(t) for t in texts], texts


def test_footer_and_toolbar_are_tried_on_every_line_they_can_match():
    import random

    from policyparse.furniture import gates, marked, matchers

    rnd = random.Random(22)
    whole, prefix = matchers()
    whole_gate, prefix_gate = gates()
    assert whole_gate is not None and prefix_gate is not None  # the shipped rules have words to look for
    hits = 0
    for _ in range(500):
        lines = _texts(rnd, rnd.randint(1, 8)) + ["赣ICP备05004294号-1", "打印 收藏加快建设。"][: rnd.randint(0, 2)]
        text = "\n".join(lines)
        footers, bars = marked(text, whole_gate), marked(text, prefix_gate)
        start = 0
        for t in lines:
            s = t.strip()
            if whole.match(s):
                hits += 1
                assert start in footers, t
            if prefix.match(s):
                assert start in bars, t
            start += len(t) + 1
    assert hits > 100


def test_page_numbers_dropped_a_run_at_a_time_keep_the_gaps():
    import random

    from policyparse.normalize import Line, _drop_at, drop_lines, src_array

    rnd = random.Random(23)
    for _ in range(500):
        n = rnd.randint(0, 10)
        drop = sorted(rnd.sample(range(n), rnd.randint(0, n)))

        def lines():
            return [Line(str(i), src_array([i]), i % 3) for i in range(n)]

        fast = [(ln.text, ln.gap_before) for ln in _drop_at(lines(), drop)]
        plain = [(ln.text, ln.gap_before) for ln in drop_lines(lines(), lambda i, ln: i in drop)]
        assert fast == plain, drop


def test_input_line_starts():
    import random

    from policyparse.offsets import line_starts

    rnd = random.Random(24)
    for _ in range(500):
        text = "".join(rnd.choice("ab\n中") for _ in range(rnd.randint(0, 40)))
        expected = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for piece in (1, 3, 8, 1 << 20):
            assert line_starts(text, piece).tolist() == expected, (text, piece)


def test_inline_labels_are_where_a_look_behind_finds_them():
    import random

    import regex

    from policyparse import runons

    behind = regex.compile("(?<=[。：；！？:;!?）)])\\s*" + runons._INLINE_LABEL.pattern[len("[。：；！？:;!?）)](\\s*)") :], regex.VERBOSE)
    pieces = ["。", "：", "；", "）", ")", "(", "（", " ", "  ", "一、", "二", "十", "（三）", "(1)", "1.", "2．", "12.5", "第一章",
              "第3条", "加强", "，"]
    rnd = random.Random(25)
    found = 0
    for _ in range(3000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        spans = [m.span(1) for m in runons._INLINE_LABEL.finditer(t)]
        assert spans == [m.span() for m in behind.finditer(t)], t
        found += len(spans)
    assert found > 1000


def test_page_number_last_character_gate():
    import random

    from policyparse import normalize

    pieces = ["-", "—", "－", " ", "\t", "\u3000", "3", "12", "第", "页", "共", "/", ",", "，", "加强", "。", "x"]
    rnd = random.Random(26)
    found = 0
    shapes = ["- 3 -", "－12－", "第 3 页", "第3页 共 9 页", "第3页，共9页", "3/9", "12 / 40"]
    for _ in range(20000):
        t = rnd.choice(shapes) if rnd.random() < 0.5 else ""
        t += "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 3)))
        t = t.strip()
        if t and normalize._FURNITURE.match(t):
            found += 1
            assert normalize._may_be_furniture(t[0]) and normalize._may_end_furniture(t[-1]), t
    assert found > 1000
