"""Generate a folder of hostile inputs beside good ones (used by tests/test_hostile.py and
bench/bench_hostile.py). Each hostile file maps to the reason citebrief must report for it."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

GOOD_TEXT = ("Officials said on Tuesday that the committee would publish its findings next month. "
             "The report is expected to recommend changes to how the agency handles complaints. ")


def _pdf(encrypted: bool) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypted:
        writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def make_hostile_folder(root: Path, *, sparse_mb: int = 200) -> dict[str, str]:
    """Write the inputs; return {file name: substring expected in its failure reason}."""
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def put(name: str | bytes, data: bytes, reason: str | None) -> None:
        path = os.path.join(os.fsencode(root), name if isinstance(name, bytes) else name.encode())
        with open(path, "wb") as fh:
            fh.write(data)
        if reason:
            expect[os.fsdecode(name) if isinstance(name, bytes) else name] = reason

    put("zero.txt", b"", "empty file")
    with open(root / "sparse.txt", "wb") as fh:  # a 200 MB file that takes no disk space
        fh.truncate(sparse_mb * 1024 * 1024)
    expect["sparse.txt"] = "over the"
    put("binary.txt", os.urandom(4096) + b"\x00" * 64, "binary content")
    put("elf.md", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "binary content")
    put("invalid-utf8.txt", b"\xff\xfe\xfa" * 10 + b"\xc3\x28\xa0\xa1" * 200, "")  # decodes as something or fails
    put("utf16-nobom.txt", ("Title: UTF16\n\n" + GOOD_TEXT * 3).encode("utf-16-le"), None)  # must ingest
    put("deep.html", b"<html><body>" + b"<div>" * 10000 + b"deep text" + b"</div>" * 10000 + b"</body></html>",
        "")
    put("one-line.html", b"<html><body><p>" + b"word " * 200000 + b"</p></body></html>", "")
    bomb = gzip.compress(b"<html>" + b"A" * (60 * 1024 * 1024) + b"</html>", compresslevel=9)
    put("bomb.html.gz", bomb, "zip bomb")
    put("not-gzip.html.gz", b"this is not gzip at all", "not a valid gzip")
    put("encrypted.pdf", _pdf(encrypted=True), "encrypted")
    put("blank.pdf", _pdf(encrypted=False), "no text layer")
    put("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF", "PDF")
    rows = ["{broken", json.dumps([1, 2]), json.dumps({"text": 42}), json.dumps({"title": "no body"}),
            json.dumps({"text": "A row with a list for a date is still read. " + GOOD_TEXT, "title": "Good row",
                        "published_at": ["not", "a", "date"]})]
    put("mixed.jsonl", "\n".join(rows).encode(), None)
    expect["mixed.jsonl:1"] = "invalid JSON"
    expect["mixed.jsonl:2"] = "expected a JSON object"
    expect["mixed.jsonl:3"] = "non-empty string field"
    expect["mixed.jsonl:4"] = "non-empty string field"
    put("boilerplate-only.txt", b"Advertisement\nSubscribe to our newsletter\nShare this article\n"
        b"To suggest a correction or clarification, write to us here\n", "no text left")
    put("control-chars.txt", b"\x01\x02\x03\x04" * 100, "")
    put(b"name\nwith-newline.txt", ("Title: Newline name\n\n" + GOOD_TEXT * 2).encode(), None)
    put(b"latin1-\xe9\xff-name.txt", ("Title: Odd bytes name\n\n" + GOOD_TEXT.replace("agency", "body") * 2).encode(),
        None)
    put("script.html", b"<html><head><title>XSS</title></head><body><article><p><script>alert(1)</script>"
        b"Readers reported that the <img src=x onerror=alert(2)> tag was shown as text in the brief, "
        b"the editor said on Monday after the review.</p></article></body></html>", None)
    put("bom-only.txt", b"\xef\xbb\xbf", "no text left")
    put("nav-only.html", b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
        "no text left")
    put("binary.jsonl", os.urandom(2048) + b"\x00" * 32, "binary content")
    put("front-matter-only.md", b"---\ntitle: Nothing here\n---\n", "no text left")
    put("long-line.txt", b"word " * 400000, None)  # 2 MB on one line: ingested, memory bounded
    put("NUL-in-middle.txt", GOOD_TEXT.encode() + b"\x00\x00" + GOOD_TEXT.encode(), "binary content")
    put("wrong-types.jsonl", json.dumps({"text": ["a", "list"], "title": 7}).encode(), None)
    expect["wrong-types.jsonl:1"] = "non-empty string field"
    (root / "loop").mkdir(exist_ok=True)
    link = root / "loop" / "again"
    if not link.exists():
        os.symlink("..", link)
    expect["again"] = "symlink loop"
    dangling = root / "dangling.txt"
    if not os.path.lexists(dangling):
        os.symlink(root / "does-not-exist.txt", dangling)
    expect["dangling.txt"] = "broken symlink"
    locked = root / "locked.txt"
    locked.write_text("Title: Locked\n\n" + GOOD_TEXT)
    locked.chmod(0)
    for i in range(5):
        put(f"good-{i}.txt", (f"Title: Good {i}\n\nGood document {i} says the review met {i} times. "
                              + GOOD_TEXT * (i + 1)).encode(), None)
    for i in range(3):
        put(f"good-{i}.html", (f"<html><head><title>Page {i}</title></head><body><nav>Home</nav><article>"
                               f"<p>Page {i}: {GOOD_TEXT}</p><p>{GOOD_TEXT.upper()}</p></article></body></html>").encode(),
            None)
    return expect
