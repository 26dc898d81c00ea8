"""The generator seam: ``Message``, the ``Generator`` protocol, and the ``WireFormat`` of a backend.

A backend is only a wire format (how to shape a request and read a reply); the host in
``host.py`` does timeouts, retries, caching, budgets and error messages once for every format.

Errors raised here and by the host (``GeneratorError`` comes from ``citebrief.errors``):

    GeneratorError            an LLM backend failed (key, server, model, timeout, budget)
    ├── BudgetExceededError   the brief's token budget would be exceeded; no request was sent
    └── MalformedOutputError  the model answered, but not in the shape asked for (JSON)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from ..errors import GeneratorError

Role = Literal["system", "user", "assistant"]
ROLES: tuple[Role, ...] = ("system", "user", "assistant")


class BudgetExceededError(GeneratorError):
    """The next call would take the brief past its token budget; nothing was sent."""


class MalformedOutputError(GeneratorError):
    """The model's reply does not contain what was asked for (e.g. no parseable JSON)."""


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message; ``content`` is plain text."""

    role: Role
    content: str

    def __post_init__(self) -> None:
        # Literal is not enforced at run time; a typo such as "User" would silently change meaning.
        if self.role not in ROLES:
            raise ValueError(f"message role must be one of {', '.join(ROLES)}, not {self.role!r}")
        if not isinstance(self.content, str):
            raise TypeError(f"message content must be str, not {type(self.content).__name__}")


@runtime_checkable
class Generator(Protocol):
    """Turns a conversation into the model's reply text (reasoning blocks already removed)."""

    def generate(self, messages: Sequence[Message], *, schema: dict | None = None,
                 max_tokens: int | None = None) -> str:
        """Return the reply to ``messages``; with ``schema``, the reply is asked to be that JSON."""
        ...


@dataclass(frozen=True, slots=True)
class Reply:
    """What a wire format read from a successful response."""

    text: str
    tokens: int | None  # prompt + completion tokens from the usage field, when the server sent one
    finish_reason: str | None = None


class WireFormat(Protocol):
    """How one API family shapes requests and replies; pure, no I/O."""

    name: str  # registry key: "openai", "anthropic"
    default_base_url: str
    key_env_vars: tuple[str, ...]  # where the API key is read from, in order

    def endpoint(self, base_url: str) -> str:
        """The URL that generation requests are POSTed to."""
        ...

    def headers(self, api_key: str | None) -> dict[str, str]:
        """Request headers, including authentication when a key is set."""
        ...

    def body(self, messages: Sequence[Message], *, model: str, schema: dict | None,
             max_tokens: int, base_url: str) -> dict[str, Any]:
        """The JSON request body (``base_url`` for dialects: OpenAI itself vs compatible servers)."""
        ...

    def parse(self, payload: Any) -> Reply:
        """Read a successful response body; raise ``ValueError`` if it has another shape."""
        ...

    def list_models_hint(self, base_url: str) -> str:
        """A command that lists the models a server offers (for "model not found" errors)."""
        ...
