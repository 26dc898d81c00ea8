"""The Watched view and the stance timeline in real headless Chromium, with axe-core on each view.

`citebrief serve --no-token` (loopback) runs as a subprocess over the corpus of tests/test_web_watches.py:
watch "nato" written twice by the real `citebrief watch run`, an article added between the runs.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from test_browser import CHROMIUM, browser, serve_process  # noqa: F401  (fixtures)
from test_watch import QUESTION, copy_corpus
from test_web_app_browser import axe_violations
from test_web_watches import watched_db  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package "
                                                     "'chromium'; `make test` tries to install it) — browser test skipped"),
]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture
def base(watched_db, tmp_path):  # noqa: F811
    db = tmp_path / "corpus.db"
    copy_corpus(watched_db, db)
    with serve_process(db, tmp_path / "serve.log", "--no-token") as url:
        yield url


@pytest.mark.timeout(900)
def test_watched_view_history_change_list_and_timeline(base, browser):  # noqa: F811
    page = browser.pages[0] if browser.pages else browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    rows = page.locator("#watched-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(get(f"{base}/api/watches"))
    assert axe_violations(page) == []

    # The watch's page: its history, and the change list of the newest version with [old n] / [new n].
    page.get_by_role("link", name="nato", exact=True).click()
    page.locator("#changes-title").wait_for()
    assert page.url.endswith("/watches/nato")
    watch = get(f"{base}/api/watches/nato")
    assert page.locator("#watch ol.versions li").count() == len(watch["versions"]) == 2
    assert page.locator("#changes-title").text_content() == "What changed from version 1 to version 2"
    assert axe_violations(page) == []

    diff = get(f"{base}/api/watches/nato/diff")
    [spain] = [c for c in diff["changes"] if c["kind"] == "stance-changed" and c["subject"] == "Spain"]
    line = page.locator("#watch-changes ul.changes > li", has_text="Spain").first
    for side in ("old", "new"):
        mention = spain[side][0]
        n = mention["citations"][0]["n"]
        source = next(s for s in diff["briefs"][side]["sources"] if s["n"] == n)
        button = line.locator("button.cite", has_text=f"[{side} {n}]").first
        page.mouse.move(0, 0)  # out of the way: the page scrolls the button under a resting pointer
        button.hover()  # the card names that brief's source n and shows the quote behind the line
        card = page.locator("#card")
        card.wait_for()
        assert (source["title"] or "") in card.text_content()
        if mention["quotes"]:
            assert card.locator("q").text_content().rstrip("…") in mention["quotes"][0]
        button.click()  # the panel opens that document with the quote highlighted
        mark = page.locator("#panel mark").first
        mark.wait_for()
        assert page.locator("#panel-title").text_content().startswith(f"[{side} {n}]")
        if mention["quotes"]:
            assert mark.text_content() == mention["quotes"][0]
        page.keyboard.press("Escape")
    assert axe_violations(page) == []

    # Any two versions: the other way round, Spain's stance changes back.
    page.get_by_label("Earlier version").select_option("2")
    page.get_by_label("Later version").select_option("1")
    page.get_by_role("button", name="Show what changed").click()
    # Locator assertions poll without evaluating strings, which the page's CSP (script-src 'self') forbids.
    expect(page.locator("#changes-title")).to_have_text(re.compile(r"version 1$"))
    back = page.locator("#watch-changes ul.changes > li", has_text="Spain").first.text_content()
    assert f"{spain['new'][0]['text']}" in back.split("→")[0] and spain["old"][0]["text"] in back.split("→")[1]

    # Reloading the address opens the same watch.
    page.reload()
    page.locator("#changes-title").wait_for()
    assert page.locator("#watch-title").text_content() == "Watch nato"
    page.emulate_media(color_scheme="dark")
    assert axe_violations(page) == []
    page.emulate_media(color_scheme="light")

    # A watch never run says how to write its first brief; back returns to the one before.
    page.goto(base + "/watches/solo")
    page.locator("#watch-title").wait_for()
    assert "citebrief watch run solo" in page.locator("#watch").text_content()
    assert page.locator("#changes-title").count() == 0 and axe_violations(page) == []
    page.go_back()
    page.locator("#changes-title").wait_for()
    assert page.locator("#watch-title").text_content() == "Watch nato"

    # A brief about positions has a stance timeline under its actor table.
    page.goto(base + "/")
    box = page.get_by_label("Research question", exact=True)
    box.fill(QUESTION)
    box.press("Control+Enter")
    page.locator("#timeline-title").wait_for(timeout=600_000)
    job_id = page.url.rsplit("/briefs/", 1)[1]
    timeline = get(f"{base}/api/briefs/{job_id}/timeline")["timeline"]
    items = page.locator("#brief .timeline ol.timeline-list > li")
    assert items.count() == sum(len(a["statements"]) for a in timeline)
    first = timeline[0]["statements"][0]
    assert items.first.locator(".timeline-date").text_content() == (first["date"] or "undated")
    assert [b.text_content() for b in items.first.locator("button.cite").all()] == \
        [f"[{n}]" for n in first["citations"]]
    assert axe_violations(page) == []
    assert errors == []
