"""LLM settings: the ``LLMConfig`` trust boundary, and ``resolve_config`` with its precedence.

Each setting is taken from the first place that sets it (a value of None means "not set"):

    1. CLI flags             the ``cli`` dict, keyed by LLMConfig field name ("backend", "model", ...)
    2. environment           CITEBRIEF_LLM, CITEBRIEF_MODEL, CITEBRIEF_BASE_URL;
                             API key: CITEBRIEF_API_KEY, then OPENAI_API_KEY (openai) or
                             ANTHROPIC_API_KEY (anthropic)
    3. citebrief.toml        the ``[llm]`` table, same field names (an API key there is refused:
                             config files get committed, environment variables do not)
    4. defaults              LLMConfig's field defaults; base_url from the chosen backend

The API key is a ``SecretStr``: it prints as ``**********`` in repr, logs and error messages, and
the host leaves it out of cache keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ..config_file import read_table
from ..errors import ConfigError
from .base import WireFormat
from .registry import GENERATORS, backend_choices

ENV_VARS: dict[str, str] = {
    "backend": "CITEBRIEF_LLM",
    "model": "CITEBRIEF_MODEL",
    "base_url": "CITEBRIEF_BASE_URL",
}


class LLMConfig(BaseModel):
    """Validated settings of one LLM backend; built by ``resolve_config`` or directly."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: str
    # No default model: names drift and cost differs a hundredfold, so the user names one.
    model: str = Field(min_length=1)
    base_url: str
    api_key: SecretStr | None = None
    timeout: float = Field(default=120.0, gt=0)  # seconds; local models on a CPU are slow
    max_retries: int = Field(default=3, ge=0)  # retries after the first try, on 429/5xx only
    backoff: float = Field(default=1.0, ge=0)  # first retry delay in seconds; doubles each retry
    max_wait: float = Field(default=60.0, ge=0)  # cap on any single wait, Retry-After included
    token_budget: int | None = Field(default=200_000, gt=0)  # per brief; None = unlimited
    max_tokens: int = Field(default=4096, gt=0)  # reply limit when a call gives none
    cache_dir: Path | None = None  # None = no cache

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in GENERATORS:
            raise ValueError(f"unknown LLM backend {value!r}; choose one of: {backend_choices()}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @property
    def wire(self) -> WireFormat:
        """The wire format of ``backend``."""
        return GENERATORS[self.backend]

    def key_hint(self) -> str:
        """The environment variables the key is read from, e.g. ``CITEBRIEF_API_KEY/OPENAI_API_KEY``."""
        return "/".join(self.wire.key_env_vars)


SETTINGS: tuple[str, ...] = tuple(LLMConfig.model_fields)


def resolve_config(cli: Mapping[str, Any], env: Mapping[str, str], toml_path: Path | None) -> LLMConfig:
    """Merge CLI flags > environment > citebrief.toml ``[llm]`` > defaults into an ``LLMConfig``.

    ``toml_path`` None means no config file; a path that does not exist is an error.
    Raises ``ConfigError`` naming the setting and where its bad value came from.
    """
    values, sources = _merge(cli, env, toml_path)
    backend = values.get("backend")
    if backend is None:
        raise ConfigError(f"no LLM backend chosen; pass --llm, set {ENV_VARS['backend']} or "
                          f"`backend` in [llm] of citebrief.toml to one of: {backend_choices()}")
    if backend not in GENERATORS:
        raise ConfigError(f"unknown LLM backend {backend!r} (from {sources['backend']}); "
                          f"choose one of: {backend_choices()}")
    wire = GENERATORS[backend]
    if values.get("model") in (None, ""):
        raise ConfigError(f"no model set for the {backend} backend; pass --model, set "
                          f"{ENV_VARS['model']} or `model` in [llm] of citebrief.toml "
                          "(e.g. gpt-4o-mini, llama3.1:8b on Ollama, a claude model for anthropic)")
    values.setdefault("base_url", wire.default_base_url)
    if "api_key" not in values:
        for var in wire.key_env_vars:
            if env.get(var):
                values["api_key"], sources["api_key"] = env[var], f"environment variable {var}"
                break
    try:
        return LLMConfig(**values)
    except ValidationError as exc:
        # `from None`: pydantic's own text echoes input values, and one of them may be the key.
        raise ConfigError(_describe(exc, sources)) from None


def chosen_backend(cli: Mapping[str, Any], env: Mapping[str, str], toml_path: Path | None) -> str | None:
    """The backend name the same precedence picks, unvalidated (None when nothing sets one).

    Lets a caller route names that are not Generators (such as "extractive") before resolving.
    """
    values, _ = _merge(cli, env, toml_path)
    return values.get("backend")


def _merge(cli: Mapping[str, Any], env: Mapping[str, str],
           toml_path: Path | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Per setting, the first value set by CLI, environment or file, and where it came from."""
    unknown = sorted(set(cli) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"unknown LLM setting(s) {', '.join(unknown)}; known: {', '.join(SETTINGS)}")
    table = _read_toml(toml_path)
    env_values = {name: env.get(var) or None for name, var in ENV_VARS.items()}
    layers = (("CLI flag", dict(cli)), ("environment", env_values), (f"{toml_path} [llm]", table))
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in SETTINGS:
        for label, layer in layers:
            if layer.get(name) is not None:
                values[name] = layer[name]
                sources[name] = f"environment variable {ENV_VARS[name]}" if label == "environment" else label
                break
    return values, sources


def _read_toml(path: Path | None) -> dict[str, Any]:
    """The ``[llm]`` table of ``path`` (empty when the file has none)."""
    table = read_table(path, "llm")
    if "api_key" in table:
        raise ConfigError(f"{path}: remove api_key from [llm]; keys belong in environment variables "
                          f"({', '.join(v for w in GENERATORS.values() for v in w.key_env_vars)})")
    unknown = sorted(set(table) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [llm]: {', '.join(unknown)}; "
                          f"known: {', '.join(s for s in SETTINGS if s != 'api_key')}")
    return table


def _describe(exc: ValidationError, sources: Mapping[str, str]) -> str:
    """One line per invalid setting: name, reason, and where the value came from."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        name = str(error["loc"][0]) if error["loc"] else "settings"
        where = f" (from {sources[name]})" if name in sources else ""
        lines.append(f"{name}: {error['msg']}{where}")
    return "invalid LLM settings: " + "; ".join(lines)
