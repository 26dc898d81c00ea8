"""Property tests: FTS query quoting and the HTML renderer hold for any input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from citebrief.brief.model import Brief, CheckedSentence
from citebrief.brief.render import to_html, to_markdown
from citebrief.store.fts import fts_match

_TERM = re.compile(r'"(\w+)"')


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_fts_match_is_only_quoted_terms_joined_by_or(text):
    match = fts_match(text)
    if match is None:
        assert not re.findall(r"\w+", text)
        return
    parts = match.split(" OR ")
    assert all(_TERM.fullmatch(p) for p in parts), match  # nothing but "term" OR "term"
    terms = [_TERM.fullmatch(p).group(1) for p in parts]
    assert set(terms) <= set(re.findall(r"\w+", text.lower()))


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=120))
def test_fts_match_never_breaks_a_real_query(text):
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('Spain hesitates on the invitation')")
    match = fts_match(text)
    if match is not None:
        conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()


_hostile = st.lists(st.sampled_from(list("<>\"'&/=ab ") + ["<script>", "onerror=", "javascript:"]),
                    max_size=20).map("".join)


@settings(max_examples=150, deadline=None)
@given(question=_hostile, sentence=_hostile, title=_hostile, outlet=_hostile, url=_hostile, reason=_hostile)
def test_html_renderer_never_emits_an_unescaped_tag(question, sentence, title, outlet, url, reason):
    brief = Brief(
        question=question, generated_at="2025-01-01T00:00:00+00:00",
        sections=(("Executive summary", (CheckedSentence(sentence, (1,), "supported", 1.0),)),
                  ("Who holds which position", (CheckedSentence(sentence, (1,), "supported", 1.0),))),
        actors=({"name": title, "position": "opposes", "reasons": [reason], "citations": [1]},),
        disputes=({"summary": reason, "sides": [{"text": sentence, "citations": [1]}]},),
        limits=(reason,),
        sources=({"n": 1, "doc_id": "d", "title": title, "outlet": outlet, "published": None, "url": url,
                  "path": None, "passages": [{"passage_id": "p", "start": 0, "end": 1, "quote": sentence}]},))
    page = to_html(brief)
    tags = re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", page)
    allowed = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "a", "table", "thead",
               "tbody", "tr", "th", "td", "ul", "li", "ol", "strong", "div"}
    assert set(tags) <= allowed, set(tags) - allowed
    assert "<script" not in page.lower() and "javascript:" not in re.findall(r'href="([^"]*)"', page)
    md = to_markdown(brief)
    assert "<script" not in md
