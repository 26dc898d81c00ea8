"""The daily-use page in real headless Chromium: exact evidence, stable links, history, odd input, polish.

Same server and browser as tests/test_browser.py (`citebrief serve` as a subprocess with its printed
login URL, Debian's /usr/bin/chromium); axe-core (from axe-playwright-python) checks every view.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_browser import CHROMIUM, SEED_QUESTION, browser, get_json, serve_args, server  # noqa: F401  (fixtures)
from test_server import docx_text, pdf_text

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package "
                                                     "'chromium'; `make test` tries to install it) — browser test skipped"),
]
OFF_TOPIC = "What is the boiling point of liquid methane on Titan?"
OTHER_OFF_TOPIC = "Which recipes use saffron and cardamom together?"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG A/AA violations on the page as it is now (rule id and offending elements)."""
    import axe_playwright_python

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate((Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8"))
    return page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
                         ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))", WCAG)


def logged_in_page(server, browser):  # noqa: F811
    page = browser.pages[0] if browser.pages else browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server.login)
    page.locator("#history-list li").first.wait_for()
    return page, errors


def submit_question(page, question: str) -> None:
    """Type the question (opening the form if a brief hides it) and submit it with Ctrl+Enter."""
    box = page.get_by_label("Research question", exact=True)
    if not box.is_visible():
        page.get_by_role("button", name="Ask a new question").click()
    box.fill(question)
    box.press("Control+Enter")


def ask(page, question: str) -> str:
    """Ask with Ctrl+Enter; wait for the brief; its id from the address /briefs/ID."""
    submit_question(page, question)
    # Locator assertions poll without evaluating strings, which the page's CSP (script-src 'self') forbids.
    expect(page.locator("#brief-title")).to_have_text(question, timeout=600_000)
    # the finished brief, not the sections shown while it is checked: only it has the export bar
    expect(page.get_by_role("navigation", name="Export this brief")).to_be_visible(timeout=600_000)
    expect(page.locator("#brief")).to_be_visible(timeout=600_000)
    assert "/briefs/" in page.url
    return page.url.rsplit("/briefs/", 1)[1]


@pytest.mark.timeout(900)
def test_exact_evidence_and_source_cards(server, browser):  # noqa: F811
    page, errors = logged_in_page(server, browser)
    job_id = ask(page, SEED_QUESTION)
    brief = get_json(f"{server}/api/briefs/{job_id}", server.token)["brief"]
    assert page.locator("#ask-form").is_hidden()  # the form folds away; the brief is at the top
    assert page.evaluate("[...document.getElementById('brief').childNodes].every(n => n.nodeType === 1)")
    assert axe_violations(page) == []

    # A sentence's [n] highlights exactly the span that sentence was verified against.
    sentences = [s for sec in brief["sections"] for s in sec["sentences"] if s["citations"]]
    checked = 0
    for sentence in sentences[:4]:
        n = sentence["citations"][0]
        span = next(e for e in sentence["evidence"] if e["n"] == n)
        button = page.locator("#brief p > span", has_text=sentence["text"]).first \
            .locator(f"xpath=following-sibling::button[normalize-space()='[{n}]'][1]")
        button.click()
        mark = page.locator("#panel mark").first
        mark.wait_for()
        assert mark.text_content() == span["quote"]
        page.keyboard.press("Escape")
        checked += 1
    assert checked == min(4, len(sentences))

    # Every citation of the actor table highlights its row's own span, not a guess by word overlap.
    rows = page.locator("#brief table.actors tbody tr")
    assert rows.count() == len(brief["actors"])
    for i, actor in enumerate(brief["actors"]):
        for n in actor["citations"]:
            rows.nth(i).locator("button.cite", has_text=f"[{n}]").click()
            mark = page.locator("#panel mark").first
            mark.wait_for()
            assert mark.text_content() in [e["quote"] for e in actor["evidence"] if e["n"] == n], (actor["name"], n)
            assert mark.text_content() == next(e["quote"] for e in actor["evidence"] if e["n"] == n)
            page.keyboard.press("Escape")
    assert axe_violations(page) == []

    # Hover or focus on [n]: a card with title, outlet, date and the quoted span.
    first = brief["actors"][0]
    n = first["citations"][0]
    source = next(s for s in brief["sources"] if s["n"] == n)
    cite = rows.nth(0).locator("button.cite", has_text=f"[{n}]")
    cite.hover()
    card = page.get_by_role("tooltip")
    card.wait_for()
    text = card.inner_text()
    assert source["title"] in text and source["outlet"] in text and source["published"] in text
    assert next(e["quote"] for e in first["evidence"] if e["n"] == n)[:60] in text.replace("\n", " ")
    assert cite.get_attribute("aria-describedby") == "card"
    assert axe_violations(page) == []
    page.mouse.move(0, 0)
    cite.focus()
    assert card.is_visible()
    page.keyboard.press("Escape")
    assert card.is_hidden()

    # The panel open, in the dark scheme too.
    cite.click()
    page.locator("#panel mark").first.wait_for()
    assert axe_violations(page) == []
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 23, 26)"
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert axe_violations(page) == []
    page.emulate_media(color_scheme="light")

    # Source links are named by their title; print shows the brief alone.
    for link in page.locator("#brief ol.sources a").all():
        assert link.inner_text() != "link" and len(link.inner_text()) > 5
    page.emulate_media(media="print")
    assert page.locator("#brief").is_visible()
    assert page.locator("#history").is_hidden() and page.locator("#sources").is_hidden()
    assert page.locator(".exports").is_hidden()
    page.emulate_media(media="screen")

    # Word and PDF from the export bar: downloads whose bytes open and carry the brief and its sources.
    for label, read in (("Word", docx_text), ("PDF", pdf_text)):
        with page.expect_download() as download:
            page.locator(".exports").get_by_role("link", name=label, exact=True).click()
        assert download.value.suggested_filename == f"brief-{job_id}.{'docx' if label == 'Word' else 'pdf'}"
        text = read(Path(download.value.path()).read_bytes())
        assert SEED_QUESTION[:40] in text and brief["sources"][0]["title"][:30] in text
    assert axe_violations(page) == []

    # A read-only share link: the brief and its cited passages, for a reader without the token.
    page.get_by_role("button", name="Share").click()
    share_url = page.get_by_label("Read-only link").input_value()
    assert share_url.startswith(f"{server}/share/{job_id}/")
    browser.clear_cookies()
    page.goto(share_url)
    page.locator("#brief-title", has_text=SEED_QUESTION).wait_for()
    assert page.locator("#ask-form").is_hidden() and page.locator("#history").is_hidden()
    assert page.locator("#sources").is_hidden()
    page.locator("#brief button.cite").first.click()
    page.locator("#panel mark").first.wait_for()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert errors == []


@pytest.mark.timeout(900)
def test_links_history_and_odd_input(server, browser):  # noqa: F811
    page, errors = logged_in_page(server, browser)
    first = ask(page, OFF_TOPIC)
    # No evidence: honest wording and a web action, not a command line.
    brief_text = page.locator("#brief").inner_text()
    assert "Not enough evidence in your sources" in brief_text and "citebrief add" not in brief_text
    assert "No answer" in page.locator("#status").inner_text()
    assert page.get_by_role("link", name="Add sources").is_visible()
    assert axe_violations(page) == []

    # Reload and the section links keep the brief; the address is /briefs/ID.
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Sources").click()
    assert page.url.endswith(f"/briefs/{first}#sources")
    page.reload()
    page.locator("#brief-title", has_text=OFF_TOPIC).wait_for()

    # Back and forward move between briefs.
    second = ask(page, OTHER_OFF_TOPIC)
    assert second != first
    page.go_back()
    page.go_back()  # past the #sources step
    page.locator("#brief-title", has_text=OFF_TOPIC).wait_for()
    assert page.url.endswith(f"/briefs/{first}")
    page.go_forward()
    page.go_forward()
    page.locator("#brief-title", has_text=OTHER_OFF_TOPIC).wait_for()

    # Old #brief= links: pasted into a new tab, or into the address of an open one.
    page.goto(f"{server}/#brief={first}")
    page.locator("#brief-title", has_text=OFF_TOPIC).wait_for()
    assert page.url.endswith(f"/briefs/{first}")
    page.evaluate(f"location.hash = '#brief={second}'")
    page.locator("#brief-title", has_text=OTHER_OFF_TOPIC).wait_for()
    page.goto(f"{server}/briefs/0000000000000000")
    page.locator("#status", has_text="does not exist").wait_for()
    errors[:] = [e for e in errors if "status of 404" not in e]  # the browser logs the 404 it was given

    # Search, rename and delete in the history.
    page.goto(f"{server}/")
    history = page.locator("#history-list")
    history.locator("li", has_text="saffron").wait_for()
    page.get_by_label("Search the history").fill("methane titan")
    expect(history.locator("li")).to_have_count(1)
    expect(history).to_contain_text("methane")
    page.get_by_label("Search the history").fill("")
    history.locator("li", has_text="saffron").wait_for()
    history.get_by_role("button", name="Rename: What is the boiling point").click()
    assert axe_violations(page) == []
    page.get_by_label("New name").fill("Titan lakes")
    page.get_by_role("button", name="Save").click()
    history.get_by_role("link", name="Titan lakes").wait_for()
    history.get_by_role("link", name="Titan lakes").click()
    page.locator("#brief-title", has_text="Titan lakes").wait_for()
    assert OFF_TOPIC in page.locator(".question-full").inner_text()
    delete = history.get_by_role("button", name="Delete: Which recipes use saffron")
    delete.click()
    assert delete.inner_text() == "Press again to delete"
    delete.click()
    page.locator("#history-status", has_text="Deleted").wait_for()
    assert history.locator("li", has_text="saffron").count() == 0  # the list was reloaded first
    assert get_json(f"{server}/api/briefs?q=saffron", server.token) == []

    # A question over the limit is refused on the page with the limit stated; nothing is sent.
    page.get_by_role("button", name="Ask a new question").click()
    box = page.get_by_label("Research question", exact=True)
    box.fill("Why do NATO members hesitate? " * 350)
    box.press("Control+Enter")
    status = page.locator("#status")
    status.get_by_text("the limit is 2,000").wait_for()
    assert box.get_attribute("aria-invalid") == "true"
    assert len(get_json(f"{server}/api/briefs", server.token)) == 1
    assert axe_violations(page) == []

    # A brief being written can be cancelled from the page.
    box.fill(SEED_QUESTION)
    assert box.get_attribute("aria-invalid") is None
    box.press("Control+Enter")
    page.locator("#progress li").first.wait_for(timeout=120_000)
    cancel = page.get_by_role("button", name="Cancel this brief")
    assert cancel.is_visible() and axe_violations(page) == []
    cancel.click()
    page.locator("#status", has_text="cancelled").wait_for(timeout=120_000)
    assert cancel.is_hidden() and page.locator("#brief").is_hidden()
    page.locator("#history-list .badge.failed").first.wait_for()
    assert errors == []
