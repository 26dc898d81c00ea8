"""`citebrief check`: citation parsing, source matching, and audits of reports on the sample corpus."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citebrief import Corpus
from citebrief.checkreport import (MatchedBy, Outcome, check_report, document_passages, find_markers,
                                   match_sources, parse_mapping, parse_report, result_json, strip_markers)
from citebrief.checkreport.report import make_entry
from citebrief.cli import main
from citebrief.errors import UsageError
from citebrief.models import DocMeta
from citebrief.verify import get_checker
from conftest import ROOT, SAMPLE_CORPUS, run_cli

REPORTS = ROOT / "tests" / "fixtures" / "reports"
NATO = REPORTS / "nato_report.md"
NO_LIST = REPORTS / "no_source_list.txt"
# The documents the fixture reports cite plus two distractors (one off-topic, one on France's
# line): enough for matching to choose, at a fraction of the whole sample corpus's ingest time.
FILES = ["02_bucharest-germany-france-resist.md", "05_city-congestion-charge-approved.txt",
         "14_seven-allies-resist-invitation.txt", "19_hungary-orban-opposition.html",
         "20_slovakia-fico-never-support.txt", "21_germany-scholz-caution.txt", "22_france-macron-shift.md",
         "25_hegseth-membership-unrealistic.txt", "31_article5-unanimity-limits.md"]
PLANTED = ("Spain has formally proposed",  # a claim no source makes, citing a real source [1]
           "French Prime Minister Francois Fillon")  # true (Rhine Herald, [7]) but cites Hegseth [5]
CONTRACT_SENTENCE = {"text", "citations", "verdict", "score", "quote", "doc_ids"}
CONTRACT_SUMMARY = {"citation_recall", "citation_precision", "sentences", "supported", "partial",
                    "unsupported", "contradicted", "unresolved"}


# -- citation markers (pure) ---------------------------------------------------------------------
@pytest.mark.parametrize("text, numbers", [
    ("A [1].", [(1,)]),
    ("A [1][2].", [(1,), (2,)]),
    ("A [1] [2].", [(1,), (2,)]),
    ("A [1, 2] and [3;4].", [(1, 2), (3, 4)]),
    ("A [1-3] and [5–6].", [(1, 2, 3), (5, 6)]),
    ("A [1](https://a.example/x).", [(1,)]),
    ("In [2024] and [0] and [3-1] and [1-500], no citation.", []),
    ("See https://a.example/page[1] and `x[2]` and [docs](https://b.example/y[3]) [4].", [(4,)]),
])
def test_markers_of_every_accepted_form(text, numbers):
    assert [m.numbers for m in find_markers(text)] == numbers


def test_strip_markers_leaves_clean_sentences():
    assert strip_markers("France [1] [2].") == "France."
    assert strip_markers("A [1], B [2][3] and C [4](https://x.example).") == "A, B and C."
    assert strip_markers("[3][1] Then it ended.") == "Then it ended."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]0123456789,;-– ab.:/`()h\t\n{}\"#")), max_size=60)
       | st.text(max_size=60))
def test_marker_parser_never_raises_or_invents_numbers(text):
    for marker in find_markers(text):
        span = text[marker.start:marker.end]
        assert span.startswith("[") and span.endswith("]")
        written = [int(x) for x in re.findall(r"\d+", span)]
        for n in marker.numbers:  # written down, or inside a range written down ("[2-4]" → 3)
            assert n in written or (re.search(r"[-–—]", span) and min(written) <= n <= max(written))
    strip_markers(text)
    parse_report(text)
    try:
        parse_mapping(text)
    except UsageError:  # the one error a bad --sources file may raise
        pass


_WORDS = st.lists(st.sampled_from("alliance members said invite caution war talks".split()), min_size=2,
                  max_size=6)
_FORMS = [lambda ns: "".join(f"[{n}]" for n in ns), lambda ns: " ".join(f"[{n}]" for n in ns),
          lambda ns: "[" + ", ".join(map(str, ns)) + "]"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_WORDS, st.lists(st.integers(1, 40), min_size=1, max_size=3, unique=True),
                          st.integers(0, 2), st.booleans()), min_size=1, max_size=6))
def test_report_sentences_keep_exactly_their_citations(sentences):
    text, expected = [], []
    for words, numbers, form, after_period in sentences:
        body = "Officials " + " ".join(words)
        marker = _FORMS[form](numbers)
        text.append(f"{body}. {marker}" if after_period else f"{body} {marker}.")
        expected.append(tuple(numbers))
    parsed = parse_report(" ".join(text) + "\n\n## Sources\n1. A title https://a.example/1\n")
    assert [s.citations for s in parsed.sentences] == expected
    assert all("[" not in s.text for s in parsed.sentences)


# -- reports and source lists (pure) -------------------------------------------------------------
@pytest.mark.parametrize("tail", [
    "## Sources\n1. First title — Outlet, 2024. https://a.example/1\n2. Second title https://a.example/2",
    "References\n[1] First title https://a.example/1\n[2] Second title\n    https://a.example/2",
    "Sources:\n- [1]: https://a.example/1\n- 2) Second title — https://a.example/2",
    "[1] First title https://a.example/1\n[2] Second title https://a.example/2",  # no heading
])
def test_source_list_forms(tail):
    parsed = parse_report(f"# Title\n\nGermany hesitated [1]. France too [2].\n\n{tail}\n")
    assert parsed.has_source_list
    assert [(e.number, e.url) for e in parsed.sources] == [(1, "https://a.example/1"), (2, "https://a.example/2")]
    assert [s.citations for s in parsed.sentences] == [(1,), (2,)]


def test_body_skips_headings_questions_code_and_tables():
    text = ("Which allies resist?\nExecutive summary\n1. Who resists\n"
            "Germany resisted at Bucharest [1]. Spain did too.\n\n```\ncode [2]\n```\n| a | b [3] |\n"
            "- **France** said no; see [the page](https://a.example/x[4]) [5].\n")
    parsed = parse_report(text)
    assert [(s.text, s.citations) for s in parsed.sentences] == [
        ("Germany resisted at Bucharest.", (1,)), ("Spain did too.", ()), ("France said no; see the page.", (5,))]
    assert not parsed.has_source_list


SEED_REPORT = ROOT.parent / "shared" / "seeds" / "000_35731cd5fd09195f.txt"


@pytest.mark.skipif(not SEED_REPORT.is_file(), reason=f"seed report {SEED_REPORT} not found (lives outside the repo)")
def test_seed_report_without_source_list_parses():
    parsed = parse_report(SEED_REPORT.read_text())
    assert not parsed.has_source_list and len(parsed.sentences) == 18
    assert all(s.citations for s in parsed.sentences)
    assert {n for s in parsed.sentences for n in s.citations} == {1, 2, 3, 4, 5, 6}


DOCS = [DocMeta("d1", "a.txt", "Fico says Slovakia will never back Ukraine's NATO membership", "Danube Post",
                None, None, "https://danubepost.example/region/fico"),
        DocMeta("d2", "b.txt", "Kyiv rejects report that seven NATO allies oppose its invitation", None, None,
                None, "https://wire.example/kyiv-rejects"),
        DocMeta("d3", "c.txt", "Kyiv rejects report that seven NATO allies oppose its invitation", None, None,
                None, "https://copy.example/kyiv", duplicate_of="d2"),
        DocMeta("d4", "d.txt", "Allies meet in Brussels", None, None, None, None),
        DocMeta("d5", "e.txt", "Allies meet in Brussels again", None, None, None, None),
        DocMeta("d6", "f.txt", "Weekly security briefing", None, None, None, None),
        DocMeta("d7", "g.txt", "Weekly security briefing", None, None, None, None)]


@pytest.mark.parametrize("entry, doc_id, how", [
    ("Anything — http://www.DanubePost.example/region/fico/?utm_source=x#top", "d1", MatchedBy.URL),
    ("Fico says Slovakia will never back Ukraine’s NATO membership — Danube Post, 2024.", "d1", MatchedBy.TITLE),
    ("Fico says Slovakia will never back Ukraine's NATO membership https://moved.example/x", "d1", MatchedBy.TITLE),
    ("Kyiv rejects report that seven NATO allies oppose its invitation", "d2", MatchedBy.TITLE),  # original wins
    ("https://copy.example/kyiv", "d3", MatchedBy.URL),
    ("Slovakia and NATO — Danube Post", None, MatchedBy.NONE),  # 2 of 7 title words: not guessed
    ("Allies meet in Brussels", "d4", MatchedBy.TITLE),
    ("Allies meet in Brussels again — Outlet", "d5", MatchedBy.TITLE),  # d4's words are in it too
    ("Weekly security briefing", None, MatchedBy.NONE),  # fits d6 and d7 alike: ambiguous
])
def test_sources_match_by_url_then_title(entry, doc_id, how):
    match, = match_sources([make_entry(1, entry)], DOCS)
    assert (match.doc_id, match.matched_by) == (doc_id, how)
    assert (match.reason != "") == (doc_id is None)


def test_mapping_files_json_and_lines():
    as_object = parse_mapping('{"1": "https://a.example/x", "2": "A title"}')
    as_list = parse_mapping('[{"n": 1, "url": "https://a.example/x"}, {"n": "2", "title": "A title"}]')
    as_lines = parse_mapping("# comment\n1\thttps://a.example/x\n\n2\tA title\n")
    for entries in (as_object, as_list, as_lines):
        assert [(e.number, e.url, e.title) for e in entries] == [(1, "https://a.example/x", None),
                                                               (2, None, "A title")]
    for bad, words in [('{"x": "t"}', "not a whole number"), ('{"1": ', "not valid JSON"),
                       ('[{"url": "u"}]', '"n"'), ("1 https://a.example\n", "n<TAB>url-or-title"),
                       ("1\tA\n1\tB\n", "twice"), ("", "names no sources")]:
        with pytest.raises(UsageError, match=re.escape(words)):
            parse_mapping(bad)


# -- audits with the real model ------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("check") / "corpus.db"
    corpus = Corpus(str(path))
    report = corpus.add([SAMPLE_CORPUS / name for name in FILES])
    assert not report.failed, report.failed
    corpus.close()
    return path


@pytest.fixture(scope="module")
def corpus(corpus_db):
    corpus = Corpus(str(corpus_db))
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def checker(corpus):
    return get_checker("rules", embedder=corpus.embedder())


@pytest.mark.model
def test_audit_flags_the_planted_claim_and_the_wrong_citation(corpus, checker):
    result = check_report(NATO.read_text(), name="nato", store=corpus.store, checker=checker)
    for start in PLANTED:
        row = next(s for s in result.sentences if s.text.startswith(start))
        assert row.verdict in (Outcome.UNSUPPORTED, Outcome.CONTRADICTED), row
    correct = [s for s in result.sentences if not s.text.startswith(PLANTED) and 8 not in s.citations]
    assert len(correct) == 9
    for row in correct:
        assert row.verdict in (Outcome.SUPPORTED, Outcome.PARTIAL), row
        text = corpus.show(row.doc_ids[row.citations.index(row.quote_source)]).text
        assert row.quote and " ".join(row.quote.split()) in " ".join(text.split())
    assert sum(s.verdict is Outcome.SUPPORTED for s in correct) >= 7
    unresolved = next(s for s in result.sentences if 8 in s.citations)
    assert unresolved.verdict is Outcome.UNRESOLVED and unresolved.score is None
    assert [m.entry.number for m in result.unmatched] == [8]
    assert {m.entry.number: m.matched_by for m in result.sources}[3] is MatchedBy.TITLE
    assert 0.5 < result.recall < 1.0 and 0.0 < result.precision <= 1.0


@pytest.mark.model
def test_cited_passages_come_from_the_store(corpus):
    doc_id = corpus.sources()[0].doc_id
    passages = document_passages(corpus.store, doc_id)
    stored = corpus.store.passages([p.passage_id for p in passages])
    assert passages and set(stored) == {p.passage_id for p in passages}
    assert [p.text for p in passages] == [stored[p.passage_id][0].text for p in passages]


@pytest.mark.model
def test_citations_without_a_source_list_are_unresolved_until_mapped(corpus, checker):
    text = NO_LIST.read_text()
    bare = check_report(text, name="r", store=corpus.store, checker=checker)
    assert {s.verdict for s in bare.sentences} == {Outcome.UNRESOLVED}
    assert bare.recall == 0.0 and bare.missing == (1, 2, 3, 4, 5)
    mapping = parse_mapping((REPORTS / "no_source_list.map.json").read_text())
    mapped = check_report(text, name="r", store=corpus.store, checker=checker, extra_sources=mapping)
    verdicts = [s.verdict for s in mapped.sentences]
    assert verdicts[-1] is Outcome.UNRESOLVED and mapped.missing == (5,)
    assert all(v in (Outcome.SUPPORTED, Outcome.PARTIAL) for v in verdicts[:-1]), verdicts
    assert [m.matched_by for m in mapped.sources] == [MatchedBy.URL, MatchedBy.TITLE, MatchedBy.URL,
                                                      MatchedBy.TITLE]
    data = result_json(mapped)
    assert data["unmatched_sources"][0]["n"] == 5 and data["summary"]["unresolved"] == 1


# -- the real CLI --------------------------------------------------------------------------------
@pytest.mark.model
def test_cli_json_contract(corpus_db):
    proc = run_cli("check", str(NATO), "--json", db=corpus_db)
    assert proc.returncode == 0, proc.stderr  # --min-recall defaults to 0: recall never fails the run
    data = json.loads(proc.stdout)
    assert {"report", "sentences", "summary", "unmatched_sources"} <= set(data)
    assert data["report"] == str(NATO)
    assert all(CONTRACT_SENTENCE <= set(s) for s in data["sentences"])
    assert CONTRACT_SUMMARY <= set(data["summary"])
    summary = data["summary"]
    assert summary["sentences"] == len(data["sentences"]) == sum(
        summary[k] for k in ("supported", "partial", "unsupported", "contradicted", "uncertain", "unresolved"))
    assert data["checker"]["checker"] == "rules" and data["checker"]["checker_figures_doc"] == "docs/verify.md"
    for start in PLANTED:
        row = next(s for s in data["sentences"] if s["text"].startswith(start))
        assert row["verdict"] in ("unsupported", "contradicted")
    assert [u["n"] for u in data["unmatched_sources"]] == [8] == data["unresolved_citations"]
    assert 0 < summary["citation_recall"] < 1


@pytest.mark.model
def test_cli_sources_mapping_table_and_min_recall(corpus_db, checker, capsys):
    # In-process through the console script's entry point, so the MiniLM the fixtures loaded is reused.
    code = main(["--db", str(corpus_db), "check", str(NO_LIST), "--sources",
                 str(REPORTS / "no_source_list.map.tsv"), "--min-recall", "0.9"])
    out, err = capsys.readouterr()
    assert code == 1, out + err  # [5] is unresolved: recall <= 4/5
    assert "below --min-recall 0.9" in err
    for word in ("supported", "unresolved", "citation recall", "[5]", "Fico"):
        assert word in out


@pytest.mark.parametrize("args, words", [
    (["missing.md"], "does not exist"),
    ([str(NATO), "--min-recall", "1.5"], "between 0 and 1"),
    ([str(NATO), "--sources", str(NATO)], "n<TAB>url-or-title"),
    ([str(REPORTS / "no_source_list.map.tsv")], "no [n] citation markers"),
])
def test_cli_usage_errors_exit_2(tmp_path, capsys, args, words):
    assert main(["--db", str(tmp_path / "unused.db"), "check", *args]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "unused.db").exists()  # rejected before the corpus is opened


@pytest.mark.model
def test_cli_llm_checker_asks_the_model_only_about_uncertain_sentences(corpus_db, tmp_path):
    from fakes.llm_server import FakeLLMServer, ok_reply

    fake = FakeLLMServer().start()
    try:
        # The model refuses every batch: the offline verdicts stand and the limit is stated.
        fake.script(*[ok_reply("openai", "Sorry, I cannot help with that.") for _ in range(10)])
        env = {"CITEBRIEF_LLM": "openai", "CITEBRIEF_MODEL": "judge-model",
               "CITEBRIEF_BASE_URL": fake.openai_base_url, "CITEBRIEF_API_KEY": "k"}
        proc = run_cli("check", str(NATO), "--json", "--checker", "llm", db=corpus_db, env=env)
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        info = data["checker"]
        assert info["checker"] == "llm" and "judge-model" in info["checker_description"]
        # Only the pairs the offline checker left uncertain (here two ALCE leave-one-out probes) went
        # to the model, in one batch; its refusal left them uncertain and is stated as a limit.
        assert info["checker_model_asked"] >= 1 and info["checker_model_decided"] == 0
        assert len(fake.received) == -(-info["checker_model_asked"] // 6)
        assert all("<passage n=1>" in r.body["messages"][-1]["content"] for r in fake.received)
        assert "malformed or refused" in info["checker_limits"][0]
        for start in PLANTED[:1]:
            row = next(s for s in data["sentences"] if s["text"].startswith(start))
            assert row["verdict"] in ("unsupported", "contradicted", "uncertain")
    finally:
        fake.stop()
