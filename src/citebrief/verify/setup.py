"""Build the support checker a command or an API call asked for, with the model ``llm`` needs.

    setup = checker_setup(flag, toml_path, os.environ)      # --checker > [verify] > "rules"
    with open_checker(setup, embedder=embedder) as checker:  # the model client is closed afterwards
        verdicts = checker.check_many(pairs)

The one place where `ask`, `check`, `verify --pairs` and ``Corpus.ask`` turn a checker name into a
checker, so the model judge is set up (settings, cache, closing) the same way everywhere.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping

from ..errors import ConfigError, UsageError
from .settings import DEFAULT_CHECKER, chosen_checker

if TYPE_CHECKING:
    from ..embed import Embedder
    from ..llm import LLMConfig
    from .verdict import SupportChecker
    from .windows import EmbeddingCache

_OFFLINE_WRITER = "extractive"  # a backend name that names no model (``llm.writer.EXTRACTIVE``)


@dataclass(frozen=True, slots=True)
class CheckerSetup:
    """Which support checker to build, and the model settings when it needs a model (``llm``)."""

    name: str = DEFAULT_CHECKER
    llm: "LLMConfig | None" = None  # what the model checker asks; None for an offline checker

    @property
    def needs_model(self) -> bool:
        """True for a checker that asks a language model (``verify.MODEL_CHECKERS``)."""
        from . import MODEL_CHECKERS

        return self.name in MODEL_CHECKERS


def needs_model_message(detail: str = "") -> str:
    """The error text for a model checker without a model: what to set, or which checker to choose."""
    from . import CHECKERS

    why = f" ({detail})" if detail else ""
    return (f"The llm support checker needs a language model{why}: set `backend` and `model` in [llm] of "
            "citebrief.toml (or CITEBRIEF_LLM and CITEBRIEF_MODEL), or choose an offline checker: "
            f"{', '.join(CHECKERS)}")


def checker_setup(flag: str | None, toml: Path | None, env: Mapping[str, str], *,
                  llm: "LLMConfig | None" = None) -> CheckerSetup:
    """The checker ``flag`` (else [verify] of ``toml``, else the default) names, with its model.

    A model checker uses ``llm`` when given (the brief's writer model: one client, one token
    budget), else the [llm] settings of the environment and ``toml``; none there is a UsageError.
    """
    name = chosen_checker(flag, toml)
    setup = CheckerSetup(name)
    if not setup.needs_model:
        return setup
    return CheckerSetup(name, llm or judge_config(env, toml))


def judge_config(env: Mapping[str, str], toml: Path | None) -> "LLMConfig":
    """The [llm] settings (environment > citebrief.toml) the model checker asks, or a UsageError."""
    from ..llm import chosen_backend, resolve_config

    if chosen_backend({}, env, toml) in (None, _OFFLINE_WRITER):
        raise UsageError(needs_model_message("none is configured"))
    try:
        return resolve_config({}, env, toml)
    except ConfigError as exc:  # no model name, a bad URL …: the checker cannot run, say why
        raise UsageError(needs_model_message(str(exc))) from None


@contextmanager
def open_checker(setup: CheckerSetup | str, *, embedder: "Embedder | EmbeddingCache", generator: object | None = None,
                 cache_dir: Path | None = None) -> Iterator["SupportChecker"]:
    """The checker ``setup`` names; a model checker gets ``generator``, or one made here and closed after.

    ``cache_dir``: where a generator made here caches its calls when ``setup.llm`` names no cache.
    """
    from . import get_checker

    setup = CheckerSetup(setup) if isinstance(setup, str) else setup
    if not setup.needs_model:
        yield get_checker(setup.name, embedder=embedder)
        return
    label = f"{setup.llm.backend}:{setup.llm.model}" if setup.llm else "the configured model"
    if generator is not None or setup.llm is None:  # None and None: get_checker says what to set
        yield get_checker(setup.name, embedder=embedder, generator=generator, model=label)
        return
    from ..llm import make_generator

    config = setup.llm
    if config.cache_dir is None and cache_dir is not None:
        config = config.model_copy(update={"cache_dir": cache_dir})
    with make_generator(config) as made:
        yield get_checker(setup.name, embedder=embedder, generator=made, model=label)
