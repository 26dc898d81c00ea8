"""Web research on a simulated web: pages found and fetched, key facts stated, time per brief by stage.

The web: the scrapinghub article-extraction pages (``html/<id>.html.gz``, 88 news and blog pages
from ~75 sites) served on loopback, each original site on its own address (127.0.0.2, 127.0.0.3,
…) with the page at its original path, so domain caps, per-host politeness and robots.txt work
as on the real web. The search engine: a small server speaking SearXNG's JSON format, ranking the
pages' extracted text (title + body, citebrief's HTML reader) with SQLite FTS5 BM25 and answering
the top 10, like a metasearch page.

For each of 10 questions written about stories in those pages (one to three pages each), a fresh
corpus runs ``Corpus.research`` with the default options (budget 120 s, 2 rounds, 40 sources, 3
per domain, 1 s between requests to one host), MiniLM embeddings and the extractive writer.

Metrics per question:

- relevant fetched: share of the question's pages (listed below) that the run fetched and
  ingested within the budget;
- facts: how many of the 2–3 key facts (each a set of accepted spellings, case-insensitive) occur
  in the brief's sentences;
- time: wall seconds of search, fetch (download and read; embedding excluded), embed (the
  ingested passages), write (``Corpus.ask``: retrieval, analysis, writing, verification), from the
  run record's timings. The model load happens once, before the first question, and is excluded.

    .venv/bin/python bench/bench_research.py [DATA_DIR] [--questions N] [--budget S] [--json PATH]

DATA_DIR is the article-extraction folder (default ../shared/eval/article-extraction); without it
the benchmark prints SKIP and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval" / "article-extraction"
RESULTS_PER_PAGE = 10


@dataclass(frozen=True)
class Question:
    text: str
    pages: tuple[str, ...]  # page id prefixes (the relevant pages)
    facts: tuple[tuple[str, ...], ...]  # each fact: accepted spellings


QUESTIONS = (
    Question("Why is the New York attorney general investigating WeWork?", ("06e5123e", "1ace8c85"),
             (("self-dealing",), ("Neumann",), ("cooperating",))),
    Question("What did NASA scientists find about water vapor on Jupiter's moon Europa?",
             ("14cc2a0c", "686bb170"), (("Keck",), ("Paganini",), ("Olympic", "2,300 tons", "2,095"))),
    Question("What do the early reviews say about Google Stadia?", ("680c2848", "042bb7b5"),
             (("$129", "Founder's Edition"), ("Chromecast Ultra",), ("missing features", "beta"))),
    Question("Why was Myles Garrett suspended after the Browns-Steelers fight?",
             ("08f79376", "7ab16ade", "6a72de37"),
             (("helmet",), ("Rudolph",), ("rest of the season", "$250,000", "indefinitely"))),
    Question("Why did South Dakota's \"Meth. We're on it\" anti-drug campaign draw criticism?",
             ("156770d6", "776a1c04", "3f65af7b"),
             (("Noem",), ("449,000", "449K", "half a million"), ("Twitter", "ridicule"))),
    Question("What did the New York man who threatened to kill Rep. Ilhan Omar plead guilty to?",
             ("6ebac05f", "7a457a4f"), (("Carlineo",), ("10 years",), ("Feb. 14", "February 14"))),
    Question("What changed in the keyboard of Apple's 16-inch MacBook Pro?", ("65bf3048", "232a43fb"),
             (("scissor",), ("butterfly",), ("Esc key", "Escape key"))),
    Question("What does China demand in a phase one trade deal with the United States?",
             ("39d5c43b", "702d1da6"),
             (("roll back", "rolling back", "removing tariffs"), ("farm",), ("Dec. 15", "156 billion"))),
    Question("Why will the house where Hitler was born become a police station?", ("5a822960",),
             (("Braunau",), ("neo-Nazi", "pilgrimage"), ("Peschorn",))),
    Question("How much will Alibaba raise in its Hong Kong listing?", ("360c732d",),
             (("12.9bn", "12.9 billion"), ("176 Hong Kong dollars", "HK$176"),
              ("second listing", "secondary listing"))),
)


# -- the simulated web ------------------------------------------------------------------------------

@dataclass(frozen=True)
class WebPage:
    page_id: str
    original: str  # the URL the page had on the real web
    html: bytes
    title: str
    text: str


def load_pages(folder: Path) -> list[WebPage]:
    """Every page of ground-truth.json with its HTML and the text citebrief's reader extracts."""
    from citebrief.errors import InputError
    from citebrief.readers import read_html

    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in sorted(truth.items()):
        data = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        try:
            doc = read_html(data, page_id)[0]
            title, text = doc.title or "", doc.text
        except InputError:
            title, text = "", ""
        pages.append(WebPage(page_id, item.get("url") or f"https://unknown.example/{page_id}", data,
                             title, text))
    return pages


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _start(address: str, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((address, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def _with_slash(path: str) -> str:
    """``/a/b?x=1`` → ``/a/b/?x=1``."""
    base, mark, query = path.partition("?")
    return f"{base}/{mark}{query}"


def _site(routes: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    """A handler serving ``routes`` (path with query → HTML), 404 for anything else.

    A path missing its trailing slash is redirected (301) to the slashed one, as WordPress and most
    real sites do; ``canonical_url`` drops trailing slashes from search results.
    """
    class Site(_Quiet):
        def do_GET(self) -> None:
            body = routes.get(self.path)
            if body is not None:
                self._send(200, body, "text/html")
            elif _with_slash(self.path) in routes:
                self.send_response(301)
                self.send_header("Location", _with_slash(self.path))
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(404, b"not found", "text/plain")
    return Site


def serve_sites(pages: Sequence[WebPage]) -> tuple[dict[str, str], list[ThreadingHTTPServer]]:
    """One loopback address per original site; returns page id → loopback URL, and the servers."""
    by_host: dict[str, list[WebPage]] = {}
    for page in pages:
        by_host.setdefault(urlsplit(page.original).netloc.lower(), []).append(page)
    urls: dict[str, str] = {}
    servers = []
    for n, (_, site) in enumerate(sorted(by_host.items()), start=2):
        paths = {}
        for page in site:
            parts = urlsplit(page.original)
            paths[page.page_id] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        server = _start(f"127.0.0.{n}", _site({paths[p.page_id]: p.html for p in site}))
        servers.append(server)
        for page_id, path in paths.items():
            urls[page_id] = f"http://127.0.0.{n}:{server.server_address[1]}{path}"
    return urls, servers


def build_index(pages: Sequence[WebPage], urls: dict[str, str]) -> sqlite3.Connection:
    """An FTS5 index of title + text, as the search engine's corpus."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE VIRTUAL TABLE pages USING fts5(url UNINDEXED, title, body, "
                 "tokenize='porter unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO pages VALUES (?,?,?)",
                     [(urls[p.page_id], p.title, p.text) for p in pages])
    return conn


def serve_search(conn: sqlite3.Connection) -> ThreadingHTTPServer:
    """``GET /search?q=…&format=json`` answered in SearXNG's JSON format, BM25-ranked."""
    from citebrief.store.fts import fts_match

    lock = threading.Lock()

    class Search(_Quiet):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query).get("q", [""])[0]
            match = fts_match(query)
            rows = []
            if parts.path == "/search" and match:
                with lock:
                    rows = conn.execute("SELECT url, title, substr(body, 1, 240) FROM pages WHERE pages "
                                        "MATCH ? ORDER BY bm25(pages) LIMIT ?",
                                        (match, RESULTS_PER_PAGE)).fetchall()
            results = [{"url": u, "title": t, "content": c, "engine": "bench-bm25"} for u, t, c in rows]
            body = json.dumps({"query": query, "results": results}).encode()
            self._send(200, body, "application/json")

    return _start("127.0.0.1", Search)


# -- one question ---------------------------------------------------------------------------------

def brief_text(brief: Any) -> str:
    """Every sentence of the brief's sections and disputes, one string."""
    data = brief.to_json()
    parts = [s["text"] for section in data["sections"] for s in section["sentences"]]
    parts += [side["text"] for d in data["disputes"] for side in d["sides"]]
    return "\n".join(parts)


def run_question(question: Question, search_url: str, urls: dict[str, str], budget: float) -> dict[str, Any]:
    """Research one question in a fresh corpus; its metrics and timings."""
    from citebrief import Corpus
    from citebrief.research.loop import ResearchOptions, choose_searchers
    from citebrief.research.urls import canonical_url
    from citebrief.web import FetchOptions

    # Compared in canonical form: the run logs URLs as canonical_url spells them (no trailing slash).
    relevant = {pid: canonical_url(url) for pid, url in urls.items() if pid.startswith(question.pages)}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(str(Path(tmp) / "research.db"))
        options = ResearchOptions(budget=budget, fetch=FetchOptions(allow_private=True))
        start = time.perf_counter()
        brief = corpus.research(question.text, searchers=choose_searchers([], search_url=search_url),
                                options=options)
        wall = time.perf_counter() - start
        record = corpus.run(brief.extra["run_id"])
        corpus.close()
    got = {f.url for f in record.fetches if f.status in ("added", "unchanged", "near-duplicate")}
    text = brief_text(brief).lower()
    facts = sum(any(s.lower() in text for s in spellings) for spellings in question.facts)
    return {"question": question.text, "relevant": len(relevant),
            "relevant_fetched": sum(u in got for u in relevant.values()),
            "fetched": len(got), "facts": facts, "facts_total": len(question.facts),
            "sources": len(brief.sources), "enough": brief.enough_evidence,
            "queries": len({q.text for q in record.queries}), "rounds": record.rounds,
            "timings": record.timings, "wall": wall}


def report(rows: list[dict[str, Any]]) -> str:
    """The Markdown table and totals."""
    body = []
    for r in rows:
        t = r["timings"]
        body.append((r["question"][:58], f"{r['relevant_fetched']}/{r['relevant']}", r["fetched"],
                     f"{r['facts']}/{r['facts_total']}", r["sources"], r["queries"],
                     t.get("search", 0.0), t.get("fetch", 0.0), t.get("embed", 0.0),
                     t.get("write", 0.0), r["wall"]))
    lines = [table(("question", "relevant fetched", "pages", "facts", "cited", "queries", "search s",
                    "fetch s", "embed s", "write s", "total s"), body)]
    rel = sum(r["relevant_fetched"] for r in rows) / max(1, sum(r["relevant"] for r in rows))
    facts = sum(r["facts"] for r in rows) / max(1, sum(r["facts_total"] for r in rows))
    lines.append(f"\nrelevant pages fetched: {rel:.0%}; key facts stated: {facts:.0%}; "
                 f"mean wall time per brief: {sum(r['wall'] for r in rows) / max(1, len(rows)):.1f} s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA,
                        help="the article-extraction folder (html/ and ground-truth.json)")
    parser.add_argument("--questions", type=int, default=len(QUESTIONS), help="run the first N questions")
    parser.add_argument("--budget", type=float, default=120.0, help="research budget per question (s)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").is_file() or not (args.data / "html").is_dir():
        print(f"SKIP: article-extraction data not found at {args.data} — pass the folder holding "
              "ground-truth.json and html/ as the first argument.")
        return 0
    from citebrief.embed import get_embedder

    pages = load_pages(args.data)
    urls, servers = serve_sites(pages)
    search = serve_search(build_index(pages, urls))
    get_embedder("minilm")  # load the model once, outside the timings
    print(f"# bench_research — {len(pages)} pages on {len(servers)} loopback sites\n\n{machine()}\n")
    rows = []
    try:
        for question in QUESTIONS[:args.questions]:
            rows.append(run_question(question, f"http://127.0.0.1:{search.server_address[1]}", urls,
                                     args.budget))
            print(f"done: {question.text}", file=sys.stderr)
    finally:
        for server in [*servers, search]:
            server.shutdown()
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
