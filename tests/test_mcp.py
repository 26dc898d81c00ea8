"""`citebrief mcp` end to end over stdio with the official MCP SDK's client, on a real corpus file."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from citebrief.mcp_server import http_token
from citebrief.errors import UsageError
from conftest import run_cli

QUESTION = "Which NATO members oppose Ukraine joining?"
TOOLS = {"search", "ask", "check", "add", "sources", "show"}


def _data(result) -> dict:
    assert not result.is_error, result.content
    # The text content is the same JSON as the structured content: any client can show it.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


async def _session_run(db: Path, root: Path, script):
    params = StdioServerParameters(command=sys.executable, args=["-m", "citebrief", "--db", str(db), "mcp",
                                                                 "--root", str(root)],
                                   env={"HF_HUB_OFFLINE": "1"}, cwd=str(root))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        return await script(session)


@pytest.fixture
def corpus_copy(sample_db, tmp_path) -> Path:
    db = tmp_path / "corpus.db"
    shutil.copy(sample_db, db)
    return db


def test_tools_over_stdio_carry_citations_and_quotes(corpus_copy, tmp_path):
    root = tmp_path / "allowed"
    root.mkdir()
    (root / "note.txt").write_text("Title: Harbour note\n\nThe harbour authority approved a new ferry "
                                   "timetable on Tuesday after months of complaints from commuters.\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the corpus\n")
    (root / "link.txt").symlink_to(secret)  # a named symlink is judged by where it points

    async def script(session: ClientSession) -> dict:
        out: dict = {}
        out["tools"] = {t.name for t in (await session.list_tools()).tools}
        out["sources"] = _data(await session.call_tool("sources", {}))
        out["search"] = _data(await session.call_tool("search", {"query": "Hungary Slovakia opposition", "k": 3}))
        hit = out["search"]["hits"][0]
        out["show"] = _data(await session.call_tool("show", {"doc_id": hit["doc_id"], "start": hit["start"],
                                                             "max_chars": hit["end"] - hit["start"]}))
        messages: list[tuple[float, str]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            messages.append((progress, message or ""))

        out["ask"] = _data(await session.call_tool("ask", {"question": QUESTION}, progress_callback=on_progress))
        out["progress"] = messages
        docs = {s["doc_id"] for s in out["ask"]["sources"]}
        out["texts"] = {d: _data(await session.call_tool("show", {"doc_id": d, "max_chars": 200000}))["text"]
                        for d in docs}
        out["resource"] = (await session.read_resource(out["ask"]["uri"])).contents[0]
        out["resource_json"] = json.loads((await session.read_resource(out["ask"]["uri"] + "/json")).contents[0].text)
        out["index"] = json.loads((await session.read_resource("citebrief://briefs")).contents[0].text)
        out["resources"] = [str(r.uri) for r in (await session.list_resources()).resources]
        report = out["ask"]["markdown"]
        out["check"] = _data(await session.call_tool("check", {"report": report}))
        out["outside"] = await session.call_tool("add", {"inputs": [str(secret)]})
        out["link"] = await session.call_tool("add", {"inputs": ["link.txt"]})
        out["scheme"] = await session.call_tool("add", {"inputs": ["file:///etc/passwd"]})
        out["private_url"] = _data(await session.call_tool("add", {"inputs": ["http://127.0.0.1:9/page"]}))
        out["added"] = _data(await session.call_tool("add", {"inputs": ["note.txt"]}))
        out["after"] = _data(await session.call_tool("search", {"query": "ferry timetable harbour", "k": 1}))
        out["missing"] = await session.call_tool("show", {"doc_id": "0000000000000000"})
        return out

    from citebrief import Corpus

    corpus = Corpus(str(corpus_copy))
    expected = [d.doc_id for d in corpus.sources()]
    corpus.close()
    out = anyio.run(_session_run, corpus_copy, root, script)
    assert out["tools"] == TOOLS
    assert [d["doc_id"] for d in out["sources"]["documents"]] == expected
    hit = out["search"]["hits"][0]
    assert hit["text"] and hit["title"] and out["show"]["text"] == hit["text"]

    brief = out["ask"]
    assert brief["question"] == QUESTION and brief["enough_evidence"]
    # The pipeline's stages reached the client as progress notifications while the brief was written.
    steps = [p for p, _ in out["progress"]]
    assert len(steps) >= 3 and steps == sorted(steps) and all(": " in m for _, m in out["progress"])
    assert "[1]" in brief["markdown"] and brief["actors"]
    numbers = {s["n"] for s in brief["sources"]}
    assert brief["sentences"]
    for sentence in brief["sentences"]:
        assert sentence["citations"] and set(sentence["citations"]) <= numbers
        assert sentence["quotes"]
        doc_of = {s["n"]: s["doc_id"] for s in brief["sources"]}
        for q in sentence["quotes"]:  # every quote is verbatim in the document it cites
            assert q["quote"] in out["texts"][doc_of[q["n"]]]
    for source in brief["sources"]:
        assert source["quotes"] and all(q in out["texts"][source["doc_id"]] for q in source["quotes"])

    # The brief is kept: its resource gives the same Markdown and the full JSON.
    assert out["resource"].text == brief["markdown"] and out["resource"].mime_type == "text/markdown"
    assert out["resource_json"]["question"] == QUESTION
    assert out["index"][0]["brief_id"] == brief["brief_id"] and "citebrief://briefs" in out["resources"]
    assert brief["uri"] in out["resources"]  # the new brief is listed as a resource of its own

    async def later(session: ClientSession) -> tuple[list[str], str]:  # a new server on the same corpus
        listed = [str(r.uri) for r in (await session.list_resources()).resources]
        return listed, (await session.read_resource(brief["uri"])).contents[0].text

    listed, text = anyio.run(_session_run, corpus_copy, root, later)
    assert brief["uri"] in listed and text == brief["markdown"]

    # check audits the brief's own Markdown: its sentences are supported by what they cite.
    summary = out["check"]["summary"]
    assert summary["supported"] > 0 and summary["citation_recall"] > 0.5

    # add: outside the roots and other schemes refused with a fix; private addresses fail the guard.
    assert out["outside"].is_error and "outside the folders" in out["outside"].content[0].text
    assert "--root" in out["outside"].content[0].text
    assert out["link"].is_error and "outside the folders" in out["link"].content[0].text
    assert out["scheme"].is_error and "http" in out["scheme"].content[0].text
    assert out["private_url"]["failed"] == 1 and "private" in out["private_url"]["outcomes"][0]["reason"].lower()
    assert out["added"]["added"] == 1 and out["after"]["hits"][0]["title"] == "Harbour note"
    assert out["missing"].is_error and "sources tool" in out["missing"].content[0].text


def test_http_token_rule_matches_serve():
    assert len(http_token(None, no_token=False, host="0.0.0.0")) >= 32  # random by default
    assert http_token(None, no_token=True, host="127.0.0.1") is None
    with pytest.raises(UsageError, match="without an access token"):
        http_token(None, no_token=True, host="0.0.0.0")
    with pytest.raises(UsageError, match="at least 16"):
        http_token("short", no_token=False, host="127.0.0.1")


def test_http_transport_refuses_requests_without_the_token(sample_db, tmp_path):
    from starlette.testclient import TestClient

    from citebrief import Corpus
    from citebrief.mcp_server import http_app
    from citebrief.mcp_tools import CorpusTools

    from citebrief.server.security import Throttle

    token, now = "t" * 24, [1000.0]
    app = http_app(CorpusTools(Corpus(str(sample_db)), (tmp_path,)), token=token, host="127.0.0.1",
                   throttle=Throttle(clock=lambda: now[0]))
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "t", "version": "0"}}}
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.post("/mcp", json=init, headers=headers).status_code == 401
        wrong = client.post("/mcp", json=init, headers={**headers, "Authorization": "Bearer " + "x" * 24})
        assert wrong.status_code == 401
        ok = client.post("/mcp", json=init, headers={**headers, "Authorization": f"Bearer {token}"})
        assert ok.status_code == 200 and "citebrief" in ok.text
        # Wrong tokens are slowed as serve slows them: after 3 misses, even the right one waits.
        for _ in range(3):  # the success above cleared the earlier miss
            miss = client.post("/mcp", json=init, headers={**headers, "Authorization": "Bearer nope"})
            assert miss.status_code == 401
        slowed = client.post("/mcp", json=init, headers={**headers, "Authorization": f"Bearer {token}"})
        assert slowed.status_code == 429 and slowed.headers["retry-after"] == "1"
        now[0] += 1.5
        again = client.post("/mcp", json=init, headers={**headers, "Authorization": f"Bearer {token}"})
        assert again.status_code == 200
    open_app = http_app(CorpusTools(Corpus(str(sample_db)), (tmp_path,)), token=None, host="127.0.0.1")
    with TestClient(open_app, base_url="http://attacker.example") as client:
        assert client.post("/mcp", json=init, headers=headers).status_code == 400


def test_cli_usage_errors(corpus_copy, tmp_path):
    bad = run_cli("mcp", "--root", str(tmp_path / "nope"), db=corpus_copy)
    assert bad.returncode == 2 and "--root" in bad.stderr
    off = run_cli("mcp", "--transport", "http", "--host", "0.0.0.0", "--no-token", db=corpus_copy)
    assert off.returncode == 2 and "without an access token" in off.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamable_http_end_to_end_with_the_bearer_token(corpus_copy):
    import os
    import socket
    import subprocess
    import time

    import httpx2
    from mcp.client.streamable_http import streamable_http_client

    token, port = "k" * 32, _free_port()
    server = subprocess.Popen([sys.executable, "-m", "citebrief", "--db", str(corpus_copy), "mcp",
                               "--transport", "http", "--port", str(port)],
                              env={**os.environ, "CITEBRIEF_TOKEN": token, "HF_HUB_OFFLINE": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:  # wait until it listens (a bounded wait, not a timing assertion)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.2)

        async def script(headers: dict) -> dict:
            async with httpx2.AsyncClient(headers=headers, timeout=120) as http, \
                    streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http) as (read, write, *_), \
                    ClientSession(read, write) as session:
                await session.initialize()
                names = {t.name for t in (await session.list_tools()).tools}
                hits = _data(await session.call_tool("search", {"query": "Hungary opposition", "k": 2}))
                return {"names": names, "hits": hits["hits"]}

        out = anyio.run(script, {"Authorization": f"Bearer {token}"})
        assert out["names"] == TOOLS and len(out["hits"]) == 2 and out["hits"][0]["text"]
        import httpx

        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                           "clientInfo": {"name": "t", "version": "0"}}}
        accept = {"Accept": "application/json, text/event-stream"}
        for headers in ({}, {"Authorization": "Bearer " + "x" * 32}):  # no token, a wrong one
            refused = httpx.post(f"http://127.0.0.1:{port}/mcp", json=init, headers={**accept, **headers}, timeout=30)
            assert refused.status_code == 401 and "Bearer" in refused.json()["detail"]
    finally:
        server.terminate()
        server.wait(timeout=30)
