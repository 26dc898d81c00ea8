"""Support checking: does the cited text back a sentence? Checkers by name, verdicts, metrics.

    checker = get_checker("rules", embedder=get_embedder("minilm"))
    verdict = checker.check("Politico reported that seven members oppose it.", [passage_text])
    verdict.label, verdict.score, verdict.best_span   # Label.SUPPORTED, 0.83, (0, 120, 260)

Modules: ``text`` (cheap facts of a text), ``windows`` (1–3 sentence windows, embedding cache),
``match`` (signals), ``batch`` (one embedding call per batch), ``rules`` (the score and the previous
checker, ``rules-v1``), ``parsed`` and ``conflicts`` (what the spaCy parse says a sentence asserts),
``parsecheck`` (the default checker, ``rules``: parse-read conflicts and an "uncertain" verdict),
``baselines`` (lexical and cosine), ``pairs`` (the ``verify --pairs`` JSONL contract),
``metrics`` (ALCE citation recall and precision).
"""

from __future__ import annotations

from typing import Callable

from ..embed import Embedder
from ..errors import UsageError
from .baselines import CosineChecker, LexicalChecker
from .describe import describe, figures_line
from .metrics import CitationScores, citation_scores
from .pairs import verify_pairs
from .parsecheck import ParseChecker, ParseOptions
from .rules import RulesChecker, RulesOptions
from .verdict import Label, Pair, Signals, SupportChecker, Verdict
from .windows import EmbeddingCache

CHECKERS: dict[str, Callable[[Embedder | EmbeddingCache], SupportChecker]] = {
    "rules": ParseChecker,
    "rules-v1": RulesChecker,  # the previous checker, kept to compare with (bench/bench_support.py)
    "lexical": LexicalChecker,
    "cosine": CosineChecker,
}


def get_checker(name: str, *, embedder: Embedder | EmbeddingCache) -> SupportChecker:
    """Build the checker registered as ``name`` around ``embedder`` (or a shared ``EmbeddingCache``)."""
    from ..plugins import Kind, load, names

    factory = CHECKERS.get(name) or load(Kind.CHECKERS, name)  # built-in first, then plugins
    if factory is None:
        raise UsageError(f"Unknown support checker {name!r}; choose one of: "
                         f"{', '.join([*CHECKERS, *names(Kind.CHECKERS)])}")
    return factory(embedder)


__all__ = [
    "CHECKERS", "CitationScores", "CosineChecker", "EmbeddingCache", "Label", "LexicalChecker", "Pair", "ParseChecker", "ParseOptions",
    "RulesChecker", "RulesOptions", "Signals", "SupportChecker", "Verdict", "citation_scores",
    "describe", "figures_line", "get_checker", "verify_pairs",
]
