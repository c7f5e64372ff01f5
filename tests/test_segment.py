"""segment.tag gives exactly what jieba's posseg gives, without loading jieba.

The lexicon store (lexicon.py) holds jieba's own tables; the tagger follows
posseg's code.  Checked here on every clause of the samples, on random cuts of
them, and on strings built to reach the HMM and the non-Chinese branches.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

from policyparse import cache, lexicon, segment

ROOT = Path(__file__).resolve().parents[1]


def _spans() -> list[str]:
    rnd = random.Random(11)
    out = []
    for f in sorted((ROOT / "samples").glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        out += [c[:60] for c in re.split(r"[。；;！？\n]", text) if c]
        for _ in range(200):
            a = rnd.randrange(len(text))
            out.append(text[a : a + rnd.randint(1, 30)])
    # the branches clauses rarely reach: letters, digits, spaces, unknown names (HMM)
    out += ["PM2.5浓度下降10%", "达到 90% 以上", "ABC公司和XYZ集团", "覃氏嵘峣镇卫生院", "\r\n", "a1 b2", "。。", "3.5万元"]
    return out


def test_tags_equal_jieba_posseg():
    reference = segment.tokenizer(None)  # jieba's own POSTokenizer, user dictionaries loaded
    differ = []
    for s in _spans():
        want = [(p.word, p.flag) for p in reference.cut(s)]
        if segment.tag(s) != want:
            differ.append((s, segment.tag(s), want))
    assert not differ, differ[:5]


def test_user_dictionaries_are_in_the_store():
    assert ("占比", "n") in segment.tag("县域内住院量占比")
    assert segment.cut("村卫生室达到服务能力标准")[:2] == ["村卫生室", "达到"]


def test_tagging_does_not_import_jieba_once_the_store_exists(tmp_path):
    code = (
        "import sys\n"
        "from policyparse import segment\n"
        "segment.tag('村卫生室达到服务能力标准')\n"  # builds the store in the fresh cache
        "print('jieba' in sys.modules)\n"
    )
    env = {"POLICYPARSE_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr.decode()[-1000:]
    assert list(tmp_path.glob("jieba-*.sqlite3"))
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=300)
    assert again.stdout.decode().split() == ["False"], again.stderr.decode()[-1000:]


def test_no_writable_cache_falls_back_to_memory(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("POLICYPARSE_CACHE", str(blocked / "cache"))
    monkeypatch.setattr(cache.tempfile, "gettempdir", lambda: str(blocked / "tmp"))
    store = lexicon.open_store(segment._user_words(None), lambda: segment.tokenizer(None))
    assert isinstance(store, lexicon._MemoryStore)
    assert lexicon.Tagger(store).tag("达到90%") == segment.tag("达到90%")


def test_a_damaged_store_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYPARSE_CACHE", str(tmp_path))
    words = segment._user_words(None)
    path = tmp_path / f"jieba-{lexicon._key(words)}.sqlite3"
    path.write_bytes(b"not sqlite")
    store = lexicon.open_store(words, lambda: segment.tokenizer(None))
    assert lexicon.Tagger(store).tag("达到") == [("达到", "v")]


def test_viterbi_routes_equal_jieba():
    rnd = random.Random(7)
    tables = lexicon._hmm_tables()
    theirs = lexicon._jieba_module("viterbi").viterbi
    chars = sorted(tables["char_state_tab"])[:4000] + list("的了是在和有不一人")
    args = (tables["char_state_tab"], tables["prob_start"], tables["prob_trans"], tables["prob_emit"])
    for _ in range(600):
        s = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 12)))
        assert lexicon.viterbi(s, *args) == theirs(s, *args)[1], s
