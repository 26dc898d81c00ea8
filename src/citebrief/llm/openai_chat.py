"""The OpenAI Chat Completions wire format, spoken by OpenAI and by local servers alike.

Ollama (``http://localhost:11434/v1``), vLLM, llama.cpp's ``llama-server`` and LM Studio all
accept ``POST {base_url}/chat/completions`` with ``Authorization: Bearer KEY`` and answer with
``choices[0].message.content`` and a ``usage`` block. Two choices made for that breadth:

- The reply limit is ``max_tokens`` for compatible servers (Ollama and LM Studio read nothing
  else) but ``max_completion_tokens`` for api.openai.com, whose reasoning models (o1, o3, gpt-5)
  reject ``max_tokens``.
- A schema is sent as ``response_format: {"type": "json_schema", ...}`` with ``strict: false``.
  LM Studio rejects ``json_object``; ``strict: true`` would make OpenAI refuse any schema whose
  objects are not all-required and closed. The writer parses loosely anyway (``parse_json_loose``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from .base import Message, Reply


class OpenAIChat:
    """``POST /chat/completions`` (OpenAI, Ollama, vLLM, llama.cpp server, LM Studio)."""

    name = "openai"
    default_base_url = "https://api.openai.com/v1"
    key_env_vars = ("CITEBRIEF_API_KEY", "OPENAI_API_KEY")

    def endpoint(self, base_url: str) -> str:
        """Compatible servers put the API under ``/v1``, so ``base_url`` includes it."""
        return base_url.rstrip("/") + "/chat/completions"

    def headers(self, api_key: str | None) -> dict[str, str]:
        """Bearer authentication; local servers ignore a missing header."""
        headers = {"content-type": "application/json"}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        return headers

    def body(self, messages: Sequence[Message], *, model: str, schema: dict | None,
             max_tokens: int, base_url: str) -> dict[str, Any]:
        """Messages pass through unchanged; a schema becomes ``response_format``."""
        limit_field = "max_completion_tokens" if _is_openai(base_url) else "max_tokens"
        body: dict[str, Any] = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            limit_field: max_tokens,
            "stream": False,
        }
        if schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "response", "schema": schema, "strict": False},
            }
        return body

    def parse(self, payload: Any) -> Reply:
        """Read ``choices[0].message.content`` and ``usage``; reasoning fields are ignored."""
        if not isinstance(payload, dict) or not isinstance(payload.get("choices"), list):
            raise ValueError("expected a JSON object with a 'choices' list")
        if not payload["choices"]:
            raise ValueError("'choices' is empty")
        choice = payload["choices"][0]
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise ValueError("expected choices[0].message to be an object")
        content = message.get("content")
        if content is None and message.get("refusal"):
            raise ValueError(f"the model refused: {message['refusal']}")
        return Reply(text=_content_text(content), tokens=_usage_tokens(payload.get("usage")),
                     finish_reason=choice.get("finish_reason"))

    def list_models_hint(self, base_url: str) -> str:
        """``GET /models`` is the compatible listing; Ollama users know ``ollama list``."""
        return f"`curl {base_url.rstrip('/')}/models` (Ollama: `ollama list`, then `ollama pull MODEL`)"


def _is_openai(base_url: str) -> bool:
    """Whether ``base_url`` is OpenAI's own API (not a compatible server)."""
    return urlsplit(base_url).hostname == "api.openai.com"


def _content_text(content: Any) -> str:
    """Content is a string, null, or (some servers) a list of ``{"type": "text"}`` parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    raise ValueError(f"unexpected message content of type {type(content).__name__}")


def _usage_tokens(usage: Any) -> int | None:
    """``total_tokens``, else prompt + completion; None when the server sent no usage."""
    if not isinstance(usage, dict):
        return None
    if isinstance(usage.get("total_tokens"), int):
        return usage["total_tokens"]
    parts = [usage.get("prompt_tokens"), usage.get("completion_tokens")]
    counted = [p for p in parts if isinstance(p, int)]
    return sum(counted) if counted else None
