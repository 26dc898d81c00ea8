"""Shared fixtures: real SQLite files in tmp_path and the real CLI entry point.

``run_cli`` calls the entry point (``citebrief.cli.main``) in this process, as click's and llm's test
runners do: a command costs no interpreter start and no model load (the model loads once per session
through ``embed.get_embedder``). It returns what a process would: the exit status, and stdout and
stderr as text. Whatever a run could leave behind in this process — environment, working directory,
``sys.argv``, the standard streams, root logging handlers, signal handlers — is set up as a fresh
process would see it and put back afterwards.

A few tests check the process boundary itself (exit status of the console script, signals, kill -9,
two processes on one corpus, what a command imports): they run a real process, through
``run_cli(..., process=True)`` or ``subprocess`` directly, and are marked ``process``. An ``env`` that
sets a variable the interpreter reads only at start-up (PYTHONHASHSEED, …) also gets a real process,
since setting it here would change nothing. ``CITEBRIEF_TEST_CLI=process`` sends every run to a
process, as before (bench/bench_suite.py times both).
"""

from __future__ import annotations

import _thread
import io
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from citebrief.cli import load_commands

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"
CLI = [sys.executable, "-m", "citebrief"]
BASE_ENV = {"HF_HUB_OFFLINE": "1"}
# Read by the interpreter when it starts, so only a new process can honour them.
STARTUP_ONLY_ENV = frozenset({"PYTHONHASHSEED", "PYTHONPATH", "PYTHONHOME", "PYTHONIOENCODING",
                              "PYTHONUTF8", "PYTHONWARNINGS", "PYTHONOPTIMIZE", "PYTHONDONTWRITEBYTECODE",
                              "PYTHONSAFEPATH", "PYTHONMALLOC", "PYTHONFAULTHANDLER", "PYTHONDEVMODE"})
# A process registers only the command it runs, or all of them in this order (for --help or a typo);
# registering all now, before any test imports one, keeps typer's listing in that order here too.
load_commands()
_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE) if s)


def run_cli(*args: str, db: Path | str | None = None, check: bool = False, env: dict | None = None,
            timeout: float = 300, process: bool = False) -> subprocess.CompletedProcess:
    """Run the real ``citebrief`` entry point; in this process unless ``process`` (or ``env`` needs one)."""
    argv = [*(["--db", str(db)] if db else []), *args]
    extra = {**BASE_ENV, **(env or {})}
    if process or os.environ.get("CITEBRIEF_TEST_CLI") == "process" or any(os.environ.get(k) != v for k, v in extra.items() if k in STARTUP_ONLY_ENV):
        proc = subprocess.run([*CLI, *argv], capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **extra})
    else:
        proc = _run_in_process(argv, extra, timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"citebrief {argv} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def cli_json(*args: str, db: Path | str) -> object:
    """Run a CLI command that prints JSON and parse it."""
    return json.loads(run_cli(*args, db=db, check=True).stdout)


def _run_in_process(argv: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    """``citebrief.cli.main(argv)`` with a fresh process's view of the world; (status, stdout, stderr)."""
    from citebrief.cli import main

    out, err = _Capture(errors="strict"), _Capture(errors="backslashreplace")  # as Python's own streams
    timer = _Watchdog(timeout)
    with _process_state(argv, env, out.stream, err.stream):
        try:
            with timer:
                code = main(argv)
        except SystemExit as exc:  # what the interpreter does with sys.exit(x) at the top
            code = _exit_status(exc.code, err.stream)
        except KeyboardInterrupt:
            if not timer.fired:
                raise
            code = 130
        except BaseException:  # noqa: BLE001  a process would print the traceback and exit 1
            traceback.print_exc(file=err.stream)
            code = 1
    result = subprocess.CompletedProcess(["citebrief", *argv], code, out.text(), err.text())
    if timer.fired:
        raise subprocess.TimeoutExpired(result.args, timeout, output=result.stdout, stderr=result.stderr)
    return result


def _exit_status(code: object, stderr: io.TextIOBase) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=stderr)
    return 1


class _Capture:
    """A text stream over bytes, read back as ``subprocess.run(text=True)`` would decode a pipe."""

    def __init__(self, *, errors: str) -> None:
        self._bytes = io.BytesIO()
        self.stream = io.TextIOWrapper(self._bytes, encoding="utf-8", errors=errors, newline="\n",
                                       write_through=True)

    def text(self) -> str:
        self.stream.flush()
        return self._bytes.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


class _Watchdog:
    """Interrupts the main thread after ``seconds`` (the in-process face of subprocess's timeout)."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        _thread.interrupt_main()

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


@contextmanager
def _process_state(argv: list[str], env: dict[str, str], stdout: io.TextIOBase,
                   stderr: io.TextIOBase) -> Iterator[None]:
    """Environment, cwd, argv, streams, root logging and signal handlers as a new process has them,
    and put back afterwards whatever the run changed."""
    saved_env, cwd = dict(os.environ), os.getcwd()
    saved_sys = (sys.argv, sys.stdin, sys.stdout, sys.stderr)
    root = logging.getLogger()
    saved_log = (root.handlers[:], root.level, logging.root.manager.disable)
    saved_signals = {s: signal.getsignal(s) for s in _SIGNALS}
    os.environ.update(env)
    sys.argv = ["citebrief", *argv]
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), stdout, stderr
    root.handlers, root.level = [], logging.WARNING  # no handler: warnings reach stderr (lastResort)
    logging.disable(logging.NOTSET)
    try:
        yield
    finally:
        stdout.flush()
        stderr.flush()
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved_sys
        root.handlers, root.level = saved_log[0], saved_log[1]
        logging.disable(saved_log[2])
        for sig, handler in saved_signals.items():
            if signal.getsignal(sig) is not handler and handler is not None:
                signal.signal(sig, handler)
        os.chdir(cwd)
        for key in set(os.environ) - set(saved_env):
            del os.environ[key]
        for key, value in saved_env.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh corpus file path."""
    return tmp_path / "corpus.db"


@pytest.fixture(scope="session")
def hashing_template(tmp_path_factory) -> Path:
    """The sample corpus with the hashing embedder (no model), built once per session; copy it to write."""
    from citebrief import Corpus

    path = tmp_path_factory.mktemp("hashing") / "corpus.db"
    corpus = Corpus(str(path), embedder_name="hashing")
    assert not corpus.add([SAMPLE_CORPUS]).failed
    corpus.close()
    return path


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
