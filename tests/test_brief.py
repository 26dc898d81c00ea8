"""The brief on the sample corpus with the real MiniLM model: actors, disputes, citations, limits."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from citebrief import Corpus
from citebrief.brief.gazetteer import find_mentions
from citebrief.brief.render import Format, render
from citebrief.clean import is_boilerplate_line
from conftest import run_cli

pytestmark = pytest.mark.model
SEED_QUESTION = ("Which NATO countries oppose or are hesitant about Ukraine joining and what security or "
                 "political concerns do they cite?")
SEVEN = {"United States", "Germany", "Hungary", "Slovakia", "Belgium", "Slovenia", "Spain"}


@pytest.fixture(scope="session")
def corpus(sample_db):
    return Corpus(str(sample_db))


@pytest.fixture(scope="session")
def seed_brief(corpus):
    return corpus.ask(SEED_QUESTION)


def _all_sentences(brief):
    return [s for _, sentences in brief.sections for s in sentences]


def test_seed_brief_names_the_seven_with_positions_and_reasons_of_their_own(seed_brief):
    data = seed_brief.to_json()
    actors = {a["name"]: a for a in data["actors"]}
    assert SEVEN <= set(actors), set(actors)
    for name in SEVEN:
        assert actors[name]["position"] in {"opposes", "hesitant"}, (name, actors[name])
        assert actors[name]["position_citations"] and actors[name]["stance_series"]
        assert actors[name]["kind"] == "country"
    # Only countries that take a position: Russia and Ukraine speak, but not as holders of one.
    assert not {"Russia", "Ukraine", "Israel"} & set(actors)
    # Reasons are the actor's own, never one sentence copied to every row, each with its own citation.
    reasons = [r for a in data["actors"] for r in a["reasons"]]
    assert len(reasons) == len(set(reasons)), reasons
    sources = {s["n"]: s for s in data["sources"]}
    slovakia = actors["Slovakia"]
    assert slovakia["reason_details"] and all(r["citations"] for r in slovakia["reason_details"])
    assert any("fico" in (sources[n]["title"] or "").lower() or "slovak" in (sources[n]["title"] or "").lower()
               for r in slovakia["reason_details"] for n in r["citations"]), slovakia
    hungary = actors["Hungary"]  # its own reason, from the article about Orban's government
    assert any("orban" in (sources[n]["title"] or "").lower() for r in hungary["reason_details"]
               for n in r["citations"]), hungary


def test_seed_brief_shows_france_changing_from_2008_to_2024_with_both_ends_cited(seed_brief):
    data = seed_brief.to_json()
    france = next(a for a in data["actors"] if a["name"] == "France")
    series = [(p["position"], (p["date"] or "")[:4]) for p in france["stance_series"]]
    assert ("opposes", "2008") in series and france["position"] == "supports", series
    assert france["since"].startswith("2024")
    # the reasons are for the position shown: none of 2008's ("the need to avoid a rupture with Russia")
    assert france["reasons"] and not any("rupture" in r for r in france["reasons"]), france["reasons"]
    [change] = [s for s in _all_sentences(seed_brief) if s.text.startswith("France was reported as opposed in 2008")]
    assert len(change.citations) == 2 and "supportive by 2024" in change.text


def test_seed_brief_uses_each_sentence_once_under_headings_that_fit(seed_brief):
    placed = {}
    for heading, sentences in seed_brief.sections:
        for s in sentences:
            assert s.text not in placed, (s.text, placed.get(s.text), heading)
            placed[s.text] = heading
    headings = [h for h, _ in seed_brief.sections]
    assert any("Ukraine joining" in h for h in headings), headings
    assert not any(h.startswith("The argument from") for h in headings)


def test_seed_brief_reports_the_ukrainian_rebuttal_as_a_competing_narrative(seed_brief):
    data = seed_brief.to_json()
    sources = {s["n"]: s for s in data["sources"]}
    rebuttals = [side for d in data["disputes"] for side in d["sides"]
                 if re.search(r"rumou?rs?|inaccurate|not accurate|rejected|dismiss", side["text"], re.I)]
    assert rebuttals, data["disputes"]
    side = rebuttals[0]
    assert side["citations"]
    dispute = next(d for d in data["disputes"] if side in d["sides"])
    assert len(dispute["sides"]) >= 2 and all(s["citations"] for s in dispute["sides"])
    assert any("Kyiv" in (sources[n]["title"] or "") or "Ukraine" in (sources[n]["title"] or "")
               for n in side["citations"])


def test_seed_brief_has_no_boilerplate(seed_brief):
    md = render(seed_brief, Format.MD)
    for line in md.splitlines():
        assert not is_boilerplate_line(line.strip("-# ")), line
    for needle in ("Advertisement", "Subscribe", "To suggest a correction", "Other Topics of Interest"):
        assert needle not in md


def test_every_sentence_is_cited_and_its_content_is_in_the_cited_passages(seed_brief, corpus):
    data = seed_brief.to_json()
    sources = {s["n"]: s for s in data["sources"]}
    for s in _all_sentences(seed_brief):
        assert s.citations, s.text
        quotes = [q["quote"] for n in s.citations for q in sources[n]["passages"]]
        if any(s.text.rstrip(".") in q or q.endswith(s.text) for q in quotes):
            continue  # a source sentence, lightly trimmed
        # A template sentence: every actor it names appears in the quotes it cites.
        named = {m.name for m in find_mentions(s.text)}
        assert named, f"sentence is neither a source sentence nor a filled template: {s.text}"
        quoted = {m.name for q in quotes for m in find_mentions(q)}
        missing = named - quoted
        assert not missing or _named_via_people(missing, quotes, corpus, sources, s.citations), (s.text, missing)


def _named_via_people(missing, quotes, corpus, sources, citations):
    from citebrief.brief.gazetteer import people_links
    links = {}
    for n in citations:
        links.update(people_links(corpus.show(sources[n]["doc_id"]).text))
    return all(any(person in q for q in quotes for person, country in links.items() if country == name)
               for name in missing)


def test_sources_are_numbered_by_first_citation_and_quotes_are_verbatim(seed_brief, corpus):
    data = seed_brief.to_json()
    order = []
    for section in data["sections"]:
        for sentence in section["sentences"]:
            order += [n for n in sentence["citations"] if n not in order]
    assert order == sorted(order) and order[0] == 1
    cited = {n for section in data["sections"] for s in section["sentences"] for n in s["citations"]}
    cited |= {n for a in data["actors"] for n in a["citations"]}
    cited |= {n for a in data["actors"] for point in a["stance_series"] for n in point["citations"]}
    cited |= {n for d in data["disputes"] for side in d["sides"] for n in side["citations"]}
    assert cited == {s["n"] for s in data["sources"]}
    for source in data["sources"]:
        text = corpus.show(source["doc_id"]).text
        for q in source["passages"]:
            assert text[q["start"]:q["end"]] == q["quote"]


def test_limits_are_computed_from_the_evidence(seed_brief):
    limits = " ".join(seed_brief.limits)
    assert re.search(r"rests on \d+ sources \(\d+ independent", limits)
    assert "anonymous" in limits and "As of 20" in limits


def test_metrics_report_citation_recall_and_precision(seed_brief):
    m = seed_brief.metrics
    assert 0.8 <= m["citation_recall"] <= 1.0 and 0.5 <= m["citation_precision"] <= 1.0
    assert m["sentences_kept"] >= 10


def test_unanswerable_question_says_not_enough_evidence(corpus):
    brief = corpus.ask("What is the best recipe for sourdough bread with rye flour?")
    assert not brief.enough_evidence and not brief.sources
    assert "Not enough evidence" in render(brief, Format.MD)


def test_a_covered_topic_that_does_not_hold_the_answer_is_declined(corpus):
    """The corpus reports on Ukraine and NATO, but no ally ever voted to expel anyone."""
    brief = corpus.ask("Which NATO members voted to expel Hungary from the alliance?")
    assert not brief.enough_evidence and not brief.sections
    assert "do not establish the answer" in brief.limits[0]


@pytest.mark.parametrize("question,must,expected_words", [
    ("Why did Kelsworth council approve the congestion charge?", "Kelsworth council approves",
     ("traffic", "charge")),
    ("What happened in the River Kell flood?", "River Kell flood", ("rain", "evacuat")),
])
def test_other_question_shapes_on_other_topics(corpus, question, must, expected_words):
    brief = corpus.ask(question)
    data = brief.to_json()
    assert brief.enough_evidence and data["sections"][0]["heading"] == "Executive summary"
    titles = [s["title"] for s in data["sources"]]
    assert any(must.lower() in t.lower() for t in titles), titles
    assert not any("NATO" in t or "Ukrain" in t for t in titles), titles
    text = " ".join(s["text"] for sec in data["sections"] for s in sec["sentences"]).lower()
    assert all(w in text for w in expected_words)
    assert len(data["sections"]) >= 3


def test_ask_cli_json_contract(sample_db, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(sample_db, db)
    proc = run_cli("ask", "Why did Kelsworth council approve the congestion charge?", "--format", "json", "-q", db=db)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"question", "generated_at", "sections", "actors", "disputes", "limits", "sources", "metrics"} <= set(data)
    for source in data["sources"]:
        assert {"n", "doc_id", "title", "outlet", "published", "url", "path", "passages"} <= set(source)
        for p in source["passages"]:
            assert {"passage_id", "start", "end", "quote"} <= set(p)
    out = tmp_path / "brief.html"
    assert run_cli("ask", "What happened in the River Kell flood?", "-f", "html", "-o", str(out), "-q", db=db).returncode == 0
    assert out.read_text().startswith("<!doctype html>")


def test_a_question_about_board_members_is_answered_with_the_people_who_vote(corpus):
    """'Which board members …' asks for people, not countries (as 'which NATO members' does)."""
    data = corpus.ask("Which board members opposed holding interest rates and why?").to_json()
    assert data["enough_evidence"], data["limits"]
    actors = {a["name"].split(" (")[0]: a for a in data["actors"]}
    assert "Markus Lindqvist" in actors, sorted(actors)
    assert any("labour market" in r for r in actors["Markus Lindqvist"]["reasons"]), actors["Markus Lindqvist"]
    assert all(a["kind"] != "country" for a in data["actors"])
    # what "opposed" is a position on, for a consumer of the table
    assert data["target"] == "holding interest rates"
