"""Watched questions and their brief versions in the corpus (tables of migration 0007_watches).

The SQL is built apart from running it (``_sql``) in the SQLite dialect; PostgreSQL takes the same
statements with ``%s`` placeholders. Each write is one statement, so it is whole or absent: a version
is inserted with its number computed in the same statement, only once its brief is complete.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Protocol, Sequence

from ..errors import StoreError, UsageError
from .model import Version, Watch, check_name


class SqlStore(Protocol):
    """The part of a corpus store this module uses: raw SQL (both backends have it)."""

    location: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run one statement and return its rows."""
        ...


_SQL = {
    "add": "INSERT INTO watches (name, question, options, created_at) VALUES (?, ?, ?, ?)",
    "get": "SELECT name, question, options, created_at FROM watches WHERE name = ?",
    "list": "SELECT name, question, options, created_at FROM watches ORDER BY created_at, name",
    "names": "SELECT name FROM watches",
    "rm": "DELETE FROM watches WHERE name = ?",
    "rm_versions": "DELETE FROM watch_versions WHERE watch = ?",
    # the next number and the row in one statement: two runs at once cannot both take number n
    "add_version": "INSERT INTO watch_versions (watch, version, created_at, brief, notes) "
                   "SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM watch_versions WHERE watch = ?",
    "version": "SELECT version, created_at, brief, notes FROM watch_versions WHERE watch = ? AND version = ?",
    "latest": "SELECT version, created_at, brief, notes FROM watch_versions WHERE watch = ? "
              "ORDER BY version DESC LIMIT ?",
    "counts": "SELECT watch, COUNT(*), MAX(version), MAX(created_at) FROM watch_versions GROUP BY watch",
}


def _sql(key: str, location: str) -> str:
    """The statement ``key`` in the dialect of the store at ``location``."""
    sql = _SQL[key]
    return sql.replace("?", "%s") if location.startswith(("postgresql://", "postgres://")) else sql


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class WatchStore:
    """Watches and versions kept in one corpus store."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    def _run(self, key: str, params: Sequence[Any] = ()) -> list[tuple]:
        try:
            return self.store.execute(_sql(key, self.store.location), params)
        except Exception as exc:
            if not _database_error(exc):
                raise
            raise StoreError(f"{self.store.location}: the watched questions cannot be read or written ({exc}) — "
                             "check the disk and the file's permissions, or run `citebrief watch list` "
                             "to see what is stored") from exc

    # -- watches --------------------------------------------------------------------------------
    def add(self, watch: Watch) -> Watch:
        """Save a new watch; a UsageError when the name is taken."""
        check_name(watch.name)
        if self.find(watch.name) is not None:
            raise UsageError(f"A watched question is already named {watch.name!r} — choose another --name, or "
                             f"remove it first with `citebrief watch rm {watch.name}`")
        saved = Watch.from_row(watch.name, watch.question, watch.options_json(), watch.created_at or utc_now())
        self._run("add", (saved.name, saved.question, json.dumps(saved.options_json()), saved.created_at))
        return saved

    def find(self, name: str) -> Watch | None:
        rows = self._run("get", (name,))
        return Watch.from_row(rows[0][0], rows[0][1], json.loads(rows[0][2]), rows[0][3]) if rows else None

    def get(self, name: str) -> Watch:
        """The watch named ``name``, or a UsageError that lists the names there are."""
        watch = self.find(name)
        if watch is None:
            names = sorted(r[0] for r in self._run("names"))
            known = f"watched here: {', '.join(names)}" if names else \
                "nothing is watched yet — add one with `citebrief watch add QUESTION`"
            raise UsageError(f"No watched question named {name!r} in {self.store.location} ({known})")
        return watch

    def names(self) -> set[str]:
        return {r[0] for r in self._run("names")}

    def all(self) -> list[Watch]:
        return [Watch.from_row(n, q, json.loads(o), c) for n, q, o, c in self._run("list")]

    def remove(self, name: str) -> int:
        """Delete a watch and its versions; the number of versions deleted."""
        self.get(name)
        count = len(self.versions(name, limit=1_000_000))
        self._run("rm_versions", (name,))  # explicit: does not depend on foreign keys being on
        self._run("rm", (name,))
        return count

    def counts(self) -> dict[str, tuple[int, int, str]]:
        """Per watch name: (versions stored, latest number, time of the latest)."""
        return {w: (int(c), int(m), t) for w, c, m, t in self._run("counts")}

    # -- versions -------------------------------------------------------------------------------
    def add_version(self, name: str, brief: dict[str, Any], notes: dict[str, Any] | None = None) -> Version:
        """Store a complete brief as the next version of ``name`` (one INSERT) and return it."""
        self.get(name)
        try:
            text = json.dumps(brief, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"the brief for {name!r} cannot be stored as JSON ({exc})") from None
        now = utc_now()
        self._run("add_version", (name, now, text, json.dumps(notes or {}, ensure_ascii=False), name))
        return self.latest(name, 1)[0]

    def version(self, name: str, number: int) -> Version:
        """Version ``number`` of ``name``; a UsageError naming the versions there are."""
        rows = self._run("version", (name, number))
        if not rows:
            have = self.counts().get(self.get(name).name)
            there = f"it has versions 1 to {have[1]}" if have else \
                f"it has none yet — run `citebrief watch run {name}`"
            raise UsageError(f"{name!r} has no version {number} ({there})")
        return _version(name, rows[0])

    def latest(self, name: str, limit: int = 2) -> list[Version]:
        """The newest ``limit`` versions of ``name``, newest first."""
        return [_version(name, r) for r in self._run("latest", (name, limit))]

    def versions(self, name: str, *, limit: int = 1000) -> list[Version]:
        """Every version of ``name``, oldest first (at most ``limit``, the newest ones)."""
        return list(reversed(self.latest(name, limit)))


def _database_error(exc: Exception) -> bool:
    """Whether ``exc`` comes from the database driver (sqlite3 or psycopg), not from a bug here."""
    import sqlite3

    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg")


def _version(name: str, row: tuple) -> Version:
    number, created_at, brief, notes = row
    return Version(name, int(number), created_at, json.loads(brief), json.loads(notes or "{}"))
