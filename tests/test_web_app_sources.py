"""Sources from the page in real headless Chromium: drag-and-drop upload of several files, web pages
from a loopback site, progress per item that survives leaving the page, filters, no server paths.

The server runs with --allow-private because the "web" here is a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from test_browser import CHROMIUM, browser, get_json, server  # noqa: F401  (fixtures)
from test_web_app_browser import axe_violations, logged_in_page
from webserver import Reply, TestServer

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (Debian package "
                                                     "'chromium'; `make test` tries to install it) — browser test skipped"),
]
ARTICLE = (b"<html><head><title>Tide mill reopens | Harbour Gazette</title></head><body><article>"
           b"<h1>Tide mill reopens</h1><p>The restored tide mill on the east quay ground its first flour in "
           b"sixty years on Saturday, volunteers from the heritage trust said.</p><p>The trust said the mill "
           b"would open to visitors every weekend from June, tides permitting.</p></article></body></html>")
DROP = """() => {
  const dt = new DataTransfer();
  dt.items.add(new File(["Title: Harbour notes\\nOutlet: Quay Weekly\\nDate: 2024-04-02\\n\\nThe harbour board voted "
    + "on Monday to rebuild the north breakwater before the winter storms, its chair said."],
    "Harbour notes.txt", {type: "text/plain"}));
  dt.items.add(new File(["Ferry crews on the island route said the new timetable left too little time "
    + "for safety checks between crossings, and asked the operator to review it."],
    "Ferry crews (draft).md", {type: "text/markdown"}));
  dt.items.add(new File(["MZ"], "tool.exe", {type: "application/octet-stream"}));
  return dt;
}"""


@pytest.fixture
def serve_args() -> tuple[str, ...]:
    return ("--allow-private",)


@pytest.fixture
def site():
    with TestServer() as srv:
        srv.route("/mill", Reply(body=ARTICLE))
        yield srv


@pytest.mark.timeout(900)
def test_sources_from_the_page(server, browser, site):  # noqa: F811
    page, errors = logged_in_page(server, browser)
    page.locator("#source-table tbody tr").first.wait_for()

    # Several files dropped at once; each gets its own progress line and outcome.
    data = page.evaluate_handle(DROP)
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": data})
    assert "3 file(s) chosen" in page.locator("#upload-status").inner_text()
    page.get_by_role("button", name="Upload and ingest").click()
    job = page.locator("#ingest-list > li.done").first
    job.wait_for(timeout=300_000)
    assert [b.inner_text() for b in job.locator(".badge").all()] == ["added", "added", "failed"]
    assert "Harbour notes.txt" in job.inner_text() and "unsupported file type" in job.inner_text()
    assert axe_violations(page) == []

    # Kept under their own names; no server path on the page or in the API.
    table = page.locator("#source-table")
    table.get_by_role("button", name="Ferry crews (draft).md", exact=True).wait_for()
    table.get_by_role("button", name="Harbour notes", exact=True).wait_for()
    assert "citebrief-upload" not in page.locator("body").inner_text()
    listed = get_json(f"{server}/api/sources", server.token)
    assert not [d for d in listed if "citebrief-upload" in str(d)]

    # A web page through the same fetcher as `citebrief add URL`, in the background.
    page.get_by_label("Add from the web").fill(site.url("/mill"))
    page.get_by_label("web pages").check()
    page.get_by_role("button", name="Add from the web").click()
    page.locator("#ingest-list > li.done", has_text="Web pages").first.wait_for(timeout=120_000)
    table.get_by_role("button", name="Tide mill reopens", exact=True).wait_for()
    assert site.hits("/mill")

    # Leave and come back: the additions and their outcomes are still listed.
    page.goto(server + "/")
    page.locator("#ingest-list > li", has_text="Harbour notes.txt").wait_for()
    assert page.locator("#ingest-list > li", has_text="Web pages").count() == 1

    # Filter by outlet and date.
    page.get_by_label("Outlet").select_option("Quay Weekly")
    rows = page.locator("#source-table tbody tr")
    assert rows.count() == 1 and "Harbour notes" in rows.first.inner_text()
    page.get_by_label("Outlet").select_option("")
    page.get_by_label("Published from").fill("2024-04-01")
    page.get_by_label("to", exact=True).fill("2024-04-03")
    dates = [r.locator("td").nth(2).inner_text() for r in rows.all()]
    assert dates and all("2024-04-01" <= d[:10] <= "2024-04-03" for d in dates)
    assert "shown" in page.locator("#source-count").inner_text()
    assert axe_violations(page) == []

    # Delete a source: a second press deletes it from the corpus, its passages with it.
    page.get_by_label("Published from").fill("")
    page.get_by_label("to", exact=True).fill("")
    doc_id = next(d["doc_id"] for d in get_json(f"{server}/api/sources", server.token) if d["title"] == "Harbour notes")
    delete = table.get_by_role("button", name="Delete source: Harbour notes")
    delete.click()
    assert delete.inner_text() == "Press again to delete"
    assert doc_id in {d["doc_id"] for d in get_json(f"{server}/api/sources", server.token)}  # one press: nothing yet
    delete.click()
    page.locator("#upload-status", has_text="Deleted “Harbour notes”").wait_for()
    assert table.get_by_role("button", name="Harbour notes", exact=True).count() == 0
    assert doc_id not in {d["doc_id"] for d in get_json(f"{server}/api/sources", server.token)}
    hits = get_json(f"{server}/api/search?q=north+breakwater+winter+storms&mode=bm25", server.token)["hits"]
    assert doc_id not in {h["doc_id"] for h in hits}
    assert axe_violations(page) == []
    assert errors == []
