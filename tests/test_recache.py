"""Compiled patterns and parsed rule files taken from the cache behave as fresh ones."""

from __future__ import annotations

import subprocess
import sys

import regex

from policyparse import cache, recache, rules


def _texts(rule) -> list[str]:
    out = [e["text"] if isinstance(e, dict) else str(e) for e in rule.examples]
    return out + [c if isinstance(c, str) else str(c) for c in rule.counter_examples]


def test_every_rule_matches_the_same_from_the_cache():
    checked = 0
    for kind in rules.kinds():
        for rule in rules.load(kind).rules:
            fresh = regex.compile(rule.pattern, regex.VERBOSE)
            stored = recache.compile(rule.pattern, regex.VERBOSE)
            again = recache.compile(rule.pattern, regex.VERBOSE)  # now served from the memo
            for p in (stored, again):
                assert (p.pattern, p.flags, p.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex)
                for text in _texts(rule):
                    want = [(m.span(), m.groupdict()) for m in fresh.finditer(text)]
                    assert [(m.span(), m.groupdict()) for m in p.finditer(text)] == want, (kind, rule.name, text)
            checked += 1
    assert checked > 50


def test_a_new_process_uses_the_saved_entries(tmp_path):
    code = (
        "import regex\n"
        "from policyparse import recache\n"
        "p = recache.compile(r'(?P<n>\\d+)\\s*(?:万元|个)', regex.VERBOSE)\n"
        "print(recache._memo().get((p.pattern, int(regex.VERBOSE))) is not None, p.match('25 万元').group('n'))\n"
    )
    env = {"POLICYPARSE_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert first.stdout.decode().split() == ["True", "25"], first.stderr.decode()[-800:]
    assert list(tmp_path.glob("regex-*.marshal"))  # written at exit
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert again.stdout.decode().split() == ["True", "25"], again.stderr.decode()[-800:]


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYPARSE_CACHE", str(tmp_path))
    (tmp_path / "x-py311.marshal").write_bytes(b"\x00garbage")
    m = cache.Memo("x-py311.marshal", 10)
    assert m.entries == {}
    m.put(("k",), (1, 2))
    m.put(("no",), object())  # not marshal-able: not kept
    m.save()
    assert cache.Memo("x-py311.marshal", 10).entries == {("k",): (1, 2)}


def test_an_engine_that_rejects_the_entry_falls_back_to_compiling(monkeypatch):
    key = ("(?P<a>x)", 0)
    recache._memo().entries[key] = ("bogus",) * 11
    p = recache.compile("(?P<a>x)")
    assert p.match("x").group("a") == "x"
    assert recache._memo().get(key) != ("bogus",) * 11


def test_rule_files_parse_the_same_from_the_cache(tmp_path):
    src = rules.locate("frequencies").read_text(encoding="utf-8")
    import tomllib

    assert rules._parse(src, tmp_path / "f.toml") == tomllib.loads(src)
    assert rules._parse(src, tmp_path / "f.toml") == tomllib.loads(src)  # second time from the memo


def test_a_lazy_pattern_compiles_on_first_use_and_behaves_as_compiled(monkeypatch):
    calls = []
    real = recache.compile
    monkeypatch.setattr(recache, "compile", lambda p, f=0: calls.append(p) or real(p, f))
    lazy = recache.lazy(r"(?P<n>\d+)\s*万元", regex.VERBOSE)
    assert lazy.pattern == r"(?P<n>\d+)\s*万元" and calls == []  # .pattern needs no compiling
    fresh = regex.compile(r"(?P<n>\d+)\s*万元", regex.VERBOSE)
    assert lazy.search("投入 25 万元").group("n") == "25"
    assert (lazy.flags, lazy.groupindex) == (fresh.flags, fresh.groupindex)
    assert lazy.sub("X", "1万元 2万元") == fresh.sub("X", "1万元 2万元")
    lazy.findall("3万元")
    assert len(calls) == 1  # once, then the pattern's own methods


def test_no_module_compiles_a_regex_at_import():
    """Module-level patterns are lazy: importing policyparse compiles nothing with regex."""
    code = (
        "import pkgutil, importlib, regex, policyparse\n"
        "found = []\n"
        "for m in pkgutil.walk_packages(policyparse.__path__, 'policyparse.'):\n"
        "    mod = importlib.import_module(m.name)\n"
        "    found += [f'{m.name}.{k}' for k, v in vars(mod).items() if isinstance(v, regex.Pattern)]\n"
        "print(found)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr[-800:]


def test_a_full_memo_keeps_what_the_last_process_used_and_added(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYPARSE_CACHE", str(tmp_path))
    first = cache.Memo("m-py311.marshal", 3)
    for k in ("a", "b", "c"):
        first.put((k,), k)
    first.save()
    later = cache.Memo("m-py311.marshal", 3)  # an upgrade: uses b, needs the new d
    assert later.get(("b",)) == "b"
    later.put(("d",), "d")
    later.save()
    kept = cache.Memo("m-py311.marshal", 3).entries
    assert len(kept) == 3 and kept[("b",)] == "b" and kept[("d",)] == "d"
