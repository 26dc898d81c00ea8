"""What showing sections as they are verified costs, and how early they come: ask, in-process, before and after.

    python bench/bench_stream.py --before /tmp/old/src [--db sample.db] [--rounds 3] [--runs 3]
    python bench/bench_stream.py --before /tmp/old/src --llm-delay 0.5 [--questions 3]

Each round starts one process per version (``--before SRC``: citebrief imported from the ``src``
folder of an earlier version, e.g. ``git archive OLD src | tar -x -C /tmp/old``; then this checkout),
in alternating order, each on a fresh copy of the corpus. A process asks every question once to warm
its caches (parses, vectors, as a server that has answered before), then asks each ``--runs`` times
and records the wall time of each ask and, where the version has it (``on_section``), when the
first and last sections were handed over, relative to the end of the ask. Printed: the median ask
per question for each version (the median of its runs over all rounds) and their ratio, and how far
ahead of the finished brief the first section came. Without --db the sample corpus is ingested
into a temporary folder first (MiniLM).

``--llm-delay SECONDS``: the briefs are written by a language model — a scripted one on loopback
(tests/fakes/llm_server.py, the OpenAI wire format) that copies evidence sentences with their ids,
as the tests' honest model does, and answers every request after SECONDS. Each ask gets a fresh
LLM cache, so every call waits. Printed per version: the median time from the start of the ask to
the first section, to the first section written by the model, and to the finished brief.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, table  # noqa: E402
from bench_load import QUESTIONS, copy_corpus, sample_corpus  # noqa: E402

ASKED = QUESTIONS


def inner(db: str, runs: int) -> None:
    """In the child: warm up, then time each question ``runs`` times; print JSON rows."""
    import inspect

    from citebrief import Corpus

    corpus = Corpus(db)
    hooked = "on_section" in inspect.signature(corpus.ask).parameters
    for question in ASKED:
        corpus.ask(question)
    rows = []
    for _ in range(runs):
        for question in ASKED:
            marks: list[float] = []
            kw = {"on_section": lambda partial: marks.append(time.perf_counter())} if hooked else {}
            start = time.perf_counter()
            brief = corpus.ask(question, **kw)
            end = time.perf_counter()
            rows.append({"question": question, "seconds": end - start, "sections": len(brief.sections),
                         "first_ahead": end - marks[0] if marks else None,
                         "first_at": marks[0] - start if marks else None})
    corpus.close()
    print(json.dumps({"hooked": hooked, "rows": rows}))


def scripted_model():
    """The loopback model: valid plan, evidence sentences copied with their ids, rewrites likewise."""
    import re

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from fakes.llm_server import FakeLLMServer, ok_reply  # noqa: E402

    from citebrief.llm.prompts import EVIDENCE_CLOSE, EVIDENCE_OPEN, SYSTEM_PLAN, SYSTEM_REVISE

    item_re = re.compile(r"^\[(E\d+)\] (.*?)(?: \(([^()]*)\))?$")

    class Model(FakeLLMServer):
        def _next(self, request):
            with self._lock:
                self.received.append(request)
            messages = request.body["messages"]
            system, user = messages[0]["content"], messages[-1]["content"]
            if system.startswith(SYSTEM_PLAN):
                plan = json.loads(messages[1]["content"].split("(JSON):\n", 1)[1].split("\n\nReply", 1)[0])
                return ok_reply("openai", json.dumps({"facets": plan["facets"]}))
            block = user.split(EVIDENCE_OPEN, 1)[1].split(EVIDENCE_CLOSE, 1)[0] if EVIDENCE_OPEN in user else ""
            items = [(m.group(1), m.group(2)) for line in block.strip().splitlines() if (m := item_re.match(line))]
            if system.startswith(SYSTEM_REVISE):
                texts = dict(items)
                cited = re.findall(r"^(\d+)\. .*\(cited: (E\d+)", user, re.M)
                return ok_reply("openai", "\n".join(f"{n}. {texts[e]} [{e}]" for n, e in cited if e in texts))
            return ok_reply("openai", " ".join(f"{text} [{eid}]" for eid, text in items[:3]))

    return Model().start()


def inner_llm(db: str, runs: int, delay: float, questions: int) -> None:
    """In the child: a brief per question by the scripted model (warm-up without delay), then timed asks."""
    import inspect

    from citebrief import Corpus
    from citebrief.llm import LLMConfig

    model = scripted_model()
    corpus = Corpus(db)
    hooked = "on_section" in inspect.signature(corpus.ask).parameters
    asked: list[str] = []  # questions the corpus answers (a model writes nothing for the others)
    for question in ASKED:
        if len(asked) < questions and corpus.ask(question).enough_evidence:
            asked.append(question)
    caches = Path(tempfile.mkdtemp(prefix="citebrief-llm-cache-"))

    def ask(question: str, n: int, on_section=None) -> object:
        config = LLMConfig(backend="openai", model="m", base_url=model.openai_base_url, api_key="sk-bench",
                           backoff=0, max_retries=0, timeout=60, cache_dir=caches / str(n))
        return corpus.ask(question, llm=config, **({"on_section": on_section} if hooked else {}))

    for n, question in enumerate(asked):
        ask(question, -1 - n)
    model.delay = delay
    rows = []
    for r in range(runs):
        for n, question in enumerate(asked):
            marks: list[tuple[float, str]] = []
            start = time.perf_counter()
            brief = ask(question, r * 100 + n, lambda partial: marks.append((time.perf_counter(),
                                                                           partial.sections[-1][0])))
            end = time.perf_counter()
            facets = {h for h, _ in brief.sections[1:-1]}
            rows.append({"question": question, "done": end - start, "calls": brief.metrics.get("llm_calls"),
                         "first": marks[0][0] - start if marks else None,
                         "first_model": next((t - start for t, h in marks if h in facets), None)})
    corpus.close()
    model.stop()
    shutil.rmtree(caches, ignore_errors=True)
    print(json.dumps({"hooked": hooked, "rows": rows}))


def child(src: str | None, db: Path, runs: int, llm: tuple[float, int] | None = None) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    extra = ["--llm-delay", str(llm[0]), "--questions", str(llm[1])] if llm else []
    out = subprocess.run([sys.executable, __file__, "--inner", str(db), "--runs", str(runs), *extra], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"the benchmark process failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=False, help="src folder of the earlier version")
    parser.add_argument("--db", help="a MiniLM corpus file (copied); default: ingest examples/corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--llm-delay", type=float, help="write with a scripted model that answers after this many s")
    parser.add_argument("--questions", type=int, default=3, help="with --llm-delay: how many questions")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        if args.llm_delay is not None:
            inner_llm(args.inner, args.runs, args.llm_delay, args.questions)
        else:
            inner(args.inner, args.runs)
        return 0
    if args.before and not (Path(args.before) / "citebrief" / "__init__.py").is_file():
        raise SystemExit(f"--before {args.before}: no citebrief package there — give the src folder of an "
                         "earlier version (git archive OLD src | tar -x -C /tmp/old; --before /tmp/old/src)")
    work = Path(tempfile.mkdtemp(prefix="citebrief-stream-"))
    try:
        source = Path(args.db) if args.db else sample_corpus(work)
        if args.llm_delay is not None:
            return llm_rounds(args, source, work)
        codes = [("before", args.before), ("this checkout", None)] if args.before else [("this checkout", None)]
        seconds: dict[str, dict[str, list[float]]] = {c: {} for c, _ in codes}
        ahead, first_at, load = [], [], [os.getloadavg()]
        for r in range(args.rounds):
            for name, src in (codes if r % 2 == 0 else codes[::-1]):
                db = copy_corpus(source, work / f"corpus-{r}-{len(name)}.db")
                got = child(src, db, args.runs)
                for row in got["rows"]:
                    seconds[name].setdefault(row["question"], []).append(row["seconds"])
                    if row["first_ahead"] is not None and src is None:
                        ahead.append(row["first_ahead"])
                        first_at.append(row["first_at"])
                db.unlink()
            load.append(os.getloadavg())
        medians = {name: [statistics.median(seconds[name][q]) for q in ASKED] for name in seconds}
        rows = []
        for i, question in enumerate(ASKED):
            cells = [f"{medians[name][i]:.3f}" for name, _ in codes]
            ratio = [f"{medians['this checkout'][i] / medians['before'][i]:.2f}"] if args.before else []
            rows.append((question[:60], *cells, *ratio))
        totals = [f"{sum(medians[name]):.2f}" for name, _ in codes]
        rows.append(("**all questions (sum of medians)**", *totals,
                     *([f"{sum(medians['this checkout']) / sum(medians['before']):.2f}"] if args.before else [])))
        print(f"{machine()}; {args.rounds} rounds × {args.runs} runs per question and version, after one warm-up "
              f"ask each; load average (1 min) per round: {', '.join(f'{la[0]:.2f}' for la in load)}\n")
        print(table(("question", *(f"{name} s" for name, _ in codes), *(["after/before"] if args.before else [])),
                    rows, "l" + "r" * (len(codes) + bool(args.before))))
        if ahead:
            print(f"\nfirst section handed over {statistics.median(first_at):.3f} s after the ask began (median), "
                  f"{statistics.median(ahead):.3f} s before the brief was done (median; p95 "
                  f"{sorted(ahead)[int(0.95 * (len(ahead) - 1))]:.3f} s), over {len(ahead)} asks with sections")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def llm_rounds(args: argparse.Namespace, source: Path, work: Path) -> int:
    """``--llm-delay``: time to the first section, the first model section and done, per version."""
    codes = [("before", args.before), ("this checkout", None)] if args.before else [("this checkout", None)]
    got: dict[str, list[dict]] = {c: [] for c, _ in codes}
    load = [os.getloadavg()]
    for r in range(args.rounds):
        for name, src in (codes if r % 2 == 0 else codes[::-1]):
            db = copy_corpus(source, work / f"corpus-{r}-{len(name)}.db")
            got[name] += child(src, db, args.runs, (args.llm_delay, args.questions))["rows"]
            db.unlink()
        load.append(os.getloadavg())

    def median(rows: list[dict], key: str) -> str:
        values = [row[key] for row in rows if row[key] is not None]
        return f"{statistics.median(values):.2f}" if values else "—"

    rows = [(name, median(got[name], "first"), median(got[name], "first_model"), median(got[name], "done"),
             f"{statistics.median(row['calls'] for row in got[name]):.0f}", str(len(got[name])))
            for name, _ in codes]
    print(f"{machine()}; scripted model answering after {args.llm_delay} s a request; {args.rounds} rounds × "
          f"{args.runs} runs of {args.questions} questions per version, after one warm-up ask each; load "
          f"average (1 min) per round: {', '.join(f'{la[0]:.2f}' for la in load)}\n")
    print(table(("version", "first section s", "first model section s", "done s", "model calls", "asks"),
                rows, "lrrrrr"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
