"""Watched questions: the store of watches and versions, the change list, and `citebrief watch` end to end.

The end-to-end tests run the real CLI entry point in-process on a copy of the sample corpus, with a
real RSS feed on a loopback server: the first `watch run` briefs the corpus as it is, then the feed
publishes an article in which one actor changes its stance and a new actor appears, and the second
`watch run` polls the feed, ingests the article and reports the change, cited in both briefs.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from pg import pg_server, pg_url  # noqa: F401  (fixtures)
from webserver import Reply, TestServer

from citebrief import Corpus
from conftest import ROOT
from citebrief.cli import main
from citebrief.errors import UsageError
from citebrief.watch.diff import ChangeKind, Side, diff_briefs, match_actors
from citebrief.watch.model import Watch, name_from_question
from citebrief.watch.render import changes_json, changes_markdown
from citebrief.watch.store import WatchStore

QUESTION = "Which NATO countries oppose or are hesitant about Ukraine joining?"
WEB = ("--allow-private", "--delay", "0")  # loopback server; no politeness pause


# -- small briefs in the JSON contract, for the identity rules -------------------------------------------

def source(n: int, doc: str, url: str | None = None, title: str = "") -> dict:
    return {"n": n, "doc_id": doc, "title": title or f"Title {doc}", "outlet": "Wire", "published": "2024-01-01",
            "url": url, "path": None, "duplicate_of": None, "passages": []}


def actor(name: str, position: str, series: list[tuple[str, str | None, list[int], str]], *,
          aliases: tuple[str, ...] = (), citations: list[int] | None = None) -> dict:
    rows = [{"position": p, "date": d, "citations": c, "evidence": [{"n": c[0], "quote": q}] if q else []}
            for p, d, c, q in series]
    dated = [r["date"] for r in rows if r["date"]]
    return {"name": name, "kind": "country", "role": "", "aliases": list(aliases), "position": position,
            "since": dated[-1] if dated else None, "reasons": [], "reason_details": [],
            "citations": citations or [], "position_citations": citations or [], "reason_citations": [],
            "stance_series": rows, "attributions": []}


def sentence(text: str, citations: list[int], quotes: list[str] | None = None) -> dict:
    return {"text": text, "citations": citations, "verdict": "supported", "score": 0.8,
            "evidence": [{"n": citations[0], "quote": q} for q in (quotes or [])]}


def brief(actors=(), disputes=(), sentences=(), sources=()) -> dict:
    return {"question": QUESTION, "generated_at": "2026-01-01T00:00:00+00:00", "enough_evidence": True,
            "sections": [{"heading": "Executive summary", "sentences": list(sentences)}], "actors": list(actors),
            "disputes": list(disputes), "limits": [], "sources": list(sources), "metrics": {}}


def kinds(changes) -> list[tuple[str, str]]:
    return [(c.kind.value, c.subject) for c in changes.changes]


def test_actors_are_matched_by_name_alias_or_name_without_role():
    old = [actor("Germany", "hesitant", [], aliases=("Berlin",)), actor("Viktor Orban (Prime Minister)", "opposes", []),
           actor("France", "supports", [])]
    new = [actor("Viktor Orban (Hungarian Prime Minister)", "opposes", []), actor("Berlin", "opposes", []),
           actor("Paris", "supports", [])]
    assert sorted(match_actors(old, new)) == [(0, 1), (1, 0)]  # "Paris" is no alias the briefs give for France


def test_a_changed_stance_cites_the_old_and_the_new_statement_with_their_dates():
    old = brief([actor("Germany", "hesitant", [("supports", "2008", [1], "Berlin backed it."),
                                                ("hesitant", "2023-07-11", [2], "Berlin hesitated.")],
                       aliases=("Berlin",), citations=[2])], sources=[source(1, "d1"), source(2, "d2")])
    new = brief([actor("Berlin", "opposes", [("hesitant", "2023-07-11", [1], "Berlin hesitated."),
                                             ("opposes", "2024-12-03", [3], "Berlin now opposes it.")],
                       citations=[3])], sources=[source(1, "d2"), source(2, "d1"), source(3, "d3")])
    changes = diff_briefs(old, new)
    [stance] = [c for c in changes.changes if c.kind is ChangeKind.STANCE_CHANGED]
    (before,), (after,) = stance.old, stance.new
    assert (before.text, before.date, [(c.side, c.n) for c in before.cites]) == ("hesitant", "2023-07-11",
                                                                                [(Side.OLD, 2)])
    assert (after.text, after.date, [(c.side, c.n) for c in after.cites]) == ("opposes", "2024-12-03", [(Side.NEW, 3)])
    assert after.quotes == ("Berlin now opposes it.",)
    # d1 and d2 are the same sources renumbered: only d3 is new, nothing disappeared
    assert kinds(changes) == [("stance-changed", "Berlin"), ("new-source", "Title d3")]
    md = changes_markdown(changes, *versions(old, new))
    assert "**Berlin**: hesitant (2023-07-11) [old 2] → opposes (2024-12-03) [new 3]" in md
    assert "  - before: “Berlin hesitated.” [old 2]\n  - now: “Berlin now opposes it.” [new 3]" in md
    assert "- [old 2] Title d2" in md and "- [new 3] Title d3" in md and "[new 1]" not in md


def versions(old: dict, new: dict):
    from citebrief.watch.model import Version

    return Version("w", 1, "2026-01-01T00:00:00+00:00", old), Version("w", 2, "2026-01-02T00:00:00+00:00", new)


def test_sources_are_the_same_by_doc_id_or_url_and_facts_by_their_quotes():
    old = brief(sentences=[sentence("Kept, reworded.", [1], ["Quote A."]), sentence("Dropped.", [2], ["Quote B."]),
                           sentence("Left out.", [1], ["Quote D."])],
                sources=[source(1, "d1", "https://a.example/1"), source(2, "d2", "https://a.example/2")])
    new = brief(sentences=[sentence("Kept, in other words.", [1], ["Quote A."]), sentence("Fresh.", [2], ["Quote C."])],
                sources=[source(1, "d1-reingested", "https://a.example/1"), source(2, "d3")])
    changes = diff_briefs(old, new)
    # "Dropped." cited only d2, which the new brief no longer cites; "Left out." cited d1, still cited
    assert kinds(changes) == [("fact-added", "Fresh."), ("fact-gone", "Dropped."), ("new-source", "Title d3"),
                              ("source-gone", "Title d2"), ("fact-left-out", "Left out.")]
    data = changes_json(changes, *versions(old, new))
    assert [c["citations"] for c in data["changes"]] == [[{"brief": "new", "n": 2}], [{"brief": "old", "n": 2}],
                                                         [{"brief": "new", "n": 2}], [{"brief": "old", "n": 2}],
                                                         [{"brief": "old", "n": 1}]]
    assert [s["doc_id"] for s in data["sources"]["old"]] == ["d1", "d2"]
    assert [s["doc_id"] for s in data["sources"]["new"]] == ["d3"]


def test_disputes_are_the_same_while_a_side_is_and_every_line_cites():
    claim = {"text": "Seven allies oppose it.", "citations": [1], "evidence": [{"n": 1, "quote": "Seven allies oppose it."}]}
    denial = {"text": "Kyiv called it rumours.", "citations": [2], "evidence": [{"n": 2, "quote": "Kyiv called it rumours."}]}
    other = {"text": "Kyiv said the report was false.", "citations": [3], "evidence": []}
    gone = {"summary": "Turnout figures differ.", "kind": "value",
            "sides": [{"text": "Turnout was 40%.", "citations": [3]}, {"text": "Turnout was 55%.", "citations": [3]}]}
    old = brief(disputes=[{"summary": "A claim is disputed.", "kind": "denial", "sides": [claim, denial]}, gone],
                sources=[source(1, "d1"), source(2, "d2"), source(3, "d3")])
    uncited = {"summary": "Nothing cited.", "kind": "value", "sides": [{"text": "x", "citations": []}]}
    new = brief(disputes=[{"summary": "The same claim, another denial.", "kind": "denial", "sides": [claim, other]},
                          uncited], sources=[source(1, "d1"), source(2, "d2"), source(3, "d3")])
    changes = diff_briefs(old, new)
    # the first dispute kept its claim side; the new uncited one is left out and counted
    assert kinds(changes) == [("resolved-dispute", "Turnout figures differ.")]
    assert changes.uncited == 1 and all(c.cites() for c in changes.changes)
    assert "Nothing cited." not in changes_markdown(changes, *versions(old, new))


def test_no_change_says_so():
    same = brief([actor("Germany", "opposes", [("opposes", "2024", [1], "q")], citations=[1])],
                 sentences=[sentence("s", [1], ["q"])], sources=[source(1, "d1")])
    changes = diff_briefs(same, json.loads(json.dumps(same)))
    assert changes.changes == ()
    assert "No change" in changes_markdown(changes, *versions(same, same))


def test_names_from_questions_are_unique():
    assert name_from_question(QUESTION, set()) == "which-nato-countries-oppose"
    assert name_from_question(QUESTION, {"which-nato-countries-oppose"}) == "which-nato-countries-oppose-2"
    assert name_from_question("¿?", set()) == "watch"


# -- the store ---------------------------------------------------------------------------------------

def test_watches_and_versions_in_a_real_sqlite_file(db):
    corpus = Corpus(str(db))
    watches = WatchStore(corpus.store)
    saved = watches.add(Watch("nato", QUESTION, feeds=("https://example.org/feed.xml",)))
    assert watches.get("nato") == saved and saved.created_at
    with pytest.raises(UsageError, match="already named 'nato'"):
        watches.add(Watch("nato", "another question"))
    with pytest.raises(UsageError, match=r"No watched question named 'natto'.*watched here: nato"):
        watches.get("natto")
    with pytest.raises(UsageError, match="cannot name a watched question"):
        watches.add(Watch("Not A Name", QUESTION))
    first = watches.add_version("nato", brief(), {"feeds": []})
    second = watches.add_version("nato", brief(sources=[source(1, "d1")]))
    assert (first.number, second.number) == (1, 2)
    assert [v.number for v in watches.versions("nato")] == [1, 2]
    assert watches.version("nato", 2).brief["sources"][0]["doc_id"] == "d1"
    with pytest.raises(UsageError, match="has no version 3 .it has versions 1 to 2"):
        watches.version("nato", 3)
    corpus.close()
    reopened = WatchStore(Corpus(str(db)).store)  # migration 0007 ran once; the rows are still there
    assert reopened.counts()["nato"][:2] == (2, 2)
    assert reopened.remove("nato") == 2
    assert reopened.all() == [] and reopened.latest("nato") == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_same_statements_on_both_backends(backend, tmp_path, request):
    from citebrief.store import open_store

    location = str(tmp_path / "corpus.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    store = open_store(location)
    try:
        watches = WatchStore(store)
        watches.add(Watch("nato", QUESTION, research=True, search=("brave",)))
        assert watches.get("nato").search == ("brave",) and watches.get("nato").research
        for n in range(3):
            watches.add_version("nato", brief(sources=[source(1, f"d{n}")]), {"run": n})
        assert [(v.number, v.notes["run"]) for v in watches.versions("nato")] == [(1, 0), (2, 1), (3, 2)]
        assert [v.number for v in watches.latest("nato", 2)] == [3, 2]
        assert watches.remove("nato") == 3 and watches.names() == set()
    finally:
        store.close()


# -- end to end: two real briefs, with a feed that publishes between them ------------------------------------

ARTICLE = """<!doctype html><html><head><title>Spain drops its objection to a Ukraine invitation as Portugal voices doubts</title>
<meta property="og:site_name" content="Iberian Courier"><meta name="author" content="Lucia Ferreira">
<meta property="article:published_time" content="2025-06-20T09:00:00Z"></head><body><article>
<h1>Spain drops its objection to a Ukraine invitation as Portugal voices doubts</h1>
<p>MADRID - Spain now supports inviting Ukraine to join NATO, Foreign Minister Jose Manuel Albares said on Friday,
ending months in which Madrid had kept quiet while other allies resisted.</p>
<p>Albares said Spain backed Ukraine joining the alliance because a neutral Ukraine would leave Europe exposed to
renewed Russian aggression.</p>
<p>Portugal opposes inviting Ukraine to join NATO while the war continues, Portuguese Prime Minister Luis
Montenegro said in Lisbon, arguing that the alliance must not become a party to the conflict.</p>
<p>Diplomats in Brussels said the shift in Madrid left Hungary and Slovakia as the most outspoken holdouts.</p>
</article></body></html>"""


def rss(server: TestServer, items: list[str]) -> Reply:
    body = "".join(f"<item><title>Story</title><link>{server.url(path)}</link>"
                   "<pubDate>Fri, 20 Jun 2025 09:00:00 GMT</pubDate></item>" for path in items)
    xml = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Iberian Courier</title>{body}'
           "</channel></rss>")
    return Reply(body=xml.encode(), content_type="application/rss+xml", headers=[("ETag", f'"{len(items)}"')])


def copy_corpus(source: Path, target: Path) -> None:
    """A consistent copy of a corpus still open elsewhere (its last writes may be in the WAL file)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--db", str(db), *args])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture(scope="module")
def watched(sample_db, tmp_path_factory):
    """A corpus copy with watch "nato" run twice, a feed article published between the runs."""
    folder = tmp_path_factory.mktemp("watch")
    db = folder / "corpus.db"
    shutil.copy(sample_db, db)
    with TestServer() as server:
        server.route("/robots.txt", Reply(404, b"", content_type="text/plain"))
        server.route("/feed.xml", rss(server, []))
        server.route("/2025/06/spain-portugal", Reply(body=ARTICLE.encode()))
        assert main(["--db", str(db), "watch", "add", QUESTION, "--name", "nato", "--feed",
                     server.url("/feed.xml")]) == 0
        first = main(["--db", str(db), "watch", "run", "nato", "-q", "--format", "json", *WEB])
        server.route("/feed.xml", rss(server, ["/2025/06/spain-portugal"]))
        second = main(["--db", str(db), "watch", "run", "nato", "-q", "--format", "json", *WEB])
    return db, first, second


@pytest.mark.model
def test_second_run_reports_the_changed_stance_the_new_actor_and_the_new_source(watched, capsys):
    db, first, second = watched
    assert (first, second) == (0, 0)
    status, out, _ = cli(capsys, db, "watch", "diff", "nato", "--format", "json")
    assert status == 0
    data = json.loads(out)
    store = WatchStore(Corpus(str(db)).store)
    old, new = store.version("nato", 1).brief, store.version("nato", 2).brief
    by_kind = {}
    for change in data["changes"]:
        by_kind.setdefault(change["kind"], []).append(change)
    [spain] = [c for c in by_kind["stance-changed"] if c["subject"] == "Spain"]
    assert spain["old"][0]["text"] == "opposes" and spain["new"][0]["text"] == "supports"
    assert spain["new"][0]["date"] == "2025-06-20" and spain["old"][0]["date"] < "2025"
    assert "Portugal" in {c["subject"] for c in by_kind["new-actor"]}
    [added] = by_kind["new-source"]
    new_sources = {s["n"]: s for s in new["sources"]}
    assert new_sources[added["citations"][0]["n"]]["url"].endswith("/2025/06/spain-portugal")
    # every line cites, and every citation resolves in the brief it names
    briefs = {"old": {s["n"]: s for s in old["sources"]}, "new": new_sources}
    for change in data["changes"]:
        assert change["citations"], change
        for cite in change["citations"]:
            assert cite["n"] in briefs[cite["brief"]]
    listed = {side: {s["n"] for s in rows} for side, rows in data["sources"].items()}
    assert listed == {side: {c["n"] for ch in data["changes"] for c in ch["citations"] if c["brief"] == side}
                      for side in ("old", "new")}
    # the quote behind Spain's new stance is in the article the feed published
    article = Corpus(str(db)).show(new_sources[spain["new"][0]["citations"][0]["n"]]["doc_id"])
    assert spain["new"][0]["quotes"] and all(q in article.text for q in spain["new"][0]["quotes"])


@pytest.mark.model
def test_run_output_list_show_and_markdown_change_list(watched, capsys):
    db, _, _ = watched
    status, out, _ = cli(capsys, db, "watch", "list", "--json")
    [row] = json.loads(out)
    assert (row["name"], row["versions"], row["latest_version"], row["question"]) == ("nato", 2, 2, QUESTION)
    status, out, _ = cli(capsys, db, "watch", "diff", "nato", "1", "2")
    assert status == 0 and "## Stances that changed" in out and "## New actors" in out
    spain = next(line for line in out.splitlines() if line.startswith("- **Spain**"))
    assert "[old " in spain and "[new " in spain and "→ supports (2025-06-20)" in spain
    assert "Earlier brief, version 1" in out and "Later brief, version 2" in out
    changes_part, sources_part = out.split("\n## Sources\n")
    lines = [line for line in changes_part.splitlines() if line.lstrip().startswith("- ")]
    assert lines and all(re.search(r"\[(old|new) \d+\]", line) for line in lines)  # every line cites
    cited = set(re.findall(r"\[((?:old|new) \d+)\]", changes_part))
    assert cited == set(re.findall(r"^- \[((?:old|new) \d+)\]", sources_part, re.M))  # and each is listed
    status, out, _ = cli(capsys, db, "watch", "show", "nato", "--format", "json")
    data = json.loads(out)
    assert [v["version"] for v in data["versions"]] == [1, 2] and data["version"] == 2
    assert data["versions"][1]["notes"]["feeds"][0]["new"] == 1
    assert any(a["name"] == "Portugal" for a in data["brief"]["actors"])
    status, out, _ = cli(capsys, db, "watch", "show", "nato", "--version", "1")
    assert status == 0 and out.startswith("# Watch `nato`") and "Portugal" not in out.split("# Which", 1)[1]
    # a stored version handed on as a Word file, as `ask --out brief.docx` writes one
    import docx

    target = db.parent / "nato-v2.docx"
    assert cli(capsys, db, "watch", "show", "nato", "--out", str(target))[0] == 0
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert QUESTION in text and "Portugal" in "\n".join(c.text for t in docx.Document(str(target)).tables
                                                        for r in t.rows for c in r.cells)
    status, _, err = cli(capsys, db, "watch", "show", "nato", "--out", str(target), "--timeline")
    assert status == 2 and "--timeline adds a section to md, html or json" in err


@pytest.mark.model
def test_a_run_that_fails_half_way_stores_no_version(watched, tmp_path, capsys, monkeypatch):
    from fakes.llm_server import FakeLLMServer, error_reply

    db = tmp_path / "copy.db"
    copy_corpus(watched[0], db)
    (tmp_path / "citebrief.toml").write_text("[llm]\nbackoff = 0\nmax_retries = 2\ntimeout = 30\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CITEBRIEF_API_KEY", "sk-test")
    fake = FakeLLMServer().start()
    try:  # the brief fails while being written, after the feed was polled (its server is gone: reported)
        fake.script(error_reply("openai", 401, "Incorrect API key provided"))
        status, out, err = cli(capsys, db, "watch", "run", "nato", "-q", "--llm", "openai", "--model", "m",
                               "--base-url", fake.base_url("openai"), *WEB)
    finally:
        fake.stop()
    assert status == 1 and "API key" in err and out == ""
    store = WatchStore(Corpus(str(db)).store)
    assert [v.number for v in store.versions("nato")] == [1, 2]  # nothing half-written, nothing lost
    assert store.version("nato", 2).brief == WatchStore(Corpus(str(watched[0])).store).version("nato", 2).brief


def test_cli_errors_are_clear(db, capsys):
    assert cli(capsys, db, "watch", "show", "nope")[0] == 2
    status, _, err = cli(capsys, db, "watch", "run")
    assert status == 2 and "Nothing is watched yet" in err
    status, _, err = cli(capsys, db, "watch", "run", "--out", str(db.parent / "b.md"))
    assert status == 2 and "name the watch" in err
    assert cli(capsys, db, "watch", "add", QUESTION, "--feed", "not a url")[0] == 2
    assert cli(capsys, db, "watch", "add", QUESTION, "--search", "brave")[0] == 2
    status, out, _ = cli(capsys, db, "watch", "add", QUESTION)
    assert status == 0 and out.strip() == "which-nato-countries-oppose"
    status, _, err = cli(capsys, db, "watch", "diff", "which-nato-countries-oppose")
    assert status == 2 and "no brief yet" in err
    status, _, err = cli(capsys, db, "watch", "rm", "which-nato-countries-oppose")
    assert status == 0 and "removed" in err
    status, _, err = cli(capsys, db, "watch", "rm", "which-nato-countries-oppose")
    assert status == 2 and "No watched question named" in err and "nothing is watched yet" in err


# -- a --research watch: the research loop runs again before each brief ------------------------------

@pytest.mark.model
def test_research_watch_searches_again_and_reports_the_new_source(tmp_path, capsys):
    from test_research import PAGES, QUESTION_TEXT, Page, matching, searxng_route, serve

    # the page a later search finds: it shares most words with the question, so it ranks first
    fresh = Page("/harbour-news/ferry-firms-oppose-toll", "127.0.0.1", "Harbour News",
                 "Ferry operators oppose the Dunmore harbour toll and give their reasons", (
                     "The Dunmore Ferry Operators Association said on Tuesday that it opposes the Dunmore harbour "
                     "toll because day visitors would switch to the coast road, and other groups support it.",))
    db = tmp_path / "research.db"
    with TestServer() as web, TestServer() as engine:
        serve(web, (*PAGES, fresh))
        engine.route("/search", searxng_route(web, lambda q: [p for p in matching(q) if p is not fresh]))
        assert cli(capsys, db, "watch", "add", QUESTION_TEXT, "--name", "toll", "--research", "--search", "searxng",
                   "--search-url", engine.url(""))[0] == 0
        status, out, err = cli(capsys, db, "watch", "run", "toll", "-q", "--format", "json", *WEB)
        assert status == 0, err
        first = json.loads(out)
        searched = len(engine.log)
        engine.route("/search", searxng_route(web, lambda q: matching(q, (*PAGES, fresh))))
        handed_on = tmp_path / "toll.html"
        status, out, err = cli(capsys, db, "watch", "run", "toll", "-q", "--format", "json", "--out", str(handed_on),
                               *WEB)
        assert status == 0, err
        second = json.loads(out)
    assert first["changes"] is None and len(engine.log) > searched  # the second run searched again
    runs = Corpus(str(db)).runs()
    assert {first["version"]["notes"]["research_run"], second["version"]["notes"]["research_run"]} == \
        {r.run_id for r in runs} and len(runs) == 2
    [added] = [c for c in second["changes"]["changes"] if c["kind"] == "new-source"]
    [row] = second["changes"]["sources"]["new"]
    assert row["n"] == added["citations"][0]["n"] and row["url"].endswith(fresh.path)
    page = handed_on.read_text(encoding="utf-8")  # the new brief, as `ask --out toll.html` writes it
    assert page.startswith("<!doctype html>") and f'id="src-{row["n"]}"' in page and fresh.title in page


def test_listing_watches_loads_no_model_and_no_brief_code(db):
    import subprocess
    import sys

    from citebrief.cli.watch_cmds import BriefFormat
    from citebrief.export import OutputFormat

    assert [f.value for f in BriefFormat] == [f.value for f in OutputFormat]
    heavy = ("onnxruntime", "tokenizers", "spacy", "citebrief.pipeline", "citebrief.llm", "citebrief.brief")
    WatchStore(Corpus(str(db)).store).add(Watch("nato", QUESTION))
    code = ("import json, sys; from citebrief.cli import main; "
            f"status = main(['--db', {str(db)!r}, 'watch', 'list']); "
            f"print(json.dumps([status, [m for m in {heavy!r} if m in sys.modules]]), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert json.loads(out.stderr.strip().splitlines()[-1]) == [0, []] and "nato" in out.stdout


def test_a_feed_that_cannot_be_read_is_reported_and_the_brief_still_written(tmp_path, capsys):
    import socket

    db = tmp_path / "corpus.db"
    report = Corpus(str(db), embedder_name="hashing").add([next(iter(sorted((ROOT / "examples" / "corpus").iterdir())))])
    assert not report.failed
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    assert cli(capsys, db, "watch", "add", QUESTION, "--name", "nato", "--feed", dead)[0] == 0
    status, out, err = cli(capsys, db, "watch", "run", "nato", "-q", "--format", "json", *WEB)
    assert status == 1 and f"feed {dead}" in err
    data = json.loads(out)
    assert data["version"]["version"] == 1 and data["version"]["notes"]["feeds"][0]["error"]
    assert [v.number for v in WatchStore(Corpus(str(db)).store).versions("nato")] == [1]


def test_briefs_stored_before_spans_were_recorded_diff_by_text_and_row_citations():
    def bare(b: dict) -> dict:  # drop every "evidence" key, as in JSON written before spans existed
        if isinstance(b, dict):
            return {k: bare(v) for k, v in b.items() if k != "evidence"}
        return [bare(x) for x in b] if isinstance(b, list) else b

    old = bare(brief([actor("Spain", "opposes", [("opposes", None, [1], "")], citations=[1])],
                     sentences=[sentence("Same fact.", [1]), sentence("Old fact.", [1])], sources=[source(1, "d1")]))
    new = bare(brief([actor("Spain", "supports", [], citations=[2])],
                     sentences=[sentence("Same fact.", [1]), sentence("New fact.", [2])],
                     sources=[source(1, "d1"), source(2, "d2")]))
    changes = diff_briefs(old, new)
    assert kinds(changes) == [("stance-changed", "Spain"), ("fact-added", "New fact."), ("new-source", "Title d2"),
                              ("fact-left-out", "Old fact.")]
    stance = changes.changes[0]
    assert [(c.side, c.n) for c in stance.cites()] == [(Side.OLD, 1), (Side.NEW, 2)] and stance.old[0].date is None
