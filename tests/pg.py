"""A real PostgreSQL 16 with pgvector for the tests: one server per session, a fresh database per test.

pgserver (a PyPI package bundling PostgreSQL binaries and pgvector) starts the server in a temporary
folder, listening on a Unix socket only. Import the fixtures into a test module:

    from pg import pg_server, pg_url  # noqa: F401  (fixtures)

When the server cannot start here, tests that need it are skipped with the reason; nothing else is.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

_counter = itertools.count()


@dataclass(frozen=True)
class PgServer:
    """A running test server: its superuser URL and data folder."""

    admin_url: str  # postgresql://postgres:@/postgres?host=/tmp/…
    data_dir: Path
    server: object  # the pgserver handle (kept alive for the session)

    def url(self, database: str, user: str = "postgres", password: str = "") -> str:
        """A URL for ``database`` on this server."""
        base, _, query = self.admin_url.partition("?")
        auth = f"{user}:{password}@" if password else f"{user}:@"
        return f"postgresql://{auth}/{database}?{query}"

    def admin(self, statement: str, params: tuple = (), database: str = "postgres") -> list[tuple]:
        """Run one statement as the superuser (autocommit) and return its rows."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else []

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its name."""
        name = f"{prefix}_{os.getpid()}_{next(_counter)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name


def start_server() -> PgServer:
    """Start (or explain why we cannot start) a throwaway PostgreSQL server."""
    try:
        import pgserver
        import psycopg  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"PostgreSQL tests need pgserver and psycopg (pip install -e '.[test]'): {exc}")
    data_dir = Path(tempfile.mkdtemp(prefix="citebrief-pg-"))
    try:
        server = pgserver.get_server(data_dir, cleanup_mode="delete")
    except Exception as exc:  # pgserver raises many kinds (permissions, initdb, pg_ctl timeouts)
        pytest.skip(f"PostgreSQL (pgserver) could not start in {data_dir}: {type(exc).__name__}: {exc}")
    return PgServer(server.get_uri(), data_dir, server)


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the whole test session."""
    server = start_server()
    yield server
    # pgserver stops the server at exit with a "smart" shutdown, which waits for every client;
    # end the sessions still open (a store a failed test never closed) so that it cannot hang.
    server.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'")


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh, empty database (the store creates its schema on open)."""
    return pg_server.url(pg_server.create_database())
