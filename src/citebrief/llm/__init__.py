"""Language-model backends for the writer: one ``Generator`` seam, two wire formats, one host.

    config = resolve_config({"model": "llama3.1:8b"}, os.environ, Path("citebrief.toml"))
    with make_generator(config) as llm:   # one per brief: it carries the token budget
        text = llm.generate([Message("system", "..."), Message("user", "[E1] ...")])

Modules: ``base`` (Message, Generator, WireFormat, errors), ``openai_chat`` and
``anthropic_messages`` (wire formats), ``registry`` (GENERATORS), ``config`` (LLMConfig,
resolve_config), ``host`` (HostedGenerator: retries, cache, budget, errors), ``cache``,
``text`` (strip_reasoning, parse_evidence_sentences), ``jsonloose`` (parse_json_loose).
"""

from __future__ import annotations

from .base import BudgetExceededError, Generator, MalformedOutputError, Message, Reply, WireFormat
from .config import ENV_VARS, LLMConfig, chosen_backend, resolve_config
from .host import HostedGenerator, make_generator
from .jsonloose import parse_json_loose
from .registry import GENERATORS, backend_choices
from .text import parse_evidence_sentences, strip_reasoning

__all__ = [
    "BudgetExceededError", "ENV_VARS", "GENERATORS", "Generator", "HostedGenerator", "LLMConfig",
    "MalformedOutputError", "Message", "Reply", "WireFormat", "backend_choices", "chosen_backend",
    "make_generator", "parse_evidence_sentences", "parse_json_loose", "resolve_config", "strip_reasoning",
]
