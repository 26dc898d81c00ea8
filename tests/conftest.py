"""Shared fixtures: real SQLite files in tmp_path and the real CLI entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"
CLI = [sys.executable, "-m", "citebrief"]


def run_cli(*args: str, db: Path | None = None, check: bool = False, env: dict | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `citebrief` entry point in a subprocess."""
    cmd = [*CLI, *(["--db", str(db)] if db else []), *args]
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def cli_json(*args: str, db: Path) -> object:
    """Run a CLI command that prints JSON and parse it."""
    return json.loads(run_cli(*args, db=db, check=True).stdout)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh corpus file path."""
    return tmp_path / "corpus.db"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The sample corpus ingested once per test session with the real MiniLM model.

    Tests that write to it take a private copy (shutil.copy) so they cannot affect each other.
    """
    from citebrief import Corpus

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    corpus = Corpus(str(path))
    report = corpus.add([SAMPLE_CORPUS])
    assert not report.failed, report.failed
    corpus.close()
    return path
