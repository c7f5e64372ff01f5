"""A notice whose attachment is a regulation: chapters, sections, articles, sub-items."""

from __future__ import annotations

import policyparse

NOTICE = """关于印发《某某市基本医疗保险异地就医管理办法》的通知
各县（区）医疗保障局：
现将《某某市基本医疗保险异地就医管理办法》印发给你们，请认真贯彻执行。
附件：某某市基本医疗保险异地就医管理办法
某某市医疗保障局
2024年3月1日
附件
某某市基本医疗保险异地就医管理办法
第一章 总则
第一条 为规范异地就医管理，根据有关规定，制定本办法。
第二条 本办法适用于本市参保人员。
第二章 备案管理
第一节 备案范围
第三条【备案对象】下列人员可以办理异地就医备案：
（一）异地安置退休人员；
（二）异地长期居住人员；
1．居住满6个月的；
2．持有居住证的。
（三）常驻异地工作人员。
第四条 备案有效期不少于6个月。
第二节 备案办理
第五条 参保人员可以通过线上或线下渠道办理备案。
第三章 附则
第六条 本办法自2024年4月1日起施行。
"""

EXPECTED = [
    "附件",
    "附件/第一章",
    "附件/第一章/第一条",
    "附件/第一章/第二条",
    "附件/第二章",
    "附件/第二章/第一节",
    "附件/第二章/第一节/第三条",
    "附件/第二章/第一节/第三条/(一)",
    "附件/第二章/第一节/第三条/(二)",
    "附件/第二章/第一节/第三条/(二)/1",
    "附件/第二章/第一节/第三条/(二)/2",
    "附件/第二章/第一节/第三条/(三)",
    "附件/第二章/第一节/第四条",
    "附件/第二章/第二节",
    "附件/第二章/第二节/第五条",
    "附件/第三章",
    "附件/第三章/第六条",
]


def test_regulation_attachment_paths():
    doc = policyparse.extract(NOTICE)
    assert ["/".join(m.path) for m in doc.measures] == EXPECTED


def test_regulation_headings():
    doc = policyparse.extract(NOTICE)
    heads = {m.id: m.heading for m in doc.measures}
    assert heads["附件.第一章"] == "总则"
    assert heads["附件.第二章.第一节.第三条"] == "备案对象"  # bracketed article title
    assert heads["附件.第一章.第一条"] == "为规范异地就医管理，根据有关规定，制定本办法"
    assert heads["附件.第二章.第一节.第三条.(一)"] == "异地安置退休人员"


def test_regulation_levels_nest_by_rank_not_order():
    # 节 first appears after an article was open: it still nests under the chapter
    text = "第一章 总则\n第一条 甲。\n第二章 管理\n第一节 范围\n第二条 乙。"
    doc = policyparse.extract(text)
    assert [m.id for m in doc.measures] == ["第一章", "第一章.第一条", "第二章", "第二章.第一节", "第二章.第一节.第二条"]
