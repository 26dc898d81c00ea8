"""Hostile inputs beside good files: each bad one is reported with a precise reason, nothing good is lost."""

from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from hostile import make_hostile_folder  # noqa: E402

from conftest import cli_json, run_cli  # noqa: E402


def test_hostile_folder(tmp_path, db):
    folder = tmp_path / "hostile"
    expect = make_hostile_folder(folder, sparse_mb=200)
    proc = run_cli("add", str(folder), "--embedder", "hashing", db=db, timeout=600)
    assert proc.returncode == 1, proc.stderr
    failed_lines = [line for line in proc.stderr.splitlines() if line.startswith("failed")]
    for name, reason in expect.items():
        lines = [line for line in failed_lines if name.replace("\n", "") in line.replace("\n", "") or
                 os.fsencode(name).decode("utf-8", "replace") in line]
        assert lines, f"{name!r} not reported:\n{proc.stderr}"
        if reason:
            assert any(reason in line for line in lines), (name, reason, lines)
    titles = {d["title"] for d in cli_json("sources", "--json", db=db)}
    expected_good = {f"Good {i}" for i in range(5)} | {f"Page {i}" for i in range(3)} | {
        "UTF16", "Newline name", "Odd bytes name", "Good row", "XSS"}
    assert expected_good <= titles, expected_good - titles
    if os.geteuid() != 0:  # root reads a chmod-000 file anyway
        assert any("locked.txt" in line and "permission denied" in line for line in failed_lines)
    # the store is intact and a second run is a no-op for what was ingested
    again = run_cli("add", str(folder), "--embedder", "hashing", db=db, timeout=600)
    assert "added 0" in again.stderr


# --- PDFs that used to sink the whole batch (issue 16, item 5) -------------------------------

from citebrief import Corpus  # noqa: E402
from citebrief.embed import LazyEmbedder  # noqa: E402
from citebrief.errors import InputError  # noqa: E402
from citebrief.ingest import IngestOptions, Ingestor  # noqa: E402
from citebrief.ingest_pool import add_paths_parallel  # noqa: E402
from citebrief import readers  # noqa: E402
from pdfs import aes_encrypted_pdf, assemble, flate_bomb_pdf, text_pdf  # noqa: E402


def pdf_folder(root: Path) -> Path:
    """Six good files (one a real text PDF) beside an AES-encrypted PDF and a 2 GiB Flate bomb."""
    root.mkdir()
    for i in range(5):
        (root / f"good{i}.txt").write_text(f"Title: Good {i}\n\nThe council met on day {i} and agreed to "
                                           "publish the budget report next month, officials said.\n")
    (root / "good5.pdf").write_bytes(text_pdf(["The harbour authority said the new ferry route opens in May.",
                                               "Residents welcomed the decision at a public meeting."]))
    (root / "aes.pdf").write_bytes(aes_encrypted_pdf())
    (root / "bomb.pdf").write_bytes(flate_bomb_pdf(2048))
    return root


def _ingest(tmp_path: Path, folder: Path, workers: int):
    corpus = Corpus(str(tmp_path / f"w{workers}.db"), embedder_name="hashing")
    ingestor = Ingestor(corpus.store, LazyEmbedder("hashing"), IngestOptions())
    if workers == 1:
        return ingestor.add_paths([folder])
    return add_paths_parallel(ingestor, [folder], workers=workers, location=corpus.location,
                              embedder="hashing")


@pytest.mark.parametrize("workers", [1, 2])
def test_hostile_pdfs_fail_alone_and_the_rest_is_ingested(tmp_path, workers):
    report = _ingest(tmp_path, pdf_folder(tmp_path / "in"), workers)
    reasons = {Path(o.source).name: o.reason for o in report.failed}
    assert set(reasons) == {"aes.pdf", "bomb.pdf"}, reasons
    assert "encrypted" in reasons["aes.pdf"]
    assert "decompression bomb" in reasons["bomb.pdf"]
    assert report.count("added") == 6


def test_a_flate_bomb_fails_with_little_memory():
    import tracemalloc

    bomb = flate_bomb_pdf(2048)
    readers.read_pdf(text_pdf(["Warm up the parser so its imports are not counted."]), "warm.pdf")
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="decompression bomb"):
            readers.read_pdf(bomb, "bomb.pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # pypdf's default limit let the 2 GiB stream grow to 75 MB (157 MB traced at the peak).
    assert peak < 64 * 2**20, peak


def test_many_small_bomb_pages_are_refused_by_the_content_budget(monkeypatch):
    """40 pages of 1 MB of text operators each, in a 90 KB file: refused before page 3."""
    content = b"BT /F1 11 Tf 72 720 Td " + b"(word ) Tj " * (2**20 // 11) + b"ET"
    stream = (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zlib.compress(content))
              + zlib.compress(content) + b"\nendstream")
    n = 40
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + i) for i in range(n)), n),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents %d 0 R >>" % (4 + n + i) for i in range(n)]
    objects += [stream] * n
    from pypdf import PageObject

    extracted = []
    real_extract = PageObject.extract_text

    def counting(self, *args, **kwargs):
        extracted.append(1)
        return real_extract(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counting)
    with pytest.raises(InputError, match="page content decodes to more than"):
        readers.read_pdf(assemble(objects), "many.pdf")
    assert len(extracted) <= 2  # the 2 MB floor: without it, all 40 pages (about 4 minutes)


def test_an_unexpected_reader_error_is_that_files_failure(tmp_path, monkeypatch):
    def explodes(data: bytes, source: str) -> list:
        raise LookupError("parser state lost")

    monkeypatch.setitem(readers.READERS, ".md", explodes)
    (tmp_path / "a.md").write_text("anything")
    with pytest.raises(InputError, match=r"a\.md: could not be read \(LookupError: parser state lost\)"):
        readers.read_file(tmp_path / "a.md")


# --- Text that made the markdown link pattern backtrack (issue 16, item 6) ------------------

@pytest.mark.timeout(120)  # a hang guard only: 100 KB of "[" took 184 s before the pattern was fixed
@pytest.mark.parametrize("unit", ["[", "[a](", "](", "[x](http://a(b"])
def test_markdown_full_of_brackets_is_read(unit):
    data = ("# Notes\n\n" + unit * (100_000 // len(unit))).encode()
    [doc] = readers.read_markdown(data, "brackets.md")
    assert doc.title == "Notes" and len(doc.text) > 50_000


def test_markdown_links_keep_their_text():
    data = b"See [the report](https://x.example/a) and [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) now."
    [doc] = readers.read_markdown(data, "links.md")
    assert doc.text == "See the report and Foo now."
