"""The ``citebrief`` command: a thin shell over ``citebrief.api`` (parse, call, render).

Exit status: 0 success, 1 some inputs failed or a check did not pass, 2 usage errors.
"""

from __future__ import annotations

import sys

import typer

from ..errors import CitebriefError, UsageError
from .app import app

# The module that registers each command. Only the module of the command being run is imported:
# importing them all (LLM writer, pipeline, analysis, research providers) cost ~1 s of start-up
# that `citebrief sources` never used. Any other word (--help, a typo, a new command) loads them
# all, so typer still lists every command; tests/test_startup.py keeps this map complete.
COMMAND_MODULES = {"ask": "brief_cmds", "verify": "brief_cmds", "check": "check_cmds",
                   "add": "corpus_cmds", "reindex": "corpus_cmds", "sources": "corpus_cmds",
                   "show": "corpus_cmds", "search": "corpus_cmds", "research": "research_cmds",
                   "runs": "research_cmds", "serve": "serve_cmds", "migrate": "store_cmds",
                   "refresh": "web_cmds", "watch": "watch_cmds"}
COMMAND_MODULES["mcp"] = "mcp_cmds"  # the MCP server (stdio / streamable HTTP)
COMMAND_MODULES["plugins"] = "plugin_cmds"  # backends added through entry points
COMMAND_MODULES["rm"] = "rm_cmds"  # delete a source
ALL_COMMAND_MODULES = sorted(set(COMMAND_MODULES.values()))


def load_commands(argv: list[str] | None = None) -> None:
    """Register the command ``argv`` names (after ``--db PATH``), or every command."""
    import importlib

    words = list(argv or [])
    while words and words[0].startswith("-"):
        flag = words.pop(0)
        if flag == "--db" and words:  # the one global option that takes a value
            words.pop(0)
    chosen = COMMAND_MODULES.get(words[0]) if words else None
    for module in [chosen] if chosen else ALL_COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{module}")

# typer may vendor click; find its ClickException through a public subclass instead of importing it.
_CLICK_EXCEPTION = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    from .output import plain

    try:
        load_commands(sys.argv[1:] if argv is None else argv)
        result = app(args=argv, standalone_mode=False, prog_name="citebrief")
    except UsageError as exc:
        print(f"error: {plain(exc)}", file=sys.stderr)
        return 2
    except CitebriefError as exc:
        print(f"error: {plain(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return _interrupted()
    except _CLICK_EXCEPTION as exc:  # bad options, missing arguments
        exc.show()
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 1
    except Exception as exc:  # noqa: BLE001  the last resort: no traceback ever reaches a user
        return _unexpected(exc)
    if result == 130:  # typer answers Ctrl-C inside a command by returning 130 without a word
        return _interrupted()
    return result if isinstance(result, int) else 0


def _interrupted() -> int:
    """Ctrl-C: say that the corpus is consistent and how to finish; exit status 130 (128 + SIGINT)."""
    print("interrupted — what was written is consistent; run the same command again to finish",
          file=sys.stderr)
    return 130


def _unexpected(exc: BaseException) -> int:
    """One line about an error nothing else caught (a bug, a full disk); exit status 1.

    ``CITEBRIEF_DEBUG=1`` prints the traceback too, for a bug report.
    """
    import os
    import traceback

    from .output import plain

    if os.environ.get("CITEBRIEF_DEBUG") == "1":
        traceback.print_exc()
    reason = "out of memory" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {exc}"
    print(f"error: {plain(reason, one_line=True)} — unexpected; run again with CITEBRIEF_DEBUG=1 to see "
          "where, and report it if it is not about your disk or system", file=sys.stderr)
    return 1


__all__ = ["app", "load_commands", "main"]
