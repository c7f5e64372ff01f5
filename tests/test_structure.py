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


def test_a_paragraph_on_the_document_itself_after_the_last_item_is_closing():
    """本政策措施…自公布之日起施行, 从2025年1月1日起算: the whole document's, not the last item's."""
    text = (
        "一、保险激励\n对承保新上牌车辆按照保费金额的10%给予激励。\n"
        "二、认证检测费用激励\n按照认证检测费用的10%给予激励。（责任单位：市商务委）\n"
        "本政策措施所列激励标准均为最高标准。本文件自公布之日起30日后施行，政策措施从2025年1月1日起算，有效期截至2027年12月31日。\n"
    )
    doc = policyparse.extract(text)
    items = {m.id: m for m in doc.measures}
    assert items["二"].text.endswith("（责任单位：市商务委）")
    assert items["二"].deadlines == []
    assert [d.date for d in doc.preamble.deadlines if d.date] == ["2025-01-01", "2027-12-31"]


def test_an_items_first_paragraph_on_the_document_stays_the_items():
    """二、附则 on a line of its own, 本办法自印发之日起施行 below it: the item's own text."""
    doc = policyparse.extract("一、保障措施\n加强督导。\n二、附则\n本办法自2024年1月1日起施行。\n")
    items = {m.id: m for m in doc.measures}
    assert [d.date for d in items["二"].deadlines] == ["2024-01-01"]


def test_a_title_printed_after_the_signature_that_the_attachment_list_names_opens_the_attachment():
    """附件：X in the notice, X printed after its 署名 with no 附件 label: X's items are the attachment's."""
    text = (
        "关于印发《某某省健康实施方案》的通知\n"
        "各市、县人民政府：\n"
        "《某某省健康实施方案》已经委员会研究通过，现印发你们，请遵照执行。\n"
        "附件：某某省健康实施方案\n"
        "某某省健康建设委员会\n"
        "2025年3月17日\n"
        "某某省健康实施方案\n"
        "一、总体要求\n到2030年，体制机制完成构建。\n"
        "二、重点任务\n（一）建立健全体系\n"
    )
    doc = policyparse.extract(text)
    assert [m.id for m in doc.measures] == ["附件", "附件.一", "附件.二", "附件.二.(一)"]
    assert doc.document.attachments == ["某某省健康实施方案"]


def test_a_list_of_departments_duties_charges_its_item_with_each_department():
    """部门 | 职责 without 序号: no row items; each department is a unit of the attachment."""
    text = (
        "附件1\n各部门政策制定重点领域\n部门\t政策制定重点领域\t对应的健康因素\n"
        "教育局\t学校体育和健康教育，开展学生体质监测。\t身体活动\n"
        "卫生健康局\t加强健康促进与健康教育，深化医药卫生体制改革。\t健康素养\n"
        "附件2\n名单\n"
    )
    doc = policyparse.extract(text)
    items = {m.id: m for m in doc.measures}
    assert list(items) == ["附件1", "附件2"]
    assert [(u.role, u.name) for u in items["附件1"].units] == [("responsible", "教育局"), ("responsible", "卫生健康局")]


# a notice, its plan after the signature, then numbered attachments; the page lost
# the number of the second attachment's label (附件部门职责分工表)
NOTICE_PLAN_ATTACHMENTS = (
    "各片区管理局：\n"
    "现将《自建房安全专项整治实施方案》印发给你们，请认真贯彻执行。\n"
    "某某区管委会办公室\n"
    "2022年6月10日\n"
    "自建房安全专项整治实施方案\n"
    "一、总体要求\n"
    "成立领导小组（名单详见附件1）。\n"
    "二、主要任务\n"
    "全面排查自建房。\n"
    "附件：1.自建房安全专项整治领导小组成员名单\n"
    "2.部门主要职责分工表\n"
    "附件1\n"
    "自建房安全专项整治领导小组成员名单\n"
    "组 长：许某某\n"
    "附件部门主要职责分工表\n"
    "序号\t部门\t主要职责分工\n"
    "1\t区交通建设局\t牵头开展结构安全排查整治，6月20日前制定排查方案。\n"
)


def test_a_plan_after_the_notice_is_its_body_when_attachments_are_numbered():
    # 详见附件1 names a numbered attachment: the plan after the signature is no 附件
    doc = policyparse.extract(NOTICE_PLAN_ATTACHMENTS)
    assert [m.id for m in doc.measures] == ["一", "二", "附件1", "附件2", "附件2.1"]


def test_a_listed_attachment_whose_label_lost_its_number_takes_it_from_the_list():
    doc = policyparse.extract(NOTICE_PLAN_ATTACHMENTS)
    items = {m.id: m for m in doc.measures}
    assert items["附件2"].heading == "部门主要职责分工表"
    row = items["附件2.1"]  # 主要职责分工 is the task column
    assert row.heading == "牵头开展结构安全排查整治，6月20日前制定排查方案"
    assert [(u.role, u.name) for u in row.units] == [("responsible", "区交通建设局")]
    assert [d.date for d in row.deadlines] == ["2022-06-20"]


def test_a_skipped_number_is_reported():
    doc = policyparse.extract("一、甲\n（一）健全机制。\n（二）压实责任。\n（四）加强督导。\n（五）强化保障。\n")
    assert [m.id for m in doc.measures] == ["一", "一.(一)", "一.(二)", "一.(四)", "一.(五)"]
    assert [(w.code, w.line) for w in doc.warnings] == [("item-number-skipped", 4)]
    assert "（三）" not in doc.warnings[0].message and "3 is missing" in doc.warnings[0].message


def test_a_bracketed_tag_under_the_last_item_is_that_items():
    doc = policyparse.extract(
        "一、提高应急处突救援能力\n（一）完善值守调度制度。要规范值守。\n（二）完善救援物资储备。要推进储备。\n"
        "（三）提升救援应急能力。要加强基层应急管理体系建设。\n（各处室按职责分工负责）\n"
    )
    last = doc.measures[-1]
    assert last.id == "一.(三)" and [(u.role, u.name) for u in last.units] == [("responsible", "各处室")]


def test_a_leader_division_notice_charges_each_item_to_its_leader():
    """一、…主任许维泽：… — each item's leader is on its measure; the text is not split at the colon."""
    doc = policyparse.extract(
        "关于领导成员安全生产责任制分工的通知\n各部门：\n现将分工通知如下：\n"
        "一、党工委副书记、管委会主任许维泽：为区安全生产第一责任人，对区安全生产工作负总责。\n"
        "二、管委会副主任梁秦龙：负责指导、协调、督促科技、卫生等部门的安全生产工作。\n"
        "三、分管领导：王耀玺、杜永山。\n"
    )
    assert [(m.id, m.leaders) for m in doc.measures] == [("一", ["许维泽"]), ("二", ["梁秦龙"]), ("三", ["王耀玺", "杜永山"])]
