"""The command line never crashes on data, never passes escape sequences to the terminal, and
turns every bad argument or unexpected error into one line and an exit status (issue 16, 7 and 8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from citebrief import Corpus
from citebrief.cli import main
from citebrief.cli.output import plain, styled
from conftest import run_cli
from webserver import Reply, TestServer

ARTICLE = ("The council met on Tuesday and agreed to publish the budget report next month, officials said. "
           "The harbour authority said the new ferry route opens in May.")
HOSTILE_TITLE = "Evil \x1b[2J\x1b[31mRED\x1b]0;pwned\x07 [/x] \x9b6n\u202eedoc"


@pytest.fixture
def corpus_db(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    source = tmp_path / "a.txt"
    source.write_text(f"Title: {HOSTILE_TITLE}\nOutlet: \x1b]0;owned\x07Wire [b]\n\n{ARTICLE}\n")
    corpus = Corpus(str(path), embedder_name="hashing")
    assert corpus.add([source]).count("added") == 1
    corpus.close()
    return path


def test_plain_drops_whole_escape_sequences_and_controls():
    assert plain("Evil \x1b[2J\x1b[31mRED") == "Evil RED"
    assert plain("\x1b]0;window title\x07Wire") == "Wire"
    assert plain("a\x9bb\u202ec\x00d\x7fe") == "abcde"
    assert plain("two\nlines\tand\r\nmore", one_line=True) == "two lines and more"
    assert plain("[/x] [red]stays[/red] :smile:") == "[/x] [red]stays[/red] :smile:"
    assert styled(("failed", "red"), " ", "[/x] :smile:").plain == "failed [/x] :smile:"


def test_escape_sequences_in_metadata_are_not_stored(corpus_db):
    [doc] = Corpus(str(corpus_db)).sources()
    assert doc.title == "Evil RED [/x] 6nedoc" and doc.outlet == "Wire [b]"  # the C1 CSI goes, "6n" is text


def test_sources_show_and_search_print_no_escape_sequences_from_an_older_corpus(corpus_db, capsys):
    # A corpus written before titles were cleaned still holds the raw bytes.
    with sqlite3.connect(corpus_db) as conn:
        conn.execute("UPDATE documents SET title=?, outlet=?", (HOSTILE_TITLE, "\x1b[5mWire\nline"))
    doc_id = Corpus(str(corpus_db)).sources()[0].doc_id
    for args in (["sources"], ["show", doc_id[:8]], ["search", "budget", "--mode", "bm25"]):
        assert main(["--db", str(corpus_db), *args]) == 0
        out = capsys.readouterr().out
        assert "RED" in out and "[/x]" in out, (args, out)
        assert not any(c in out for c in "\x1b\x07\x9b\u202e"), (args, out)
    assert "Wire line" in main_output(corpus_db, capsys, "sources")


def main_output(db: Path, capsys, *args: str) -> str:
    assert main(["--db", str(db), *args]) == 0
    return capsys.readouterr().out


def test_a_url_with_a_closing_tag_is_a_failure_line_not_a_crash(tmp_path):
    """`add 'http://…/[/x]'` ended in rich's MarkupError; the failure now prints literally."""
    with TestServer() as server:
        server.route("/other", Reply(body=b"<html></html>"))
        proc = run_cli("add", server.url("/gone/[/x]"), "--allow-private", "--ignore-robots",
                       "--embedder", "hashing", db=tmp_path / "c.db")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed")]
    assert failed and "[/x]" in failed[0], proc.stderr


def test_an_output_path_with_a_closing_tag_is_written(tmp_path, capsys):
    from citebrief.cli.brief_cmds import write_output

    out = tmp_path / "[b]" / "[/x].md"
    write_output("# Brief\n", out)
    assert out.read_text() == "# Brief\n"
    assert f"wrote {out}" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["add", ""], "empty path"),
    (["add", "a.txt", ""], "empty path"),
    (["add", "a.txt", "--max-size", "inf"], "--max-size must be a number"),
    (["add", "a.txt", "--max-size", "nan"], "--max-size must be a number"),
    (["add", "http://127.0.0.1:9/", "--delay", "inf"], "--delay must be a number"),
    (["add", "http://127.0.0.1:9/", "--delay", "nan"], "--delay must be a number"),
    (["add", "http://127.0.0.1:9/", "--timeout", "inf"], "--timeout must be a number"),
    (["search", "--queries", "missing.txt"], "missing.txt does not exist"),
    (["verify", "--pairs", "missing.jsonl"], "missing.jsonl does not exist"),
])
def test_bad_arguments_are_one_line_usage_errors(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE)
    assert main(["--db", str(tmp_path / "c.db"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err
    assert err.count("\n") == 1, err
    assert not (tmp_path / "c.db").exists() or Corpus(str(tmp_path / "c.db")).sources() == []


def test_queries_and_pairs_that_are_not_utf8_say_so(tmp_path, corpus_db, capsys):
    latin1 = tmp_path / "queries.txt"
    latin1.write_bytes("café prices\nZürich budget\n".encode("latin-1"))
    assert main(["--db", str(corpus_db), "search", "--queries", str(latin1)]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_bytes('{"sentence": "Café", "passages": ["Zürich"]}\n'.encode("latin-1"))
    assert main(["verify", "--pairs", str(pairs), "--checker", "lexical", "--embedder", "hashing"]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_unless_debugging(corpus_db, monkeypatch, capsys):
    from citebrief.cli import corpus_cmds

    def broken(*args, **kwargs):
        raise RuntimeError("internal state lost \x1b[2J")

    monkeypatch.setattr(corpus_cmds, "open_corpus", broken)
    assert main(["--db", str(corpus_db), "sources"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: RuntimeError: internal state lost") and "CITEBRIEF_DEBUG=1" in err
    assert err.count("\n") == 1 and "Traceback" not in err and "\x1b" not in err
    monkeypatch.setenv("CITEBRIEF_DEBUG", "1")
    assert main(["--db", str(corpus_db), "sources"]) == 1
    assert "Traceback" in capsys.readouterr().err
