"""Uploaded source files: size-limited, type-checked, saved under generated names, then ingested.

The uploaded file name is never used as a path. Only its ending is read, and only to pick one of
the readers' suffixes (optionally followed by ``.gz``); each file is written into a fresh temporary
folder as ``<random hex><suffix>`` and ``Corpus.add`` reads it from there. "../../etc/passwd.txt"
is therefore just a ``.txt`` upload. The folder is removed after ingest.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from ..api import Corpus
from ..models import IngestOutcome
from ..readers import READERS

MULTIPART_SLACK = 64 * 1024  # boundaries and part headers on top of the files themselves
MAX_FILES = 50
ALLOWED_SUFFIXES = tuple(sorted(READERS)) + tuple(f"{s}.gz" for s in sorted(READERS))


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


def ingest_uploads(corpus: Corpus, uploads: list[Upload], *, max_bytes: int) -> list[dict[str, Any]]:
    """Save each upload under a generated name in a temporary folder and ingest them; per-file outcomes.

    Raises ``TooLarge`` (nothing ingested) when a file is over ``max_bytes``.
    """
    for up in uploads:
        if up.size is not None and up.size > max_bytes:
            raise TooLarge(f"file {up.name!r} is {up.size} bytes, over the {max_bytes} byte limit")
    folder = Path(tempfile.mkdtemp(prefix="citebrief-upload-"))
    try:
        rows: list[list[dict[str, Any]]] = []  # per upload; a .jsonl yields one row per record
        saved: dict[str, tuple[int, str]] = {}  # temp path → (position, uploaded name)
        for up in uploads:
            suffix = validated_suffix(up.name)
            if suffix is None:
                rows.append([_failed(up.name, f"unsupported file type; allowed: {', '.join(ALLOWED_SUFFIXES)}")])
                continue
            path = folder / f"{secrets.token_hex(8)}{suffix}"
            with open(path, "xb") as out:
                shutil.copyfileobj(up.file, out, 1024 * 1024)
            saved[str(path)] = (len(rows), up.name)
            rows.append([])

        def on_outcome(outcome: IngestOutcome) -> None:
            for temp, (position, name) in saved.items():
                if outcome.source.startswith(temp):
                    rows[position].append({"name": name + outcome.source[len(temp):], "status": outcome.status,
                                           "doc_id": outcome.doc_id, "duplicate_of": outcome.duplicate_of,
                                           "reason": (outcome.reason or "").replace(temp, name) or None})
                    return

        if saved:
            corpus.add(list(saved), max_bytes=max_bytes, on_outcome=on_outcome)
        for position, name in saved.values():
            if not rows[position]:
                rows[position].append(_failed(name, "no document found in the file"))
        return [row for per_upload in rows for row in per_upload]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
