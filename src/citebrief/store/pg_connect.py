"""Reaching PostgreSQL: settings, errors that say what to do, pgvector types, pool and migrations.

Opening a store makes one plain connection first, so that an unreachable server, a wrong password,
a missing database or a missing pgvector extension surface as a ``StoreError`` naming the fix; only
then does it migrate the schema and open the pool that every store method borrows from.

Settings (environment): ``CITEBRIEF_PG_POOL_SIZE`` (connections, default 4),
``CITEBRIEF_PG_STATEMENT_TIMEOUT`` (per statement, PostgreSQL syntax, default ``60s``; ``0`` = none),
``CITEBRIEF_PG_CONNECT_TIMEOUT`` (seconds, default 10). libpq's own variables (PGPASSWORD, PGSSLMODE,
~/.pgpass …) work as usual.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

import numpy as np

from ..errors import ConfigError, StoreError
from .pg_migrations import MIGRATIONS

try:  # an optional dependency: citebrief[postgres]
    import psycopg
    from psycopg import pq
    from psycopg.adapt import Dumper, Loader
    from psycopg.conninfo import conninfo_to_dict
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # pragma: no cover - exercised only without the extra installed
    raise StoreError("PostgreSQL stores need psycopg and psycopg-pool: pip install 'citebrief[postgres]'") from exc

MIGRATION_LOCK = 0x63697465  # "cite": one advisory lock serialises schema changes across processes
HNSW_MIN_VERSION = (0, 5, 0)  # pgvector gained HNSW indexes in 0.5.0
_STATEMENT_TIMEOUT_RE = re.compile(r"^\d+\s*(us|ms|s|min|h|d)?$")


@dataclass(frozen=True, slots=True)
class PgSettings:
    """How to reach the server and how patient to be with it."""

    url: str
    pool_size: int = 4
    statement_timeout: str = "60s"
    connect_timeout: int = 10

    @staticmethod
    def from_env(url: str, environ: Mapping[str, str]) -> "PgSettings":
        """Settings for ``url`` with the CITEBRIEF_PG_* environment variables applied (validated)."""
        def number(name: str, default: int, low: int) -> int:
            raw = environ.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < low:
                raise ConfigError(f"${name}={raw!r} is not a whole number ≥ {low}; unset it or fix it")
            return int(raw)

        timeout = environ.get("CITEBRIEF_PG_STATEMENT_TIMEOUT", "").strip() or "60s"
        if not _STATEMENT_TIMEOUT_RE.match(timeout):
            raise ConfigError(f"$CITEBRIEF_PG_STATEMENT_TIMEOUT={timeout!r} is not a duration such as 60s, "
                              "500ms or 0 (no limit)")
        return PgSettings(url=url, pool_size=number("CITEBRIEF_PG_POOL_SIZE", 4, 1),
                          statement_timeout=timeout,
                          connect_timeout=number("CITEBRIEF_PG_CONNECT_TIMEOUT", 10, 1))


def redact(url: str) -> str:
    """``url`` with its password replaced by ***, for messages and ``Store.location``."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@?]*:)[^@/?]*@", r"\1***@", url)


def describe(url: str) -> str:
    """Where ``url`` points, for messages: "database citebrief on db.example:5432 as alice"."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"{redact(url)} is not a valid PostgreSQL URL ({exc}); use "
                         "postgresql://USER:PASSWORD@HOST:PORT/DATABASE") from exc
    host = parts.get("host") or "localhost"
    where = f"{host}:{parts['port']}" if parts.get("port") else host
    return f"database {parts.get('dbname') or '(default)'} on {where} as {parts.get('user') or '(default user)'}"


def connection_error(exc: Exception, url: str) -> StoreError:
    """Turn a failed connection into a ``StoreError`` that says what to do."""
    msg = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    text = str(exc)
    where = describe(url)
    user = conninfo_to_dict(url).get("user") or "(default user)"
    if "password authentication failed" in text or "no password supplied" in text:
        return StoreError(f"PostgreSQL rejected the login for {where}: wrong or missing password for "
                          f"user {user}. Put the right one in the URL (postgresql://{user}:PASSWORD@…), "
                          "in $PGPASSWORD or in ~/.pgpass")
    if re.search(r'database "[^"]*" does not exist', text):
        return StoreError(f"The {where} does not exist yet: create it (createdb, or CREATE DATABASE "
                          "…; as an admin) or fix the database name in --db / $CITEBRIEF_DB")
    if re.search(r'role "[^"]*" does not exist', text):
        return StoreError(f"PostgreSQL has no user {user} ({where}): create it (CREATE ROLE … LOGIN "
                          "PASSWORD …) or fix the user name in --db / $CITEBRIEF_DB")
    if "too many connections" in text or "remaining connection slots" in text:
        return StoreError(f"PostgreSQL refused a connection to {where}: it has no free connection slots. "
                          "Lower $CITEBRIEF_PG_POOL_SIZE, stop idle clients or raise max_connections")
    return StoreError(f"Cannot reach PostgreSQL ({where}): {msg}. Is the server running and is the host/"
                      "port (or socket folder) in --db / $CITEBRIEF_DB right? Start it, or fix the URL")


def connect(settings: PgSettings) -> "psycopg.Connection":
    """One autocommit connection, or a ``StoreError`` that says what to do."""
    describe(settings.url)  # a malformed URL gets its own message
    try:
        return psycopg.connect(settings.url, autocommit=True, connect_timeout=settings.connect_timeout,
                               application_name="citebrief")
    except psycopg.Error as exc:
        raise connection_error(exc, settings.url) from exc


# -- pgvector -------------------------------------------------------------------------------------
def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def ensure_vector(conn: "psycopg.Connection", url: str, extension: str = "vector") -> str:
    """Create the pgvector extension if needed; returns its version or raises a fix-it error.

    ``extension`` is a parameter only so the "not installed" path can be tested on a server that has
    pgvector; citebrief always asks for ``vector``.
    """
    row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = %s", (extension,)).fetchone()
    if row is None:
        available = conn.execute("SELECT default_version FROM pg_available_extensions WHERE name = %s",
                                 (extension,)).fetchone()
        if available is None:
            raise StoreError(
                f"The PostgreSQL server of {describe(url)} does not have the pgvector extension "
                f"({extension!r}) installed. Install it on the server (Debian/Ubuntu: apt install "
                "postgresql-16-pgvector; Docker: image pgvector/pgvector:pg16; or build it from "
                "github.com/pgvector/pgvector), then run the command again")
        try:
            conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{extension}"')
        except psycopg.errors.InsufficientPrivilege as exc:
            raise StoreError(
                f"pgvector is installed on the server but not enabled in {describe(url)}, and this "
                f"user may not enable it. Ask an administrator to run: CREATE EXTENSION vector; "
                "in that database, then run the command again") from exc
        row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = %s", (extension,)).fetchone()
    if _version(row[0]) < HNSW_MIN_VERSION:
        raise StoreError(f"pgvector {row[0]} in {describe(url)} is too old for HNSW indexes (needs ≥ 0.5.0): "
                         "upgrade the package on the server, then run ALTER EXTENSION vector UPDATE;")
    return row[0]


class VectorDumper(Dumper):
    """numpy float vector → pgvector's binary form: int16 dim, int16 unused, dim big-endian float4."""

    format = pq.Format.BINARY

    def dump(self, obj: Any) -> bytes:
        arr = np.asarray(obj, dtype=">f4").reshape(-1)
        return struct.pack(">HH", arr.shape[0], 0) + arr.tobytes()


class VectorBinaryLoader(Loader):
    """pgvector's binary form → float32 numpy vector."""

    format = pq.Format.BINARY

    def load(self, data: Any) -> np.ndarray:
        dim = struct.unpack_from(">H", data)[0]
        return np.frombuffer(bytes(data), dtype=">f4", count=dim, offset=4).astype(np.float32)


class VectorTextLoader(Loader):
    """pgvector's text form "[1,2,3]" → float32 numpy vector."""

    def load(self, data: Any) -> np.ndarray:
        return np.array(bytes(data).decode()[1:-1].split(","), dtype=np.float32)


class Vec(np.ndarray):
    """Marks an array as a pgvector value for psycopg (plain arrays stay SQL arrays)."""

    @staticmethod
    def of(values: Any) -> "Vec":
        return np.asarray(values, dtype=np.float32).reshape(-1).view(Vec)


def register_vector(conn: "psycopg.Connection", oid: int) -> None:
    """Teach ``conn`` to send ``Vec`` as vector and to read vector columns as numpy arrays."""
    dumper = type("VecDumper", (VectorDumper,), {"oid": oid})
    conn.adapters.register_dumper(Vec, dumper)
    conn.adapters.register_loader(oid, VectorBinaryLoader)
    conn.adapters.register_loader(oid, VectorTextLoader)


def vector_oid(conn: "psycopg.Connection") -> int:
    """The OID of the ``vector`` type in this database."""
    return conn.execute("SELECT 'vector'::regtype::oid").fetchone()[0]


# -- migrations -----------------------------------------------------------------------------------
def utc_now() -> str:
    """The current UTC time as ISO 8601 with seconds (the same text the SQLite store writes)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def applied(conn: "psycopg.Connection") -> list[str]:
    """Names of the migrations recorded in this database, in order ([] before the first)."""
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def migrate(conn: "psycopg.Connection", url: str) -> None:
    """Enable pgvector and apply pending migrations, each in a transaction under one advisory lock.

    Several processes opening a new database at once queue on the lock; whoever comes second finds
    the migrations recorded and applies nothing.
    """
    if applied(conn) == [name for name, _ in MIGRATIONS]:
        ensure_vector(conn, url)  # cheap check: the extension may have been dropped since
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        ensure_vector(conn, url)
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                     "(name text PRIMARY KEY, applied_at text NOT NULL)")
    for name, script in MIGRATIONS:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = %s", (name,)).fetchone():
                continue
            conn.execute(script)
            conn.execute("INSERT INTO schema_migrations VALUES (%s, %s)", (name, utc_now()))


def open_pool(settings: PgSettings, oid: int, ef_search: int) -> "ConnectionPool":
    """A pool of autocommit connections: statement timeout and hnsw.ef_search set, pgvector registered."""
    def configure(conn: "psycopg.Connection") -> None:
        register_vector(conn, oid)
        conn.execute("SELECT set_config('statement_timeout', %s, false), set_config('hnsw.ef_search', %s, false)",
                     (settings.statement_timeout, str(ef_search)))

    # No check on borrowing: it costs a round trip per store call (3–5 ms each on a loaded machine,
    # measured). A connection the server dropped fails one call with "Lost the connection …" and
    # the pool replaces it.
    pool = ConnectionPool(settings.url, min_size=1, max_size=settings.pool_size, open=False,
                          configure=configure,
                          kwargs={"autocommit": True, "connect_timeout": settings.connect_timeout,
                                  "application_name": "citebrief"},
                          name="citebrief", timeout=max(30.0, settings.connect_timeout * 3))
    pool.open(wait=True, timeout=settings.connect_timeout * 3)
    return pool
