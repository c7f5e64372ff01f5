"""The samples as other exports would give them score as the samples do.

The same notice reaches users wrapped at another width, unwrapped, without the
blank lines between wrapped halves, with full-width digits and CRLF line ends,
with 一． for 一、 and half-width brackets, with a page number and a running
head every 40 lines (inside a flattened table too), with its tables as
Markdown pipe rows or a flattened table's header one name per line, with
every line indented, and with its labels spaced out (（ 一 ）, 一 、).  Each
variant of each sample with gold must score what the sample itself scores
(micro F1 over every field of ``shared/tools/score.py``, within 0.005).
The samples on one line (joined, or joined by spaces as a web crawl keeps a
page's line breaks) keep most of their facts: a floor per sample.
"""

from __future__ import annotations

import pytest
import regex

import docgen  # noqa: E402  (tests/ is on sys.path: rootdir conftest)
import policyparse
from conftest import SHARED, needs_shared  # noqa: E402
from policyparse.normalize import normalize_text


def _unwrapped(text: str) -> str:
    """One line per paragraph: the normalized text itself."""
    return normalize_text(text).text


def _rewrapped(width: int, *, blank: bool = False, indent: str = ""):
    """Paragraphs cut every ``width`` characters (a blank line between the pieces, an indented first line)."""

    def wrap(text: str) -> str:
        out = []
        for ln in normalize_text(text).text.split("\n"):
            if "\t" in ln or len(ln) <= width:
                out.append(ln)
                continue
            pieces = [ln[i : i + width] for i in range(0, len(ln), width)]
            pieces[0] = indent + pieces[0]
            for p in pieces:
                out += [p, ""] if blank else [p]
        return "\n".join(out)

    return wrap


def _no_blank_lines(text: str) -> str:
    return "\n".join(ln for ln in text.split("\n") if ln.strip())


def _dotted_labels(text: str) -> str:
    """一、 printed as 一． (section titles of a flattened table included)."""
    return regex.sub(r"(?m)^(\s*[一二三四五六七八九十]{1,3})、", r"\1．", text)


def _half_width_brackets(text: str) -> str:
    return text.replace("（", "(").replace("）", ")")


def _page_furniture(text: str) -> str:
    """A page number and a running head every 40 lines, as a PDF's text copy has them (tables included)."""
    out = []
    for i, ln in enumerate(text.split("\n")):
        out.append(ln)
        if i and i % 40 == 0:
            out += ["", f"- {i // 40} -", "", "某某县卫生健康局文件", ""]
    return "\n".join(out)


def _markdown_tables(text: str) -> str:
    """Tables as Markdown pipe rows under a |---| rule (a notice converted to Markdown)."""
    out, in_table = [], False
    for ln in normalize_text(text).text.split("\n"):
        if "\t" in ln:
            cells = ln.split("\t")
            out.append("| " + " | ".join(cells) + " |")
            if not in_table:
                out.append("|" + "---|" * len(cells))
            in_table = True
        else:
            out.append(ln)
            in_table = False
    return "\n".join(out)


def _spaced_bracket_labels(text: str) -> str:
    """（一） printed as （ 一 ）: a PDF export that spaces characters out."""
    return regex.sub(r"(?m)^（([一二三四五六七八九十]{1,3})）", r"（ \1 ）", text)


def _spaced_dun_labels(text: str) -> str:
    """一、 printed as 一 、 (section titles of a flattened table included)."""
    return regex.sub(r"(?m)^([一二三四五六七八九十]{1,3})、", r"\1 、", text)


def _header_one_name_per_line(text: str) -> str:
    """A flattened table's header printed one column name per line, as its cells are."""
    from policyparse.layout import header_roles

    return "\n".join(ln.replace(" ", "\n") if header_roles(ln) else ln for ln in text.split("\n"))


def _indented(text: str) -> str:
    """Every line indented by 8 spaces (a text export that keeps the page's left margin)."""
    return "\n".join(" " * 8 + ln if ln.strip() else ln for ln in text.split("\n"))


def _full_width_crlf(text: str) -> str:
    return text.translate(str.maketrans("0123456789%", "０１２３４５６７８９％")).replace("\n", "\r\n")


VARIANTS = {
    "unwrapped": _unwrapped,
    "wrapped-at-22": _rewrapped(22),
    "wrapped-at-28": _rewrapped(28),
    "wrapped-at-35": _rewrapped(35),
    "wrapped-at-40": _rewrapped(40),
    "wrapped-at-26-blank-lines": _rewrapped(26, blank=True),
    "wrapped-at-26-indented": _rewrapped(26, indent="\u3000\u3000"),
    "no-blank-lines": _no_blank_lines,
    "full-width-crlf": _full_width_crlf,
    "dotted-labels": _dotted_labels,
    "page-furniture": _page_furniture,
    "markdown-tables": _markdown_tables,
    "indented": _indented,
    "spaced-bracket-labels": _spaced_bracket_labels,
    "spaced-dun-labels": _spaced_dun_labels,
    "header-one-name-per-line": _header_one_name_per_line,
    "half-width-brackets": _half_width_brackets,
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_variant_scores_like_the_sample(variant):
    runs = docgen.txt_sample_runs(needs_shared("gold"))
    if not runs:
        pytest.skip("no sample has gold")
    worse = {}
    for stem, (text, txt_doc, gold) in runs.items():
        doc = policyparse.extract(VARIANTS[variant](text).encode("utf-8"), name=f"{stem}.txt")
        a, b = docgen.doc_score(gold, txt_doc, SHARED), docgen.doc_score(gold, doc, SHARED)
        if b < a - 0.005:
            worse[stem] = (round(a, 3), round(b, 3))
    assert not worse, f"{variant}: F1 of the sample vs the variant: {worse}"


def _one_line(text: str, sep: str) -> str:
    """The prose of the normalized sample on one line (its lines joined by ``sep``), each table row kept on its own."""
    out, prose = [], []
    for ln in normalize_text(text).text.split("\n"):
        if "\t" in ln:
            out += [sep.join(prose)] if prose else []
            out.append(ln)
            prose = []
        else:
            prose.append(ln)
    return "\n".join(out + ([sep.join(prose)] if prose else []))


# micro F1 the samples reach on one line (a web page copied without its line breaks, or a
# crawl that kept them as spaces): measured, less 0.01; a change that loses more fails
ONE_LINE_FLOORS = {
    "": {"000_d7f5d53e4e07740e": 0.77, "001_df3ed95b26241507": 0.93, "003_ba6cdf25217d8181": 0.98, "004_01bdced4e8deef8f": 0.99},
    " ": {"000_d7f5d53e4e07740e": 0.91, "001_df3ed95b26241507": 0.98, "003_ba6cdf25217d8181": 0.98, "004_01bdced4e8deef8f": 0.99},
}


@pytest.mark.parametrize("sep", list(ONE_LINE_FLOORS), ids=["joined", "joined-by-spaces"])
def test_samples_on_one_line_keep_most_of_their_facts(sep):
    runs = docgen.txt_sample_runs(needs_shared("gold"))
    if not runs:
        pytest.skip("no sample has gold")
    floors = ONE_LINE_FLOORS[sep]
    got = {
        stem: round(docgen.doc_score(gold, policyparse.extract(_one_line(text, sep).encode("utf-8"), name=f"{stem}.txt"), SHARED), 3)
        for stem, (text, _, gold) in runs.items()
        if stem in floors
    }
    assert got and all(got[s] >= floors[s] for s in got), f"micro F1 on one line {got} below {floors}"
