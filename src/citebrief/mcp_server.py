"""``citebrief mcp``: the corpus as a Model Context Protocol server (official ``mcp`` SDK, 2.x).

Tools: ``search``, ``ask``, ``check``, ``add``, ``sources``, ``show`` (``mcp_tools.CorpusTools``).
Resources: ``citebrief://briefs`` (the stored briefs, newest first), ``citebrief://briefs/{id}``
(one brief as Markdown) and ``citebrief://briefs/{id}/json`` (its JSON). Briefs written by the
``ask`` tool are kept in the corpus like the web app's, so either can open the other's.

Transports: stdio (what desktop clients start) and streamable HTTP. Over HTTP every request needs
``Authorization: Bearer TOKEN``, as ``citebrief serve`` needs its token: a random one is made and
printed unless ``--token`` / ``$CITEBRIEF_TOKEN`` gives one; ``--no-token`` is refused off
loopback, and without a token the ``Host`` header must name a loopback host (DNS rebinding).
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Callable

import anyio
from mcp.server.mcpserver import Context, MCPServer

from .errors import CitebriefError, UsageError
from .mcp_tools import BRIEF_URI, CorpusTools

INSTRUCTIONS = (
    "citebrief answers research questions from a corpus of sources with briefs in which every sentence "
    "cites the passage that supports it. Use `search` for passages, `ask` for a verified brief (show its "
    "[n] citations and the quotes given for them), `check` to audit a report's [n] citations, `sources` "
    "and `show` to read documents, and `add` to ingest files or http(s) URLs.")


def _tool(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Report citebrief's own errors to the client as tool errors with their message (how to fix it)."""
    import functools

    from mcp.server.mcpserver.exceptions import ToolError

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(*args, **kwargs)
        except CitebriefError as exc:
            raise ToolError(str(exc)) from None
    return call


def _progress_to(ctx: Context) -> Callable[[str, str], None]:
    """A pipeline progress callback (run in a worker thread) that sends MCP progress notifications.

    A long brief keeps the client informed (and its request alive); a client that asked for no
    progress gets none (the SDK drops them), and a failed notification never stops the brief.
    """
    steps = itertools.count(1)

    def progress(stage: str, detail: str) -> None:
        try:
            anyio.from_thread.run(ctx.report_progress, next(steps), None, f"{stage}: {detail}")
        except Exception:  # noqa: BLE001  a notification is a courtesy
            pass
    return progress


def build_server(tools: CorpusTools) -> MCPServer:
    """An ``MCPServer`` whose tools and resources run on ``tools``."""
    server = MCPServer(name="citebrief", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(description="Search the corpus: the top k passages (hybrid BM25 + dense by default; "
                             "mode bm25 or dense), each with its document's title, outlet, date, URL and text.")
    @_tool
    def search(query: str, k: int = 8, mode: str = "hybrid") -> dict[str, Any]:
        return tools.search(query, k, mode)

    @server.tool(description="Write a verified brief answering QUESTION from the corpus. Returns its "
                             "Markdown (inline [n] citations), every sentence with its citations and the "
                             "quoted passage behind each, the actor positions, disputes, limits and the "
                             "numbered sources. The brief is kept; read it again as resource uri.")
    async def ask(question: str, ctx: Context, keep_unsupported: bool = False) -> dict[str, Any]:
        write = _tool(lambda: tools.ask(question, keep_unsupported, progress=_progress_to(ctx)))
        result = await anyio.to_thread.run_sync(write)
        _publish(server, tools, {"brief_id": result["brief_id"], "uri": result["uri"], "question": question})
        try:
            await ctx.request_context.session.send_resource_list_changed()
        except Exception:  # noqa: BLE001  a client that did not ask to hear of changes
            pass
        return result

    @server.tool(description="Audit a report (Markdown or text with inline [n] citations and a numbered "
                             "source list naming corpus documents by URL or title): the verdict for each "
                             "sentence against its cited documents, the best supporting quote, ALCE "
                             "citation recall and precision.")
    @_tool
    def check(report: str) -> dict[str, Any]:
        return tools.check(report)

    @server.tool(description="Add sources to the corpus: http(s) URLs (private and local addresses refused, "
                             "robots.txt respected) and files or folders inside the folders this server "
                             "was allowed to read.")
    @_tool
    def add(inputs: list[str]) -> dict[str, Any]:
        return tools.add(inputs)

    @server.tool(description="List the corpus documents: doc_id, title, outlet, date, URL or path.")
    @_tool
    def sources() -> dict[str, Any]:
        return tools.sources()

    @server.tool(description="Show a document's cleaned text (doc_id or a unique prefix) from offset start; "
                             "citation and hit offsets index into this text.")
    @_tool
    def show(doc_id: str, start: int = 0, max_chars: int = 20000) -> dict[str, Any]:
        return tools.show(doc_id, start, max_chars)

    @server.resource("citebrief://briefs", name="briefs", mime_type="application/json",
                     description="Briefs kept in the corpus, newest first (id, question, created, uri).")
    def brief_index() -> str:
        return json.dumps(tools.stored_briefs(), ensure_ascii=False)

    @server.resource(BRIEF_URI, name="brief", mime_type="text/markdown",
                     description="A stored brief as Markdown with [n] citations and its source list.")
    def brief_markdown(brief_id: str) -> str:
        return _markdown(tools, brief_id)

    @server.resource(BRIEF_URI + "/json", name="brief-json", mime_type="application/json",
                     description="A stored brief's JSON: sentences, citations with quoted spans, actors, sources.")
    def brief_json(brief_id: str) -> str:
        return json.dumps(_stored(tools, brief_id), ensure_ascii=False)

    for entry in tools.stored_briefs():  # each kept brief is listed, so a client can pick one
        _publish(server, tools, entry)
    return server


def _markdown(tools: CorpusTools, brief_id: str) -> str:
    from .brief.render import to_markdown
    from .server.export import brief_from_json

    return to_markdown(brief_from_json(_stored(tools, brief_id)))


def _publish(server: MCPServer, tools: CorpusTools, entry: dict[str, Any]) -> None:
    """List one stored brief in resources/list (reading it goes through the same store lookup)."""
    from mcp.server.mcpserver.resources import FunctionResource

    brief_id = entry["brief_id"]
    server.add_resource(FunctionResource.from_function(
        lambda: _markdown(tools, brief_id), uri=entry["uri"], name=f"brief-{brief_id}",
        title=" ".join(entry["question"].split())[:100], description=f"Brief: {entry['question']}",
        mime_type="text/markdown"))


def _stored(tools: CorpusTools, brief_id: str) -> dict[str, Any]:
    from mcp.server.mcpserver.exceptions import ResourceError

    try:
        return tools.stored_brief(brief_id)
    except CitebriefError as exc:
        raise ResourceError(str(exc)) from None


class BearerGuard:
    """ASGI wrapper of the HTTP transport: a bearer token on every request, or loopback-only trust.

    Wrong tokens are slowed per client address with ``serve``'s own ``Throttle`` (after 3 misses,
    waits of 1, 2, 4 … seconds; an attempt inside the wait gets 429 with Retry-After).
    """

    def __init__(self, app, token: str | None, throttle=None) -> None:
        from .server.security import Throttle

        self.app = app
        self.token = token
        self.throttle = throttle or Throttle()

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, detail, extra = refusal
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *extra]})
        await send({"type": "http.response.body", "body": body})

    def _refusal(self, scope: dict) -> tuple[int, str, list] | None:
        """(status, message, extra headers) for a request that may not pass, else None."""
        import math

        from .server.security import host_without_port, is_loopback, same

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not self.token:
            if is_loopback(host_without_port(headers.get("host", ""))):
                return None
            return 400, "This server answers only requests to a loopback host name", []
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.throttle.wait(client)
        if wait > 0:
            return 429, "Too many wrong tokens; wait before trying again", [
                (b"retry-after", str(math.ceil(wait)).encode())]
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and same(value.strip(), self.token):
            self.throttle.succeeded(client)
            return None
        if value:  # a token was sent and is wrong (a missing one is no guess)
            self.throttle.failed(client)
        return 401, "Access token required: send Authorization: Bearer TOKEN", [(b"www-authenticate", b"Bearer")]


def http_token(token: str | None, *, no_token: bool, host: str) -> str | None:
    """The token rule of ``serve``: given (16+ characters), else random; none only on loopback."""
    import secrets

    from .server.security import check_token, is_loopback

    if no_token:
        if token:
            raise UsageError("Pass either --token or --no-token, not both")
        if not is_loopback(host):
            raise UsageError(f"Refusing to serve MCP on {host} without an access token — drop --no-token "
                             "(a token is made for you) or bind to 127.0.0.1")
        return None
    if token is not None:
        check_token(token)  # the length rule of `serve`
    return token or secrets.token_urlsafe(32)


def http_app(tools: CorpusTools, *, token: str | None, host: str, throttle=None):
    """The streamable-HTTP app at ``/mcp``, behind ``BearerGuard``."""
    from mcp.server.transport_security import TransportSecuritySettings

    # Host and Origin are checked by BearerGuard (no token) or need not be (a bearer token is never
    # sent by a browser on its own), so the SDK's own DNS-rebinding allow-list is not repeated here.
    app = build_server(tools).streamable_http_app(
        host=host, transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
    return BearerGuard(app, token, throttle)
