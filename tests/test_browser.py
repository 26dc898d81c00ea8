"""End to end in real headless Chromium: `citebrief serve` as a subprocess, the page driven by Playwright.

Uses Debian's /usr/bin/chromium (never a downloaded browser) and skips only when it is missing.
Screenshots go to test-artifacts/; set CITEBRIEF_UPDATE_SCREENSHOT=1 to also refresh
docs/screenshot-serve.png (the README's picture), so ordinary runs leave the repository alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import CLI, ROOT, SAMPLE_CORPUS, run_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
SEED_QUESTION = ("Which NATO countries oppose or are hesitant about Ukraine joining and what security or "
                 "political concerns do they cite?")
HOSTILE_TITLE = "Allies weigh the invitation <script>alert('title')</script> <img src=x onerror=alert(1)>"
HOSTILE = f"""Title: {HOSTILE_TITLE}
Outlet: Hostile <b>Gazette</b>
Date: 2024-11-25

Several NATO members remain hesitant about inviting Ukraine to join the alliance while the war continues, \
diplomats said on Monday. <script>alert(1)</script> The officials cited the risk of a direct conflict with \
Russia as their main concern. <img src=x onerror="window.__pwned=1;alert(2)"> Others said the timing was \
wrong because of elections at home.
"""

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package "
                                                     "'chromium'; `make test` tries to install it) — browser test skipped"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served(str):
    """The server's base URL (a str), with the token ``citebrief serve`` made and printed as a login URL."""

    token: str
    login: str


def get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def serve_args() -> tuple[str, ...]:
    """Extra `citebrief serve` options; a test module overrides this fixture to change them."""
    return ()


@pytest.fixture
def server(tmp_path, serve_args):
    """`citebrief serve` on a free loopback port over the sample corpus plus one hostile document."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    db = tmp_path / "corpus.db"
    run_cli("add", str(SAMPLE_CORPUS), str(hostile), db=db, check=True)
    log_path = tmp_path / "serve.log"
    # the token is on by default: up means it answers (401 without the token) and has printed its login URL
    with serve_process(db, log_path, *serve_args,
                       ready=lambda: re.search(r"http://\S+/\?token=\S+", log_path.read_text())) as url:
        printed = re.search(r"(http://\S+/\?token=(\S+))", log_path.read_text())
        base = Served(url)
        base.login, base.token = printed.group(1), printed.group(2)
        yield base


@contextlib.contextmanager
def serve_process(db: Path, log_path: Path, *args: str, ready: Callable[[], object] = lambda: True) -> Iterator[str]:
    """`citebrief serve` over ``db`` on a free loopback port, its output in ``log_path``; yields its URL once
    it answers HTTP (any status) and ``ready()`` holds, and stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), *args], stdout=log,
                                stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        deadline = time.monotonic() + 180
        try:
            while True:
                if proc.poll() is not None:
                    raise AssertionError(f"serve exited {proc.returncode}: {log_path.read_text()}")
                try:
                    urllib.request.urlopen(url + "/", timeout=2).close()
                    answered = True
                except urllib.error.HTTPError:
                    answered = True
                except OSError:
                    answered = False
                if answered and ready():
                    break
                if time.monotonic() > deadline:
                    raise AssertionError("serve did not answer within 180 s") from None
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def browser(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900}, accept_downloads=True)
        try:
            yield context
        finally:
            context.close()


@pytest.mark.timeout(900)
def test_ask_read_citation_and_hostile_text_in_chromium(server, browser):
    page = browser.pages[0] if browser.pages else browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/")
    assert "Access token required" in page.locator("body").inner_text()  # a token by default, even here
    page.goto(server.login)
    assert page.url == server + "/"  # the token left the address bar
    errors.clear()  # the 401s of the first visit

    # Ask through the labelled question box; progress streams in; the brief appears.
    page.get_by_label("Research question", exact=True).fill(SEED_QUESTION)
    page.get_by_role("button", name="Write the brief").click()
    page.locator("#progress li").first.wait_for(timeout=120_000)
    # (a job that fails says so in the status line: the test stops there with its error, not after ten minutes)
    failed = page.locator("#status", has_text=re.compile("failed|cancelled"))
    page.locator("#brief-title").or_(failed).first.wait_for(timeout=600_000)
    assert not failed.count(), page.locator("#status").inner_text()
    # verified sections show while the rest is checked; the finished brief is the one with the export bar
    page.get_by_role("navigation", name="Export this brief").wait_for(timeout=600_000)
    stages = page.locator("#progress .stage").all_text_contents()  # folded away by now
    assert {"plan", "retrieve", "verify"} <= set(stages), stages
    job_id = page.url.rsplit("/briefs/", 1)[1]
    brief = get_json(f"{server}/api/briefs/{job_id}", server.token)["brief"]
    assert page.locator("#brief-title").inner_text() == SEED_QUESTION
    headings = page.locator("#brief h3").all_inner_texts()
    assert headings[0] == "Executive summary" and headings[-1] == "Sources", headings
    for part in ("Competing narratives", "Limits of the available reporting", "Bottom line"):
        assert any(part in h for h in headings), (part, headings)
    assert page.locator("#brief table th", has_text="Stated reasons").is_visible()
    for label in ("Markdown", "HTML", "JSON"):
        assert page.get_by_role("link", name=label).is_visible()

    # Citation [1] opens the side panel with the span it was verified against highlighted in its passage.
    source1 = next(s for s in brief["sources"] if s["n"] == 1)
    cite = page.locator("#brief button.cite", has_text="[1]").first
    sentence = cite.evaluate("b => { let e = b; while ((e = e.previousElementSibling) && e.tagName !== 'SPAN'); "
                             "return e ? e.textContent : null; }")
    assert sentence, "citation [1] should follow a sentence"
    cited = next(s for sec in brief["sections"] for s in sec["sentences"] if s["text"] == sentence)
    cite.click()
    panel = page.get_by_role("dialog")
    mark = panel.locator("mark").first
    mark.wait_for(timeout=10_000)
    assert mark.text_content() == next(e["quote"] for e in cited["evidence"] if e["n"] == 1)
    assert page.evaluate("document.activeElement.id") == "panel"
    assert source1["title"] in page.locator("#panel-title").inner_text()
    meta = page.locator("#panel-meta").inner_text()
    assert source1["outlet"] in meta and source1["published"] in meta
    passage = panel.locator("blockquote.passage").inner_text()
    assert len(passage) > len(mark.inner_text())  # the quote is shown inside its passage
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # question, status and the start of the brief, panel open
    page.screenshot(path=str(ARTIFACTS / "serve-brief-citation.png"))
    if os.environ.get("CITEBRIEF_UPDATE_SCREENSHOT"):
        page.screenshot(path=str(ROOT / "docs" / "screenshot-serve.png"))
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.textContent") == "[1]"  # focus went back to the citation

    # Keyboard only: the focused citation opens with Enter.
    page.keyboard.press("Enter")
    panel.locator("mark").first.wait_for(timeout=10_000)
    page.keyboard.press("Escape")

    # The hostile document shows its markup as text, in the source list and in the panel.
    row = page.locator("#source-table button", has_text="<script>alert('title')</script>")
    row.wait_for(timeout=10_000)
    assert row.inner_text() == HOSTILE_TITLE
    row.click()
    text = page.locator("#panel-body .doctext")
    text.wait_for(timeout=10_000)
    assert "<script>alert(1)</script>" in text.inner_text()
    assert '<img src=x onerror="window.__pwned=1;alert(2)">' in text.inner_text()
    assert "Hostile <b>Gazette</b>" in page.locator("#panel-meta").inner_text()
    assert page.locator("#panel img, #panel script, #panel b, main img, main script").count() == 0
    page.wait_for_timeout(500)  # give any injected handler a chance to fire
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    page.screenshot(path=str(ARTIFACTS / "serve-hostile-source.png"))
    page.keyboard.press("Escape")

    # Readable on a narrow screen: nothing wider than the viewport.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("#brief table").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "serve-narrow.png"))
    assert "[object " not in page.locator("body").inner_text()  # no value was stringified by mistake
    assert errors == []
