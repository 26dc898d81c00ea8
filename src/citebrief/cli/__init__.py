"""The ``citebrief`` command: a thin shell over ``citebrief.api`` (parse, call, render).

Exit status: 0 success, 1 some inputs failed or a check did not pass, 2 usage errors.
"""

from __future__ import annotations

import sys

import typer

from ..errors import CitebriefError, UsageError
from .app import app
from . import brief_cmds, check_cmds, corpus_cmds, research_cmds, serve_cmds, store_cmds, web_cmds  # noqa: F401,E501  registers commands

# typer may vendor click; find its ClickException through a public subclass instead of importing it.
_CLICK_EXCEPTION = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="citebrief")
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CitebriefError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted — what was written is consistent; run the same command again to finish",
              file=sys.stderr)
        return 130
    except _CLICK_EXCEPTION as exc:  # bad options, missing arguments
        exc.show()
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 1
    return result if isinstance(result, int) else 0


__all__ = ["app", "main"]
