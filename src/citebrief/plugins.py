"""Backends from other packages, registered through Python entry points (as the ``llm`` CLI's plugins).

A package adds a backend without editing citebrief by declaring an entry point in one of these
groups; its name is the name users pass, its object is what the built-in registry would hold:

    group                         object                                          chosen with
    citebrief.embedders           a callable () -> Embedder (name, dim, embed)    add --embedder NAME
    citebrief.checkers            a callable (embedder) -> SupportChecker         verify --checker NAME
    citebrief.writers             a ``llm.base.WireFormat`` (an LLM backend)      ask --llm NAME
    citebrief.stores              a callable (location) -> Store, for NAME://…    --db NAME://…
    citebrief.search_providers    a ``research.providers.host.ProviderSpec``      research --search NAME

In the plugin's pyproject.toml:

    [project.entry-points."citebrief.embedders"]
    tiny = "citebrief_tiny:TinyEmbedder"

Built-in names win: a plugin cannot replace "minilm" or "rules". Registries look a plugin up only
when a name is not built in (``load``); the writer and search-provider registries, whose help text
lists every choice, are ``WithPlugins`` dicts that merge all of theirs when first read, and a plugin
that fails to load is skipped there with a warning instead of breaking every command. ``citebrief plugins``
lists what is installed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from .errors import ConfigError

log = logging.getLogger("citebrief.plugins")


class Kind(str, Enum):
    """The kinds of backend a plugin can add; each value is its entry-point group's last word."""

    EMBEDDERS = "embedders"
    CHECKERS = "checkers"
    WRITERS = "writers"
    STORES = "stores"
    SEARCH_PROVIDERS = "search_providers"

    @property
    def group(self) -> str:
        """The entry-point group: ``citebrief.embedders`` …"""
        return f"citebrief.{self.value}"


@dataclass(frozen=True, slots=True)
class Plugin:
    """One installed entry point: its kind, name, target and the distribution that declares it."""

    kind: Kind
    name: str
    target: str  # "module:attribute"
    package: str | None
    version: str | None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "name": self.name, "target": self.target, "package": self.package,
                "version": self.version}


def _points(kind: Kind) -> list[EntryPoint]:
    return sorted(entry_points(group=kind.group), key=lambda ep: ep.name)


def installed(kind: Kind | None = None) -> list[Plugin]:
    """Every installed plugin (of ``kind``), by kind then name."""
    out = []
    for k in [kind] if kind else list(Kind):
        for ep in _points(k):
            dist = ep.dist
            out.append(Plugin(k, ep.name, ep.value, dist.name if dist else None, dist.version if dist else None))
    return out


def names(kind: Kind) -> list[str]:
    """The names plugins register for ``kind`` (for help text and error messages)."""
    return [ep.name for ep in _points(kind)]


def _load(ep: EntryPoint, kind: Kind) -> Any:
    try:
        return ep.load()
    except Exception as exc:  # noqa: BLE001  third-party code: any failure is the plugin's
        package = f" (package {ep.dist.name} {ep.dist.version})" if ep.dist else ""
        raise ConfigError(f"The {kind.value[:-1].replace('_', ' ')} plugin {ep.name!r}{package} failed to load "
                          f"({type(exc).__name__}: {exc}) — upgrade or uninstall that package") from None


def load(kind: Kind, name: str) -> Any | None:
    """The object the plugin called ``name`` registers for ``kind``, or None when none does."""
    for ep in _points(kind):
        if ep.name == name:
            return _load(ep, kind)
    return None


def load_all(kind: Kind, *, skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every plugin of ``kind`` except the names in ``skip``; one that fails is logged and left out."""
    out = {}
    for ep in _points(kind):
        if ep.name in skip or ep.name in out:
            continue
        try:
            out[ep.name] = _load(ep, kind)
        except ConfigError as exc:
            log.warning("%s", exc)
    return out


class WithPlugins(dict):
    """A registry dict of built-ins that adds the plugins of its kind when it is first read.

    Not at import: a plugin module often imports citebrief modules itself (to build a
    ``ProviderSpec``), and loading it while the registry module is still being imported would be a
    circular import. Built-in names are never replaced.
    """

    def __init__(self, kind: Kind, builtins: dict[str, Any]) -> None:
        super().__init__(builtins)
        self._kind = kind
        self._merged = False

    def _merge(self) -> None:
        if self._merged:
            return
        self._merged = True  # first, so a plugin that reads this registry while loading sees the built-ins
        for name, obj in load_all(self._kind, skip=set(dict.keys(self))).items():
            dict.__setitem__(self, name, obj)

    def __getitem__(self, key: str) -> Any:
        self._merge()
        return dict.__getitem__(self, key)

    def __contains__(self, key: object) -> bool:
        self._merge()
        return dict.__contains__(self, key)

    def __iter__(self):
        self._merge()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._merge()
        return dict.__len__(self)

    def get(self, key: str, default: Any = None) -> Any:
        self._merge()
        return dict.get(self, key, default)

    def keys(self):
        self._merge()
        return dict.keys(self)

    def values(self):
        self._merge()
        return dict.values(self)

    def items(self):
        self._merge()
        return dict.items(self)
