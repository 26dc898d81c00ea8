"""The provider registry: name → ``ProviderSpec``. Help text and errors are built from its keys.

A test fake registers nothing: it speaks a provider's wire format and is chosen by pointing the
base URL at it (``ProviderConfig.base_url`` or ``CITEBRIEF_<NAME>_URL``), so tests exercise
exactly the code the real services get.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

from ...errors import UsageError
from ...plugins import Kind, WithPlugins
from . import brave, gdelt, searxng, tavily, wikipedia
from .base import ProviderConfig, Searcher, Secret
from .host import ProviderSpec

# Plugins (citebrief.search_providers entry points) join when the registry is first read.
SEARCHERS: dict[str, ProviderSpec] = WithPlugins(Kind.SEARCH_PROVIDERS, {
    spec.name: spec for spec in (searxng.SPEC, brave.SPEC, tavily.SPEC, gdelt.SPEC, wikipedia.SPEC)
})


def provider_choices() -> str:
    """``"brave, gdelt, searxng, tavily, wikipedia"`` — for help text and error messages."""
    return ", ".join(sorted(SEARCHERS))


def _spec(name: str) -> ProviderSpec:
    spec = SEARCHERS.get(name.strip().lower())
    if spec is None:
        raise UsageError(f"unknown search provider {name!r}; choose from {provider_choices()}")
    return spec


def _from_env(spec: ProviderSpec, config: ProviderConfig,
              environ: Mapping[str, str]) -> ProviderConfig:
    base_url = config.base_url or environ.get(spec.url_env, "").strip() or None
    api_key = config.api_key
    if api_key is None and spec.key_env is not None and environ.get(spec.key_env, "").strip():
        api_key = Secret(environ[spec.key_env])
    return replace(config, base_url=base_url, api_key=api_key)


def make_searcher(name: str, config: ProviderConfig | None = None, *,
                  environ: Mapping[str, str] | None = None) -> Searcher:
    """The searcher called ``name``; unset key and base URL come from the environment.

    Raises ``UsageError`` for an unknown name and ``ConfigError`` (naming the variable to set)
    when a key or instance URL is missing.
    """
    spec = _spec(name)
    env = os.environ if environ is None else environ
    settings = _from_env(spec, config or ProviderConfig(), env)
    return spec.create(settings)


def is_configured(name: str, *, environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``make_searcher(name)`` would find its key and URL in the environment."""
    spec = _spec(name)
    env = os.environ if environ is None else environ
    has_url = bool(spec.default_base_url or env.get(spec.url_env, "").strip())
    has_key = spec.key_env is None or bool(env.get(spec.key_env, "").strip())
    return has_url and has_key


def configured_providers(*, environ: Mapping[str, str] | None = None,
                         needing_setup_only: bool = False) -> list[str]:
    """Names of providers usable as the environment stands, in registry order.

    Keyless providers with a public default (gdelt, wikipedia) always count, unless
    ``needing_setup_only``: then only those the user set up (a key or an instance URL) do.
    """
    return [name for name, spec in SEARCHERS.items()
            if is_configured(name, environ=environ)
            and (not needing_setup_only or spec.key_env is not None
                 or spec.default_base_url is None)]


def _how_to_configure(spec: ProviderSpec) -> str:
    if spec.default_base_url is None:
        flag = f" or pass {spec.url_flag} URL" if spec.url_flag else ""
        return f"set {spec.url_env}{flag}"
    override = f"base URL override: {spec.url_env}"
    if spec.key_env is None:
        return f"no setup needed; {override}"
    signup = f" (key from {spec.signup_url})" if spec.signup_url else ""
    return f"set {spec.key_env}{signup}; {override}"


def describe_providers() -> str:
    """Every registered provider: name, what it is, how to configure it (for help and errors)."""
    width = max(len(name) for name in SEARCHERS) + 2
    lines = ["Web search providers:"]
    for name, spec in SEARCHERS.items():
        lines.append(f"  {name:<{width}}{spec.summary}")
        lines.append(f"  {'':<{width}}{_how_to_configure(spec)}")
    return "\n".join(lines)
