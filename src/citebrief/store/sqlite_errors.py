"""What a failed SQLite write means for the user: the cause named, the fix said.

A full disk or a read-only file used to surface as "cannot rollback - no transaction is active"
(SQLite had already rolled back; the second ROLLBACK hid the first error). Writes now roll back
only an open transaction and raise ``store_write_error``: a ``StoreUnwritableError`` when the
store as a whole cannot take writes (so a batch stops instead of failing every document alike),
a plain ``StoreError`` when only this write was refused.
"""

from __future__ import annotations

import sqlite3

from ..errors import StoreError, StoreUnwritableError

# Primary result codes (the low byte of an extended code) that are about one write, not the store.
_THIS_WRITE_ONLY = {"SQLITE_CONSTRAINT", "SQLITE_TOOBIG", "SQLITE_MISMATCH", "SQLITE_RANGE"}
_CAUSES = {
    "SQLITE_FULL": "the disk holding it is full (or the file reached its size limit) — free some space "
                   "and run the same command again; what was written before stays",
    "SQLITE_READONLY": "it is read-only (file or folder permissions, a read-only file system or "
                       "another user's file) — make it writable or choose another --db path",
    "SQLITE_IOERR": "the disk reported an I/O error — check the disk and run the same command again",
    "SQLITE_BUSY": "another process held it locked for over a minute — wait for it to finish and run "
                   "the same command again",
    "SQLITE_LOCKED": "another connection held it locked — run the same command again",
    "SQLITE_CORRUPT": "the file is damaged — restore it from a copy, or build a new corpus",
    "SQLITE_NOTADB": "the file is not a SQLite database — choose another --db path",
    "SQLITE_PERM": "the operating system refused access — check the file's permissions",
    "SQLITE_CANTOPEN": "its folder or journal files cannot be opened — check the folder's permissions",
}


def _primary(exc: sqlite3.Error) -> str:
    """The primary result code name of ``exc`` ("SQLITE_READONLY" for SQLITE_READONLY_DBMOVED)."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code > 255:  # an extended code: its name has a suffix
        for primary in (*_CAUSES, *_THIS_WRITE_ONLY):
            if name.startswith(primary + "_"):
                return primary
    if not name:  # an error raised without result codes: only its message tells
        text = str(exc).lower()
        if "disk is full" in text:
            return "SQLITE_FULL"
        if "readonly" in text or "read-only" in text:
            return "SQLITE_READONLY"
    return name


def store_write_error(location: str, exc: sqlite3.Error) -> StoreError:
    """The error to raise for ``exc``, raised while writing to the SQLite store at ``location``."""
    primary = _primary(exc)
    if primary in _THIS_WRITE_ONLY:
        return StoreError(f"{location} refused the write ({exc})")
    cause = _CAUSES.get(primary, f"SQLite said: {exc}")
    return StoreUnwritableError(f"Cannot write to {location}: {cause} ({exc})")
