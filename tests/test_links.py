"""links.attach_deadlines: which deadline a target's sentence ties to it."""

from __future__ import annotations

import pytest

from policyparse.facts import FactContext, deadlines, links
from policyparse.models import Deadline, Span, Target


def _targets(text: str, *snippets: str) -> list[Target]:
    """One target per snippet, its span found in ``text`` (left to right)."""
    out, pos = [], 0
    for s in snippets:
        a = text.index(s, pos)
        out.append(Target(text=s, value=1, span=Span(start=a, end=a + len(s))))
        pos = a + 1
    return out


def _tie(text: str, *snippets: str, year: int | None = 2023) -> list[str | None]:
    ctx = FactContext(year=year)
    ts = _targets(text, *snippets)
    return [t.deadline for t in links.attach_deadlines(text, ts, deadlines.extract(text, ctx), ctx)]


def test_every_target_after_the_deadline_in_its_sentence():
    text = "力争到2023年底全市新增1个国家级重点专科，2个自治区级重点专科、15个市级重点专科，提升9个薄弱专科能力建设。"
    got = _tie(text, "新增1个国家级重点专科", "2个自治区级重点专科", "15个市级重点专科", "提升9个薄弱专科能力建设")
    assert got == ["2023-12-31"] * 4


def test_relative_deadline_resolves_with_the_document_year():
    text = "年内争取创建1个基层党建工作示范点、3个具有医疗卫生行业特色的党建品牌，全市重点专科建设实现新的更大突破。"
    assert _tie(text, "创建1个基层党建工作示范点", "3个具有医疗卫生行业特色的党建品牌") == ["2023-12-31"] * 2
    assert _tie(text, "创建1个基层党建工作示范点", year=None) == [None]


def test_heading_deadline_reaches_across_semicolons():
    text = (
        "深入开展优质服务基层行活动，到2025年，服务人口超过1万人的乡镇卫生院普遍达到能力标准；"
        "服务人口不足1万人的，对照标准持续提升服务能力；村卫生室达到服务能力标准的比例达到40%以上。"
    )
    assert _tie(text, "村卫生室达到服务能力标准的比例达到40%以上") == ["2025-12-31"]


def test_a_deadline_inside_a_clause_does_not_reach_the_next_clause():
    text = "推进镇村一体化管理，2024年底前落实运行补助政策；村卫生室覆盖率达到80%以上。"
    assert _tie(text, "村卫生室覆盖率达到80%以上") == [None]


def test_pair_of_years_done_in_each_is_due_by_the_last():
    text = "按照要求，2024年和2025年两个年度均完成3500份免费艾灸包发放工作。"
    assert _tie(text, "2024年和2025年两个年度均完成3500份") == ["2025-12-31"]
    assert _tie(text, "完成3500份") == ["2025-12-31"]


def test_two_targets_after_one_deadline():
    text = "到2025年底前实现全区1所社区卫生服务站和10所村卫生室建成“中医阁”。"
    assert _tie(text, "1所社区卫生服务站", "10所村卫生室") == ["2025-12-31"] * 2


def test_no_deadline_in_the_sentence():
    text = "到2025年，乡村医生中具备执业资格的人员比例达到50%以上。支持村卫生室房屋建筑面积达到80平方米以上。"
    assert _tie(text, "比例达到50%以上", "达到80平方米以上") == ["2025-12-31", None]


def test_nearest_preceding_deadline_wins():
    text = "2024年底前，10所薄弱村卫生室完成改造提升；力争2026年底前，实现一体化管理的村卫生室比例达到100%。"
    assert _tie(text, "10所薄弱村卫生室", "比例达到100%") == ["2024-12-31", "2026-12-31"]


def test_a_following_deadline_in_the_same_clause():
    text = "名医基层工作站覆盖率达到100%，2024年底前完成。"
    assert _tie(text, "覆盖率达到100%") == ["2024-12-31"]


def test_from_and_within_limits_carry_no_due_date():
    assert _tie("自2024年起，每年培训乡村医生100名。", "培训乡村医生100名") == [None]
    assert _tie("争取3-5年内补足配齐10名人员。", "补足配齐10名人员") == [None]


@pytest.mark.parametrize(
    "text,snippets,want",
    [
        ("到2022年和2030年，婴儿死亡率分别控制在7.5‰及以下和5‰及以下。", ("7.5‰及以下", "5‰及以下"), ["2022-12-31", "2030-12-31"]),
        (
            "到2022年和2030年，甲、乙分别提高到30%、18%和45%、25%。",
            ("30%", "18%", "45%", "25%"),
            ["2022-12-31", "2022-12-31", "2030-12-31", "2030-12-31"],
        ),
        ("到2022年和2030年，居民心理健康素养水平提升到20%和30%。", ("20%", "30%"), ["2022-12-31", "2030-12-31"]),
    ],
)
def test_milestone_pairs_split_over_targets_in_order(text, snippets, want):
    assert _tie(text, *snippets) == want


def test_milestone_pair_with_one_target_is_due_by_the_first():
    # one value under two milestones must be reached by the first and held to the second
    assert _tie("到2022年和2030年，劳动工时制度得到全面落实，覆盖率达到90%。", "覆盖率达到90%") == ["2022-12-31"]


def test_targets_are_copied_not_changed():
    text = "到2025年，比例达到40%以上。"
    ts = _targets(text, "比例达到40%以上")
    out = links.attach_deadlines(text, ts, deadlines.extract(text), FactContext(year=2023))
    assert ts[0].deadline is None and out[0].deadline == "2025-12-31"
    assert isinstance(out[0], Target) and out[0].span == ts[0].span


def test_no_targets_and_no_deadlines():
    assert links.attach_deadlines("", [], [], None) == []
    ts = _targets("比例达到40%以上。", "比例达到40%以上")
    assert links.attach_deadlines("比例达到40%以上。", ts, [], None)[0].deadline is None


def test_sentences_cover_the_text():
    text = "甲，乙；丙。\n丁！戊"
    parts = links.sentences(text)
    assert "".join(text[a:b] for a, b in parts) == text
    assert parts == [(0, 6), (6, 7), (7, 9), (9, 10)]


def test_a_wrapped_line_does_not_end_the_sentence():
    text = "力争到2023年底全市新增1个国家级重点专科，\n2个自治区级重点专科。"
    assert _tie(text, "1个国家级重点专科", "2个自治区级重点专科") == ["2023-12-31"] * 2


def test_a_line_that_opens_an_item_ends_the_sentence():
    text = "到2025年，全面建成医共体\n2．村卫生室覆盖率达到90%"
    assert _tie(text, "覆盖率达到90%") == [None]
    text = "到2025年，主要目标如下：\n覆盖率达到90%"
    assert _tie(text, "覆盖率达到90%") == [None]


def test_row_deadline_cell_dates_undated_targets():
    ts = _targets("覆盖率达到90%，建成3所", "覆盖率达到90%", "建成3所")
    ts[1] = ts[1].model_copy(update={"deadline": "2024-06-30"})
    cell = [Deadline(text="2023年12月底前", date="2023-12-31", span=Span(start=0, end=10))]
    assert [t.deadline for t in links.attach_row_deadline(ts, cell)] == ["2023-12-31", "2024-06-30"]
    two = cell + [Deadline(text="2024年底前", date="2024-12-31", span=Span(start=11, end=17))]
    assert [t.deadline for t in links.attach_row_deadline(ts, two)] == [None, "2024-06-30"]


def test_milestone_pair_heading_reaches_later_clauses():
    text = "到2025年和2035年，家庭医生签约率分别达到60%和75%；重点人群签约率分别不低于80%和90%。"
    assert _tie(text, "80%", "90%") == ["2025-12-31", "2035-12-31"]


def test_clause_list_goes_on_across_a_line_break_after_a_semicolon():
    text = "到2025年和2035年，甲项覆盖率分别达到80%和90%；\n乙项知晓率分别提高到40%和60%。"
    assert _tie(text, "40%", "60%") == ["2025-12-31", "2035-12-31"]


def test_each_fenbie_opens_its_own_run():
    text = "到2025年和2035年，儿童生长迟缓率分别低于6%和4%、贫血率分别低于11%和9%。"
    got = _tie(text, "生长迟缓率分别低于6%", "4%", "贫血率分别低于11%", "9%")
    assert got == ["2025-12-31", "2035-12-31", "2025-12-31", "2035-12-31"]


def test_a_number_in_the_indicator_pairs_with_nothing():
    text = "到2025年和2035年，社区卫生服务中心提供5类以上康复服务的比例分别达到60%和75%。"
    got = _tie(text, "提供5类以上康复服务", "康复服务的比例分别达到60%", "75%")
    assert got[1:] == ["2025-12-31", "2035-12-31"]


def test_fenbie_under_one_deadline_does_not_split():
    text = "到2025年，东西两区分别建成3个和5个示范社区。"
    assert _tie(text, "3个", "5个示范社区") == ["2025-12-31"] * 2


def test_a_wrapped_line_ending_in_a_semicolon_before_an_item_still_ends_the_sentence():
    text = "到2025年，全面建成医共体；\n2．村卫生室覆盖率达到90%"
    assert _tie(text, "覆盖率达到90%") == [None]


def test_fewer_values_than_milestones_after_fenbie_go_with_the_first():
    text = "到2025年和2035年，居民健康素养水平分别达到30%及以上和持续提升。"
    assert _tie(text, "30%及以上") == ["2025-12-31"]
