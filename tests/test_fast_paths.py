"""The fast paths of normalize, structure and metadata give what the plain code gives.

Each fast path (a pre-check that skips a line, one pass instead of many, a scan
that visits only the places a match can start) is compared here with the plain
version of the same step on many generated inputs; the throughput tests keep a
long notice from becoming slow again.

    pytest tests/test_fast_paths.py
"""

from __future__ import annotations

import random
import time
from array import array

import regex

from policyparse import normalize, rules
from policyparse.facts import FactContext, metadata
from policyparse.facts import metadata_text as mt
from policyparse.layout import header_roles
from policyparse.normalize import (
    _SPACE_FIXES,
    Line,
    _clean_lines,
    _consecutive,
    _drop_furniture_and_chrome,
    _tidy,
    clean_line,
    normalize_text,
    split_lines,
    src_array,
    tidy_spaces,
)
from policyparse.structure.columns import role_of
from policyparse.structure.numbering import build_tree, label_at
from policyparse.structure import tree  # after numbering, which imports it
from policyparse.textfold import _fold_table, fold_chars
from policyparse import wraps

PIECES = [
    "一、", "二、", "（一）", "(二)", "1．", "2.", "3、", "（1）", "①", "第一条", "第二章", "附件", "附件2",
    "目录", "……", "......", "·····", "．．．", "2023年5月3日", "二〇二三年五月三日", "鲁卫发〔2022〕4号",
    "〔2023〕", "号", "日", "印发", "抄送：", "（此件公开发布）", "通知", "方案", "》", "《", "。", "，", "；",
    "：", "：", "）", ")", "”", " ", "  ", "\t", "　", "5", "12", "2024", "40", "%", ".", "．", "年", "月",
    "各地要加强组织领导", "建立健全工作机制", "国家卫生健康委", "市卫生健康委员会", "牵头", "ICP备05004294号",
    "打印 关闭", "【打印本页】", "字号：大 中 小", "网站", "- 3 -", "第 3 页", "**", "# ", "> ", "__",
    "序号", "工作内容", "牵头单位", "完成时限", "王五", "办公室", "年底前", "⼈", "９５", "％", "\ufeff",
]


def _text(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, n)))


def _lines_text(rnd: random.Random, n_lines: int, width: int = 0) -> str:
    """Generated lines; with ``width``, one long paragraph broken at that width too."""
    lines = [_text(rnd, 12) for _ in range(n_lines)]
    if width:
        para = "".join(lines)
        lines += [para[i : i + width] for i in range(0, len(para), width)]
        rnd.shuffle(lines)
    return "\n".join(lines)


def _same(a: Line, b: Line) -> bool:
    return (a.text, a.src.tolist(), a.gap_before, a.kind) == (b.text, b.src.tolist(), b.gap_before, b.kind)


# ---- normalize ----------------------------------------------------------------------


def test_fold_chars_is_translate():
    rnd = random.Random(1)
    table = _fold_table()
    keys = list(table)
    for _ in range(2000):
        s = "".join(chr(rnd.choice(keys)) if rnd.random() < 0.3 else chr(rnd.randint(0x20, 0xFB00)) for _ in range(rnd.randint(0, 40)))
        assert fold_chars(s) == s.translate(table)


def test_consecutive_offsets():
    rnd = random.Random(15)
    cases = [(0, 0), (0, 1), (254, 4), (0, 65537), (65530, 20), (2**24 - 5, 70_000), (3 * 2**24 + 7, 1000), (2**31 - 3, 10)]
    for start, n in cases + [(rnd.randrange(2**26), rnd.randrange(100_000)) for _ in range(20)]:
        a = _consecutive(start, n)
        assert a.typecode == src_array().typecode and a.tolist() == list(range(start, start + n)), (start, n)


def test_line_maps_cross_offset_blocks():
    text = "\n".join(("各地要加强组织领导" * (1 + k % 7)) + str(k) for k in range(12_000))  # over 2**16 characters
    lines = _clean_lines(text)
    assert [ln.src.tolist() for ln in lines] == [ln.src.tolist() for ln in split_lines(text)]
    for ln in lines:
        assert "".join(text[k] for k in ln.src) == ln.text


def test_first_pass_is_split_clean_and_drop():
    rnd = random.Random(2)
    for i in range(400):
        text = _lines_text(rnd, rnd.randint(0, 30))
        if i % 3 == 0:
            text = text.replace("。", "\n\n")
        plain_breaks, fast_breaks = [], []
        plain = _drop_furniture_and_chrome([clean_line(ln) for ln in split_lines(text)], None, plain_breaks)
        for ln in plain:
            if "\t" in ln.text:
                ln.kind = "row"
        fast = _clean_lines(text, None, fast_breaks)
        assert len(plain) == len(fast) and all(_same(a, b) for a, b in zip(plain, fast)), text
        assert fast_breaks == plain_breaks, text  # where page numbers and footers stood


def _plain_tidy(ln: Line) -> Line:
    for p in _SPACE_FIXES:
        ln = ln.sub(p)
    return ln


def test_tidy_pre_check_keeps_every_fix():
    rnd = random.Random(3)
    alphabet = ["5", "12", " ", "  ", "\t", ".", "．", "%", "‰", "年", "中", "，", "。", "（", "〔", "）", "、", ":", "a"]
    for _ in range(5000):
        t = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        ln = Line(t, src_array(range(len(t))))
        assert _same(_tidy(ln), _plain_tidy(ln)), t


def test_row_tabs_map_as_before():
    rnd = random.Random(4)
    for _ in range(3000):
        cells = [rnd.choice(["", "1", "加强领导", "王五", "年底前", "x"]) for _ in range(rnd.randint(1, 6))]
        t = "\t".join(cells)
        ln = Line(t, src_array(range(100, 100 + len(t))), 2, "row")
        out = tidy_spaces(ln)
        # the general path: cells tidied one by one and joined with TABs
        parts, a = [], 0
        for k, ch in enumerate(t):
            if ch == "\t":
                parts.append(_plain_tidy(ln.slice(a, k)))
                a = k + 1
        parts.append(_plain_tidy(ln.slice(a)))
        ref = parts[0]
        for c in parts[1:]:
            tab = Line("\t", src_array([c.src[0] if len(c.src) else (ref.src[-1] if len(ref.src) else 0)]))
            ref = ref + tab + c
        assert _same(out, ref), t


def _plain_join(lines: list[Line]) -> list[Line]:
    """join_wraps as it was first written: the per-pair test on every line."""
    width = wraps.wrap_width(lines)
    out: list[Line] = []
    for i, ln in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if wraps.DATE_LINE.match(nxt) and len(ln.text) <= 40 and not regex.search(r"[，。；：,;:]", ln.text):
            out.append(ln)
            continue
        if out and wraps._continues(out[-1], ln, width):
            if out[-1].text[-1:].isdigit() and ln.text[:1].isdigit() and wraps._two_numbers(out[-1].text, ln.text):
                out[-1] = out[-1] + Line(" ", ln.src[:1], 0, ln.kind)
            out[-1] = out[-1] + ln
        else:
            out.append(ln)
    return out


def test_join_wraps_decides_as_the_pair_test():
    rnd = random.Random(5)
    joined = wrapped = 0
    for i in range(300):
        text = _lines_text(rnd, rnd.randint(0, 40), width=rnd.choice([0, 20, 38, 45]))
        lines = [clean_line(ln) for ln in split_lines(text)]
        lines = [ln for ln in lines if ln.text]
        for ln in lines:
            if "\t" in ln.text and i % 2:
                ln.kind = "row"
        plain, fast = _plain_join(lines), wraps.join_wraps(lines)
        assert len(plain) == len(fast) and all(_same(a, b) for a, b in zip(plain, fast)), text
        joined += len(lines) - len(fast)
        wrapped += wraps.wrap_width(lines) is not None
    assert joined > 1000 and wrapped > 50  # both kinds of file, and many joins


def test_first_character_gates():
    rnd = random.Random(6)
    for _ in range(20000):
        t = _text(rnd, 4).strip()
        if rnd.random() < 0.1:
            t = rnd.choice(["- 3 -", "第 3 页 共 9 页", "3/9", "－12－", "第3页"]) + t[:1]
        d, lab = wraps.may_open(t[:1])
        assert d or not wraps.DATE_LINE.match(t), t
        assert lab or not wraps.is_label_start(t), t
        if normalize._FURNITURE.match(t):
            assert t and normalize._may_be_furniture(t[0]), t
        if tree._CLOSING.match(t):
            assert t[:1] in tree._CLOSING_OPENS or t.endswith("印发"), t


def test_end_anchored_tests_read_from_the_end():
    rnd = random.Random(7)
    for _ in range(20000):
        t = _text(rnd, 6)
        assert bool(wraps._ENDS_DATE.search(t) or wraps._ENDS_DOC_NUMBER.search(t)) == wraps._ends_date_or_number(t), t
        assert bool(wraps._TITLE_END.search(t)) == bool(wraps._TITLE_END_AT.match(t)), t


def test_header_roles_stops_early_with_the_same_answer():
    rnd = random.Random(8)
    words = ["序号", "工作内容", "分管领导", "牵头科室", "协办科室", "完成时限", "加强", "领导", "2023年", "目标值"]
    for _ in range(3000):
        t = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 9)))
        tokens = t.split()
        roles = [role_of(x) for x in tokens]
        known = sum(r is not None for r in roles)
        ok = len(tokens) >= 3 and known >= 3 and known >= 0.6 * len(tokens) and "text" in roles
        assert header_roles(t) == (roles if ok else None), t


# ---- structure ----------------------------------------------------------------------


def test_label_union_rejects_only_lines_no_rule_opens():
    rs = rules.load("numbering")
    rnd = random.Random(9)
    for _ in range(20000):
        t = _text(rnd, 3)
        plain = next(((r, m) for r in rs.rules if (m := r.regex.match(t))), None)
        hit = label_at(t, rs)
        assert (hit is None) == (plain is None), t
        if hit:
            assert hit[0] is plain[0] and hit[1].span() == plain[1].span()


# ---- metadata -----------------------------------------------------------------------


def test_doc_numbers_scan_finds_every_match():
    pat = mt.rx("doc-number")
    assert mt._bracket_scan(None) is not None  # the shipped rule has the shape the scan relies on
    rnd = random.Random(10)
    pieces = ["鲁卫发", "鲁卫基层字", "国务院办公厅关于", "字", "〔2022〕", "[2023]", "（2019）", "［2020］", "【2021】",
              "〔", "（一）", "4号", "第5号", " 12 号", " ", "\n", "号", "中" * 25, "2024", "〕", "。", "a", "关于转发"]
    found = 0
    for _ in range(5000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        plain = [(m.span(), m.groupdict()) for m in pat.finditer(t)]
        fast = [(m.span(), m.groupdict()) for m in mt._doc_number_matches(t, None)]
        assert plain == fast, t
        found += len(plain)
    assert found > 200  # the generator does make 发文字号


def _plain_is_organ(s: str, longest: int = 40) -> bool:
    s = mt.squash(mt.strip_seal(s))
    if not 2 <= len(s) <= longest or mt._NOT_A_NAME.search(s):
        return False
    core = mt._strip_brackets_tail(s)
    return len(core) >= 2 and bool(mt.lists()["organ_end"].search(core))


def test_is_organ_pre_check():
    rnd = random.Random(11)
    pieces = ["威海市", "卫生健康局", "委员会", "（代章）", "(印章)", " ", "关于", "通知", "，", "2023", "办公室", "局", "印", "发"]
    for _ in range(5000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 6)))
        assert mt.is_organ(s) == _plain_is_organ(s), s


def test_metadata_rules_are_tried_on_every_line_they_can_match():
    rnd = random.Random(14)
    pieces = ["抄送：", "抄 送:", "市委办公室", "，", "。", "附件：", "附 件1：", "附件2.", "1.", "相关附件", "附件下载：",
              "威海市卫生健康委员会办公室", " ", "2023年5月3日", "二〇二三年五月三日", "2024-01-02", "印发", "印 发",
              "（共印30份）", "2024年1月", "年", "20", "19", "号", "关于", "x"]
    names = ("printed", "cc", "attachments-head", "attachment-item", "download-list", "date", "month-date")
    hits = 0
    for _ in range(20000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 6)))
        for name in names:
            if mt.rx(name).search(s):
                hits += 1
                assert mt.may_match(name, s), (name, s)
    assert hits > 2000


# ---- throughput ---------------------------------------------------------------------


def _mb_per_s(text: str) -> float:
    t0 = time.process_time()
    norm = normalize_text(text)
    build_tree(norm)
    metadata.extract(norm.text, FactContext())
    return len(text.encode()) / 1e6 / max(time.process_time() - t0, 1e-6)


def _notice(rnd: random.Random, paragraphs: int) -> str:
    out = ["威海市卫生健康委员会", "关于印发工作要点的通知", "各区市卫生健康局："]
    for i in range(paragraphs):
        if i % 12 == 0:
            out.append(f"{'一二三四五六七八九十'[i // 12 % 10]}、重点任务")
        out.append(f"（{'一二三四五六七八九'[i % 9]}）加强组织领导。" + "到2025年，全市乡镇卫生院和社区卫生服务中心的覆盖率达到 90 %以上，" * rnd.randint(1, 4) + "由市卫生健康委牵头。")
    out += ["威海市卫生健康委员会", "2023年5月3日"]
    return "\n".join(out)


def test_long_notice_keeps_its_throughput():
    """A 400 KB notice as prose, hard-wrapped, and on one line: well over 0.2 MB/s each.

    The steps run at several MB/s; a step gone quadratic falls far below the bound.
    """
    rnd = random.Random(12)
    prose = _notice(rnd, 1400)
    flat = prose.replace("\n", "")
    wrapped = "\n".join(flat[i : i + 38] for i in range(0, len(flat), 38))
    for name, text in (("prose", prose), ("wrapped", wrapped), ("one line", flat)):
        assert len(text.encode()) > 300_000
        speed = _mb_per_s(text)
        assert speed > 0.2, f"{name}: {speed:.2f} MB/s"


def test_offsets_stay_exact_on_a_long_notice():
    rnd = random.Random(13)
    text = _notice(rnd, 300)
    norm = normalize_text(text)
    assert len(norm.src) == len(norm.text) + 1
    for k in range(0, len(norm.text), 97):
        ch = norm.text[k]
        if ch not in "\n\t ":
            assert text[norm.src[k]] == ch
    assert isinstance(norm.src, array)
