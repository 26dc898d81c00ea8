"""Vectors of texts a brief embedded are kept in the store, so the next brief skips the model."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest

from citebrief import Corpus
from citebrief.embed import HashingEmbedder
from citebrief.store import open_store
from citebrief.vector_cache import CachedEmbedder
from pg import pg_server, pg_url  # noqa: F401  (fixtures)


class Counting(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen += list(texts)
        return super().embed(texts)


TEXTS = ["Norway said it would not join.", "Costs rose by 4 percent.", "Norway said it would not join.",
         "Ünïcode \u2014 and a lone surrogate \udc80 survive."]


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, tmp_path):
    return str(tmp_path / "c.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_a_text_is_embedded_once_per_corpus_not_once_per_brief(location):
    store = open_store(location)
    model = Counting()
    first = CachedEmbedder(model, store).embed(TEXTS)
    assert model.seen == list(dict.fromkeys(TEXTS)), "duplicates within a call are embedded once"
    assert np.array_equal(first, HashingEmbedder().embed(TEXTS))
    model.seen.clear()
    later = CachedEmbedder(model, store)  # a later brief, a new process: only the store remembers
    again = later.embed(TEXTS[::-1] + ["A new sentence."])
    assert model.seen == ["A new sentence."] and later.computed == 1
    assert np.array_equal(again[:4], first[::-1])
    store.close()


def test_vectors_of_another_model_are_never_mixed_in(location):
    store = open_store(location)
    CachedEmbedder(HashingEmbedder(), store).embed(TEXTS)
    other = Counting()
    other.name = "other-model"  # same size, other model: recomputed, not taken from the cache
    CachedEmbedder(other, store).embed(TEXTS[:2])
    assert other.seen == TEXTS[:2]
    store.close()


def test_a_read_only_corpus_still_embeds_it_only_cannot_remember(tmp_path):
    store = open_store(str(tmp_path / "c.db"))
    store.execute("PRAGMA query_only=1")  # as a corpus on read-only media or opened read-only
    vectors = CachedEmbedder(HashingEmbedder(), store).embed(TEXTS)
    assert np.array_equal(vectors, HashingEmbedder().embed(TEXTS))
    assert store.execute("SELECT count(*) FROM text_vectors")[0][0] == 0
    store.close()


def test_a_cache_write_blocked_by_another_writer_costs_only_speed(tmp_path):
    path = tmp_path / "c.db"
    store = open_store(str(path))
    store.execute("PRAGMA busy_timeout=50")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # an ingest holding the write lock
    try:
        vectors = CachedEmbedder(HashingEmbedder(), store).embed(TEXTS)
        assert vectors.shape == (4, 256)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.execute("SELECT count(*) FROM text_vectors")[0][0] == 0
    store.execute("SELECT 1")  # the store is usable afterwards: no transaction left open
    CachedEmbedder(HashingEmbedder(), store).embed(TEXTS)
    assert store.execute("SELECT count(*) FROM text_vectors")[0][0] == 3
    store.close()


@pytest.mark.model
def test_the_second_brief_comes_from_the_cache_and_says_the_same(sample_db, tmp_path):
    path = tmp_path / "sample.db"
    shutil.copy(sample_db, path)
    corpus = Corpus(str(path))
    question = "Which NATO countries oppose Ukraine joining and what concerns do they cite?"
    first = corpus.ask(question).to_json()
    cached = corpus.store.execute("SELECT count(*) FROM text_vectors")[0][0]
    assert cached > 50, "the evidence sentences and the question were remembered"
    second = corpus.ask(question).to_json()
    assert corpus.store.execute("SELECT count(*) FROM text_vectors")[0][0] == cached, "nothing new embedded"
    for key in ("sections", "sources", "actors", "metrics"):
        assert first[key] == second[key], key
    corpus.close()
