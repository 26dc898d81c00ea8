"""Conflicting sources: does a brief state the true answer and report the disagreement? (RGB counterfactual)

Data: RGB's counterfactual-robustness set (``rgb-counterfactual/en_fact-dev.jsonl``, 50 rows), read
by path from outside the project (default ``../shared/eval/rgb-counterfactual/en_fact-dev.jsonl``).
Each row has a ``query``, the true ``answer``, a false ``fakeanswer`` and three lists of passages:
``positive`` (true), ``positive_wrong`` (the same passages with the answer replaced by the false
one) and ``negative`` (off-topic). For every row a fresh corpus (a SQLite file in a temporary folder)
gets each passage as its own document — one JSONL line with a neutral title "Passage n", in an order
shuffled with the row id as seed, so ingest order cannot tell true from false — and
``Corpus.ask(query)`` writes the brief with the real all-MiniLM-L6-v2 (loaded once, timed apart).

Metrics, on ``Brief.to_json()``. A value "appears" in a text when, after Unicode accent folding,
lower-casing and turning every non-alphanumeric run into one space, it occurs between word
boundaries ("Dec. 1, 2017" → "dec 1 2017"); an answer given as a list of alternatives appears when
any alternative does (RGB's own rule, made punctuation-blind).

- **states true**: the true answer appears in a sentence of the brief's sections.
- **reports dispute**: a dispute has one side whose text holds the true value and another side whose
  text holds the false value, each side with at least one citation.
- **states only false**: the false value appears in the sections and the true value nowhere in the
  brief (neither sections nor disputes).
- **not enough evidence**: the brief says the corpus cannot answer (``enough_evidence`` false).

Diagnostics (always computed; printed per row with ``--verbose``): the brief's evidence is gathered
again with the same plan and retriever (deterministic, so it is the evidence the brief used) and
inspected: which evidence items hold the true/false value, whether a true and a false sentence were
folded into one item as "syndicated copies", whether ingest linked a false document to a true one
as a near-duplicate (reported; find_value_conflicts skips only pairs of one document), and whether
``brief.values.minimal_pair`` accepts the true/false sentence pairs. Each row without a reported
dispute gets the first cause that applies. (The re-run reuses the vectors the brief computed — MiniLM
is deterministic — so it costs no second embedding pass.) One more check: a section sentence that
states one value while citing a source whose quoted text states only the other ("miscited").

    .venv/bin/python bench/bench_rgb.py [DATA.jsonl] [--limit N] [--verbose] [--json [PATH]]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "eval" / "rgb-counterfactual" / "en_fact-dev.jsonl"
KINDS = ("positive", "positive_wrong", "negative")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# -- answers ----------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Accent-folded, lower-cased, punctuation-blind text padded with spaces ("Pogačar," → " pogacar ")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " " + " ".join(_NON_ALNUM.sub(" ", text).split()) + " "


def answer_parts(answer: Any) -> list[list[str]]:
    """RGB answers: a string, a list of alternatives, or a list of parts that each list alternatives."""
    if isinstance(answer, str):
        return [[answer]]
    parts = []
    for part in answer:
        parts.append([part] if isinstance(part, str) else list(part))
    # A flat list of strings is one part with alternatives, not many parts.
    return [[a for p in parts for a in p]] if all(isinstance(p, str) for p in answer) else parts


def appears(answer: Any, text: str) -> bool:
    """Every part of ``answer`` has an alternative that occurs in ``text`` (see the module docstring)."""
    folded = fold(text)
    return all(any(fold(alt) in folded for alt in alts if fold(alt).strip()) for alts in answer_parts(answer))


def answer_label(answer: Any) -> str:
    """The first alternative of every part, for tables."""
    return " / ".join(alts[0] for alts in answer_parts(answer))


# -- one row ----------------------------------------------------------------------------------------


def write_row(row: dict[str, Any], folder: Path) -> tuple[Path, dict[int, str]]:
    """The row's passages as one JSONL file (one document a line); returns it and {line: kind}."""
    items = [(kind, text) for kind in KINDS for text in row.get(kind) or []]
    random.Random(row["id"]).shuffle(items)
    path = folder / "passages.jsonl"
    kinds: dict[int, str] = {}
    with path.open("w", encoding="utf-8") as fh:
        for line, (kind, text) in enumerate(items, start=1):
            fh.write(json.dumps({"title": f"Passage {line}", "text": text}, ensure_ascii=False) + "\n")
            kinds[line] = kind
    return path, kinds


def kind_of(source: str | None, kinds: dict[int, str]) -> str:
    """The passage kind of a document whose source is "<file>.jsonl:<line>"."""
    try:
        return kinds[int(str(source).rsplit(":", 1)[1])]
    except (IndexError, ValueError, KeyError):
        return "?"


def score(brief: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The four outcome flags of one brief."""
    true, false = row["answer"], row["fakeanswer"]
    sentences = [s["text"] for sec in brief.get("sections", []) for s in sec["sentences"]]
    sides = [(side["text"], side.get("citations") or []) for d in brief.get("disputes", []) for side in d["sides"]]
    disputes = brief.get("disputes", [])
    reported = False
    for d in disputes:
        with_true = [i for i, s in enumerate(d["sides"]) if s.get("citations") and appears(true, s["text"])]
        with_false = [i for i, s in enumerate(d["sides"]) if s.get("citations") and appears(false, s["text"])]
        if any(a != b for a in with_true for b in with_false):
            reported = True
    miscited = sum(_miscited(s, brief, true, false) for sec in brief.get("sections", []) for s in sec["sentences"])
    true_in_sections = any(appears(true, s) for s in sentences)
    false_in_sections = any(appears(false, s) for s in sentences)
    true_anywhere = true_in_sections or any(appears(true, t) for t, _ in sides)
    return {"enough_evidence": bool(brief.get("enough_evidence", True)),
            "states_true": true_in_sections, "states_false": false_in_sections,
            "reports_dispute": reported, "only_false": false_in_sections and not true_anywhere,
            "miscited": miscited,
            "disputes": len(disputes), "dispute_kinds": [d.get("kind") for d in disputes],
            "sentences": len(sentences)}


def _miscited(sentence: dict[str, Any], brief: dict[str, Any], true: Any, false: Any) -> bool:
    """A sentence stating one value that cites a source whose quoted text states only the other one."""
    says_true, says_false = appears(true, sentence["text"]), appears(false, sentence["text"])
    if says_true == says_false:
        return False
    by_number = {src["n"]: src for src in brief.get("sources", [])}
    for n in sentence.get("citations", []):
        quotes = " ".join(q["quote"] for q in by_number.get(n, {}).get("passages", []))
        if says_false and appears(true, quotes) and not appears(false, quotes):
            return True
        if says_true and appears(false, quotes) and not appears(true, quotes):
            return True
    return False


# -- diagnostics ------------------------------------------------------------------------------------


def _minimal_pair(a: str, b: str):
    """``brief.values.minimal_pair``: the rule that finds a value replaced in a near-identical sentence."""
    from citebrief.brief.values import minimal_pair

    return minimal_pair(a, b)


def _token_diff(a: str, b: str) -> tuple[list[str], list[str], int, int]:
    """The words only in ``a`` and only in ``b`` under the minimal-pair rule's tokeniser."""
    from citebrief.brief.values import _TOKEN

    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    sa, sb = set(ta), set(tb)
    return [t for t in ta if t not in sb], [t for t in tb if t not in sa], len(ta), len(tb)


def _overlap(a: str, b: str) -> float:
    """Jaccard of the two sentences' folded words."""
    wa, wb = set(fold(a).split()), set(fold(b).split())
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


class Recorder:
    """Remembers every vector the shared embedder returns, so the diagnostic re-run of ``gather`` costs
    no second embedding pass; MiniLM is deterministic, so a remembered vector is the one it would compute.
    Installed on the instance ``get_embedder`` caches; the brief itself never reads from it.
    """

    def __init__(self, embedder) -> None:
        self.name, self.dim, self.seen = embedder.name, embedder.dim, {}
        self._inner = inner = embedder.embed

        def recording(texts):
            out = inner(texts)
            self.seen.update(zip(texts, out))
            return out

        embedder.embed = recording

    def embed(self, texts: list[str]):
        """Remembered vectors, embedding only the texts not seen yet."""
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if missing:
            self.seen.update(zip(missing, self._inner(missing)))
        return np.stack([self.seen[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


RECORDER: Recorder | None = None


def diagnose(corpus, row: dict[str, Any], kinds: dict[int, str]) -> dict[str, Any]:
    """Why a dispute was (not) found: what the brief's evidence holds and what the rules saw."""
    from citebrief.brief.evidence import gather
    from citebrief.brief.question import plan_question
    from citebrief.search import Retriever

    true, false = row["answer"], row["fakeanswer"]
    docs = {d.doc_id: d for d in corpus.sources()}
    cross_dups = sum(1 for d in docs.values() if d.duplicate_of and d.duplicate_of in docs
                     and {kind_of(d.source, kinds), kind_of(docs[d.duplicate_of].source, kinds)}
                     == {"positive", "positive_wrong"})
    plan = plan_question(row["query"])
    embedder = RECORDER or corpus.embedder()
    evidence = gather(plan, Retriever(corpus.store, embedder), embedder)
    holders_true, holders_false, collapsed = [], [], []
    for eid, ev in evidence.items.items():
        copies = [(ev.doc, ev.text)] + [(doc, text) for doc, _, _, _, text in ev.also_in]
        t = [c for c in copies if appears(true, c[1])]
        f = [c for c in copies if appears(false, c[1])]
        if appears(true, ev.text):
            holders_true.append(eid)
        if appears(false, ev.text):
            holders_false.append(eid)
        if (t and f) and not (appears(true, ev.text) and appears(false, ev.text)):
            collapsed.append(eid)
    pairs = [(a, b) for a in holders_true for b in holders_false if a != b]
    items = evidence.items
    # find_value_conflicts compares every pair of items from two different documents.
    cross = [(a, b) for a, b in pairs if items[a].doc.doc_id != items[b].doc.doc_id]
    fired = [(a, b) for a, b in cross if _minimal_pair(items[a].text, items[b].text)]
    rejected = []
    # When the rule fires on no pair, show the closest pairs (most shared words): those it should catch.
    closest = sorted(cross, key=lambda p: -_overlap(items[p[0]].text, items[p[1]].text))
    for a, b in ([] if fired else closest[:3]):
        only_a, only_b, na, nb = _token_diff(items[a].text, items[b].text)
        rejected.append({"true": items[a].text, "false": items[b].text, "only_true": only_a,
                         "only_false": only_b, "tokens": [na, nb]})
    retrieved = {k: 0 for k in KINDS}
    for ev in items.values():
        for doc in [ev.doc] + [d for d, *_ in ev.also_in]:
            retrieved[kind_of(doc.source, kinds)] = retrieved.get(kind_of(doc.source, kinds), 0) + 1
    return {"evidence": len(items), "sentences_by_kind": retrieved,
            "ev_true": holders_true, "ev_false": holders_false, "collapsed": collapsed,
            "cross_duplicates": cross_dups, "separate_pairs": len(pairs), "cross_document_pairs": len(cross),
            "minimal_pair_fires": len(fired), "rejected_pairs": rejected,
            "raw_pairs": raw_pair_check(row)}


def raw_pair_check(row: dict[str, Any]) -> dict[str, int]:
    """The minimal-pair rule on every aligned (positive[i], positive_wrong[i]) sentence pair holding the values.

    Independent of retrieval: does the rule itself accept the row's true/false sentences?
    """
    from citebrief.split import sentences_of

    seen = fired = 0
    for good, bad in zip(row.get("positive") or [], row.get("positive_wrong") or []):
        gs = [s.text for s in sentences_of("g", good)]
        bs = [s.text for s in sentences_of("b", bad)]
        for a, b in zip(gs, bs):
            if appears(row["answer"], a) and appears(row["fakeanswer"], b):
                seen += 1
                fired += bool(_minimal_pair(a, b))
    return {"pairs": seen, "fires": fired}


def cause(result: dict[str, Any]) -> str:
    """The first reason that applies for a row whose brief reports no true-vs-false dispute."""
    if not result["enough_evidence"]:
        return "not enough evidence"
    d = result["diag"]
    if not d["ev_true"] and not d["ev_false"]:
        return "neither value in the evidence"
    if not d["ev_false"] and not d["collapsed"]:
        return "false value not retrieved"
    if not d["ev_true"] and not d["collapsed"]:
        return "true value not retrieved"
    # A folded item hides exactly the aligned (near-identical) pair the minimal-pair rule is for;
    # the separate pairs left over are then different sentences the rule rightly ignores.
    if d["minimal_pair_fires"] == 0 and d["collapsed"]:
        return "true and false folded into one evidence item"
    if d["cross_document_pairs"] == 0:
        return "true and false sentences only within one document"
    if d["minimal_pair_fires"] == 0:
        return "minimal-pair rule rejects the aligned pair"
    return "rule fired, dispute not in the brief"


# -- run --------------------------------------------------------------------------------------------


def run_row(row: dict[str, Any]) -> dict[str, Any]:
    """Build the row's corpus, ask its query, score the brief and diagnose it."""
    from citebrief import Corpus

    with tempfile.TemporaryDirectory(prefix="rgb-") as tmp:
        folder = Path(tmp)
        path, kinds = write_row(row, folder)
        corpus = Corpus(str(folder / "corpus.db"), embedder_name="minilm")
        try:
            start = time.perf_counter()
            report = corpus.add([path])
            ingest = time.perf_counter() - start
            start = time.perf_counter()
            brief = corpus.ask(row["query"]).to_json()
            ask = time.perf_counter() - start
            result = {"id": row["id"], "query": row["query"], "answer": answer_label(row["answer"]),
                      "fakeanswer": answer_label(row["fakeanswer"]),
                      "ingest_s": round(ingest, 3), "ask_s": round(ask, 3),
                      "near_duplicates": sum(o.status == "near-duplicate" for o in report.outcomes),
                      **score(brief, row)}
            result["diag"] = diagnose(corpus, row, kinds)
            result["cited_kinds"] = dict(Counter(kind_of(s.get("path"), kinds) for s in brief.get("sources", [])))
            result["disputes_text"] = [d["summary"] for d in brief.get("disputes", [])]
            result["sections_text"] = [s["text"] for sec in brief.get("sections", []) for s in sec["sentences"]]
            result["brief"] = brief
        finally:
            corpus.close()
    result["cause"] = None if result["reports_dispute"] else cause(result)
    if RECORDER is not None:
        RECORDER.seen.clear()  # one row's texts are of no use to the next
    return result


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "0/0"


def print_report(results: list[dict[str, Any]], load_s: float, total_s: float) -> None:
    """The Markdown summary table, failure causes and a per-row table."""
    n = len(results)
    both = [r for r in results if r["diag"]["ev_true"] and (r["diag"]["ev_false"] or r["diag"]["collapsed"])
            or r["diag"]["collapsed"]]
    print(f"## RGB counterfactual ({n} rows; all-MiniLM-L6-v2 loaded once in {load_s:.1f} s; "
          f"{total_s:.0f} s in all)\n")
    print("| outcome | rows |\n|---|---:|")
    print(f"| states the true answer | {pct(sum(r['states_true'] for r in results), n)} |")
    print(f"| reports the disagreement, both values cited | {pct(sum(r['reports_dispute'] for r in results), n)} |")
    print(f"| … of rows whose evidence holds both values (as items or folded copies) | "
          f"{pct(sum(r['reports_dispute'] for r in both), len(both))} |")
    print(f"| states only the false answer | {pct(sum(r['only_false'] for r in results), n)} |")
    print(f"| states the false answer (with or without the true) | {pct(sum(r['states_false'] for r in results), n)} |")
    print(f"| not enough evidence | {pct(sum(not r['enough_evidence'] for r in results), n)} |")
    print(f"| any dispute reported (any values) | {pct(sum(r['disputes'] > 0 for r in results), n)} |")
    print(f"| a sentence cites a source that states only the other value | "
          f"{pct(sum(r['miscited'] > 0 for r in results), n)} ({sum(r['miscited'] for r in results)} sentences) |")
    asks = [r["ask_s"] for r in results]
    print(f"\nMedian Corpus.ask {statistics.median(asks):.2f} s (max {max(asks):.2f} s); median ingest "
          f"{statistics.median(r['ingest_s'] for r in results):.2f} s per row corpus.")
    raw = [r["diag"]["raw_pairs"] for r in results]
    print(f"Minimal-pair rule on the aligned true/false sentence pairs, before retrieval: fires on "
          f"{sum(p['fires'] for p in raw)} of {sum(p['pairs'] for p in raw)} pairs; rows with a true document "
          f"linked to a false one as a near-duplicate at ingest: "
          f"{sum(r['diag']['cross_duplicates'] > 0 for r in results)}.")
    causes = Counter(r["cause"] for r in results if r["cause"])
    if causes:
        print("\n### Why the disagreement was not reported\n\n| first cause | rows |\n|---|---:|")
        for name, count in causes.most_common():
            print(f"| {name} | {count} |")
    print("\n### Per row\n")
    print("ev T/F/folded: evidence items whose text holds the true / the false value / items whose copies "
          "(folded syndicated duplicates) hold the other value; cross dups: false documents linked to a true "
          "one as near-duplicates at ingest; miscited: section sentences citing a source that states only the "
          "other value.\n")
    print("| id | true | false | true? | dispute? | only false? | miscited | ev T/F/folded | cross dups | cause |")
    print("|---:|---|---|:-:|:-:|:-:|---:|---|---:|---|")
    mark = lambda b: "✓" if b else "·"  # noqa: E731
    for r in results:
        d = r["diag"]
        print(f"| {r['id']} | {r['answer']} | {r['fakeanswer']} | {mark(r['states_true'])} | "
              f"{mark(r['reports_dispute'])} | {mark(r['only_false'])} | {r['miscited']} | "
              f"{len(d['ev_true'])}/{len(d['ev_false'])}/{len(d['collapsed'])} | {d['cross_duplicates']} | "
              f"{r['cause'] or ''} |")


def print_verbose(r: dict[str, Any]) -> None:
    """Everything about one row, for reading failures."""
    d = r["diag"]
    print(f"\n#### Row {r['id']}: {r['query']}  (true: {r['answer']}; false: {r['fakeanswer']})\n")
    print(f"- outcome: states true {r['states_true']}, dispute {r['reports_dispute']}, only false {r['only_false']}, "
          f"enough evidence {r['enough_evidence']}; cause: {r['cause']}")
    print(f"- evidence {d['evidence']} items; sentences by passage kind {d['sentences_by_kind']}; holding true "
          f"{d['ev_true']}, false {d['ev_false']}, folded into one item {d['collapsed']}; near-duplicate links "
          f"true↔false at ingest {d['cross_duplicates']}; separate true/false pairs {d['separate_pairs']} "
          f"({d['cross_document_pairs']} across documents, rule fires on {d['minimal_pair_fires']}); raw aligned "
          f"pairs {d['raw_pairs']}")
    for rej in d["rejected_pairs"]:
        print(f"- rejected pair: only-true {rej['only_true']} / only-false {rej['only_false']} tokens {rej['tokens']}")
        print(f"  - T: {rej['true']}\n  - F: {rej['false']}")
    for s in r["disputes_text"]:
        print(f"- dispute: {s}")
    for s in r["sections_text"][:6]:
        print(f"- sentence: {s}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="en_fact-dev.jsonl")
    parser.add_argument("--limit", type=int, default=0, help="only the first N rows (quick runs)")
    parser.add_argument("--verbose", action="store_true", help="per-row diagnostics after the tables")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH",
                        help="write per-row results as JSON to PATH (or stdout instead of Markdown)")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"SKIP: RGB counterfactual data not found at {args.data}; pass the path to en_fact-dev.jsonl "
              "as the first argument.")
        return 0
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        rows = rows[: args.limit]

    from citebrief.embed import get_embedder

    global RECORDER
    begin = time.perf_counter()
    # Every Corpus below shares this instance through get_embedder's cache.
    RECORDER = Recorder(get_embedder("minilm"))
    load_s = time.perf_counter() - begin
    results = []
    for row in rows:
        results.append(run_row(row))
        print(f"row {row['id']}: true={results[-1]['states_true']} dispute={results[-1]['reports_dispute']}",
              file=sys.stderr)
    total_s = time.perf_counter() - begin
    if args.json == "-":
        json.dump({"model_load_s": load_s, "total_s": total_s, "rows": results}, sys.stdout, indent=1,
                  ensure_ascii=False)
        print()
        return 0
    if args.json:
        Path(args.json).write_text(json.dumps({"model_load_s": load_s, "total_s": total_s, "rows": results},
                                              indent=1, ensure_ascii=False), encoding="utf-8")
    print_report(results, load_s, total_s)
    if args.verbose:
        print("\n### Diagnostics")
        for r in results:
            print_verbose(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
