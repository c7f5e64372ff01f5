"""Tables as TSV rows (PDF, Word, web or docx-as-text): rows, cells and their facts."""

from __future__ import annotations

import policyparse

TASKS = (
    "一、重点任务\n"
    "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
    "1.\t建成5个县域医疗次中心。\t县卫生健康局\t县财政局、发展改革局\t2025年底前\n"
    "2.\t每季度开展1次督导检查。\t县卫生健康局\t\t长期坚持\n"
)

INDICATORS = (
    "一、主要指标\n"
    "序号\t指标\t基期水平\t2022年目标值\t2030年目标值\t指标性质\n"
    "1\t居民健康素养水平（%）\t14.18\t≥22\t≥30\t预期性\n"
    "2\t孕妇贫血率（%）\t17.2\t＜14\t＜10\t预期性\n"
    "3\t个人定期记录身心健康状况\t—\t—\t—\t倡导性\n"
)


def test_task_table_rows_and_cells():
    doc = policyparse.extract(TASKS)
    rows = {m.id: m for m in doc.measures}
    assert list(rows) == ["一", "一.1", "一.2"]
    r1 = rows["一.1"]
    assert r1.label == "1." and r1.heading == "建成5个县域医疗次中心"
    assert {(u.name, u.role) for u in r1.units} >= {("县卫生健康局", "lead"), ("县财政局", "support")}
    assert [(t.value, t.unit, t.deadline) for t in r1.targets] == [(5, "个", "2025-12-31")]
    assert [d.date for d in r1.deadlines] == ["2025-12-31"]
    assert [(f.period, f.times) for f in rows["一.2"].frequencies] == [("quarter", 1)]


def test_a_row_without_a_lead_is_answered_for_by_its_other_units():
    """配合/责任单位 in a row whose 牵头单位 cell is empty: those named are responsible."""
    text = (
        "序号\t工作任务\t牵头单位\t配合/责任单位\n"
        "1\t增强政策制定实施的透明度。\t\t区直各有关单位，各片区管理局\n"
        "2\t及时回应和解决堵点问题。\t区行政审批局\t各片区管理局\n"
    )
    rows = {m.id: m for m in policyparse.extract(text).measures}
    assert [(u.role, u.name) for u in rows["1"].units] == [("responsible", "区直各有关单位"), ("responsible", "各片区管理局")]
    assert [(u.role, u.name) for u in rows["2"].units] == [("lead", "区行政审批局"), ("support", "各片区管理局")]


def test_indicator_table_targets_take_the_column_year():
    doc = policyparse.extract(INDICATORS)
    rows = {m.id: m for m in doc.measures}
    got = [(t.indicator, t.comparator, t.value, t.unit, t.deadline) for t in rows["一.1"].targets]
    assert got == [("居民健康素养水平", ">=", 22, "%", "2022-12-31"), ("居民健康素养水平", ">=", 30, "%", "2030-12-31")]
    assert [(t.comparator, t.value) for t in rows["一.2"].targets] == [("<=", 14), ("<=", 10)]
    assert rows["一.3"].targets == []  # 倡导性 rows have no value


def test_every_cell_fact_span_is_grounded():
    from policyparse.normalize import normalize_text

    for text in (TASKS, INDICATORS):
        norm = normalize_text(text)
        for m in policyparse.extract(text).measures:
            for t in m.targets:
                assert norm.text[t.span.start : t.span.end] == t.text


def test_repeated_cells_give_each_row_its_own_facts():
    """Rows that repeat a 牵头单位, 分管领导 or 完成时限 cell each get facts placed in their own row."""
    from policyparse.normalize import normalize_text

    text = (
        "一、重点任务\n"
        "序号\t工作任务\t分管领导\t牵头单位\t完成时限\n"
        "1.\t建成5个县域医疗次中心。\t张三\t县卫生健康局\t2025年底前，每季度调度一次\n"
        "2.\t新增10个家庭医生团队。\t张三\t县卫生健康局\t2025年底前，每季度调度一次\n"
        "3.\t培训200名乡村医生。\t张三\t县卫生健康局\t2025年底前，每季度调度一次\n"
    )
    norm = normalize_text(text)
    rows = [m for m in policyparse.extract(text).measures if m.level == 2]
    assert len(rows) == 3
    for m in rows:
        assert m.leaders == ["张三"]
        assert [(u.name, u.role) for u in m.units] == [("县卫生健康局", "lead")]
        assert [d.date for d in m.deadlines] == ["2025-12-31"] and [f.period for f in m.frequencies] == ["quarter"]
        assert [t.deadline for t in m.targets] == ["2025-12-31"]
        for fact in m.units + m.deadlines + m.frequencies:
            grounded = norm.text[fact.span.start : fact.span.end]
            assert m.span.start <= fact.span.start < fact.span.end <= m.span.end, (m.id, fact)
            assert grounded == (fact.name if hasattr(fact, "name") else fact.text)
    spans = [m.units[0].span.start for m in rows]
    assert len(set(spans)) == 3  # one per row, not the first row's three times


KEYED = (
    "一、主要指标\n"
    "领域：健康水平  指标：人均预期寿命(岁)  2015 年：76.34\n\n2020 年：77.3  2030 年：79.0\n\n"
    "领域：健康生活  指标：居民健康素养水平(%)  2015 年：\n\n10  2020 年：20  2030 年：30\n\n"
    "领域：健康环境  指标：地表水优良比例(%)  2015 年：66  2020 年：＞70  2030 年：持续改善\n"
    "二、重点任务\n"
)


def test_keyed_rows_are_an_indicator_table():
    """``领域：…  指标：…  2020 年：…`` rows: one measure per row, targets from the year columns after the base year."""
    from policyparse.normalize import normalize_text

    doc = policyparse.extract(KEYED)
    rows = {m.id: m for m in doc.measures}
    assert list(rows) == ["一", "一.1", "一.2", "一.3", "二"]
    assert rows["一.1"].heading == "人均预期寿命(岁)"
    got = [(t.indicator, t.value, t.unit, t.comparator, t.deadline) for t in rows["一.1"].targets]
    assert got == [("人均预期寿命", 77.3, "岁", "==", "2020-12-31"), ("人均预期寿命", 79.0, "岁", "==", "2030-12-31")]
    assert [t.value for t in rows["一.2"].targets] == [20, 30]  # 2015 年 is the base year: 10 is no target
    assert [(t.value, t.comparator) for t in rows["一.3"].targets] == [(70, ">=")]  # 持续改善: no value
    assert rows["一"].targets == []  # the rows' numbers are not read again as prose
    norm = normalize_text(KEYED)
    for m in doc.measures:
        for t in m.targets:
            assert norm.text[t.span.start : t.span.end] == t.text
    assert doc.measures[2].targets[0].span.line == 8  # 20: on the wrapped second line of its row in the input


def test_keyed_task_rows_take_columns_only_some_rows_name():
    """序号：1  工作任务：…  牵头单位：…  (配合单位：…)  完成时限：…: a task table; 配合单位 is a column though row 1 lacks it."""
    text = (
        "一、总体要求。坚持以人民为中心。\n二、重点任务\n"
        "序号：1  工作任务：建成5个县域医疗次中心。  牵头单位：县卫生健康局  完成时限：2025年底前\n"
        "序号：2  工作任务：每季度开展1次督导检查。  牵头单位：县卫生健康局  配合单位：县财政局  完成时限：长期坚持\n"
        "三、保障措施\n（一）加强领导。"
    )
    rows = {m.id: m for m in policyparse.extract(text).measures}
    assert list(rows) == ["一", "二", "二.1", "二.2", "三", "三.(一)"]
    assert [(u.role, u.name) for u in rows["二.1"].units] == [("lead", "县卫生健康局")]
    assert [d.date for d in rows["二.1"].deadlines] == ["2025-12-31"]
    assert [(u.role, u.name) for u in rows["二.2"].units] == [("lead", "县卫生健康局"), ("support", "县财政局")]
    assert [(f.period, f.times) for f in rows["二.2"].frequencies] == [("quarter", 1)]


def test_year_columns_after_the_documents_year_are_targets_with_the_unit_column():
    """序号 | 指标 | 单位 | 2025年 | 2030年 in a 2023 plan: both years are targets, 单位 is the values' unit."""
    text = (
        "关于印发2023年健康促进工作方案的通知\n一、主要指标\n"
        "序号\t指标\t单位\t2025年\t2030年\n"
        "1\t居民健康素养水平\t%\t30\t35\n"
        "2\t每千人口执业（助理）医师数\t人\t3.2\t3.5\n"
        "二、保障措施\n（一）加强领导。"
    )
    rows = {m.id: m for m in policyparse.extract(text).measures}
    got = [(t.value, t.unit, t.deadline) for t in rows["一.2"].targets]
    assert got == [(3.2, "人", "2025-12-31"), (3.5, "人", "2030-12-31")]
    assert rows["一.1"].units == []  # 单位 here is no organization
    # the same table in a 2026 plan: 2025年 is the base year the plan starts from
    later = {m.id: m for m in policyparse.extract(text.replace("2023年", "2026年")).measures}
    assert [(t.value, t.deadline) for t in later["一.2"].targets] == [(3.5, "2030-12-31")]


def test_two_task_columns_are_both_read():
    # 重点任务 | 具体措施: the task and the measures under it; a target in either counts
    doc = policyparse.extract(
        "序号\t重点任务\t具体措施\t牵头单位\t完成时限\n"
        "1\t提升办税便利度\t全面推行电子税务局，网上办税率达到95%以上\t县税务局\t2024年12月底前\n"
        "2\t企业开办全程网办率达到90%\t推进企业开办“一网通办”\t县政务服务中心\t长期坚持\n"
    )
    r1, r2 = doc.measures
    assert r1.heading == "提升办税便利度" and r1.text.startswith("提升办税便利度\t全面推行")
    assert [(t.value, t.deadline) for t in r1.targets] == [(95, "2024-12-31")]
    assert [(t.text, t.value, t.unit) for t in r2.targets] == [("企业开办全程网办率达到90%", 90, "%")]
    assert [u.name for u in r2.units] == ["县政务服务中心"]


def test_a_values_tables_heading_is_its_indicator_not_its_field():
    doc = policyparse.extract(
        "序号\t领域\t指标\t2030年目标值\n"
        "1\t健康水平\t人均预期寿命（岁）\t79.0\n"
    )
    (row,) = doc.measures
    assert row.heading == "人均预期寿命（岁）" and row.text.startswith("健康水平\t")
    assert [(t.indicator, t.value) for t in row.targets] == [("人均预期寿命", 79)]


def test_a_flattened_table_with_two_task_columns_reads_its_text_once():
    # once flattened, the two columns cannot be told apart: the text is one cell, not two copies
    doc = policyparse.extract(
        "序号 重点任务 具体措施 牵头单位 完成时限\n1\n提升办税便利度\n网上办税率达到95%以上。\n县税务局\n2024年12月底前\n"
    )
    (row,) = doc.measures
    assert [(t.value, t.deadline) for t in row.targets] == [(95, "2024-12-31")]
    assert [u.name for u in row.units] == ["县税务局"] and row.text.count("网上办税率") == 1


GROUPED = (
    "一、工作任务\n"
    "工作任务\t工作要求\t牵头单位\t配合/责任单位\n"
    "一、加强涉及市场主体的信息公开\t1.增强政策制定实施的透明度。\t\t区直各有关单位\n"
    "2.加大帮扶政策的公开力度，公开率达到100%。\t区商务局\t各片区管理局\n"
    "二、加强涉及减税降费的信息公开\t3.系统集成、智能推送减税降费政策。\t区财政金融局\t区税务局\n"
    "二、加强涉及减税降费的信息公开\t4.2022年6月底前公开留抵退税政策。\t区财政金融局\t\n"
    "二、保障措施\n"
    "（一）加强组织领导。\n"
)


def test_a_task_cell_opening_with_a_label_groups_the_rows_under_it():
    # a task table copied from a web page: the group column spans its rows (merged
    # cells), so the rows after the first lack it; each row numbers itself (1.增强…)
    doc = policyparse.extract(GROUPED)
    got = [(m.id, m.heading) for m in doc.measures]
    assert got == [
        ("一", "工作任务"),
        ("一.一", "加强涉及市场主体的信息公开"),
        ("一.一.1", "增强政策制定实施的透明度"),
        ("一.一.2", "加大帮扶政策的公开力度，公开率达到100%"),
        ("一.二", "加强涉及减税降费的信息公开"),
        ("一.二.3", "系统集成、智能推送减税降费政策"),
        ("一.二.4", "2022年6月底前公开留抵退税政策"),
        ("二", "保障措施"),  # the table ends before the body goes on
        ("二.(一)", "加强组织领导"),
    ]
    rows = {m.id[2:]: m for m in doc.measures}
    # the row without its merged cell keeps its cells in their columns
    assert [(u.role, u.name) for u in rows["一.2"].units] == [("lead", "区商务局"), ("support", "各片区管理局")]
    assert [(t.value, t.unit) for t in rows["一.2"].targets] == [(100, "%")]
    # (its 牵头单位 cell is empty: those its 配合/责任单位 cell names answer for it)
    assert [(u.role, u.name) for u in rows["一.1"].units] == [("responsible", "区直各有关单位")]
    assert [d.date for d in rows["二.4"].deadlines] == ["2022-06-30"]
    assert rows["二"].targets == [] and rows["二.3"].text.startswith("系统集成")


def test_a_short_row_that_lost_its_last_cells_keeps_its_first():
    doc = policyparse.extract("序号\t工作任务\t牵头单位\t配合单位\n1\t建成5个县域医疗次中心。\t县卫生健康局\n")
    (row,) = doc.measures
    assert [(u.role, u.name) for u in row.units] == [("lead", "县卫生健康局")]
    assert [t.value for t in row.targets] == [5]


def test_a_named_rows_heading_is_its_name():
    doc = policyparse.extract("序号\t名称\t类型\t具体内容\t责任部门\n1\t推进包保机制\t机制\t片区领导定期研究、推进重大隐患整改。\t各处室\n")
    (row,) = doc.measures
    assert row.heading == "推进包保机制" and [u.name for u in row.units] == ["各处室"]


def test_groups_in_a_numbered_table_keep_its_numbers():
    doc = policyparse.extract(
        "序号\t重点领域\t工作任务\t牵头单位\n"
        "1\t一、优化营商环境\t压缩企业开办时间。\t县市场监管局\n"
        "2\t一、优化营商环境\t推行电子税务局。\t县税务局\n"
        "3\t二、扩大有效投资\t新开工项目达到10个。\t县发改局\n"
    )
    assert [m.id for m in doc.measures] == ["一", "一.1", "一.2", "二", "二.3"]
    assert [t.value for t in doc.measures[-1].targets] == [10]
