"""A tantivy BM25 index over the ``passages`` table: top-k with block-max WAND, derived from SQLite.

FTS5 scores every passage that holds any query term (at 100k passages a Climate-FEVER claim matches
about half of them); tantivy's block-max WAND (Ding & Suel, "Faster top-k document retrieval using
block-max indexes", SIGIR 2011) skips whole blocks of postings whose best possible score cannot
enter the top k. Scores are Okapi BM25 (Robertson & Zaragoza 2009) with k1=1.2, b=0.75 as in FTS5.
tantivy's idf is ln(1 + (N − n + 0.5)/(n + 0.5)), FTS5's ln((N − n + 0.5)/(n + 0.5)) floored at
1e-6; each query term is boosted by the ratio of the two, so the scores are FTS5's (a term in half
the passages weighs ~0 in FTS5 but ln 2 = 0.69 in tantivy: it would otherwise reorder the top 10).
What still differs: tantivy stores passage lengths in one byte (exact below 40 tokens, within a few
per cent above) and stems with Porter 2 where FTS5 uses Porter.
The analyzer follows FTS5's ``porter unicode61 remove_diacritics 2``: split on non-alphanumerics,
lower-case, fold accents, English (Porter 2) stemming.

Documents carry the passage's rowid (a fast field); every passage with a larger rowid than the
largest indexed is new and is added on the next search. A tantivy commit is atomic, so a kill -9
leaves the last committed state and the next search adds the rest. One process writes at a time
(tantivy's writer lock); another that finds the lock taken searches with FTS5 meanwhile.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any, Callable, Sequence

from .fts import search_words

Read = Callable[[str, Sequence[Any]], list[tuple]]

PASSAGES_MAX_SQL = "SELECT coalesce(max(rowid), 0) FROM passages"
PASSAGES_COUNT_SQL = "SELECT count(*) FROM passages"
PASSAGES_AFTER_SQL = "SELECT rowid, text FROM passages WHERE rowid > ? ORDER BY rowid LIMIT ?"
CATCH_UP_CHUNK = 20_000
ANALYZER = "citebrief_en"
WRITER_HEAP = 128_000_000  # bytes shared by the writer's threads; tantivy flushes a segment when full


def passage_ids_sql(n: int) -> str:
    """SQL mapping ``n`` passage rowids to their passage ids."""
    return f"SELECT rowid, passage_id FROM passages WHERE rowid IN ({','.join('?' * n)})"


def _analyzer() -> Any:
    import tantivy

    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer("english")).build())


def _schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("rowid", stored=False, indexed=True, fast=True)
    builder.add_text_field("text", stored=False, tokenizer_name=ANALYZER, index_option="freq")
    return builder.build()


def fts5_idf(n_docs: int, df: int) -> float:
    """FTS5's BM25 idf: ln((N − n + 0.5)/(n + 0.5)), floored at 1e-6 (N=100, n=10: ln(90.5/10.5) ≈ 2.154)."""
    return max(math.log((n_docs - df + 0.5) / (df + 0.5)), 1e-6)


def tantivy_idf(n_docs: int, df: int) -> float:
    """tantivy's (Lucene's) BM25 idf: ln(1 + (N − n + 0.5)/(n + 0.5)) (N=100, n=10: ≈ 2.269)."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def lexical_terms(text: str, analyzer: Any) -> list[str]:
    """Index terms of a question: its content words (as ``fts_match`` picks them), analysed."""
    return [token for word in search_words(text) for token in analyzer.analyze(word)]


class LexicalIndex:
    """BM25 over one corpus' passages, kept in ``folder`` and caught up from SQLite on each search."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index: Any = None
        self._analyzer: Any = None
        self._schema: Any = None
        self._covered = -1  # largest passage rowid indexed; -1 = not read yet

    def _open(self) -> None:
        import tantivy

        self._schema, self._analyzer = _schema(), _analyzer()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._index = tantivy.Index(self._schema, path=str(self.folder), reuse=True)
        except (ValueError, OSError):  # torn or from another version: it is only a cache
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            self._index = tantivy.Index(self._schema, path=str(self.folder), reuse=True)
        self._index.register_tokenizer(ANALYZER, self._analyzer)

    def _newest_indexed(self) -> int:
        import tantivy

        self._index.reload()
        hits = self._index.searcher().search(tantivy.Query.all_query(), limit=1, count=False,
                                             order_by_field="rowid").hits
        return int(hits[0][0]) if hits else 0

    def sync(self, read: Read) -> bool:
        """Bring the index level with ``passages``; False when another process holds the writer."""
        newest = read(PASSAGES_MAX_SQL, ())[0][0]
        if self._covered == newest:
            return True
        if self._index is None:
            self._open()
        self._covered = self._newest_indexed()  # another process may have caught up meanwhile
        if self._covered == newest:
            return True
        try:
            writer = self._index.writer(WRITER_HEAP, 0)
        except ValueError:  # LockBusy: another process is writing
            return False
        try:
            self._covered = self._newest_indexed()  # re-read under the lock: no one else adds now
            if self._covered > newest or self._index.searcher().num_docs > self._covered:
                # More than SQLite holds (an older copy of the .db), or duplicates: start over.
                writer.delete_all_documents()
                self._covered = 0
            self._add_after(read, writer)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._index.reload()
        return True

    def _add_after(self, read: Read, writer: Any) -> None:
        import tantivy

        while True:
            rows = read(PASSAGES_AFTER_SQL, (self._covered, CATCH_UP_CHUNK))
            if not rows:
                return
            for rowid, text in rows:
                doc = tantivy.Document()
                doc.add_unsigned("rowid", rowid)
                doc.add_text("text", text)
                writer.add_document(doc)
            self._covered = int(rows[-1][0])

    def search(self, read: Read, query: str, k: int) -> list[tuple[str, float]]:
        """The top ``k`` passages for ``query`` by BM25: (passage_id, score), best first."""
        import tantivy

        searcher = self._index.searcher()
        n_docs, clauses = searcher.num_docs, []
        for term in lexical_terms(query, self._analyzer):
            df = searcher.doc_freq("text", term)
            if df:
                weight = fts5_idf(n_docs, df) / tantivy_idf(n_docs, df)
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(
                    self._schema, "text", term, index_option="freq"), weight)))
        if not clauses:
            return []
        q = tantivy.Query.boolean_query(clauses)
        hits = searcher.search(q, limit=k, count=False).hits  # count=True would visit every match
        if not hits:
            return []
        rowids = searcher.fast_field_values("rowid", [addr for _, addr in hits])
        ids = dict(read(passage_ids_sql(len(rowids)), rowids))
        return [(ids[r], float(score)) for (score, _), r in zip(hits, rowids) if r in ids]

    @property
    def size(self) -> int:
        return 0 if self._index is None else int(self._index.searcher().num_docs)
