"""Which item owns which text: items, closing matter and the preamble."""

from __future__ import annotations

import policyparse

# items written one paragraph each; the paragraph after the last item of the
# notice is its closing, a paragraph after the last item of a section is that item's
ONE_PARAGRAPH_EACH = (
    "一、加强领导\n"
    "（一）健全机制。每季度召开1次会议。\n"
    "（二）压实责任。各单位要明确专人负责。\n"
    "原则上每月报送一次工作进展。\n"
    "二、强化保障\n"
    "（三）加大投入。各单位要加大投入。\n"
    "（四）加强督导。每半年开展1次督导。\n"
    "各单位要高度重视，认真组织实施。\n"
)


def test_a_paragraph_after_a_sections_last_item_is_that_items():
    doc = policyparse.extract(ONE_PARAGRAPH_EACH)
    items = {m.id: m for m in doc.measures}
    assert items["一.(二)"].text.endswith("原则上每月报送一次工作进展。")
    assert [(f.period, f.times) for f in items["一.(二)"].frequencies] == [("month", 1)]
    assert "原则上" not in doc.preamble.text


def test_the_paragraph_after_the_notices_last_item_is_its_closing():
    doc = policyparse.extract(ONE_PARAGRAPH_EACH)
    items = {m.id: m for m in doc.measures}
    assert items["二.(四)"].text == "加强督导。每半年开展1次督导。"
    assert doc.preamble.text.endswith("各单位要高度重视，认真组织实施。")


def test_an_item_whose_label_line_is_a_heading_keeps_the_text_below_it():
    """二、目标任务 on a line of its own: the paragraph under it is its text, not closing matter."""
    text = (
        "附件2\n领导班子成员联系基层制度\n"
        "一、局领导班子成员与联系指导单位。夏伟清联系鲸园社区卫生服务中心。\n"
        "二、目标任务与责任科室\n"
        "局领导班子成员每年赴联系指导单位开展至少1次调研。\n"
        "附件3\n局有关科室工作要点\n"
    )
    doc = policyparse.extract(text)
    items = {m.id: m for m in doc.measures}
    assert items["附件2.二"].text.endswith("开展至少1次调研。")
    assert [(f.period, f.times) for f in items["附件2.二"].frequencies] == [("year", 1)]
    assert "调研" not in doc.preamble.text
