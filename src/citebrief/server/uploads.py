"""Uploaded source files: size-limited, type-checked, saved under a cleaned copy of their name, then ingested.

The uploaded file name is never used as a path as given. Its ending picks one of the readers'
suffixes (optionally followed by ``.gz``); its last component, reduced to letters, digits, spaces
and ``._-()`` (``clean_name``), names the file inside a fresh random folder:
``<temp>/citebrief-upload-…/<random hex>/<clean name>``. "../../etc/passwd.txt" is therefore a
file ``passwd.txt`` in that folder. ``Corpus.add`` reads it from there and the folder is removed
after ingest. The API shows such a document's source as ``upload:<clean name>`` (``display_source``)
and never the server path.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from ..api import Corpus
from ..models import IngestOutcome
from ..readers import READERS

MB = 1024 * 1024
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers on top of the files themselves
MAX_FILES = 50
ALLOWED_SUFFIXES = tuple(sorted(READERS)) + tuple(f"{s}.gz" for s in sorted(READERS))
UPLOAD_PREFIX = "citebrief-upload-"
# <temp>/citebrief-upload-xxxx/<16 hex>/<name> (named uploads) or …/<16 hex><suffix> (before names were kept)
_UPLOADED = re.compile(r"[\\/]" + UPLOAD_PREFIX + r"[^\\/]+[\\/][0-9a-f]{16}(?:[\\/](?P<name>[^\\/]+)|(?P<suffix>\.[\w.]+))"
                       r"(?P<rest>:\d+)?$")
MAX_NAME = 120


class TooLarge(Exception):
    """The request body or one file is over the upload limit."""


def validated_suffix(filename: str) -> str | None:
    """The reader suffix the name ends with ('.txt', '.html.gz'), or None when it is not allowed."""
    name = filename.lower()
    gz = name.endswith(".gz")
    base = name[:-3] if gz else name
    dot = base.rfind(".")
    suffix = base[dot:] if dot >= 0 else ""
    if suffix not in READERS:  # READERS keys are plain ".ext" strings: no "/" can get through
        return None
    return suffix + (".gz" if gz else "")


def clean_name(filename: str, suffix: str) -> str:
    """The last component of an uploaded name with only safe characters, ending in ``suffix``.

    "../../etc/passwd.txt" → "passwd.txt"; "C:\\x\\Q1 report (final).pdf" → "Q1 report (final).pdf";
    "..txt" → "upload.txt".
    """
    base = re.split(r"[\\/]", filename)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isalnum() or ch in " ._-()")
    base = re.sub(r"\s+", " ", base).strip()
    stem = base[:-len(suffix)] if base.lower().endswith(suffix) else base
    stem = stem.strip(" .")[:MAX_NAME - len(suffix)] or "upload"
    return stem + suffix


def display_source(source: str) -> str | None:
    """``upload:<name>`` for a document read from an upload folder, None for any other source."""
    match = None if source.startswith(("http://", "https://")) else _UPLOADED.search(source)
    if match is None:
        return None
    return "upload:" + (match["name"] or f"file{match['suffix']}") + (match["rest"] or "")


def limit_body(receive: Callable[[], Awaitable[dict]], limit: int) -> Callable[[], Awaitable[dict]]:
    """Wrap an ASGI ``receive`` so reading more than ``limit`` body bytes raises ``TooLarge``."""
    seen = 0

    async def wrapped() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(f"upload is over the {limit - MULTIPART_SLACK} byte limit")
        return message

    return wrapped


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its name as given (for display only) and an open binary file object."""

    name: str
    file: Any
    size: int | None


def _failed(name: str, reason: str) -> dict[str, Any]:
    return {"name": name, "status": "failed", "doc_id": None, "duplicate_of": None, "reason": reason}


@dataclass
class Saved:
    """Uploads written to a temporary folder: rows of outcomes per upload, and which file is which."""

    folder: Path
    rows: list[list[dict[str, Any]]]  # per upload; a .jsonl yields one row per record
    files: dict[str, tuple[int, str]]  # saved path → (position in rows, uploaded name)

    def record(self, outcome: IngestOutcome) -> None:
        """File one ``Corpus.add`` outcome under its upload, with the uploaded name instead of the path."""
        for temp, (position, name) in self.files.items():
            if outcome.source.startswith(temp):
                self.rows[position].append({"name": name + outcome.source[len(temp):], "status": outcome.status,
                                            "doc_id": outcome.doc_id, "duplicate_of": outcome.duplicate_of,
                                            "reason": (outcome.reason or "").replace(temp, name) or None})
                return

    def finish(self) -> list[dict[str, Any]]:
        """The outcomes, upload by upload; a file that gave nothing is reported as failed."""
        for position, name in self.files.values():
            if not self.rows[position]:
                self.rows[position].append(_failed(name, "no document found in the file"))
        return [row for per_upload in self.rows for row in per_upload]


def save_uploads(uploads: list[Upload], *, max_bytes: int) -> Saved:
    """Write each allowed upload into a fresh temporary folder; refused types become failed rows.

    Raises ``TooLarge`` (nothing saved) when a file is over ``max_bytes``.
    """
    for up in uploads:
        if up.size is not None and up.size > max_bytes:
            raise TooLarge(f"{up.name} is {up.size / MB:.1f} MB, over the {max_bytes / MB:g} MB limit")
    saved = Saved(Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX)), [], {})
    try:
        for up in uploads:
            suffix = validated_suffix(up.name)
            if suffix is None:
                saved.rows.append([_failed(up.name, f"unsupported file type; allowed: {', '.join(ALLOWED_SUFFIXES)}")])
                continue
            own = saved.folder / secrets.token_hex(8)
            own.mkdir()
            path = own / clean_name(up.name, suffix)
            with open(path, "xb") as out:
                shutil.copyfileobj(up.file, out, 1024 * 1024)
            saved.files[str(path)] = (len(saved.rows), up.name)
            saved.rows.append([])
    except BaseException:
        shutil.rmtree(saved.folder, ignore_errors=True)
        raise
    return saved


def ingest_saved(corpus: Corpus, saved: Saved, *, max_bytes: int,
                 on_row: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """Ingest saved uploads and remove their folder; ``on_row`` is called after each outcome."""
    try:
        def on_outcome(outcome: IngestOutcome) -> None:
            saved.record(outcome)
            if on_row is not None:
                on_row()

        if saved.files:
            corpus.add(list(saved.files), max_bytes=max_bytes, on_outcome=on_outcome)
        return saved.finish()
    finally:
        shutil.rmtree(saved.folder, ignore_errors=True)


def ingest_uploads(corpus: Corpus, uploads: list[Upload], *, max_bytes: int) -> list[dict[str, Any]]:
    """Save each upload in a temporary folder and ingest them; per-file outcomes.

    Raises ``TooLarge`` (nothing ingested) when a file is over ``max_bytes``.
    """
    return ingest_saved(corpus, save_uploads(uploads, max_bytes=max_bytes), max_bytes=max_bytes)
