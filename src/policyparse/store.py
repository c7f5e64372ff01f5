"""A queryable corpus: extraction results in an embedded SQLite database.

One table per kind (documents, measures, targets, deadlines, frequencies, units,
leaders) with foreign keys, indexes on what analysts filter by, and an FTS5
trigram index over measure text (works for Chinese without a segmenter).  A
document is keyed by its source's sha256 and written in one transaction, so a
re-run over the same or a grown corpus updates in place.

    >>> import sqlite3
    >>> db = connect(":memory:")
    >>> db.execute("select count(*) from documents").fetchone()[0]
    0
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS documents (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,      -- the key: same content, same row
    path          TEXT,
    format        TEXT,
    title         TEXT,
    issuer        TEXT,
    doc_number    TEXT,
    issued_on     TEXT,                      -- ISO date
    recipients    TEXT,                      -- JSON array
    attachments   TEXT,                      -- JSON array
    cited_documents TEXT,                    -- JSON array
    measure_count INTEGER NOT NULL DEFAULT 0,
    json          TEXT NOT NULL              -- the whole extract output
);
CREATE TABLE IF NOT EXISTS measures (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    mid         TEXT NOT NULL,               -- the measure's id, e.g. 二.(八)
    path        TEXT NOT NULL,               -- JSON array
    label       TEXT, level INTEGER, parent TEXT, heading TEXT, text TEXT,
    start INTEGER, "end" INTEGER, line INTEGER,
    UNIQUE (document_id, mid)
);
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,  -- NULL: preamble
    text TEXT, indicator TEXT, value REAL, value_max REAL, unit TEXT, comparator TEXT,
    deadline TEXT, start INTEGER, "end" INTEGER, line INTEGER
);
CREATE TABLE IF NOT EXISTS deadlines (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    text TEXT, date TEXT, kind TEXT, start INTEGER, "end" INTEGER, line INTEGER
);
CREATE TABLE IF NOT EXISTS frequencies (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    text TEXT, period TEXT, times REAL, comparator TEXT, start INTEGER, "end" INTEGER, line INTEGER
);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    name TEXT NOT NULL, role TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS leaders (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_issuer ON documents(issuer);
CREATE INDEX IF NOT EXISTS documents_issued_on ON documents(issued_on);
CREATE INDEX IF NOT EXISTS measures_document ON measures(document_id);
CREATE INDEX IF NOT EXISTS targets_indicator ON targets(indicator);
CREATE INDEX IF NOT EXISTS targets_deadline ON targets(deadline);
CREATE INDEX IF NOT EXISTS targets_measure ON targets(measure_id);
CREATE INDEX IF NOT EXISTS deadlines_date ON deadlines(date);
CREATE INDEX IF NOT EXISTS units_name ON units(name);
CREATE INDEX IF NOT EXISTS units_measure ON units(measure_id);
CREATE INDEX IF NOT EXISTS leaders_name ON leaders(name);
CREATE VIRTUAL TABLE IF NOT EXISTS measures_fts USING fts5(
    heading, text, measure_id UNINDEXED, tokenize = 'trigram'
);
"""

TABLES = ("documents", "measures", "targets", "deadlines", "frequencies", "units", "leaders")

# canned reports for people who do not write SQL: name -> (SQL, what the parameter is)
REPORTS = {
    "targets-due": (
        """SELECT d.path, d.title, m.mid AS measure, t.text, t.value, t.value_max, t.unit,
                  t.comparator, t.deadline
           FROM targets t JOIN documents d ON d.id = t.document_id
           LEFT JOIN measures m ON m.id = t.measure_id
           WHERE substr(t.deadline, 1, 4) = :arg ORDER BY t.deadline, d.path, t.id""",
        "a year, e.g. 2025",
    ),
    "by-unit": (
        """SELECT u.name AS unit, u.role, count(DISTINCT u.measure_id) AS measures,
                  count(DISTINCT u.document_id) AS documents
           FROM units u GROUP BY u.name, u.role ORDER BY measures DESC, u.name""",
        None,
    ),
    "search": (
        """SELECT d.path, d.title, m.mid AS measure, m.heading, m.text
           FROM measures_fts f JOIN measures m ON m.id = f.measure_id
           JOIN documents d ON d.id = m.document_id
           WHERE measures_fts MATCH :arg ORDER BY d.path, m.id""",
        "a phrase of three or more characters",
    ),
}


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (and if needed create) a corpus database."""
    db = sqlite3.connect(str(path))
    db.row_factory = sqlite3.Row
    db.executescript(SCHEMA)
    return db


def write(db: sqlite3.Connection, doc: dict) -> str:
    """Insert or replace one extract output (a dict); returns 'added', 'updated' or 'skipped'."""
    if "error" in doc:
        return "skipped"
    src = doc.get("source") or {}
    sha = src.get("sha256")
    if not sha:
        raise ValueError("a document without source.sha256 cannot be keyed")
    with db:  # one transaction per document
        old = db.execute("SELECT id, json FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        if old is not None and old["json"] == _dump(doc):
            return "skipped"
        if old is not None:
            _delete(db, old["id"])
        meta = doc.get("document") or {}
        cur = db.execute(
            """INSERT INTO documents (sha256, path, format, title, issuer, doc_number, issued_on,
                   recipients, attachments, cited_documents, measure_count, json)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                sha, src.get("path"), src.get("format"), meta.get("title"), meta.get("issuer"),
                meta.get("doc_number"), meta.get("issued_on"),
                _dump(meta.get("recipients") or []), _dump(meta.get("attachments") or []),
                _dump(meta.get("cited_documents") or []), len(doc.get("measures") or []), _dump(doc),
            ),
        )
        doc_id = cur.lastrowid
        _facts(db, doc_id, None, doc.get("preamble") or {})
        for m in doc.get("measures") or []:
            span = m.get("span") or {}
            cur = db.execute(
                """INSERT INTO measures (document_id, mid, path, label, level, parent, heading, text,
                       start, "end", line) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                (doc_id, m["id"], _dump(m["path"]), m.get("label"), m.get("level"), m.get("parent"),
                 m.get("heading"), m.get("text"), span.get("start"), span.get("end"), span.get("line")),
            )
            mid = cur.lastrowid
            db.execute("INSERT INTO measures_fts (heading, text, measure_id) VALUES (?,?,?)", (m.get("heading") or "", m.get("text") or "", mid))
            _facts(db, doc_id, mid, m)
    return "updated" if old is not None else "added"


def write_all(db: sqlite3.Connection, docs: Iterable[dict]) -> dict:
    """Write many documents; returns counts of added, updated, skipped."""
    counts = {"added": 0, "updated": 0, "skipped": 0}
    for doc in docs:
        counts[write(db, doc)] += 1
    return counts


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """The objects of a JSON Lines file (one extract output per line)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def query(db: sqlite3.Connection, sql: str, params: dict | tuple = ()) -> Iterator[dict]:
    """Rows of a query as dicts."""
    cur = db.execute(sql, params)
    names = [c[0] for c in cur.description or ()]
    for row in cur:
        yield dict(zip(names, tuple(row)))


def report(db: sqlite3.Connection, name: str, arg: str | None = None) -> Iterator[dict]:
    """Run one of the canned REPORTS."""
    sql, _ = REPORTS[name]
    if name == "search" and arg is not None:
        arg = '"' + arg.replace('"', '""') + '"'  # a phrase, not FTS syntax
    return query(db, sql, {"arg": arg})


def export_parquet(db: sqlite3.Connection, out_dir: str | Path) -> list[Path]:
    """Write every table as <table>.parquet (needs the optional pyarrow extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'policyparse[parquet]'") from None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        rows = list(query(db, f"SELECT * FROM {table} ORDER BY id"))
        cols = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
        data = {c: [r.get(c) for r in rows] for c in cols}
        path = out / f"{table}.parquet"
        pq.write_table(pa.table(data), path)
        written.append(path)
    return written


def _facts(db, doc_id: int, measure_id: int | None, holder: dict) -> None:
    for t in holder.get("targets") or []:
        s = t.get("span") or {}
        db.execute(
            """INSERT INTO targets (document_id, measure_id, text, indicator, value, value_max, unit,
                   comparator, deadline, start, "end", line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, measure_id, t.get("text"), t.get("indicator"), t.get("value"), t.get("value_max"),
             t.get("unit"), t.get("comparator"), t.get("deadline"), s.get("start"), s.get("end"), s.get("line")),
        )
    for d in holder.get("deadlines") or []:
        s = d.get("span") or {}
        db.execute(
            'INSERT INTO deadlines (document_id, measure_id, text, date, kind, start, "end", line) VALUES (?,?,?,?,?,?,?,?)',
            (doc_id, measure_id, d.get("text"), d.get("date"), d.get("kind"), s.get("start"), s.get("end"), s.get("line")),
        )
    for f in holder.get("frequencies") or []:
        s = f.get("span") or {}
        db.execute(
            'INSERT INTO frequencies (document_id, measure_id, text, period, times, comparator, start, "end", line) VALUES (?,?,?,?,?,?,?,?,?)',
            (doc_id, measure_id, f.get("text"), f.get("period"), f.get("times"), f.get("comparator"), s.get("start"), s.get("end"), s.get("line")),
        )
    for u in holder.get("units") or []:
        db.execute("INSERT INTO units (document_id, measure_id, name, role) VALUES (?,?,?,?)", (doc_id, measure_id, u.get("name"), u.get("role")))
    for name in holder.get("leaders") or []:
        db.execute("INSERT INTO leaders (document_id, measure_id, name) VALUES (?,?,?)", (doc_id, measure_id, name))


def _delete(db, doc_id: int) -> None:
    db.execute("DELETE FROM measures_fts WHERE measure_id IN (SELECT id FROM measures WHERE document_id = ?)", (doc_id,))
    for table in TABLES[:0:-1]:  # children first (also covered by ON DELETE CASCADE)
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
    db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)
