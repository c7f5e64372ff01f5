"""Every rule's embedded examples and counter-examples, run through its module."""

from __future__ import annotations

import importlib

import pytest

from policyparse import rules
from policyparse.facts import FactContext


def _examples():
    for kind in rules.kinds():
        rs = rules.load(kind)
        if not rs.module:
            continue
        for r in rs.rules:
            for i, ex in enumerate(r.examples):
                yield pytest.param(rs.module, ex, True, id=f"{kind}:{r.name}:ex{i + 1}")
            for i, ex in enumerate(r.counter_examples):
                yield pytest.param(rs.module, ex, False, id=f"{kind}:{r.name}:counter{i + 1}")


def _match(fact, expect: dict) -> bool:
    data = fact if isinstance(fact, dict) else fact.model_dump()
    return all(data.get(k) == v for k, v in expect.items())


@pytest.mark.parametrize("module,example,positive", list(_examples()))
def test_rule_example(module, example, positive):
    mod = importlib.import_module(module)
    if positive:
        text = example["text"] if isinstance(example, dict) else example
        expect = example.get("expect", {}) if isinstance(example, dict) else {}
        facts = mod.extract(text, FactContext(year=example.get("year", 2023) if isinstance(example, dict) else 2023))
        assert facts, f"no match in {text!r}"
        assert any(_match(f, expect) for f in facts), f"{expect} not among {facts}"
    else:
        text = example["text"] if isinstance(example, dict) else example
        assert mod.extract(text, FactContext(year=2023)) == [], f"unexpected match in {text!r}"


def test_every_rule_has_examples():
    for kind in rules.kinds():
        for r in rules.load(kind).rules:
            assert r.examples, f"{kind}.toml: rule {r.name!r} (line {r.line}) has no examples"


def test_rules_error_names_file_rule_and_line(tmp_path):
    (tmp_path / "targets.toml").write_text(
        'module = "x"\n[[rules]]\nname = "broken"\npattern = "(unclosed"\nexamples = ["a"]\n', encoding="utf-8"
    )
    with pytest.raises(rules.RulesError) as exc:
        rules.load("targets", tmp_path)
    msg = str(exc.value)
    assert "targets.toml" in msg and "broken" in msg and ":3:" in msg
