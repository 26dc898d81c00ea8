"""Support checking: does the cited text back a sentence? Checkers by name, verdicts, metrics.

    checker = get_checker("rules", embedder=get_embedder("minilm"))
    verdict = checker.check("Politico reported that seven members oppose it.", [passage_text])
    verdict.label, verdict.score, verdict.best_span   # Label.SUPPORTED, 0.83, (0, 120, 260)

Modules: ``text`` (cheap facts of a text), ``windows`` (1–3 sentence windows, embedding cache),
``match`` (signals), ``batch`` (one embedding call per batch), ``rules`` (the score and the previous
checker, ``rules-v1``), ``parsed`` and ``conflicts`` (what the spaCy parse says a sentence asserts),
``parsecheck`` (the default checker, ``rules``: parse-read conflicts and an "uncertain" verdict),
``baselines`` (lexical and cosine), ``pairs`` (the ``verify --pairs`` JSONL contract),
``metrics`` (ALCE citation recall and precision), ``judge`` (the model checker, ``llm``), ``setup``
(a checker name and its model settings → a checker, for every command and ``Corpus.ask``).
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
from .setup import CheckerSetup, checker_setup, needs_model_message, open_checker
from .verdict import Label, Pair, Signals, SupportChecker, Verdict
from .windows import EmbeddingCache

CHECKERS: dict[str, Callable[[Embedder | EmbeddingCache], SupportChecker]] = {
    "rules": ParseChecker,
    "rules-v1": RulesChecker,  # the previous checker, kept to compare with (bench/bench_support.py)
    "lexical": LexicalChecker,
    "cosine": CosineChecker,
}


MODEL_CHECKERS = ("llm",)  # need a configured language model besides the embedder (``judge``)


def checker_choices() -> str:
    """``"rules, rules-v1, lexical, cosine, llm"`` and any plugin checkers — for help and errors."""
    from ..plugins import Kind, names

    return ", ".join([*CHECKERS, *MODEL_CHECKERS, *names(Kind.CHECKERS)])


def get_checker(name: str, *, embedder: Embedder | EmbeddingCache, generator: object | None = None,
                model: str = "the configured model") -> SupportChecker:
    """Build the checker registered as ``name`` around ``embedder`` (or a shared ``EmbeddingCache``).

    ``llm`` also needs ``generator`` (an ``llm.Generator``): the offline checker screens every pair
    and the model decides the ones it left uncertain (``judge``).
    """
    from ..plugins import Kind, load

    if name in MODEL_CHECKERS:
        if generator is None:
            raise UsageError(needs_model_message())
        from .judge import ModelJudge

        return ModelJudge(ParseChecker(embedder), generator, model=model)
    factory = CHECKERS.get(name) or load(Kind.CHECKERS, name)  # built-in first, then plugins
    if factory is None:
        raise UsageError(f"Unknown support checker {name!r}; choose one of: {checker_choices()}")
    return factory(embedder)


__all__ = [
    "CHECKERS", "CheckerSetup", "CitationScores", "CosineChecker", "EmbeddingCache", "Label", "LexicalChecker", "MODEL_CHECKERS", "Pair", "ParseChecker", "ParseOptions",
    "RulesChecker", "RulesOptions", "Signals", "SupportChecker", "Verdict", "citation_scores",
    "checker_choices", "checker_setup", "describe", "figures_line", "get_checker", "open_checker", "verify_pairs",
]
