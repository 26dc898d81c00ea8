"""The Anthropic Messages wire format: ``POST /v1/messages``.

Differences from Chat Completions that this module absorbs: the key goes in ``x-api-key`` with
``anthropic-version: 2023-06-01``; system text is a top-level ``system`` field, not a message;
``max_tokens`` is required; the reply is a list of content blocks (only ``text`` blocks are the
answer, ``thinking`` blocks are not); usage is ``input_tokens`` + ``output_tokens``. The API has
no JSON mode, so a schema is asked for in the system prompt and parsed loosely by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .base import Message, Reply

ANTHROPIC_VERSION = "2023-06-01"


def schema_instruction(schema: dict) -> str:
    """The system-prompt paragraph that stands in for a JSON mode."""
    return ("Reply with one JSON value that matches this JSON Schema, and nothing else: "
            "no prose, no code fences.\n" + json.dumps(schema, sort_keys=True, ensure_ascii=False))


class AnthropicMessages:
    """``POST /v1/messages`` (Anthropic and servers that mimic it)."""

    name = "anthropic"
    default_base_url = "https://api.anthropic.com"
    key_env_vars = ("ANTHROPIC_API_KEY",)

    def endpoint(self, base_url: str) -> str:
        """Anthropic's base URL has no ``/v1``; accept one anyway, as OpenAI users tend to add it."""
        base = base_url.rstrip("/")
        return base + ("/messages" if base.endswith("/v1") else "/v1/messages")

    def headers(self, api_key: str | None) -> dict[str, str]:
        """``x-api-key`` plus the pinned API version."""
        headers = {"content-type": "application/json", "anthropic-version": ANTHROPIC_VERSION}
        if api_key:
            headers["x-api-key"] = api_key
        return headers

    def body(self, messages: Sequence[Message], *, model: str, schema: dict | None,
             max_tokens: int, base_url: str) -> dict[str, Any]:
        """System messages join the top-level ``system``; the schema request is appended to it."""
        system = [m.content for m in messages if m.role == "system"]
        if schema is not None:
            system.append(schema_instruction(schema))
        turns = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
        if not turns:
            raise ValueError("the Messages API needs at least one user message besides the system prompt")
        body: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": turns}
        if system:
            body["system"] = "\n\n".join(system)
        return body

    def parse(self, payload: Any) -> Reply:
        """Join the ``text`` blocks of ``content``; usage is input + output tokens."""
        if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
            raise ValueError("expected a JSON object with a 'content' list")
        text = "".join(b.get("text", "") for b in payload["content"]
                       if isinstance(b, dict) and b.get("type") == "text")
        usage = payload.get("usage")
        tokens = None
        if isinstance(usage, dict):
            counted = [v for k, v in usage.items() if k.endswith("_tokens") and isinstance(v, int)]
            tokens = sum(counted) if counted else None
        return Reply(text=text, tokens=tokens, finish_reason=payload.get("stop_reason"))

    def list_models_hint(self, base_url: str) -> str:
        """The Models API lists what the key may use."""
        return (f"`curl {self.endpoint(base_url).removesuffix('/messages')}/models "
                f"-H \"x-api-key: $ANTHROPIC_API_KEY\" -H \"anthropic-version: {ANTHROPIC_VERSION}\"`")
