"""A document's URL is a web address or nothing: unsafe schemes a file or a page declares are dropped at ingest.

Every entry point that sets the URL field is covered: a text file's "URL:" header, Markdown front
matter, an HTML file's rel=canonical / og:url, a JSONL row, and a fetched web page (its canonical link,
og:url and a text page's header). The document keeps its path (or the URL it was fetched from).
Outputs of the CLI (`ask --format md/html`) are checked on a corpus whose URLs an older version stored.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from citebrief.clean import web_url
from conftest import cli_json, run_cli
from webserver import Reply, TestServer

NEW = ("--embedder", "hashing")
BODY = ("The harbour authority said on Friday that dock workers in the northern port would return to work "
        "on Monday after the operator agreed to a pay rise of six percent over two years.")
UNSAFE = ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
          "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd",
          "/relative/page", "//evil.example/x", "mailto:desk@example.com"]


def stored_urls(db) -> dict[str, str | None]:
    """source path or URL → stored url, as `citebrief sources --json` reports them."""
    return {d["source"]: d["url"] for d in cli_json("sources", "--json", db=db)}


@pytest.mark.parametrize("value", UNSAFE)
def test_web_url_keeps_only_http_and_https(value):
    assert web_url(value) is None
    assert web_url("https://example.com/news/1") == "https://example.com/news/1"
    assert web_url("HTTP://Example.com/a?b=1") == "HTTP://Example.com/a?b=1"
    assert web_url("java\tscript:alert(1)") is None and web_url("http://") is None


@pytest.mark.parametrize("value", UNSAFE)
def test_text_header_url(tmp_path, value):
    note = tmp_path / "note.txt"
    note.write_text(f"Title: Dock strike ends\nURL: {value}\n\n{BODY}\n", encoding="utf-8")
    safe = tmp_path / "safe.txt"
    safe.write_text(f"Title: Pay deal\nURL: https://news.example/pay\n\n{BODY} A second paragraph differs.\n",
                    encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert run_cli("add", str(note), str(safe), *NEW, db=db).returncode == 0
    urls = stored_urls(db)
    assert urls[str(note)] is None and urls[str(safe)] == "https://news.example/pay"


def test_markdown_front_matter_url(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(f"---\ntitle: Dock strike ends\nurl: 'javascript:alert(1)'\n---\n\n{BODY}\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert run_cli("add", str(page), *NEW, db=db).returncode == 0
    [doc] = cli_json("sources", "--json", db=db)
    assert doc["url"] is None and doc["path"] == str(page) and doc["title"] == "Dock strike ends"


@pytest.mark.parametrize("head", [
    '<link rel="canonical" href="javascript:alert(1)">',
    '<meta property="og:url" content="data:text/html,hi">',
    '<link rel="canonical" href="vbscript:msgbox(1)"><meta property="og:url" content="javascript:x">',
])
def test_html_file_canonical_and_og_url(tmp_path, head):
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>Dock strike ends</title>{head}</head><body><article><p>{BODY}</p>"
                    f"<p>{BODY.replace('Friday', 'Thursday')}</p></article></body></html>", encoding="utf-8")
    kept = tmp_path / "kept.html"
    kept.write_text(page.read_text(encoding="utf-8").replace(head, '<link rel="canonical" href="https://news.'
                                                                   'example/strike">').replace("six", "seven"),
                    encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert run_cli("add", str(page), str(kept), *NEW, db=db).returncode == 0
    urls = stored_urls(db)
    assert urls[str(page)] is None and urls[str(kept)] == "https://news.example/strike"


def test_jsonl_row_url(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps({"title": f"Row {i}", "url": url, "text": f"{BODY} Row {i} of the set."})
                              for i, url in enumerate(["javascript:alert(1)", "https://news.example/2"])) + "\n",
                    encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert run_cli("add", str(rows), *NEW, db=db).returncode == 0
    urls = stored_urls(db)
    assert urls[f"{rows}:1"] is None and urls[f"{rows}:2"] == "https://news.example/2"


def test_web_page_canonical_og_url_and_text_header(tmp_path):
    html = (f'<html><head><title>Dock strike ends</title><link rel="canonical" href="javascript:alert(1)">'
            f'<meta property="og:url" content="data:text/html,x"></head><body><article><p>{BODY}</p>'
            f"<p>{BODY.replace('Friday', 'Thursday')}</p></article></body></html>").encode()
    text = f"Title: Pay deal\nURL: javascript:alert(2)\n\n{BODY.replace('six', 'nine')}\n".encode()
    with TestServer() as server:
        server.route("/strike", Reply(body=html))
        server.route("/pay.txt", Reply(body=text, content_type="text/plain; charset=utf-8"))
        page, note = server.url("/strike"), server.url("/pay.txt")
        db = tmp_path / "corpus.db"
        proc = run_cli("add", page, note, "--allow-private", "--delay", "0", *NEW, db=db)
        assert proc.returncode == 0 and "added 2" in proc.stderr, proc.stderr
    assert stored_urls(db) == {page: page, note: note}  # the address it was fetched from, nothing declared


@pytest.mark.model
@pytest.mark.timeout(600)
def test_cli_outputs_never_link_an_unsafe_url_an_older_version_stored(sample_db, tmp_path):
    db = tmp_path / "corpus.db"
    shutil.copy(sample_db, db)
    with sqlite3.connect(db) as con:  # as a version before this check left them
        con.execute("UPDATE documents SET url = 'javascript:alert(document.cookie)'")
    question = "Which NATO countries oppose Ukraine joining and what concerns do they cite?"
    page = run_cli("ask", question, "--format", "html", db=db, check=True).stdout
    assert "<h2>Sources</h2>" in page and "javascript:" not in page
    markdown = run_cli("ask", question, "--format", "md", db=db, check=True).stdout
    assert "## Sources" in markdown
    # Markdown prints a stored address as escaped text, never as a link or an autolink.
    assert "](javascript:" not in markdown and "<javascript:" not in markdown
