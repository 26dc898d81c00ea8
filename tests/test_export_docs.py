"""Word and PDF briefs: the produced files are opened (python-docx, pypdf) and their structure checked."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from pypdf import PdfReader

from citebrief.brief.model import Brief, CheckedSentence
from citebrief.export import OutputFormat, export
from citebrief.export.layout import ACTOR_HEADER, ANNEX, Paragraph, Table, blocks
from conftest import CLI, run_cli

QUESTION = "Which NATO members oppose Ukraine joining?"


@pytest.fixture(scope="module")
def brief(sample_db, tmp_path_factory) -> Brief:
    from citebrief import Corpus

    path = tmp_path_factory.mktemp("export") / "corpus.db"
    shutil.copy(sample_db, path)
    corpus = Corpus(str(path))
    try:
        return corpus.ask(QUESTION)
    finally:
        corpus.close()


def _cited(b: Brief) -> set[int]:
    return {r.cite for blk in blocks(b) if isinstance(blk, Paragraph) for r in blk.runs if r.cite is not None}


def _citation_runs(b: Brief) -> list[int]:
    """Every [n] of the brief in order: running text, list items and actor table cells."""
    out = []
    for blk in blocks(b):
        runs = blk.runs if isinstance(blk, Paragraph) else [r for row in blk.rows for cell in row for r in cell] \
            if isinstance(blk, Table) else []
        out += [r.cite for r in runs if r.cite is not None]
    return out


def _bookmarks(document) -> dict[str, str]:
    """Bookmark name -> text of the paragraph it marks."""
    out = {}
    for p in document.paragraphs:
        for mark in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart"):
            out[mark.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")] = p.text
    return out


def test_docx_has_headings_actor_table_linked_citations_and_quotes(brief):
    data = brief.to_json()
    assert data["actors"] and data["sources"], "the sample question must produce actors and sources"
    document = docx.Document(io.BytesIO(export(brief, OutputFormat.DOCX)))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == QUESTION
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Executive summary"
    body = [s["heading"] for s in data["sections"] if s["heading"] not in ("Executive summary", "Bottom line")]
    for n, heading in enumerate(body, 1):
        assert f"{n}. {heading}" in headings
    assert "Sources" in headings and ANNEX in headings

    # The actor table is a real table: a header row and one row per actor, positions as in the JSON.
    (table,) = document.tables
    assert tuple(c.text for c in table.rows[0].cells) == ACTOR_HEADER
    assert [r.cells[0].text for r in table.rows[1:]] == [a["name"] for a in data["actors"]]
    for row, actor in zip(table.rows[1:], data["actors"]):
        assert row.cells[1].text.startswith(actor["position"])
        cites = actor.get("position_citations") or actor["citations"]
        assert [h.fragment for h in row.cells[3].paragraphs[0].hyperlinks] == [f"src-{n}" for n in cites]

    # Every [n] is a hyperlink to the bookmark on source n, whose paragraph names that source.
    marks = _bookmarks(document)
    links = [h for p in paragraphs for h in p.hyperlinks]
    assert {int(h.text.strip("[]")) for h in links} == _cited(brief)
    titles = {f"src-{s['n']}": s["title"] for s in data["sources"]}
    for h in links:
        assert h.text == f"[{h.fragment.removeprefix('src-')}]"
        assert marks[h.fragment].startswith(f"{h.fragment.removeprefix('src-')}. {titles[h.fragment]}")
    # Each summary sentence is followed by exactly its citations.
    first = data["sections"][0]["sentences"][0]
    summary = paragraphs[2]
    assert summary.text.startswith(first["text"] + " " + " ".join(f"[{n}]" for n in first["citations"]))

    # Quoted passages sit in the annex, one Quote paragraph each.
    quotes = [p.text for p in paragraphs if p.style.name == "Quote"]
    assert quotes == [q["quote"] for s in data["sources"] for q in s["passages"]]


def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_headings_table_links_to_sources_and_quotes(brief):
    data = brief.to_json()
    reader = PdfReader(io.BytesIO(export(brief, OutputFormat.PDF)))
    assert not re.search(r"\[\d+\s*\n\s*\]", _pdf_text(reader))  # no "[15" / "]" split over two lines
    text = " ".join(_pdf_text(reader).split())
    assert text.startswith(QUESTION)
    body = [s["heading"] for s in data["sections"] if s["heading"] not in ("Executive summary", "Bottom line")]
    for n, heading in enumerate(body, 1):
        assert f"{n}. {heading}" in text
    for word in ACTOR_HEADER:
        assert word in text
    for actor in data["actors"]:
        assert actor["name"] in text
    for source in data["sources"]:
        assert f"{source['n']}. {' '.join(source['title'].split())}" in text
        for q in source["passages"]:
            assert " ".join(q["quote"].split()) in text

    # The outline lists the numbered sections; citations are GoTo links into the source list.
    outline = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert outline[:2] == ["Executive summary", f"1. {body[0]}"] and "Sources" in outline
    sources_page = next(i for i, p in enumerate(reader.pages) if "Sources" in p.extract_text()
                        and f"1. {data['sources'][0]['title'][:20]}" in " ".join(p.extract_text().split()))
    dests, annotations = set(), 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                target = reader.get_page_number(annot["/Dest"][0].get_object())
                assert target >= sources_page  # every citation lands in the source list
                dests.add((target, round(float(annot["/Dest"][3]), 1)))  # [page, /XYZ, left, top, zoom]
                annotations += 1
    # One link per [n] — in the actor table too — and one destination per cited source.
    assert annotations == len(_citation_runs(brief))
    assert len(dests) == len(set(_citation_runs(brief)))


def _unicode_brief(control: str = "") -> Brief:
    sources = ({"n": 1, "title": "Орбан: «Україна» не готова", "outlet": "Gazeta Łódź", "published": "2024-11-21",
                "url": "https://example.org/a", "path": None,
                "passages": [{"quote": f"Орбан said “never”{control} — Ελλάδα agreed.", "passage_id": "p"}]},
               {"n": 2, "title": "Second", "outlet": None, "published": None, "url": None, "path": "b.txt",
                "passages": []})
    sentence = CheckedSentence(f"Орбан (Hungary) said “never”{control}.", (1, 2), "supported", 0.9)
    return Brief(question="Who opposes — «Україна» in NATO?", generated_at="2024-11-22T00:00:00+00:00",
                 sections=(("Executive summary", (sentence,)), ("Who holds which position", (sentence,))),
                 actors=({"name": "Орбан", "kind": "person", "position": "opposes", "reasons": [],
                          "citations": [1], "position_citations": [1, 2]},),
                 disputes=({"summary": "Łódź dispute", "kind": "value",
                            "sides": [{"text": "one side", "citations": [1]}, {"text": "other", "citations": [2]}]},),
                 limits=("Only two sources.",), sources=sources, metrics={})


def test_non_latin_text_and_typographic_quotes_survive_both_formats():
    b = _unicode_brief()
    text = " ".join(_pdf_text(PdfReader(io.BytesIO(export(b, OutputFormat.PDF)))).split())
    for expected in ("Who opposes — «Україна» in NATO?", "Орбан (Hungary) said “never”.", "Gazeta Łódź",
                     "Ελλάδα agreed", "Łódź dispute", "no reason stated in the sources"):
        assert expected in text
    document = docx.Document(io.BytesIO(export(b, OutputFormat.DOCX)))
    assert document.paragraphs[0].text == b.question
    assert document.tables[0].rows[1].cells[0].text == "Орбан"
    assert any(p.text == "Орбан said “never” — Ελλάδα agreed." for p in document.paragraphs)


def test_control_characters_in_source_text_do_not_break_word_or_pdf():
    b = _unicode_brief("\x0b\x01")
    document = docx.Document(io.BytesIO(export(b, OutputFormat.DOCX)))
    assert any(p.text == "Орбан said “never” — Ελλάδα agreed." for p in document.paragraphs)
    assert "Ελλάδα agreed" in _pdf_text(PdfReader(io.BytesIO(export(b, OutputFormat.PDF))))


def test_not_enough_evidence_brief_exports_its_limits():
    b = Brief(question="Q?", generated_at="", sections=(), actors=(), disputes=(),
              limits=("No passage mentions the subject.",), sources=(), enough_evidence=False)
    document = docx.Document(io.BytesIO(export(b, OutputFormat.DOCX)))
    assert [p.text for p in document.paragraphs][1:] == ["Not enough evidence in the corpus to answer this question.",
                                                         "No passage mentions the subject."]
    assert not document.tables
    assert "No passage mentions the subject." in _pdf_text(PdfReader(io.BytesIO(export(b, OutputFormat.PDF))))
    assert not any(isinstance(x, Table) for x in blocks(b))


def test_cli_writes_docx_and_pdf_by_flag_extension_or_pipe(sample_db, tmp_path):
    db = tmp_path / "c.db"
    shutil.copy(sample_db, db)
    out = tmp_path / "brief.pdf"  # the format comes from the extension
    run_cli("ask", QUESTION, "-q", "--out", str(out), db=db, check=True)
    assert "1. Who holds which position" in " ".join(_pdf_text(PdfReader(out)).split())
    piped = subprocess.run([*CLI, "--db", str(db), "ask", QUESTION, "-q", "--format", "docx"],
                           capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
    assert piped.returncode == 0, piped.stderr
    document = docx.Document(io.BytesIO(piped.stdout))
    assert document.paragraphs[0].text == QUESTION and document.tables
    bad = run_cli("ask", QUESTION, "-q", "--format", "odt", db=db)
    assert bad.returncode == 2 and "docx" in bad.stderr and "pdf" in bad.stderr


def test_research_writes_a_word_brief_of_what_it_found(tmp_path):
    from test_research import NO_PROVIDERS, PAGES, QUESTION_TEXT, WEB, matching, searxng_route, serve
    from webserver import TestServer

    out = tmp_path / "research.docx"
    with TestServer() as web, TestServer() as engine:
        serve(web)
        engine.route("/search", searxng_route(web, matching))
        proc = run_cli("research", QUESTION_TEXT, "--search-url", engine.url(""), *WEB, "-q", "--out", str(out),
                       db=tmp_path / "web.db", env=NO_PROVIDERS)
        assert proc.returncode == 0, proc.stderr
        urls = {web.url(p.path, host=p.host) for p in PAGES}
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == QUESTION_TEXT
    marks = _bookmarks(document)
    links = [h for p in document.paragraphs for h in p.hyperlinks]
    assert links and all(h.fragment in marks for h in links)
    # Every cited source is a page the run fetched, named in the source list by its URL.
    listed = {url for text in marks.values() for url in urls if text.endswith(url)}
    assert len(listed) == len(marks) > 1
