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
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CITEBRIEF_TOKEN",
                                        help="Access token (at least 16 characters) required on every request "
                                             "(Bearer header, or the login URL ?token=…). Default: a random "
                                             "one, printed as a login URL. Prefer $CITEBRIEF_TOKEN: arguments "
                                             "are visible in the process list."),
    no_token: bool = typer.Option(False, "--no-token",
                                  help="No access token (loopback only): every local user and process can "
                                       "use the server. For a single-user machine."),
    max_upload: float = typer.Option(20.0, "--max-upload", min=0.001, help="Largest upload request, in MB."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Let the page add web sources at private and loopback addresses "
                                            "(an intranet); off by default, as for `add URL`."),
    db: Optional[str] = typer.Option(None, "--db", help="Corpus (same as the global --db)."),
) -> int:
    """Serve the web page and REST API (OpenAPI at /openapi.json) for the corpus.

    Briefs run in the background (two at a time) and are kept in the corpus file. Like a notebook
    server it needs an access token: a random one is made and printed as a login URL unless you
    give one; --no-token turns that off (127.0.0.1 only).
    """
    import secrets

    import uvicorn

    from ..server import ServerSettings, create_app
    from ..server.security import check_token, is_loopback

    if no_token and token:
        raise UsageError("--no-token and --token (or CITEBRIEF_TOKEN) contradict each other; give one")
    if no_token and not is_loopback(host):
        raise UsageError(f"Refusing to serve on {host} with --no-token: anyone who can reach it could read the "
                         "corpus — drop --no-token (a token is made for you) or bind to 127.0.0.1")
    given = bool(token)
    if token:
        check_token(token)
    chosen = None if no_token else (token or secrets.token_urlsafe(32))
    settings = ServerSettings(db=db or state.db or default_location(), host=host, token=chosen,
                              max_upload=int(max_upload * 1024 * 1024), allow_private=allow_private)
    say(err, f"loading the corpus {settings.db} …")
    web = create_app(settings)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    base = f"http://{shown}:{port}/"
    if chosen is None:
        say(err, f"citebrief serving {settings.db} on {base} without a token — Ctrl+C stops")
    elif given:
        say(err, f"citebrief serving {settings.db} on {base} — open {base}?token=YOUR_TOKEN once to log in; "
                 "Ctrl+C stops")
    else:
        say(err, f"citebrief serving {settings.db} — open this URL to log in (Ctrl+C stops):")
        print(f"    {base}?token={chosen}", flush=True)  # stdout, so a script can read it
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False,
                timeout_graceful_shutdown=3)
    return 0
