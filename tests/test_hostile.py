"""Hostile inputs beside good files: each bad one is reported with a precise reason, nothing good is lost."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from hostile import make_hostile_folder  # noqa: E402

from conftest import cli_json, run_cli  # noqa: E402


def test_hostile_folder(tmp_path, db):
    folder = tmp_path / "hostile"
    expect = make_hostile_folder(folder, sparse_mb=200)
    proc = run_cli("add", str(folder), "--embedder", "hashing", db=db, timeout=600)
    assert proc.returncode == 1, proc.stderr
    failed_lines = [line for line in proc.stderr.splitlines() if line.startswith("failed")]
    for name, reason in expect.items():
        lines = [line for line in failed_lines if name.replace("\n", "") in line.replace("\n", "") or
                 os.fsencode(name).decode("utf-8", "replace") in line]
        assert lines, f"{name!r} not reported:\n{proc.stderr}"
        if reason:
            assert any(reason in line for line in lines), (name, reason, lines)
    titles = {d["title"] for d in cli_json("sources", "--json", db=db)}
    expected_good = {f"Good {i}" for i in range(5)} | {f"Page {i}" for i in range(3)} | {
        "UTF16", "Newline name", "Odd bytes name", "Good row", "XSS"}
    assert expected_good <= titles, expected_good - titles
    if os.geteuid() != 0:  # root reads a chmod-000 file anyway
        assert any("locked.txt" in line and "permission denied" in line for line in failed_lines)
    # the store is intact and a second run is a no-op for what was ingested
    again = run_cli("add", str(folder), "--embedder", "hashing", db=db, timeout=600)
    assert "added 0" in again.stderr
