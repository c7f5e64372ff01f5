"""segment.tag gives exactly what jieba's posseg gives, without loading jieba.

The lexicon store (lexicon_store.py) holds jieba's own tables; the tagger follows
posseg's code.  Checked here on every clause of the samples, on random cuts of
them, on strings built to reach the HMM and the non-Chinese branches, on
random strings (hypothesis), with the store in memory as well as in SQLite, and
(slow) on every clause of the corpus notices.
"""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_shared
from hypothesis import given
from hypothesis import strategies as st

from policyparse import cache, hmm, lexicon, lexicon_store, segment

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
    # the edges of jieba's Chinese range (\u4e00-\u9fd5), \r\n among other spaces, and
    # runs of single characters mixing Chinese, digits, letters and +#&._ (re_skip_detail)
    out += ["\u4e00\u9fd5\u9fd6\u4dff", "a\r\r\nb\n\r\u3000c", "嵘峣1.2.3abc4_x#覃氏", "覃a1.5b嵘峣", "&._+#", "\x1c\x1f\x85"]
    return out


def _differ(tag, texts) -> list:
    reference = segment.tokenizer(None)  # jieba's own POSTokenizer, user dictionaries loaded
    out = []
    for s in texts:
        want = [(p.word, p.flag) for p in reference.cut(s)]
        got = tag(s)
        if got != want:
            out.append((s, got, want))
    return out


def test_tags_equal_jieba_posseg():
    assert not (differ := _differ(segment.tag, _spans())), differ[:5]


def test_tags_equal_jieba_posseg_with_the_tables_in_memory():
    pos = segment.tokenizer(None)
    table = {w: (f, pos.word_tag_tab.get(w)) for w, f in pos.tokenizer.FREQ.items()}
    tagger = lexicon.Tagger(lexicon_store._MemoryStore(table, pos.tokenizer.total))
    assert not (differ := _differ(tagger.tag, _spans())), differ[:5]


# characters of every branch: common words, characters the HMM must cut (rare or
# outside the dictionary), the range's edges, letters, digits, +#&._ and spaces
_ALPHABET = list("的了是在和有不一人村卫生室达到服务能力标准县域内住院量占比覃氏嵘峣镇朊瞢") + [
    "\u4e00", "\u9fd5", "\u9fd6", "\u4dff", "a", "Z", "0", "9", ".", "+", "#", "&", "_", " ", "\r", "\n", "\u3000",
    "%", "、", "（", "）", "，",
]


@given(st.lists(st.sampled_from(_ALPHABET), max_size=24).map("".join))
def test_tags_equal_jieba_posseg_on_random_strings(s):
    assert not (differ := _differ(segment.tag, [s])), differ


@pytest.mark.slow
def test_tags_equal_jieba_posseg_on_the_corpus_clauses():
    clauses = []
    for f in sorted(needs_shared("corpus").glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        clauses += [c[:60] for c in re.split(r"[。；;！？\n]", text) if c]
    assert not (differ := _differ(segment.tag, clauses)), differ[:5]


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
    assert isinstance(store, lexicon_store._MemoryStore)
    assert lexicon.Tagger(store).tag("达到90%") == segment.tag("达到90%")


def test_a_damaged_store_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYPARSE_CACHE", str(tmp_path))
    words = segment._user_words(None)
    path = tmp_path / f"jieba-{lexicon_store._key(words)}.sqlite3"
    path.write_bytes(b"not sqlite")
    store = lexicon.open_store(words, lambda: segment.tokenizer(None))
    assert lexicon.Tagger(store).tag("达到") == [("达到", "v")]


def test_a_store_of_another_format_is_not_used(tmp_path):
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('total', 100)")
    con.commit()
    con.close()
    assert lexicon_store._SqliteStore.open(path) is None  # open_store then rebuilds it


def test_viterbi_routes_equal_jieba():
    rnd = random.Random(7)
    tables = hmm.tables()
    theirs = hmm.jieba_module("viterbi").viterbi
    # characters with states and emissions, plus one jieba's tables do not know
    chars = sorted(tables["char_state_tab"])[:4000] + list("的了是在和有不一人") + ["\u9fd5"]
    args = (tables["char_state_tab"], tables["prob_start"], tables["prob_trans"], tables["prob_emit"])
    model = hmm.Model.from_tables(tables["prob_start"], tables["prob_trans"])
    for _ in range(1500):
        s = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 12)))
        assert hmm.viterbi(s, *args, model=model) == theirs(s, *args)[1], s


def test_writing_a_store_removes_those_of_an_earlier_format(tmp_path):
    def store(name: str, fmt: int | None) -> Path:
        path = tmp_path / name
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
        if fmt is not None:
            con.execute("INSERT INTO meta VALUES ('format', ?)", (fmt,))
        con.commit()
        con.close()
        return path

    current = int(lexicon_store._FORMAT)
    old = store("jieba-0000000000000001.sqlite3", current - 1)
    unversioned = store("jieba-0000000000000002.sqlite3", None)
    damaged = tmp_path / "jieba-0000000000000003.sqlite3"
    damaged.write_bytes(b"not sqlite")
    other_words = store("jieba-0000000000000004.sqlite3", current)  # another --rules directory
    kept = store("jieba-0000000000000005.sqlite3", current - 1)  # the one just written
    unrelated = tmp_path / "regex-x-py311.marshal"
    unrelated.write_bytes(b"")
    lexicon_store._sweep(tmp_path, keep=kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other_words.name, kept.name, unrelated.name])
    assert not old.exists() and not unversioned.exists() and not damaged.exists()
