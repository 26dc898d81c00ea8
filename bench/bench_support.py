"""Support-checker quality and speed: the rules checker against lexical and cosine baselines.

Data (read by path from outside the project; default ``../shared/eval`` from the repo root):

- ExpertQA ``expertqa/{rand_val,domain_val}.jsonl``. The two files share most questions, so they are
  pooled and deduplicated by question (first occurrence wins), then split by question:
  DEV = questions whose SHA-256 is even, HELD-OUT = the rest. One item per claim whose evidence
  carries text; the claim loses its [n] markers, each evidence loses its "[n] URL" prefix.
  Gold: support == "Complete" (binary). Metrics: accuracy, macro-F1, balanced accuracy.
- Climate-FEVER ``climate-fever/climate-fever-dev.jsonl``: one item per claim–evidence pair,
  split by claim (SHA-256 of the claim text even → DEV). 3-way gold SUPPORTS / REFUTES /
  NOT_ENOUGH_INFO. Verdicts map supported and partial → SUPPORTS, contradicted → REFUTES,
  unsupported → NOT_ENOUGH_INFO (partial as SUPPORTS scored 0.486 macro-F1 on DEV against 0.481
  as NOT_ENOUGH_INFO, a tie in practice; ``--calibrate`` prints both).
  Metrics: accuracy, macro-F1.

Baseline thresholds are tuned on DEV (max macro-F1) in every run; the rules checker runs with
the constants stored in ``citebrief.verify.rules``. ``--calibrate`` refits those constants on DEV
and prints them. All embeddings are the real all-MiniLM-L6-v2.

    .venv/bin/python bench/bench_support.py [EVAL_ROOT] [--calibrate] [--calibrate-v2] [--limit N]
        [--speed-only] [--no-speed] [--previous GIT_REF]

``--previous GIT_REF`` runs the rules checker of that commit (``git archive`` of ``src/citebrief``,
first on PYTHONPATH, in a subprocess) on the same data, so two versions sit side by side in one run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from citebrief.embed import get_embedder
from citebrief.split import split_sentences
from citebrief.verify import (CosineChecker, EmbeddingCache, Label, LexicalChecker, ParseChecker, ParseOptions,
                              RulesChecker, RulesOptions)
from citebrief.verify.rules import FEATURES, decide_label, feature_vector, support_probability
from citebrief.verify.text import analyse, strip_citations
from citebrief.verify.windows import windows_of

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval"
_EVIDENCE_RE = re.compile(r"^\s*\[\d+\]\s*\S*\s*\n+(.*)$", re.S)
CF_LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")

Item = tuple[str, list[str], object]  # (sentence, passages, gold)


def is_dev(key: str) -> bool:
    """DEV half: the SHA-256 of the question/claim text is even."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2 == 0


def load_expertqa(root: Path) -> dict[str, list[Item]]:
    """ExpertQA claims with text evidence, split into {"dev": [...], "held-out": [...]}."""
    seen: set[str] = set()
    halves: dict[str, list[Item]] = {"dev": [], "held-out": []}
    for name in ("rand_val.jsonl", "domain_val.jsonl"):
        for line in (root / "expertqa" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["question"] in seen:
                continue
            seen.add(row["question"])
            half = halves["dev" if is_dev(row["question"]) else "held-out"]
            for answer in row["answers"].values():
                for claim in answer.get("claims") or []:
                    texts = [m.group(1).strip() for e in claim.get("evidence") or []
                             if (m := _EVIDENCE_RE.match(e)) and m.group(1).strip()]
                    if texts:
                        half.append((strip_citations(claim["claim_string"]), texts,
                                     claim.get("support") == "Complete"))
    return halves


def load_climate_fever(root: Path) -> dict[str, list[Item]]:
    """Climate-FEVER claim–evidence pairs split by claim into dev / held-out."""
    halves: dict[str, list[Item]] = {"dev": [], "held-out": []}
    for line in (root / "climate-fever" / "climate-fever-dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        half = halves["dev" if is_dev(row["claim"]) else "held-out"]
        for ev in row["evidences"]:
            half.append((row["claim"], [ev["evidence"]], ev["evidence_label"]))
    return halves


# -- metrics ------------------------------------------------------------------------------------

def macro_f1(gold: Sequence, pred: Sequence, labels: Sequence) -> float:
    """Mean over ``labels`` of per-class F1 (a class never predicted nor present scores 0)."""
    scores = []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def balanced_accuracy(gold: Sequence, pred: Sequence, labels: Sequence) -> float:
    """Mean per-class recall."""
    recalls = []
    for lab in labels:
        n = sum(g == lab for g in gold)
        recalls.append(sum(g == lab and p == lab for g, p in zip(gold, pred)) / n if n else 0.0)
    return sum(recalls) / len(recalls)


def accuracy(gold: Sequence, pred: Sequence) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def binary_row(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, float, float]:
    return accuracy(gold, pred), macro_f1(gold, pred, (True, False)), balanced_accuracy(gold, pred, (True, False))


def to_cf(label: Label) -> str:
    """Climate-FEVER reading of a verdict (partial → SUPPORTS, chosen on DEV)."""
    return {Label.SUPPORTED: "SUPPORTS", Label.PARTIAL: "SUPPORTS",  # uncertain → NOT_ENOUGH_INFO
            Label.CONTRADICTED: "REFUTES"}.get(label, "NOT_ENOUGH_INFO")


def tune_threshold(values: Sequence[float], gold: Sequence, score: Callable[[Sequence], float],
                   positive: object) -> float:
    """The threshold on ``values`` (value >= t → ``positive``) that maximises ``score`` on dev."""
    negative = False if positive is True else "NOT_ENOUGH_INFO"
    best_t, best = 0.0, -1.0
    for t in np.unique(np.round(values, 3)):
        s = score([positive if v >= t else negative for v in values])
        if s > best:
            best_t, best = float(t), s
    return best_t


# -- running ------------------------------------------------------------------------------------

def run(checker, items: Sequence[Item]):
    return checker.check_many([(s, ps) for s, ps, _ in items])


def flag_precision(gold: Sequence, labels: Sequence[Label], flag: Label, wrong: Callable[[object], bool]) -> str:
    """"precision (n)" of one flag: the share of pairs given ``flag`` whose gold says the flag is right."""
    hits = [wrong(g) for g, lab in zip(gold, labels) if lab is flag]
    return f"{sum(hits) / len(hits):.3f} ({len(hits)})" if hits else "– (0)"


def evaluate(halves: dict[str, list[Item]], cache: EmbeddingCache, *, three_way: bool,
             options: RulesOptions, only_rules: bool = False) -> list[tuple[str, str, tuple, str]]:
    """Rows of (checker, half, metrics, note): the checker, the previous one, both baselines, always-supported.

    Binary metrics read "supported" as the positive verdict; every other verdict (uncertain too)
    is negative. Flag precision: the share of "contradicted" / "unsupported" verdicts whose gold is
    not Complete (ExpertQA) or is REFUTES / not SUPPORTS (Climate-FEVER).
    """
    rows = []
    labels = CF_LABELS if three_way else (True, False)
    positive = "SUPPORTS" if three_way else True
    negative = "NOT_ENOUGH_INFO" if three_way else False
    gold = {h: [g for *_, g in items] for h, items in halves.items()}

    def metrics(h, verdict_labels, pred):
        base = (accuracy(gold[h], pred), macro_f1(gold[h], pred, labels)) if three_way else binary_row(gold[h], pred)
        if three_way:
            con = flag_precision(gold[h], verdict_labels, Label.CONTRADICTED, lambda g: g == "REFUTES")
            uns = flag_precision(gold[h], verdict_labels, Label.UNSUPPORTED, lambda g: g != "SUPPORTS")
        else:
            con = flag_precision(gold[h], verdict_labels, Label.CONTRADICTED, lambda g: not g)
            uns = flag_precision(gold[h], verdict_labels, Label.UNSUPPORTED, lambda g: not g)
        uncertain = sum(lab is Label.UNCERTAIN for lab in verdict_labels) / max(1, len(verdict_labels))
        return (*base, con, uns, uncertain)

    for name, checker, note in (("rules (this version)", ParseChecker(cache), "constants in verify/parsecheck.py"),
                                ("rules-v1 (first version)", RulesChecker(cache, options=options),
                                 "constants in verify/rules.py")):
        for h, items in halves.items():
            verdicts = run(checker, items)
            vl = [v.label for v in verdicts]
            pred = [to_cf(lab) if three_way else lab is Label.SUPPORTED for lab in vl]
            rows.append((name, h, metrics(h, vl, pred), note))
        if only_rules:
            return rows
    for name, checker in (("word overlap", LexicalChecker()), ("MiniLM cosine", CosineChecker(cache))):
        values = {h: [v.score for v in run(checker, items)] for h, items in halves.items()}
        t = tune_threshold(values["dev"], gold["dev"], lambda p: macro_f1(gold["dev"], p, labels), positive)
        for h in halves:
            pred = [positive if v >= t else negative for v in values[h]]
            vl = [Label.SUPPORTED if v >= t else Label.UNSUPPORTED for v in values[h]]
            rows.append((name, h, metrics(h, vl, pred), f"threshold {t:.3f} tuned on dev"))
    for h in halves:
        rows.append(("always supported", h, metrics(h, [Label.SUPPORTED] * len(gold[h]), [positive] * len(gold[h])),
                     ""))
    return rows


def previous_rows(ref: str, eval_root: Path, limit: int) -> dict[str, list]:
    """The "rules" rows of the package as it was at git ``ref``, run by this script in a subprocess.

    ``git archive`` puts that commit's ``src/citebrief`` in a temporary folder that goes first on
    PYTHONPATH, so the same data, splits and metrics judge the previous version beside this one.
    """
    import subprocess
    import tarfile
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(REPO_ROOT), "archive", ref, "src/citebrief"],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        out = subprocess.run([sys.executable, __file__, str(eval_root), "--rules-rows", "--limit", str(limit)],
                             capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_table(title: str, rows, columns: Sequence[str]) -> None:
    print(f"\n### {title}\n")
    print("| checker | half | " + " | ".join(columns) + " | note |")
    print("|---|---|" + "---:|" * len(columns) + "---|")
    for name, half, values, note in rows:
        cells = [v if isinstance(v, str) else f"{v:.3f}" for v in values]
        print(f"| {name} | {half} | " + " | ".join(cells) + f" | {note} |")


def majority_note(halves: dict[str, list[Item]]) -> str:
    parts = []
    for h, items in halves.items():
        gold = [g for *_, g in items]
        top = max(set(gold), key=gold.count)
        parts.append(f"{h}: n={len(gold)}, majority class {top!r} = {gold.count(top) / len(gold):.3f}")
    return "; ".join(parts)


def brief_like_pairs(corpus: Path, n: int = 100) -> list[tuple[str, list[str]]]:
    """A brief's workload from the project's own sample corpus: ~100-word passages, and ``n``
    sentences, each a reworded sentence of one passage citing it plus (every other one) a neighbour."""
    passages: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        sentences = [body[s:e] for s, e in split_sentences(body)]
        for i in range(0, len(sentences), 5):
            passages.append(" ".join(sentences[i:i + 5]))
    pairs = []
    for k in range(n):
        passage = passages[k % len(passages)]
        first = passage[slice(*split_sentences(passage)[0])]
        cited = [passage] + ([passages[(k + 1) % len(passages)]] if k % 2 else [])
        pairs.append((f"Reports said: {first} [{k % 9 + 1}]", cited))
    return pairs


def speed(pairs: Sequence[tuple[str, list[str]]], embedder_name: str, factory=ParseChecker) -> tuple[float, float]:
    """(wall, CPU) seconds for one cold ``check_many`` over ``pairs`` (text and embedding caches cleared).

    CPU time is reported beside wall time because a shared machine can slow the wall clock
    several-fold; on an idle 2-core machine MiniLM's wall time is about half its CPU time. The
    spaCy parse cache is cleared too, but the pipeline stays loaded (as in a long-running process).
    """
    from citebrief.analysis import parse as parse_module

    analyse.cache_clear()
    windows_of.cache_clear()
    checker = factory(get_embedder(embedder_name))
    checker.check_many(pairs[:1])  # load the models
    analyse.cache_clear()
    windows_of.cache_clear()
    parse_module._cache.clear()
    checker = factory(get_embedder(embedder_name))
    wall, cpu = time.perf_counter(), time.process_time()
    checker.check_many(list(pairs))
    return time.perf_counter() - wall, time.process_time() - cpu


def print_speed(eqa: dict[str, list[Item]] | None) -> None:
    workloads = {"100 brief-like pairs (examples/corpus, ~100-word passages)":
                 brief_like_pairs(REPO_ROOT / "examples" / "corpus")}
    if eqa is not None:
        workloads["100 ExpertQA DEV pairs (~1,000-character passages)"] = [(s, ps) for s, ps, _ in eqa["dev"][:100]]
    print("\n### Speed: one cold check_many (seconds, wall / CPU)\n")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| workload | rules, hashing | rules, MiniLM | rules-v1, hashing | rules-v1, MiniLM |\n|---|---:|---:|---:|---:|")
    for name, pairs in workloads.items():
        cells = [speed(pairs, e, f) for f in (ParseChecker, RulesChecker) for e in ("hashing", "minilm")]
        print(f"| {name} | " + " | ".join(f"{w:.2f} / {c:.2f}" for w, c in cells) + " |")


# -- calibration ----------------------------------------------------------------------------------

def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, *, l2: float) -> np.ndarray:
    """Weighted L2 logistic regression, weights >= 0 except conflict (<= 0); returns [bias, w...].

    Signs are constrained so the score is monotone in each signal: more coverage, agreement or
    cosine never lowers it, and a conflict never raises it.
    """
    from scipy.optimize import minimize  # installed with sentence-transformers; bench-only

    x1 = np.hstack([np.ones((len(x), 1)), x])

    def loss(w):
        p = 1.0 / (1.0 + np.exp(-np.clip(x1 @ w, -30, 30)))
        value = -(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).sum() + l2 * (w[1:] ** 2).sum()
        grad = x1.T @ (weight * (p - y))
        grad[1:] += 2 * l2 * w[1:]
        return value, grad

    bounds = [(None, None)] + [(None, 0.0) if f == "conflict" else (0.0, None) for f in FEATURES]
    return minimize(loss, np.zeros(x1.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds).x


def _balanced(y: np.ndarray) -> np.ndarray:
    """Sample weights giving each class of one data set half of that set's total weight 1."""
    pos = max(y.mean(), 1e-9)
    return np.where(y == 1, 0.5 / pos, 0.5 / max(1 - pos, 1e-9)) / len(y)


def _cv_auc(x: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, folds: int = 5) -> float:
    """Mean-rank AUC of out-of-fold scores (5 folds by position)."""
    scores = np.zeros(len(y))
    for k in range(folds):
        test = np.arange(len(y)) % folds == k
        w = fit_logistic(x[~test], y[~test], weight[~test], l2=l2)
        scores[test] = w[0] + x[test] @ w[1:]
    ranks = scores.argsort().argsort()
    pos = y == 1
    return (ranks[pos].mean() - (pos.sum() - 1) / 2) / (~pos).sum()


def calibrate(eqa: dict[str, list[Item]], cf: dict[str, list[Item]], cache: EmbeddingCache) -> None:
    """Refit the rules constants on the DEV halves and print them (held-out is never read)."""
    eqa_v, cf_v = run(RulesChecker(cache), eqa["dev"]), run(RulesChecker(cache), cf["dev"])
    eqa_gold = [bool(g) for *_, g in eqa["dev"]]
    cf_gold = [g for *_, g in cf["dev"]]
    x = np.array([feature_vector(v.signals) for v in eqa_v + cf_v])
    y = np.array([float(g) for g in eqa_gold] + [float(g == "SUPPORTS") for g in cf_gold])
    weight = np.concatenate([_balanced(y[: len(eqa_v)]), _balanced(y[len(eqa_v):])]) / 2
    l2 = max((1e-4, 1e-3, 1e-2), key=lambda c: _cv_auc(x, y, weight, c))
    w = fit_logistic(x, y, weight, l2=l2)
    print(f"pooled DEV: {len(eqa_v)} ExpertQA + {len(cf_v)} Climate-FEVER pairs; features {FEATURES}; l2 {l2}")
    print("WEIGHTS =", tuple(round(float(v), 3) for v in w))

    def supported_f1(t: float) -> tuple[float, float]:
        """Macro-F1 of "supported vs the rest" on ExpertQA DEV and on Climate-FEVER DEV (SUPPORTS)."""
        opts = RulesOptions(weights=tuple(w), supported_at=float(t))
        out = []
        for verdicts, gold in ((eqa_v, eqa_gold), (cf_v, [g == "SUPPORTS" for g in cf_gold])):
            pred = [decide_label(v.signals, support_probability(v.signals, w), opts) is Label.SUPPORTED
                    for v in verdicts]
            out.append(macro_f1(gold, pred, (True, False)))
        return out[0], out[1]

    # One threshold for both sets: the mean of the two DEV macro-F1s is flatter and steadier than
    # either alone (ExpertQA DEV alone has several peaks within ±0.01 of each other).
    t_sup = max(np.arange(0.3, 0.9, 0.005), key=lambda t: sum(supported_f1(t)))
    print(f"SUPPORTED_AT = {t_sup:.3f}  (DEV macro-F1 supported-vs-rest: ExpertQA %.3f, Climate-FEVER %.3f)"
          % supported_f1(t_sup))
    for partial_as in ("SUPPORTS", "NOT_ENOUGH_INFO"):
        def cf_f1(pc: float, cc: float) -> float:
            opts = RulesOptions(weights=tuple(w), supported_at=float(t_sup), partial_coverage=pc,
                                contradiction_coverage=cc)
            labels = [decide_label(v.signals, support_probability(v.signals, w), opts) for v in cf_v]
            pred = [partial_as if lab is Label.PARTIAL else to_cf(lab) for lab in labels]
            return macro_f1(cf_gold, pred, CF_LABELS)

        grid = [(pc, cc) for pc in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.01) for cc in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)]
        pc, cc = max(grid, key=lambda g: cf_f1(*g))
        print(f"partial → {partial_as}: best PARTIAL_COVERAGE = {pc}  CONTRADICTION_COVERAGE = {cc}  "
              f"(Climate-FEVER DEV macro-F1 {cf_f1(pc, cc):.3f}); by PARTIAL_COVERAGE: "
              + ", ".join(f"{p}: {cf_f1(p, cc):.3f}" for p in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)))


def calibrate_v2(eqa: dict[str, list[Item]], cf: dict[str, list[Item]], cache: EmbeddingCache) -> None:
    """Print, for each flag constant of the default checker, flag precision by its value (DEV only).

    The rules verdicts and the parse readings are computed once; each grid varies one constant of
    ``ParseOptions`` with the others at their defaults, so a row is what the checker would do.
    """
    from dataclasses import replace

    from citebrief.verify.parsecheck import read_pairs

    screen = ParseChecker(cache)
    sets = []
    for name, items, contradicted_right, unsupported_right in (
            ("ExpertQA", eqa["dev"], lambda g: not g, lambda g: not g),
            ("Climate-FEVER", cf["dev"], lambda g: g == "REFUTES", lambda g: g != "SUPPORTS")):
        pairs = [(s, ps) for s, ps, _ in items]
        first = screen.inner.check_many(pairs)
        sets.append((name, first, read_pairs(pairs, first), [g for *_, g in items],
                     contradicted_right, unsupported_right))
    cf_gold = sets[1][3]

    def row(options: ParseOptions) -> str:
        checker = ParseChecker(cache, options=options)
        cells = []
        for name, first, readings, gold, c_right, u_right in sets:
            labels = [checker.decide(f, r).label for f, r in zip(first, readings)]
            cells.append(f"{name}: contradicted {flag_precision(gold, labels, Label.CONTRADICTED, c_right)}, "
                         f"unsupported {flag_precision(gold, labels, Label.UNSUPPORTED, u_right)}")
            if name == "Climate-FEVER":
                cells.append(f"3-way macro-F1 {macro_f1(cf_gold, [to_cf(lab) for lab in labels], CF_LABELS):.3f}")
        return "; ".join(cells)

    base = ParseOptions()
    grids = (("UNSUPPORTED_BELOW", "unsupported_below", (0.28, 0.30, 0.33, 0.36, 0.40)),
             ("ELSEWHERE_BELOW", "elsewhere_below", (0.0, 0.33, 0.36, 0.40, 0.45, 0.50, 1.0)),
             ("unsupported_unaligned", "unsupported_unaligned", (False, True)),
             ("ON_POINT", "on_point", (0.0, 0.4, 0.45, 0.5, 0.55, 0.6)),
             ("DENIAL_ON_POINT", "denial_on_point", (0.3, 0.4, 0.45, 0.5, 0.6)))
    print("Precision (n) of each flag on the calibration split; ExpertQA: gold not Complete; Climate-FEVER: "
          "REFUTES for contradicted, not SUPPORTS for unsupported.")
    for title, field, values in grids:
        print(f"{title} (default {getattr(base, field)}):")
        for value in values:
            print(f"  {value!s:>5}: " + row(replace(base, **{field: value})))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_root", nargs="?", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--calibrate", action="store_true", help="refit the rules constants on DEV and print them")
    parser.add_argument("--calibrate-v2", action="store_true",
                        help="print the default checker's flag precision by each flag constant on DEV")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N items of each half (smoke runs)")
    parser.add_argument("--speed-only", action="store_true", help="only the speed table")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed table")
    parser.add_argument("--previous", metavar="GIT_REF", help="also run the rules checker as it was at this "
                        "commit (same data and metrics, in a subprocess), beside this version")
    parser.add_argument("--rules-rows", action="store_true", help=argparse.SUPPRESS)  # used by --previous
    args = parser.parse_args(argv)
    if args.speed_only:
        print_speed(load_expertqa(args.eval_root) if (args.eval_root / "expertqa").is_dir() else None)
        return 0
    needed = [args.eval_root / "expertqa" / "rand_val.jsonl", args.eval_root / "climate-fever" / "climate-fever-dev.jsonl"]
    if not all(p.is_file() for p in needed):
        print(f"SKIP: evaluation data not found under {args.eval_root} (need {', '.join(str(p) for p in needed)}); "
              "pass the eval root as the first argument.")
        return 0
    eqa, cf = load_expertqa(args.eval_root), load_climate_fever(args.eval_root)
    if args.limit:
        eqa = {h: v[: args.limit] for h, v in eqa.items()}
        cf = {h: v[: args.limit] for h, v in cf.items()}
    cache = EmbeddingCache(get_embedder("minilm"), max_items=200_000)
    if args.calibrate:
        calibrate(eqa, cf, cache)
        return 0
    if args.calibrate_v2:
        calibrate_v2(eqa, cf, cache)
        return 0
    if args.rules_rows:
        print(json.dumps({"eqa": evaluate(eqa, cache, three_way=False, options=RulesOptions(), only_rules=True),
                          "cf": evaluate(cf, cache, three_way=True, options=RulesOptions(), only_rules=True)}))
        return 0
    start = time.perf_counter()
    eqa_rows = evaluate(eqa, cache, three_way=False, options=RulesOptions())
    cf_rows = evaluate(cf, cache, three_way=True, options=RulesOptions())
    if args.previous:
        before = previous_rows(args.previous, args.eval_root, args.limit)
        label = f"rules at {args.previous} (previous version)"
        eqa_rows[2:2] = [(label, h, tuple(m), note) for _, h, m, note in before["eqa"]]
        cf_rows[2:2] = [(label, h, tuple(m), note) for _, h, m, note in before["cf"]]
    print(f"## Support checking (all-MiniLM-L6-v2; {time.perf_counter() - start:.0f} s incl. embedding)")
    print_table("ExpertQA, binary (gold: support == Complete)", eqa_rows,
                ("accuracy", "macro-F1", "balanced acc.", "P(contradicted) (n)", "P(unsupported) (n)", "uncertain"))
    print(f"\n{majority_note(eqa)}. Reference: fine-tuned GPT-3.5 ≈ 80% macro-F1 on binary attribution "
          "across AttributionBench sets that include ExpertQA (arXiv 2402.15089).")
    print_table("Climate-FEVER claim–evidence pairs, 3-way", cf_rows,
                ("accuracy", "macro-F1", "P(contradicted) (n)", "P(unsupported) (n)", "uncertain"))
    print(f"\n{majority_note(cf)}.")
    if not args.no_speed:
        print_speed(eqa)
    return 0


if __name__ == "__main__":
    sys.exit(main())
