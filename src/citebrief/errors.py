"""The one exception tree of citebrief; every message says what happened and how to fix it.

    CitebriefError
    ├── UsageError            bad arguments or options (CLI exit status 2)
    ├── ConfigError           settings, environment variables, citebrief.toml
    ├── InputError            one input (file, URL, JSONL line) could not be read or cleaned
    │   └── FetchError        a URL could not be fetched (DNS, timeout, status, size, type, guard)
    ├── StoreError            the corpus store cannot be opened, migrated or written
    │   ├── StoreUnwritableError  no write can succeed (disk full, read-only file): a batch stops
    │   ├── FingerprintMismatch  the store was built with other settings (rebuild with `citebrief reindex`)
    │   └── EmptyCorpusError  nothing indexed yet (`citebrief add PATH` first)
    ├── ModelError            the embedding model is missing, corrupt or failed
    ├── GeneratorError        an LLM backend failed (key, server, model, budget)
    │   ├── BudgetExceededError   the brief's token budget would be exceeded (llm.base)
    │   └── MalformedOutputError  the model's reply is not in the shape asked for (llm.base)
    └── SearchProviderError   a web search provider failed (key, quota, timeout, bad response)
"""

from __future__ import annotations


class CitebriefError(Exception):
    """Base class of every error citebrief raises on purpose."""


class UsageError(CitebriefError):
    """Bad arguments or options."""


class ConfigError(CitebriefError):
    """A setting, environment variable or config file is wrong."""


class InputError(CitebriefError):
    """One input could not be read or cleaned; the batch goes on without it."""


class FetchError(InputError):
    """A URL could not be fetched."""


class StoreError(CitebriefError):
    """The corpus store cannot be opened, migrated or written."""


class StoreUnwritableError(StoreError):
    """The store takes no writes at all (disk full, read-only file, I/O error); a batch stops."""


class FingerprintMismatch(StoreError):
    """The store was built with other settings than the ones in use."""


class EmptyCorpusError(StoreError):
    """The corpus has no documents yet."""


class ModelError(CitebriefError):
    """The embedding model is missing, corrupt or failed to run."""


class GeneratorError(CitebriefError):
    """A language-model backend failed."""


class SearchProviderError(CitebriefError):
    """A web search provider failed."""


class BusyError(CitebriefError):
    """The service has as much work queued as it accepts; try again later."""
