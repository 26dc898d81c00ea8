"""Load run of the web service: N concurrent clients against a real `citebrief serve` for a while.

    python bench/bench_load.py --clients 20 --seconds 120 [--follow poll|stream|both] [--db corpus.db] [--json out.json]
                               [--before SRC]

Starts the real server as a subprocess on a free loopback port with a random access token (as
`citebrief serve` runs by default; the clients send it as a bearer token), waits until it answers,
then runs the clients in threads, each with its own httpx client. Each client loops: ask a question
(POST /api/briefs), follow the job to the end, and now and then search, list the sources, open one
source or read the history. ``--follow poll`` polls GET /api/briefs/{id} every ``--poll`` seconds;
``--follow stream`` reads the job's server-sent events (/events) until "done" or "failed", then
fetches the brief once, as the page does; ``both`` (the default) runs the two one after the other,
each on a fresh copy of the corpus, and prints them side by side. When the time is up no new
question is asked; briefs already asked are still followed to the end (within ``--drain`` seconds).
``--before SRC`` first runs each mode against a server imported from SRC (the ``src`` folder of an
earlier version, e.g. ``git archive OLD src | tar -x -C /tmp/old``), then against this checkout.

Recorded: requests and latency p50/p95/max per endpoint, errors (a non-2xx status, an exception,
a brief job ending "failed", a brief not finished after the drain, the server exiting), briefs
completed and their submit→done time, the jobs queued or running (sampled from the history) and
the server's RSS every second: start, after warm-up, max, end and the least-squares slope in
MB/min after warm-up, so "memory is stable" is judged by a number, and the peak of each minute.
Streaming clients also record the "section" events (each verified section, sent before "done"):
how many per brief, and the time from submit to the first one. Exits 1 on any error.
Without --db the sample corpus (examples/corpus) is ingested into a temporary folder first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO_ROOT, machine, percentile, table  # noqa: E402

QUESTIONS = (
    "Which NATO members oppose Ukraine joining the alliance?",
    "Why did Germany and France resist a membership action plan for Ukraine at Bucharest?",
    "What did the Vilnius summit decide about Ukraine's path to NATO?",
    "Does Hungary support inviting Ukraine into NATO?",
    "What security guarantees short of membership have been offered to Ukraine?",
    "How did Kyiv respond to reports that seven allies resist an invitation?",
    "What did the central bank decide about interest rates?",
    "Why was the city congestion charge approved?",
    "Which drug batch was recalled and why?",
    "How do octopuses change colour?",  # nothing in the corpus: a brief saying so, not a failure
    "What is the best recipe for sourdough bread?",
)
SEARCHES = ("Hungary veto Ukraine", "Bucharest 2008 membership action plan", "armed neutrality porcupine",
            "interest rates inflation", 'NOT "* OR (', "Article 5 unanimity")
FINAL = ("done", "failed")
BRIEF = "GET /api/briefs/{id}"


# -- the server ----------------------------------------------------------------------------------
def cli() -> list[str]:
    """The installed `citebrief` entry point next to this Python, else ``python -m citebrief``."""
    script = Path(sys.executable).parent / "citebrief"
    return [str(script)] if script.exists() else [sys.executable, "-m", "citebrief"]


def sample_corpus(folder: Path) -> Path:
    """Ingest examples/corpus into ``folder``/sample.db with the CLI (the default MiniLM embedder)."""
    db = folder / "sample.db"
    subprocess.run([*cli(), "--db", str(db), "add", str(REPO_ROOT / "examples" / "corpus"), "-q"],
                   check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return db


def copy_corpus(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite corpus (the backup API also copies what is still in the WAL)."""
    if not source.is_file():
        raise SystemExit(f"{source} is not a corpus file — build one with `citebrief --db {source} add PATH`")
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path | str, port: int, log: Path, ready_timeout: float, token: str,
                 src: str | None = None) -> subprocess.Popen:
    """`citebrief serve` in a subprocess with ``token`` (citebrief imported from ``src`` when given);
    returns once GET /api/sources answers 200."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CITEBRIEF_TOKEN": token}
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    with open(log, "wb") as err:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen([*cli(), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=err, env=env)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before it was ready:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=5,
                         headers={"Authorization": f"Bearer {token}"}).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"the server was not ready after {ready_timeout:.0f} s:\n{log.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    """Ctrl+C (uvicorn's graceful shutdown), then SIGKILL if it is still there after 15 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (psutil when installed, else /proc/PID/status VmRSS)."""
    try:
        import psutil
    except ImportError:
        for line in open(f"/proc/{pid}/status", encoding="ascii"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024  # kB
        raise
    return psutil.Process(pid).memory_info().rss / 2**20


# -- what the clients record ------------------------------------------------------------------------
@dataclass
class Record:
    """Everything the run observed; the clients and samplers append to it under ``lock``."""

    latency: dict[str, list[float]] = field(default_factory=dict)  # endpoint → seconds
    statuses: Counter = field(default_factory=Counter)  # (endpoint, status) → requests
    errors: list[str] = field(default_factory=list)
    brief_seconds: list[float] = field(default_factory=list)  # submit → done, per brief
    first_section: list[float] = field(default_factory=list)  # submit → first "section" event, per brief
    sections: list[int] = field(default_factory=list)  # "section" events before "done", per streamed brief
    lead: list[float] = field(default_factory=list)  # first "section" event → "done" event, per brief with sections
    enough_evidence: Counter = field(default_factory=Counter)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since load start, MB)
    pending: list[tuple[float, int]] = field(default_factory=list)  # (seconds, jobs queued or running)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, endpoint: str, seconds: float, status: int | str) -> None:
        with self.lock:
            self.latency.setdefault(endpoint, []).append(seconds)
            self.statuses[(endpoint, status)] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def call(http: httpx.Client, rec: Record, method: str, url: str, endpoint: str,
         expect: tuple[int, ...] = (200,), **params) -> httpx.Response | None:
    """One request, timed and counted; an unexpected status or an exception is an error (None)."""
    start = time.perf_counter()
    try:
        response = http.request(method, url, **params)
    except httpx.HTTPError as exc:
        rec.request(endpoint, time.perf_counter() - start, type(exc).__name__)
        rec.error(f"{endpoint}: {type(exc).__name__}: {exc}")
        return None
    rec.request(endpoint, time.perf_counter() - start, response.status_code)
    if response.status_code not in expect:
        rec.error(f"{endpoint}: HTTP {response.status_code}: {response.text[:300]}")
        return None
    return response


# -- one client ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Plan:
    """When to stop asking, when to give up polling, and how often to poll."""

    stop_asking: float  # time.monotonic() values
    give_up: float
    poll: float
    stream: bool = False  # follow the job's server-sent events instead of polling


def side_requests(http: httpx.Client, rec: Record, rng: random.Random, doc_ids: list[str]) -> None:
    """Now and then, between polls: search, list sources, open a source, read the history."""
    if rng.random() < 0.25:
        call(http, rec, "GET", "/api/search", "GET /api/search",
             params={"q": rng.choice(SEARCHES), "k": 5, "mode": rng.choice(("hybrid", "bm25"))})
    if rng.random() < 0.10:
        listed = call(http, rec, "GET", "/api/sources", "GET /api/sources")
        if listed is not None and not doc_ids:
            doc_ids.extend(d["doc_id"] for d in listed.json())
    if doc_ids and rng.random() < 0.10:
        call(http, rec, "GET", f"/api/sources/{rng.choice(doc_ids)}", "GET /api/sources/{id}")
    if rng.random() < 0.05:
        call(http, rec, "GET", "/api/briefs", "GET /api/briefs", params={"limit": 20})


def one_brief(http: httpx.Client, rec: Record, rng: random.Random, plan: Plan, doc_ids: list[str]) -> None:
    """Ask one question and poll its job to the end."""
    asked = time.monotonic()
    created = call(http, rec, "POST", "/api/briefs", "POST /api/briefs", expect=(202,),
                   json={"question": rng.choice(QUESTIONS)})
    if created is None:
        time.sleep(plan.poll)  # do not hammer a failing endpoint
        return
    job_id = created.json()["id"]
    if plan.stream:
        follow_events(http, rec, job_id, asked, plan)
        side_requests(http, rec, rng, doc_ids)
        return
    while time.monotonic() < plan.give_up:
        time.sleep(plan.poll)
        got = call(http, rec, "GET", f"/api/briefs/{job_id}", BRIEF)
        if got is not None:
            body = got.json()
            if body["status"] == "failed":
                rec.error(f"brief {job_id} failed: {body.get('error')}")
                return
            if body["status"] == "done":
                with rec.lock:
                    rec.brief_seconds.append(time.monotonic() - asked)
                    rec.enough_evidence[bool(body["brief"]["enough_evidence"])] += 1
                return
        side_requests(http, rec, rng, doc_ids)
    rec.error(f"brief {job_id} not finished {plan.give_up - asked:.0f} s after it was asked")


def follow_events(http: httpx.Client, rec: Record, job_id: str, asked: float, plan: Plan) -> None:
    """Read the job's event stream to "done" or "failed" (as the page does), then fetch the brief once."""
    events = f"/api/briefs/{job_id}/events"
    kind, first, final, sections, first_section = None, None, None, 0, None
    start = time.perf_counter()
    try:
        with http.stream("GET", events, timeout=httpx.Timeout(60, read=max(60.0, plan.give_up - time.monotonic()))) \
                as response:
            if response.status_code != 200:
                rec.request("GET /api/briefs/{id}/events", time.perf_counter() - start, response.status_code)
                rec.error(f"GET /api/briefs/{{id}}/events: HTTP {response.status_code}")
                return
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                    if first is None:
                        first = time.perf_counter() - start
                    if kind == "section":
                        sections += 1
                        if sections == 1:
                            first_section = time.monotonic()
                            with rec.lock:
                                rec.first_section.append(first_section - asked)
                elif line.startswith("data: ") and kind in FINAL:
                    final = json.loads(line[6:])
                    if first_section is not None:
                        with rec.lock:
                            rec.lead.append(time.monotonic() - first_section)
                    break
    except httpx.HTTPError as exc:
        rec.request("GET /api/briefs/{id}/events", time.perf_counter() - start, type(exc).__name__)
        rec.error(f"GET /api/briefs/{{id}}/events: {type(exc).__name__}: {exc}")
        return
    rec.request("GET /api/briefs/{id}/events", time.perf_counter() - start, 200)
    if first is not None:
        rec.request("events: first event", first, 200)
    if final is None:
        rec.error(f"brief {job_id}: the event stream ended without done or failed")
        return
    if final["status"] == "failed":
        rec.error(f"brief {job_id} failed: {final.get('error')}")
        return
    got = call(http, rec, "GET", f"/api/briefs/{job_id}", BRIEF)
    if got is not None:
        brief = got.json()["brief"]
        with rec.lock:
            rec.brief_seconds.append(time.monotonic() - asked)
            rec.enough_evidence[bool(brief["enough_evidence"])] += 1
            rec.sections.append(sections)
        if sections not in (0, len(brief["sections"])):
            rec.error(f"brief {job_id}: {sections} section events for a brief of {len(brief['sections'])} sections")


def client(base: str, rec: Record, plan: Plan, seed: int, token: str) -> None:
    """Ask, follow to the end, repeat, until the time is up."""
    rng = random.Random(seed)
    doc_ids: list[str] = []
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
        while time.monotonic() < plan.stop_asking:
            try:
                one_brief(http, rec, rng, plan, doc_ids)
            except Exception as exc:  # a malformed body must be counted, not end the client
                rec.error(f"client {seed}: {type(exc).__name__}: {exc}")


def sample(base: str, pid: int, rec: Record, start: float, stop: threading.Event, token: str) -> None:
    """Every second: the server's RSS; every 5 s: jobs queued or running (from the history)."""
    with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as http:
        tick = 0
        while not stop.wait(1.0 if tick else 0.0):
            now = time.monotonic() - start
            try:
                rec.rss.append((now, rss_mb(pid)))
            except (OSError, ImportError, ValueError) as exc:
                rec.error(f"RSS of {pid} unreadable: {exc}")
                return
            if tick % 5 == 0:
                try:
                    jobs = http.get("/api/briefs", params={"limit": 1000}).json()
                    rec.pending.append((now, sum(j["status"] not in FINAL for j in jobs)))
                except (httpx.HTTPError, ValueError, KeyError, TypeError):
                    pass  # the clients count the server's errors; this is only an observer
            tick += 1


# -- figures ---------------------------------------------------------------------------------------
def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) in MB per minute; nan with fewer than two points."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mx, my = sum(t for t, _ in points) / n, sum(m for _, m in points) / n
    var = sum((t - mx) ** 2 for t, _ in points)
    return 60 * sum((t - mx) * (m - my) for t, m in points) / var if var else float("nan")


def troughs(points: list[tuple[float, float]], window: float = 30.0) -> list[tuple[float, float]]:
    """The lowest sample of each ``window`` seconds: RSS without the peaks of briefs in flight."""
    lows: dict[int, tuple[float, float]] = {}
    for t, m in points:
        slot = int(t // window)
        if slot not in lows or m < lows[slot][1]:
            lows[slot] = (t, m)
    return [lows[k] for k in sorted(lows)]


def memory(rec: Record, warmup: float, load_end: float) -> dict[str, float]:
    """RSS start / after warm-up / max / end (MB) and slopes over warm-up → end of the load.

    ``slope_mb_per_min`` fits every sample; ``trough_slope_mb_per_min`` fits the 30-s minima,
    which a leak raises as surely as the samples but a brief being written does not.
    """
    rss = rec.rss or [(0.0, float("nan"))]
    after = [p for p in rss if p[0] >= warmup]
    steady = [p for p in after if p[0] <= load_end]
    return {"start": rss[0][1], "after_warmup": after[0][1] if after else float("nan"),
            "max": max(m for _, m in rss), "end": rss[-1][1], "slope_mb_per_min": slope_mb_per_min(steady),
            "trough_slope_mb_per_min": slope_mb_per_min(troughs(steady))}


def peaks_per_minute(points: list[tuple[float, float]]) -> list[float]:
    """The highest RSS sample of each minute of the run, in MB."""
    peaks: dict[int, float] = {}
    for t, m in points:
        peaks[int(t // 60)] = max(m, peaks.get(int(t // 60), 0.0))
    return [peaks[k] for k in sorted(peaks)]


def summary(rec: Record, args: argparse.Namespace, load: tuple[tuple[float, ...], tuple[float, ...]],
            elapsed: float, host: str) -> dict:
    """The run's figures as one JSON-able dict."""
    endpoints = {}
    for name, values in sorted(rec.latency.items()):
        ok = sum(n for (e, s), n in rec.statuses.items() if e == name and isinstance(s, int) and s < 300)
        endpoints[name] = {"requests": len(values), "ok": ok, "p50_ms": 1000 * percentile(values, 50),
                           "p95_ms": 1000 * percentile(values, 95), "max_ms": 1000 * max(values)}
    pending = [n for _, n in rec.pending]
    return {"follow": "stream" if args.stream else "poll", "code": args.code,
            "clients": args.clients, "seconds": args.seconds, "warmup": args.warmup, "elapsed": elapsed,
            "requests": sum(len(v) for v in rec.latency.values()), "errors": len(rec.errors),
            "error_kinds": Counter(e.split(":")[0] for e in rec.errors).most_common(),
            "error_examples": rec.errors[:20], "endpoints": endpoints,
            "briefs_done": len(rec.brief_seconds),
            "briefs_enough_evidence": rec.enough_evidence[True], "briefs_not_enough": rec.enough_evidence[False],
            "brief_seconds": {"p50": percentile(rec.brief_seconds, 50), "p95": percentile(rec.brief_seconds, 95),
                              "max": max(rec.brief_seconds, default=float("nan"))},
            "first_section_seconds": {"p50": percentile(rec.first_section, 50),
                                      "p95": percentile(rec.first_section, 95)},
            "first_section_lead_seconds": {"p50": percentile(rec.lead, 50), "p95": percentile(rec.lead, 95)},
            "sections_streamed": sum(rec.sections), "briefs_with_sections": sum(1 for n in rec.sections if n),
            "rss_peak_per_minute": peaks_per_minute(rec.rss),
            "jobs_pending_max": max(pending, default=0), "jobs_pending_last": pending[-1] if pending else 0,
            "rss_mb": memory(rec, args.warmup, args.seconds), "rss_series": [(round(t), round(m)) for t, m in rec.rss],
            "pending_series": rec.pending, "loadavg_start": load[0], "loadavg_end": load[1],
            "machine": host}


def report(fig: dict) -> str:
    """The figures as Markdown."""
    rows = [(name, e["requests"], e["requests"] - e["ok"], f"{e['p50_ms']:.0f}", f"{e['p95_ms']:.0f}",
             f"{e['max_ms']:.0f}") for name, e in fig["endpoints"].items()]
    b, m = fig["brief_seconds"], fig["rss_mb"]
    load = lambda la: " / ".join(f"{x:.2f}" for x in la)  # noqa: E731
    lines = [
        f"**{fig['follow']}** ({fig['code']}): {fig['clients']} clients for {fig['seconds']} s "
        f"(+ drain: {fig['elapsed']:.0f} s in all); "
        f"{fig['machine']}", "",
        table(("endpoint", "requests", "non-2xx", "p50 ms", "p95 ms", "max ms"), rows), "",
        table(("figure", "value"), [
            ("requests", fig["requests"]), ("errors", fig["errors"]),
            ("briefs completed (enough evidence / not enough)",
             f"{fig['briefs_done']} ({fig['briefs_enough_evidence']} / {fig['briefs_not_enough']})"),
            ("brief submit→done p50 / p95 / max", f"{b['p50']:.1f} / {b['p95']:.1f} / {b['max']:.1f} s"),
            ("submit→first section p50 / p95 (briefs with sections)",
             f"{fig['first_section_seconds']['p50']:.1f} / {fig['first_section_seconds']['p95']:.1f} s "
             f"({fig['briefs_with_sections']}; {fig['sections_streamed']} section events)"),
            ("first section ahead of done p50 / p95",
             f"{fig['first_section_lead_seconds']['p50']:.2f} / {fig['first_section_lead_seconds']['p95']:.2f} s"),
            ("jobs queued or running, max / last sample", f"{fig['jobs_pending_max']} / {fig['jobs_pending_last']}"),
            ("server RSS start / after warm-up / max / end",
             f"{m['start']:.0f} / {m['after_warmup']:.0f} / {m['max']:.0f} / {m['end']:.0f} MB"),
            (f"RSS slope after {fig['warmup']:.0f} s warm-up: all samples / 30-s minima",
             f"{m['slope_mb_per_min']:+.2f} / {m['trough_slope_mb_per_min']:+.2f} MB/min"),
            ("load average (1/5/15 min) start → end", f"{load(fig['loadavg_start'])} → {load(fig['loadavg_end'])}"),
            ("server RSS, peak of each minute", " ".join(f"{m:.0f}" for m in fig["rss_peak_per_minute"]) + " MB"),
        ], "lr")]
    if fig["errors"]:
        lines += ["", "Errors by kind: " + ", ".join(f"{k} × {n}" for k, n in fig["error_kinds"]), *(
            f"- {e}" for e in fig["error_examples"])]
    return "\n".join(lines)


# -- the run ---------------------------------------------------------------------------------------
def run(args: argparse.Namespace, db: Path | str, log: Path, src: str | None = None) -> dict:
    """Start the server (imported from ``src`` when given), run the clients and the sampler, stop the
    server; return the figures."""
    port, token = free_port(), secrets.token_urlsafe(24)
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, log, args.ready_timeout, token, src)
    rec, stop = Record(), threading.Event()
    try:
        load_start, host = os.getloadavg(), machine()
        print(f"server ready on {base} (pid {server.pid}); load average {load_start}", flush=True)
        start = time.monotonic()
        plan = Plan(start + args.seconds, start + args.seconds + args.drain, args.poll, args.stream)
        sampler = threading.Thread(target=sample, args=(base, server.pid, rec, start, stop, token), daemon=True)
        sampler.start()
        clients = [threading.Thread(target=client, args=(base, rec, plan, args.seed + i, token), name=f"client-{i}")
                   for i in range(args.clients)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        elapsed = time.monotonic() - start
        stop.set()
        sampler.join()
        if server.poll() is not None:
            rec.error(f"server: exited with {server.returncode} during the run")
    finally:
        stop.set()
        stop_server(server)
    return summary(rec, args, (load_start, os.getloadavg()), elapsed, host)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120, help="how long new questions are asked")
    parser.add_argument("--warmup", type=float, default=20, help="seconds before the RSS slope is measured")
    parser.add_argument("--drain", type=float, default=300, help="seconds after the end to finish asked briefs")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls of a brief job")
    parser.add_argument("--follow", choices=("poll", "stream", "both"), default="both",
                        help="how clients follow a brief: polling, the event stream, or one run of each")
    parser.add_argument("--db", help="a corpus file (copied first) or a postgresql:// URL "
                                     "(default: ingest examples/corpus into a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ready-timeout", type=float, default=300)
    parser.add_argument("--before", help="also run each mode against citebrief imported from this src folder "
                                         "(an earlier version), before this checkout")
    args = parser.parse_args()
    if args.before and not (Path(args.before) / "citebrief" / "__init__.py").is_file():
        raise SystemExit(f"--before {args.before}: no citebrief package there — give the src folder of an "
                         "earlier version, e.g. `git archive OLD src | tar -x -C /tmp/old` and --before /tmp/old/src")
    work = Path(tempfile.mkdtemp(prefix="citebrief-load-"))
    try:
        source = sample_corpus(work) if args.db is None else args.db
        figures = []
        codes = [("before", args.before), ("this checkout", None)] if args.before else [("this checkout", None)]
        modes = ("poll", "stream") if args.follow == "both" else (args.follow,)
        for name, mode, (code, src) in ((f"{m}-{n}", m, c) for m in modes for n, c in enumerate(codes)):
            if "://" in str(source):  # a database URL (PostgreSQL): used as it is
                db = source
            else:  # a fresh copy per run: a run adds brief records, and must not touch a live server's jobs
                db = copy_corpus(Path(source), work / f"corpus-{name}.db")
            args.stream, args.code = mode == "stream", code if src is None else f"{code}: {src}"
            fig = run(args, db, work / f"server-{name}.log", src)
            print(report(fig) + "\n", flush=True)
            server_log = (work / f"server-{name}.log").read_text(errors="replace").strip()
            if fig["errors"] and server_log:
                print("\nserver log (last 3000 characters):\n" + server_log[-3000:])
            figures.append(fig)
        if args.json:
            args.json.write_text(json.dumps(figures if len(figures) > 1 else figures[0], indent=2, default=str) + "\n")
        return 1 if any(f["errors"] for f in figures) else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
