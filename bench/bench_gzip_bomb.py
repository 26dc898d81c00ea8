"""Peak memory of fetching decompression bombs (issue 16, item 3), one fresh process per case.

    python bench/bench_gzip_bomb.py [--decoded-mb 4096] [--max-mb 20]

Each case starts a loopback HTTP server in a child process, fetches one URL through
``HttpFetcher`` (the reader every page, feed and robots.txt goes through) and reports the answer,
the time and the child's peak RSS (``ru_maxrss``), beside its RSS just before the fetch:

    stacked   ``Content-Encoding: gzip, gzip``: gzip of a gzip of N MiB of zeros (a few KB sent)
    single    ``Content-Encoding: gzip``: a gzip of N MiB of zeros (~1 MB sent per GiB)

Before the bounded reader (citebrief/httpbody.py), the stacked case at 4 GiB reached 8.46 GB RSS (issue 16)
and at 1 GiB 2.1 GB; it must now be refused on its headers, and the single one stop at the limit.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the bomb builders live beside the test server


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _current_rss_mb() -> float:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(case: str, decoded_mb: int, max_mb: int) -> None:
    """Serve the bomb, fetch it, print one tab-separated result line."""
    from citebrief.errors import FetchError
    from citebrief.web import FetchOptions, HttpFetcher
    from webserver import gzip_bytes, gzip_of_zeros

    body = gzip_of_zeros(decoded_mb)
    encoding = "gzip"
    if case == "stacked":
        body, encoding = gzip_bytes(body), "gzip, gzip"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = HttpFetcher(FetchOptions(respect_robots=False, allow_private=True,
                                       max_bytes=max_mb * 2**20))
    before = _current_rss_mb()
    started = time.perf_counter()
    try:
        page = fetcher.fetch(f"http://127.0.0.1:{server.server_address[1]}/")
        answer = f"fetched {len(page.body):,} bytes"
    except FetchError as exc:
        answer = str(exc).split(": ", 1)[1]
    seconds = time.perf_counter() - started
    print(f"{case}\t{len(body)}\t{encoding}\t{answer}\t{seconds:.2f}\t{before:.0f}\t{_rss_mb():.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decoded-mb", type=int, default=4096, help="MiB of zeros inside the bomb")
    parser.add_argument("--max-mb", type=int, default=20, help="the fetcher's size limit (MiB)")
    parser.add_argument("--child", choices=("stacked", "single"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.decoded_mb, args.max_mb)
        return
    print(f"decoded size {args.decoded_mb:,} MiB, limit {args.max_mb} MiB\n")
    print("| case | sent | Content-Encoding | answer | time (s) | RSS before (MB) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for case in ("stacked", "single"):
        out = subprocess.run([sys.executable, __file__, "--child", case, "--decoded-mb",
                              str(args.decoded_mb), "--max-mb", str(args.max_mb)],
                             capture_output=True, text=True, check=True).stdout.strip()
        name, sent, encoding, answer, seconds, before, peak = out.split("\t")
        print(f"| {name} | {int(sent):,} B | {encoding} | {answer} | {seconds} | {before} | {peak} |")


if __name__ == "__main__":
    main()
