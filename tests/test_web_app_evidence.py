"""Exact evidence: every citation of a brief carries the span of the document it was verified against."""

from __future__ import annotations

import copy
import html
import re

import pytest

from citebrief import Corpus
from citebrief.brief.render import Format, render
from citebrief.server.export import brief_from_json

SEED_QUESTION = ("Which NATO countries oppose or are hesitant about Ukraine joining and what security or "
                 "political concerns do they cite?")


@pytest.fixture(scope="module")
def seed_brief(sample_db):
    corpus = Corpus(str(sample_db))
    try:
        brief = corpus.ask(SEED_QUESTION).to_json()
        texts = {s["doc_id"]: corpus.show(s["doc_id"]).text for s in brief["sources"]}
    finally:
        corpus.close()
    return brief, texts


def _check_spans(citations: list[int], spans: list[dict], brief: dict, texts: dict[str, str]) -> None:
    """Each citation number has a span; each span is verbatim in the document its number names."""
    doc_of = {s["n"]: s["doc_id"] for s in brief["sources"]}
    assert {e["n"] for e in spans} == set(citations)
    for e in spans:
        assert set(e) == {"n", "passage_id", "start", "end", "quote"}
        assert texts[doc_of[e["n"]]][e["start"]:e["end"]] == e["quote"]


def test_every_sentence_citation_has_its_exact_span(seed_brief):
    brief, texts = seed_brief
    sentences = [s for section in brief["sections"] for s in section["sentences"]]
    assert sentences and brief["enough_evidence"]
    for sentence in sentences:
        _check_spans(sentence["citations"], sentence["evidence"], brief, texts)


def test_actor_cells_and_dispute_sides_carry_their_spans(seed_brief):
    brief, texts = seed_brief
    assert brief["actors"]
    for row in brief["actors"]:
        _check_spans(row["citations"], row["evidence"], brief, texts)
        _check_spans(row["position_citations"], row["position_evidence"], brief, texts)
        _check_spans(row["reason_citations"], row["reason_evidence"], brief, texts)
        for detail in row["reason_details"]:
            _check_spans(detail["citations"], detail["evidence"], brief, texts)
        for stance in row["stance_series"]:
            _check_spans(stance["citations"], stance["evidence"], brief, texts)
    for dispute in brief["disputes"]:
        for side in dispute["sides"]:
            _check_spans(side["citations"], side["evidence"], brief, texts)


def test_spans_survive_the_stored_json_round_trip(seed_brief):
    brief, _ = seed_brief
    again = brief_from_json(brief).to_json()
    assert [s["evidence"] for sec in again["sections"] for s in sec["sentences"]] == \
        [s["evidence"] for sec in brief["sections"] for s in sec["sentences"]]


CITE_LINK = re.compile(r'<a class="cite" href="#([^"]+)"(?: title="([^"]*)")?>\[(\d+)\]</a>')


def _links_after(page: str, text: str) -> list[tuple[str, str, int]]:
    """The [n] links that follow ``text`` (escaped as the page escapes it): (target id, title, n)."""
    run = re.search(re.escape(html.escape(text, quote=True)) + r'((?: <a class="cite"[^>]*>\[\d+\]</a>)+)', page)
    assert run, text
    return [(target, html.unescape(title or ""), int(n)) for target, title, n in CITE_LINK.findall(run.group(1))]


def _quote_at(page: str, anchor: str) -> str:
    found = re.search(rf'<div class="quote" id="{re.escape(anchor)}">([^<]*)</div>', page)
    assert found, anchor
    return html.unescape(found.group(1))


def test_html_export_links_each_citation_to_its_verified_span(seed_brief):
    """The HTML export (CLI `ask --format html`, the web app's download) points every [n] at the quote that
    citation was verified against and shows it as the link's title; nothing is chosen by word overlap."""
    brief, _ = seed_brief
    page = render(brief_from_json(brief), Format.HTML)
    checked = 0
    for sentence in (s for section in brief["sections"] for s in section["sentences"] if s["citations"]):
        for target, title, n in _links_after(page, sentence["text"]):
            quotes = [e["quote"] for e in sentence["evidence"] if e["n"] == n]
            assert _quote_at(page, target) == quotes[0] and title == " … ".join(quotes)
            checked += 1
    for row in brief["actors"]:
        for detail in row["reason_details"]:
            for target, title, n in _links_after(page, detail["text"]):
                assert _quote_at(page, target) == next(e["quote"] for e in detail["evidence"] if e["n"] == n)
                checked += 1
    assert checked >= 10


def test_html_export_of_a_brief_stored_before_spans_links_to_the_source(seed_brief):
    brief, _ = seed_brief
    old = copy.deepcopy(brief)
    for section in old["sections"]:
        for sentence in section["sentences"]:
            del sentence["evidence"]
    page = render(brief_from_json(old), Format.HTML)
    sentence = next(s for section in old["sections"] for s in section["sentences"] if s["citations"])
    assert _links_after(page, sentence["text"]) == [(f"src-{n}", "", n) for n in sentence["citations"]]
    assert f'<li id="src-{sentence["citations"][0]}"' in page
