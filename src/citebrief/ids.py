"""Content-hash ids: canonical JSON (sorted keys, compact) hashed with SHA-256.

Re-ingesting the same text gives the same id, so a citation points at one passage forever.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

ID_HEX_CHARS = 16  # 64 bits: a collision needs ~4e9 documents (birthday bound), far past one corpus


def canonical_json(value: Any) -> str:
    """Serialise ``value`` as canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_id(value: Any, *, kind: str) -> str:
    """Return the content hash id of ``value``, namespaced by ``kind`` ("doc", "passage", ...)."""
    digest = hashlib.sha256(canonical_json({"kind": kind, "value": value}).encode("utf-8"))
    return digest.hexdigest()[:ID_HEX_CHARS]


def sha256_hex(data: bytes) -> str:
    """Return the full SHA-256 hex digest of raw bytes."""
    return hashlib.sha256(data).hexdigest()
