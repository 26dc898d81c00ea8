"""The stance timeline: built from the actor rows' dated stances, in order, each statement cited."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from citebrief import Corpus
from citebrief.brief.timeline import build_timeline, timeline_html, timeline_markdown, with_timeline
from citebrief.cli import main

QUESTION = "Which NATO countries oppose or are hesitant about Ukraine joining?"


def point(position: str, date: str | None, n: int, quote: str = "") -> dict:
    return {"position": position, "date": date, "citations": [n], "evidence": [{"n": n, "quote": quote}] if quote else []}


def row(name: str, position: str, series: list[dict]) -> dict:
    return {"name": name, "kind": "country", "position": position, "stance_series": series, "aliases": []}


def test_statements_in_date_order_with_changes_marked_and_repeats_listed_once():
    brief = {"actors": [
        row("France", "supports", [point("supports", "2024-10-01", 3, "Paris is open to it."), point("opposes", None, 4),
                                   point("opposes", "2008", 1, "Paris blocked it."),
                                   point("supports", "2024-10-01", 3, "Paris is open to it."),
                                   point("supports", "2024-10-01", 2, "France is open to it, a wire says.")]),
        row("Belgium", "neutral", []),  # no stance: no timeline
    ]}
    [france] = build_timeline(brief)
    assert [(s.date, s.position, s.citations, s.changed_from) for s in france.statements] == [
        ("2008", "opposes", (1,), None), ("2024-10-01", "supports", (2, 3), "opposes"), (None, "opposes", (4,), "supports")]
    assert france.statements[1].quotes == ("Paris is open to it.", "France is open to it, a wire says.")
    md = timeline_markdown(build_timeline(brief))
    assert "- 2008 — opposes [1]: “Paris blocked it.”" in md
    assert "- 2024-10-01 — opposes → supports [2] [3]: “Paris is open to it.” (and 1 more)" in md
    assert "- undated — supports → opposes [4]" in md


def test_rendering_escapes_source_text_and_adds_to_each_format():
    brief = {"actors": [row("<b>X</b> [1]", "opposes", [point("opposes", "2024", 2, "<script>x</script> [9]")])]}
    html_part = timeline_html(build_timeline(brief))
    assert "<script>" not in html_part and "&lt;script&gt;" in html_part and 'href="#src-2"' in html_part
    md = timeline_markdown(build_timeline(brief))
    assert "\\[9\\]" in md and "<script>" not in md  # a quote cannot forge a citation or markup
    page = with_timeline("<html><body><main><h1>Q</h1></main></body></html>", brief, "html")
    assert page.index("Stance timeline") < page.index("</main>")
    data = json.loads(with_timeline(json.dumps({"question": "Q"}), brief, "json"))
    assert data["timeline"][0]["statements"][0]["citations"] == [2]
    assert "No dated stances" in with_timeline("# Q\n", {"actors": []}, "md")


@pytest.mark.model
def test_ask_timeline_on_the_sample_corpus(sample_db, tmp_path, capsys):
    db = tmp_path / "corpus.db"
    shutil.copy(sample_db, db)
    assert main(["--db", str(db), "ask", QUESTION, "-q", "--format", "json", "--timeline"]) == 0
    data = json.loads(capsys.readouterr().out)
    sources = {s["n"]: s for s in data["sources"]}
    corpus = Corpus(str(db))
    timeline = {a["name"]: a for a in data["timeline"]}
    assert len(timeline) >= 3
    for actor in data["timeline"]:
        dates = [s["date"] for s in actor["statements"] if s["date"]]
        assert dates == sorted(dates)
        for s in actor["statements"]:
            assert s["citations"] and all(n in sources for n in s["citations"])
            for quote in s["quotes"]:  # each quote is verbatim in a document the statement cites
                assert any(quote in corpus.show(sources[n]["doc_id"]).text for n in s["citations"])
    # the sample corpus spans 2008 to 2025: some actor's position changes, and the change is marked
    # on the later statement, with the earlier one before it
    changed = [(a, i) for a in data["timeline"] for i, s in enumerate(a["statements"]) if s["changed_from"]]
    assert changed
    for actor, i in changed:
        assert i > 0 and actor["statements"][i - 1]["position"] == actor["statements"][i]["changed_from"]
    # Markdown: the section follows the brief, its citations are the brief's own numbers
    assert main(["--db", str(db), "ask", QUESTION, "-q", "--timeline"]) == 0
    md = capsys.readouterr().out
    section = md.split("## Stance timeline", 1)[1]
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", md.split("## Sources", 1)[1].split("## Stance", 1)[0], re.M)}
    assert f"**{data['timeline'][0]['name']}**" in section and set(map(int, re.findall(r"\[(\d+)\]", section))) <= listed
    assert main(["--db", str(db), "ask", QUESTION, "-q", "--timeline", "--format", "pdf"]) == 2
