"""Sections that appear as they are verified, in real headless Chromium against the real app over HTTP.

The app comes from the server's factory (``create_app``) and runs under uvicorn on a loopback port in
this process, so the test can hold the real pipeline after its first verified section (its corpus'
``ask`` is wrapped, as tests/test_server.py holds a brief to cancel it): the page is then looked at
while the rest of the brief is still being checked — no sleep, no timing. The corpus is the
hashing-embedded sample corpus (no model). axe-core checks the streaming view.
"""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from typing import Iterator

import pytest
from playwright.sync_api import expect

from citebrief.server import ServerSettings, create_app
from test_browser import CHROMIUM, browser, free_port, get_json  # noqa: F401  (fixture)
from test_web_app_browser import axe_violations, submit_question

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package "
                                                              "'chromium'; `make test` tries to install it) — "
                                                              "browser test skipped")
TOKEN = "stream-test-token-0123456789"
QUESTION = "Why did Germany and France resist a membership action plan for Ukraine at Bucharest?"
OTHER = "Why did France resist a membership action plan for Ukraine?"


class Hold:
    """Holds each brief after its first verified section until ``release`` (then re-arms for the next)."""

    def __init__(self) -> None:
        self.reached, self.released = threading.Event(), threading.Event()

    def wrap(self, real_ask):
        def ask(question, *, keep_unsupported=False, progress=None, on_section=None):
            def shown(partial):
                on_section(partial)
                if len(partial.sections) == 1:
                    self.reached.set()
                    if not self.released.wait(120):
                        raise AssertionError("the test never released the brief")
            return real_ask(question, keep_unsupported=keep_unsupported, progress=progress, on_section=shown)
        return ask

    def release(self) -> None:
        self.released.set()

    def arm(self) -> None:
        self.reached, self.released = threading.Event(), threading.Event()


@contextmanager
def held_server(db, hold: Hold) -> Iterator[str]:
    """The app from ``create_app`` under uvicorn on a free loopback port, its briefs held by ``hold``."""
    import uvicorn

    app = create_app(ServerSettings(db=str(db), token=TOKEN, workers=1))
    corpus = app.state.ctx.corpus
    corpus.ask = hold.wrap(corpus.ask)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-stream-test", daemon=True)
    thread.start()
    try:
        for _ in range(600):
            if server.started:
                break
            threading.Event().wait(0.05)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        hold.release()  # a held worker must not keep the store open
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def db(hashing_template, tmp_path):
    path = tmp_path / "corpus.db"
    shutil.copy(hashing_template, path)
    return path


@pytest.mark.timeout(600)
def test_sections_show_before_the_brief_is_done_and_cancel_still_works(db, browser):  # noqa: F811
    hold = Hold()
    with held_server(db, hold) as url:
        page = browser.pages[0] if browser.pages else browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{url}/?token={TOKEN}")
        expect(page.get_by_label("Research question", exact=True)).to_be_visible()

        # The first verified section is on the page while the brief is still running.
        submit_question(page, QUESTION)
        assert hold.reached.wait(120)
        brief = page.locator("#brief")
        note = page.locator("#stream-note")
        expect(note).to_have_text("Verified sections are shown as they are checked. Checking the remaining sections…")
        expect(brief.locator("h3")).to_have_count(1)
        expect(brief).to_have_attribute("aria-busy", "true")
        expect(page.locator("#brief-title")).to_have_text(QUESTION)
        expect(page.get_by_role("button", name="Cancel this brief")).to_be_visible()
        job_id = page.url.rsplit("/briefs/", 1)[1]
        assert get_json(f"{url}/api/briefs/{job_id}", TOKEN)["status"] == "running"
        streamed_heading = brief.locator("h3").first.inner_text()
        streamed_text = brief.locator("p span").first.inner_text()
        assert streamed_text
        assert axe_violations(page) == []
        page.emulate_media(color_scheme="dark")  # the system's dark mode too
        assert axe_violations(page) == []
        page.emulate_media(color_scheme="light")

        # Reloading the page mid-brief shows the sections verified so far again (the stream is replayed).
        page.reload()
        expect(note).to_be_visible()
        expect(brief.locator("h3")).to_have_count(1)
        expect(brief.locator("h3").first).to_have_text(streamed_heading)

        # A streamed citation opens its evidence, as in the finished brief.
        cite = brief.locator("button.cite").first
        cite.click()
        panel = page.get_by_role("dialog")
        expect(panel.locator("mark").first).to_be_visible()
        page.keyboard.press("Escape")
        expect(panel).to_be_hidden()

        # Released: the finished brief replaces the streamed sections, with the same first section.
        hold.release()
        expect(note).to_have_count(0, timeout=120_000)
        expect(brief.locator("h3").last).to_have_text("Sources")
        expect(brief).not_to_have_attribute("aria-busy", "true")
        final = get_json(f"{url}/api/briefs/{job_id}", TOKEN)["brief"]
        assert final["sections"][0]["sentences"][0]["text"] == streamed_text
        assert brief.locator("h3").first.inner_text() == streamed_heading
        assert axe_violations(page) == []

        # Cancel while sections are streaming: the partial brief goes, the page says so.
        hold.arm()
        submit_question(page, OTHER)
        assert hold.reached.wait(120)
        expect(note).to_be_visible()
        # (the hold is released only once the server has the cancel: released first, the brief could finish)
        with page.expect_response(lambda r: r.url.endswith("/cancel") and r.request.method == "POST"):
            page.get_by_role("button", name="Cancel this brief").click()
        other_id = page.url.rsplit("/briefs/", 1)[1]
        hold.release()
        expect(page.locator("#status")).to_have_text("The brief was cancelled.", timeout=60_000)
        expect(brief).to_be_hidden()
        job = get_json(f"{url}/api/briefs/{other_id}", TOKEN)
        assert (job["status"], job["error"]) == ("failed", "cancelled")
        assert errors == []
