"""The ``mcp`` command: the corpus as an MCP server for agents and editors (stdio or streamable HTTP)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import UsageError
from .app import app, open_corpus


class Transport(str, Enum):
    """How MCP clients reach the server."""

    STDIO = "stdio"
    HTTP = "http"


@app.command()
def mcp(
    transport: Transport = typer.Option(Transport.STDIO, "--transport", help="stdio (a client starts the "
                                        "server) or http (streamable HTTP at /mcp)."),
    root: list[Path] = typer.Option([], "--root", help="A folder the add tool may read files from "
                                    "(repeatable; default: the current folder)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (http)."),
    port: int = typer.Option(8001, "--port", min=1, max=65535, help="Port to listen on (http)."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CITEBRIEF_TOKEN",
                                        help="Bearer token required on every HTTP request (default: a random "
                                             "one, printed). Prefer $CITEBRIEF_TOKEN."),
    no_token: bool = typer.Option(False, "--no-token", help="No token (http, loopback addresses only)."),
) -> int:
    """Serve the corpus over the Model Context Protocol: tools search, ask, check, add, sources, show
    and the stored briefs as resources (citebrief://briefs/ID). Tool results carry citations and quotes.

    Claude Desktop and other clients start `citebrief --db PATH mcp` themselves (stdio).
    """
    from ..mcp_server import build_server, http_app, http_token
    from ..mcp_tools import CorpusTools

    for folder in root:
        if not folder.is_dir():
            raise UsageError(f"--root {folder} is not a folder — give an existing folder")
    if transport == Transport.STDIO:
        if token or no_token:
            raise UsageError("--token and --no-token apply to --transport http; a stdio server is private to "
                             "the client that starts it")
        build_server(CorpusTools(open_corpus(), tuple(root))).run("stdio")
        return 0
    import uvicorn

    key = http_token(token, no_token=no_token, host=host)
    web = http_app(CorpusTools(open_corpus(), tuple(root)), token=key, host=host)
    shown = f"[{host}]" if ":" in host else host
    print(f"citebrief MCP server on http://{shown}:{port}/mcp" + (f" — send Authorization: Bearer {key}"
          if key and not token else " — send the bearer token" if key else "") + " — Ctrl+C stops",
          file=sys.stderr)
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False, timeout_graceful_shutdown=3)
    return 0
