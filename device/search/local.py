"""Embedded search provider: an SQLite FTS5 index over the bundled corpus (device/data/corpus).

Needs no network. The index is built on first use — into `<home>/search/index.sqlite3` when a
device data folder is given, else in memory — and rebuilt when the corpus files change (their
SHA-256 is stored in the index). Ranking is FTS5's BM25 with titles weighted above snippets.
`all_hits()` lists every entry: the index is static, so the search pipeline filters them all once
and remembers the decisions.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from device.search.tokens import fts_match, index_text, query_tokens
from device.search.types import Hit, ProviderUnavailable

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "corpus"
INDEX_VERSION = "1"  # bump when tokens.py or the schema changes
TITLE_WEIGHT, SNIPPET_WEIGHT = 4.0, 1.0

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, lang TEXT, title TEXT NOT NULL,
    snippet TEXT NOT NULL, url TEXT NOT NULL, label TEXT
);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
"""


def corpus_files(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    files = sorted(corpus_dir.glob("*.jsonl"))
    if not files:
        raise ProviderUnavailable(f"no corpus files (*.jsonl) in {corpus_dir}")
    return files


def fingerprint(files: Iterable[Path]) -> str:
    h = hashlib.sha256(INDEX_VERSION.encode())
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def iter_docs(files: Iterable[Path]) -> Iterator[dict]:
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ProviderUnavailable(f"{path.name} line {n} is not JSON: {exc}") from exc
                if not all(isinstance(doc.get(k), str) for k in ("title", "snippet", "url")):
                    raise ProviderUnavailable(f"{path.name} line {n} lacks title/snippet/url")
                yield doc


def build_index(db: sqlite3.Connection, files: list[Path], digest: str) -> int:
    db.executescript(_SCHEMA)
    count = 0
    with db:
        for count, doc in enumerate(iter_docs(files), start=1):
            db.execute(
                "INSERT INTO docs (id, doc_id, lang, title, snippet, url, label) VALUES (?,?,?,?,?,?,?)",
                (count, doc.get("id", str(count)), doc.get("lang"), doc["title"], doc["snippet"],
                 doc["url"], doc.get("label")),
            )
            db.execute(
                "INSERT INTO fts (rowid, title, body) VALUES (?,?,?)",
                (count, index_text(doc["title"]), index_text(doc["snippet"])),
            )
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?), ('count', ?)", (digest, str(count)))
    db.execute("INSERT INTO fts (fts) VALUES ('optimize')")
    return count


def _stored_fingerprint(path: Path) -> str | None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _hits(rows: list[tuple]) -> list[Hit]:
    """Rows of (doc_id, title, snippet, url, label, lang) as hits."""
    return [Hit(title=t, snippet=s, url=u, source_id=i, extra={"label": lab, "lang": lang})
            for i, t, s, u, lab, lang in rows]


class LocalIndexProvider:
    """Search the bundled corpus. `home=None` keeps the index in memory."""

    name = "local"

    def __init__(self, home: str | Path | None = None, corpus_dir: str | Path = CORPUS_DIR) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.index_path = Path(home) / "search" / "index.sqlite3" if home is not None else None
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.doc_count = 0

    def open(self) -> LocalIndexProvider:
        """Build (if needed) and open the index; called by the first search otherwise."""
        with self._lock:
            if self._db is None:
                self._db = self._open()
                self.doc_count = int(self._db.execute("SELECT value FROM meta WHERE key='count'").fetchone()[0])
        return self

    def _open(self) -> sqlite3.Connection:
        files = corpus_files(self.corpus_dir)
        digest = fingerprint(files)
        if self.index_path is None:
            db = sqlite3.connect(":memory:", check_same_thread=False)
            build_index(db, files, digest)
            return db
        if _stored_fingerprint(self.index_path) != digest:
            self.index_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=self.index_path.parent)
            os.close(fd)
            try:
                db = sqlite3.connect(tmp)
                build_index(db, files, digest)
                db.close()
                os.replace(tmp, self.index_path)  # readers never see a half-built index
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False)

    def search(self, query: str, limit: int) -> list[Hit]:
        if limit <= 0:
            return []
        hits = self._query(query_tokens(query), limit)
        if len(hits) < limit:  # widen recall with single characters ("小猫" also finds "猫")
            seen = {h.source_id for h in hits}
            extra = self._query(query_tokens(query, single_chars=True), limit)
            hits += [h for h in extra if h.source_id not in seen][: limit - len(hits)]
        return hits

    def _query(self, tokens: list[str], limit: int) -> list[Hit]:
        if not tokens:
            return []
        self.open()
        assert self._db is not None
        # the best `limit` index rows first, then their documents: joined before ranking, every matching row
        # (~1,000 for a query of common single characters, the widened second query) was looked up in docs.
        # Equal scores come in index order (rowid), in the LIMIT and in the answer, not in SQLite's order
        sql = (
            "SELECT d.doc_id, d.title, d.snippet, d.url, d.label, d.lang FROM (SELECT rowid AS r, "
            f"bm25(fts, {TITLE_WEIGHT}, {SNIPPET_WEIGHT}) AS s FROM fts WHERE fts MATCH ? ORDER BY s, r LIMIT ?) t "
            "JOIN docs d ON d.id = t.r ORDER BY t.s, t.r"
        )
        with self._lock:
            try:
                rows = self._db.execute(sql, (fts_match(tokens), int(limit))).fetchall()
            except sqlite3.Error as exc:
                raise ProviderUnavailable(f"local index error: {exc}") from exc
        return _hits(rows)

    def all_hits(self) -> list[Hit]:
        """Every entry of the index as the hits a query returns (the pipeline filters them all once)."""
        self.open()
        assert self._db is not None
        with self._lock:
            rows = self._db.execute("SELECT doc_id, title, snippet, url, label, lang FROM docs ORDER BY id").fetchall()
        return _hits(rows)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
