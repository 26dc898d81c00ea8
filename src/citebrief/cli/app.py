"""The typer application and the options every command shares."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from ..api import Corpus

app = typer.Typer(
    help="citebrief — balanced research briefs from your sources; every sentence cites the passage "
         "that supports it.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """Options given before the command (``citebrief --db PATH COMMAND``)."""

    db: str | None = None


state = State()


@app.callback()
def _global(db: str = typer.Option(None, "--db", envvar="CITEBRIEF_DB",
                                   help="Corpus: a SQLite file path (default ./citebrief.db) or a "
                                        "postgresql:// URL. Also $CITEBRIEF_DB.")) -> None:
    state.db = db


def open_corpus(embedder: str | None = None) -> Corpus:
    """The corpus named by --db / $CITEBRIEF_DB / ./citebrief.db."""
    from ..api import Corpus, default_location  # here, not above: `--help` needs no store or model code

    return Corpus(state.db or default_location(), embedder_name=embedder)


def emit_json(value: Any) -> None:
    """Write ``value`` as JSON on stdout."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")
