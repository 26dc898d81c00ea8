"""The ``plugins`` command: the backends other packages add through entry points."""

from __future__ import annotations

import typer

from .app import app, emit_json
from .output import echo


@app.command()
def plugins(as_json: bool = typer.Option(False, "--json", help="A JSON list of {kind, name, target, package, "
                                                               "version}.")) -> int:
    """List installed plugins: embedders, checkers, writers, stores and search providers that other
    packages register through the citebrief.* entry-point groups (README: Plugins)."""
    from ..plugins import Kind, installed

    found = installed()
    if as_json:
        emit_json([p.to_json() for p in found])
        return 0
    if not found:
        echo("No plugins installed. A package adds one with an entry point in one of the groups: "
             + ", ".join(k.group for k in Kind))
        return 0
    for p in found:
        package = f"{p.package} {p.version}" if p.package else "(unknown package)"
        echo(f"{p.kind.value:<17} {p.name:<20} {p.target:<40} {package}")
    return 0
