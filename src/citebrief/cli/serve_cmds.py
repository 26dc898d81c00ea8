"""The ``serve`` command: the web app and REST API on uvicorn."""

from __future__ import annotations

from typing import Optional

import typer
from rich.console import Console

from ..api import default_location
from ..errors import UsageError
from .app import app, state
from .output import say

err = Console(stderr=True, highlight=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind. Anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CITEBRIEF_TOKEN",
                                        help="Access token required on every request (Bearer header, or open "
                                             "the page once with ?token=…). Prefer $CITEBRIEF_TOKEN: "
                                             "arguments are visible in the process list."),
    max_upload: float = typer.Option(20.0, "--max-upload", min=0.001, help="Largest upload request, in MB."),
    db: Optional[str] = typer.Option(None, "--db", help="Corpus (same as the global --db)."),
) -> int:
    """Serve the web page and REST API (OpenAPI at /openapi.json) for the corpus.

    Briefs run in the background (two at a time) and are kept in the corpus file.
    Binds to 127.0.0.1 by default; any other address is refused without an access token.
    """
    import uvicorn

    from ..server import ServerSettings, create_app
    from ..server.security import is_loopback

    if not token and not is_loopback(host):
        raise UsageError(f"Refusing to serve on {host} without an access token — pass --token TOKEN "
                         "(or set CITEBRIEF_TOKEN), or bind to 127.0.0.1")
    settings = ServerSettings(db=db or state.db or default_location(), host=host, token=token or None,
                              max_upload=int(max_upload * 1024 * 1024))
    say(err, f"loading the corpus {settings.db} …")
    web = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    say(err, f"citebrief serving {settings.db} on http://{shown}:{port}/"
        + ("  (open it once with ?token=YOUR_TOKEN)" if token else "") + " — Ctrl+C stops")
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False,
                timeout_graceful_shutdown=3)
    return 0
