"""The Chinese numeral reader agrees with cn2an wherever it answers.

``numbers.chinese_value`` reads the regular numerals itself so that a process
does not import cn2an (~0.3 s) for 三千五百; anything irregular is left to
cn2an.  Here every numeral of up to three characters, and a seeded sample of
longer ones and decimals, is read both ways.
"""

from __future__ import annotations

import itertools
import random

import pytest
import regex

from policyparse.facts import numbers

cn2an = pytest.importorskip("cn2an")

ALPHABET = "〇零一二两三四五六七八九十廿百千万亿"


def _cn2an(s: str) -> float | None:
    try:
        return float(cn2an.cn2an(s, "normal"))
    except Exception:  # cn2an raises several kinds for what it cannot read
        return None


def _numerals() -> list[str]:
    pattern = regex.compile(numbers._grammar(None).chinese)
    rnd = random.Random(20261123)
    found = ["".join(p) for k in range(1, 4) for p in itertools.product(ALPHABET, repeat=k)]
    found += ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(4, 12))) for _ in range(6000)]
    found += [s + "点" + "".join(rnd.choice("〇零一二三四五六七八九") for _ in range(rnd.randint(1, 3))) for s in found[:1500]]
    return [s for s in found if pattern.fullmatch(s)]


def test_reader_agrees_with_cn2an_wherever_it_answers():
    read, wrong = 0, []
    for s in _numerals():
        v = numbers.chinese_value(s)
        if v is numbers._UNSURE:
            continue
        read += 1
        if v != _cn2an(s):
            wrong.append((s, v, _cn2an(s)))
    assert not wrong, wrong[:20]
    assert read > 1500  # it answers for the regular forms, not only for a handful


@pytest.mark.parametrize(
    "text, value",
    [
        ("十", 10), ("十五", 15), ("两", 2), ("三千五百", 3500), ("三千五", 3500), ("一千零五十", 1050),
        ("五十五万", 550_000), ("一万二", 12_000), ("一亿零五百万", 105_000_000), ("二〇二五", 2025),
        ("三点五", 3.5), ("九千九百九十九万九千九百九十九", 99_999_999),
    ],
)
def test_regular_numerals_are_read_without_cn2an(text, value):
    assert numbers.chinese_value(text) == value


def test_plan_names_are_not_numbers_and_need_no_cn2an():
    assert numbers.chinese_value("十三五") is None and numbers.parse_number("十三五") is None
    assert _cn2an("十三五") is None and _cn2an("二十五六") is None


@pytest.mark.parametrize("text", ["一百十", "廿五", "一亿一千", "百"])
def test_irregular_numerals_are_left_to_cn2an(text):
    assert numbers.chinese_value(text) is numbers._UNSURE
    assert numbers.parse_number(text) == _cn2an(text)
