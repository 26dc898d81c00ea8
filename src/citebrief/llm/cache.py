"""A disk cache of LLM calls, so re-running a brief costs nothing and gives the same text.

Key: SHA-256 of the canonical JSON of what determines the reply — backend, base_url, model,
messages, schema, max_tokens. The API key is not part of it (and is never written): two keys for
the same account get the same answer, and a cache file must be safe to share or commit.
One file per call, ``<dir>/<key[:2]>/<key>.json``, written atomically (temp file + rename) so an
interrupted run never leaves a half-written entry.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ids import canonical_json, sha256_hex

log = logging.getLogger(__name__)


def cache_key(request: dict[str, Any]) -> str:
    """SHA-256 hex of ``request`` as canonical JSON (sorted keys, compact)."""
    return sha256_hex(canonical_json(request).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class CachedReply:
    """A reply as it came back: raw text (reasoning included) and the tokens it cost."""

    text: str
    tokens: int


class DiskCache:
    """Get and put replies by key under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        """Where the entry for ``key`` lives (two-character fan-out keeps directories small)."""
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedReply | None:
        """The stored reply, or None; an unreadable entry is a miss, and is overwritten later."""
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            return CachedReply(text=str(entry["text"]), tokens=int(entry["tokens"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable LLM cache entry %s: %s", path, exc)
            return None

    def put(self, key: str, request: dict[str, Any], reply: CachedReply) -> None:
        """Store ``reply`` with the request that produced it (for auditing; it holds no key)."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"request": request, "text": reply.text, "tokens": reply.tokens}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
