"""The command line's process boundary: what only a real `citebrief` process shows.

Every other CLI test runs the entry point in the test process (conftest.run_cli). These check what
that cannot: the console script's exit status, Ctrl-C, and that an in-process run prints exactly
what a process prints, so the fast runner hides nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import BASE_ENV, SAMPLE_CORPUS, run_cli
from webserver import Reply, Seen, TestServer

pytestmark = pytest.mark.process

CONSOLE_SCRIPT = Path(sys.executable).with_name("citebrief")  # what `pip install` put on PATH
needs_script = pytest.mark.skipif(not CONSOLE_SCRIPT.exists(),
                                  reason=f"no console script at {CONSOLE_SCRIPT}: pip install -e . first")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("boundary") / "corpus.db"
    run_cli("add", str(SAMPLE_CORPUS), "--embedder", "hashing", "-q", db=path, check=True)
    return path


def script(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(CONSOLE_SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **BASE_ENV}, **kwargs)


@needs_script
def test_the_console_script_exits_with_the_status_of_main(corpus, tmp_path):
    assert script("--help").returncode == 0
    assert script("--db", str(corpus), "sources").returncode == 0
    assert script("--db", str(corpus), "show", "ffffffff").returncode == 2  # usage: no such document
    assert script("--db", str(corpus), "add", "--no-such-flag").returncode == 2
    failed = script("--db", str(tmp_path / "new.db"), "add", str(tmp_path / "nope"), "--embedder", "hashing")
    assert failed.returncode == 1  # an input that cannot be read fails; the run itself was fine
    assert "no such file or folder" in failed.stderr and "Traceback" not in failed.stderr


@pytest.mark.parametrize("args", [
    ("sources",), ("sources", "--json"), ("show", "ffffffff"), ("search",), ("add", "--no-such-flag"),
    ("search", "Which allies resist Ukraine joining?", "--mode", "bm25", "-k", "3"),
    ("search", "Hungary veto", "--mode", "bm25", "--json"), ("--help",), ("ask", "--help"), ("no-such-command",),
], ids=lambda args: " ".join(args)[:40])
def test_an_in_process_run_prints_what_a_process_prints(corpus, args):
    here = run_cli(*args, db=corpus)
    there = run_cli(*args, db=corpus, process=True)
    assert (here.returncode, here.stdout, here.stderr) == (there.returncode, there.stdout, there.stderr)


def _ctrl_c_heard() -> None:
    """In the child before it runs: Ctrl-C as a terminal delivers it. A suite started in the background of
    a shell without job control inherits SIGINT ignored, and the child would never hear the test's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@needs_script
def test_ctrl_c_during_add_exits_130_with_a_consistent_corpus(tmp_path):
    arrived, release = threading.Event(), threading.Event()

    def held(seen: Seen) -> Reply:  # the process is inside `add` once this runs
        arrived.set()
        release.wait(60)
        return Reply(body=b"<html><body><p>Late page.</p></body></html>")

    db = tmp_path / "c.db"
    with TestServer() as server:
        server.route("/held", held)
        proc = subprocess.Popen([str(CONSOLE_SCRIPT), "--db", str(db), "add", server.url("/held"),
                                 "--allow-private", "--ignore-robots", "--embedder", "hashing"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, **BASE_ENV}, preexec_fn=_ctrl_c_heard)
        try:
            assert arrived.wait(120), "the add never reached the server"
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=120)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert run_cli("sources", "--json", db=db, check=True).stdout.strip() == "[]"
