"""Upload names: the cleaned file name an upload is stored under, and how the API names it."""

from __future__ import annotations

import pytest

from citebrief.server.uploads import clean_name, display_source, validated_suffix


@pytest.mark.parametrize(("given", "suffix", "stored"), [
    ("../../etc/passwd.txt", ".txt", "passwd.txt"),
    ("C:\\Users\\me\\Q1 report (final).pdf", ".pdf", "Q1 report (final).pdf"),
    ("..txt", ".txt", "upload.txt"),
    (".txt", ".txt", "upload.txt"),
    ("notes.TXT", ".txt", "notes.txt"),
    ("a\x00b<script>x</script>.html.gz", ".html.gz", "script.html.gz"),  # "/" ends a component
    ("Zürich  résumé.md", ".md", "Zürich résumé.md"),
    ("x" * 300 + ".txt", ".txt", "x" * 116 + ".txt"),
])
def test_clean_name_keeps_one_safe_component(given, suffix, stored):
    assert validated_suffix(given) == suffix
    name = clean_name(given, suffix)
    assert name == stored
    assert "/" not in name and "\\" not in name and not name.startswith(".") and len(name) <= 120


@pytest.mark.parametrize(("source", "shown"), [
    ("/tmp/citebrief-upload-ab12cd/0123456789abcdef/port.txt", "upload:port.txt"),
    ("/tmp/citebrief-upload-ab12cd/0123456789abcdef/feed dump.jsonl:3", "upload:feed dump.jsonl:3"),
    ("/tmp/citebrief-upload-ab12cd/0123456789abcdef.txt", "upload:file.txt"),  # stored before names were kept
    ("/tmp/citebrief-upload-ab12cd/0123456789abcdef.jsonl:12", "upload:file.jsonl:12"),
    ("/home/me/notes/port.txt", None),
    ("https://example.org/citebrief-upload-x/0123456789abcdef/a.txt", None),  # a web page stays a URL
    ("/tmp/citebrief-upload-ab12cd/not-hex-at-all/port.txt", None),
])
def test_display_source_names_uploads_only(source, shown):
    assert display_source(source) == shown
