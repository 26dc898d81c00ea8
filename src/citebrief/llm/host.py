"""The host around every backend: timeouts, retries, disk cache, token budget and clear errors.

Written once for all wire formats, as httpx wraps ``handle_request`` and simonw/llm wraps
``Model.execute``; a wire format (``openai_chat``, ``anthropic_messages``) only shapes JSON.

Why httpx directly rather than the openai/anthropic SDKs: one small dependency the project already
has, instead of two large ones; identical retry, timeout, caching and error behaviour across both
wire formats (each SDK retries and words its errors its own way); and a scripted server on
127.0.0.1 exercises exactly the code a real server gets.

Accounting: tokens are read from the reply's ``usage`` field, else estimated as characters / 4.
Before a call, its worst case (prompt estimate + ``max_tokens``) is reserved against the budget,
so a brief never overshoots by more than the estimate's error: budget 10,000, used 7,000, a
6,000-character prompt (~1,500) with max_tokens 2,000 needs 3,500 > 3,000 left → refused.
Cached replies count too, so re-running a brief takes the same path as the first run.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from ..errors import GeneratorError
from ..httpbody import ACCEPT_ENCODING, BodyRefused, BodyTooLarge, read_response
from .base import BudgetExceededError, Message, Reply
from .cache import CachedReply, DiskCache, cache_key
from .config import LLMConfig
from .text import strip_reasoning

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4  # the usual rule of thumb for English with BPE tokenisers
_DETAIL_CHARS = 300  # how much of a server's error text goes into a message
_MISSING_MODEL_PHRASES = ("not found", "does not exist", "unknown model", "no such model", "not_found")
# Replies are read through citebrief.httpbody, decoded as they arrive and capped: a 100,000-token
# answer is ~0.4 MB of JSON, so 16 MB only stops a runaway or hostile server (or a gzip bomb).
MAX_REPLY_BYTES = 16 * 2**20
_MAX_ERROR_BYTES = 64 * 1024  # of an error reply, only the start is read (for its message)


def estimate_tokens(chars: int) -> int:
    """Tokens for ``chars`` characters when the server reports none: 2,000 chars → 500 tokens."""
    return math.ceil(chars / CHARS_PER_TOKEN)


def _retryable(status: int) -> bool:
    """429 (rate limit), 408 (request timeout) and every 5xx (529 is Anthropic's "overloaded")."""
    return status in (408, 429) or status >= 500


class HostedGenerator:
    """A ``Generator`` speaking ``config.backend``'s wire format to ``config.base_url``.

    Make one per brief: the token budget and the counters belong to the instance.
    ``sleep`` is the clock seam for retry waits (tests record waits instead of waiting).
    """

    def __init__(self, config: LLMConfig, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self._wire = config.wire
        self._url = self._wire.endpoint(config.base_url)
        self._key = config.api_key.get_secret_value() if config.api_key else None
        self._client = httpx.Client(timeout=config.timeout,
                                    headers={"Accept-Encoding": ACCEPT_ENCODING})
        self._cache = DiskCache(config.cache_dir) if config.cache_dir else None
        self._sleep = sleep
        self._lock = threading.Lock()
        self._used = 0
        self.requests = 0  # HTTP requests sent, retries included
        self.cache_hits = 0

    def __repr__(self) -> str:
        return f"HostedGenerator(backend={self.config.backend!r}, model={self.config.model!r}, url={self._url!r})"

    def __enter__(self) -> HostedGenerator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    @property
    def tokens_used(self) -> int:
        """Tokens this brief has used so far (cached calls included)."""
        return self._used

    def generate(self, messages: Sequence[Message], *, schema: dict | None = None,
                 max_tokens: int | None = None) -> str:
        """Return the model's answer to ``messages``, reasoning blocks removed.

        Raises ``BudgetExceededError`` before sending when the call might exceed the token budget,
        and ``GeneratorError`` with a how-to-fix message for every other failure.
        """
        messages = tuple(messages)
        if not messages or not all(isinstance(m, Message) for m in messages):
            raise GeneratorError("generate() needs a non-empty sequence of Message values")
        limit = self.config.max_tokens if max_tokens is None else max_tokens
        if limit <= 0:
            raise GeneratorError(f"max_tokens must be positive, got {limit}")
        request = {
            "backend": self.config.backend, "base_url": self.config.base_url, "model": self.config.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "schema": schema, "max_tokens": limit,
        }
        key = cache_key(request)
        prompt_chars = sum(len(m.content) for m in messages)
        need = estimate_tokens(prompt_chars) + limit
        self._reserve(need)
        spent = 0
        try:
            cached = self._cache.get(key) if self._cache else None
            if cached is not None:
                self.cache_hits += 1
                spent = cached.tokens
                return strip_reasoning(cached.text)
            reply = self._send(messages, schema=schema, max_tokens=limit)
            spent = reply.tokens if reply.tokens is not None else estimate_tokens(prompt_chars + len(reply.text))
            text = strip_reasoning(reply.text)
            if not text:
                raise GeneratorError(self._empty_reply_message(reply, limit))
            if self._cache:
                self._cache.put(key, request, CachedReply(text=reply.text, tokens=spent))
            return text
        finally:
            self._settle(need, spent)

    def _reserve(self, need: int) -> None:
        """Hold ``need`` tokens of the budget, or refuse the call (atomic, so threads cannot overshoot)."""
        budget = self.config.token_budget
        with self._lock:
            if budget is not None and self._used + need > budget:
                raise BudgetExceededError(
                    f"token budget exceeded: this brief has used {self._used:,} of {budget:,} tokens and "
                    f"the next call may need up to {need:,}; raise token_budget (CLI flag or "
                    "`token_budget` in [llm] of citebrief.toml) or ask for fewer or shorter sections")
            self._used += need

    def _settle(self, reserved: int, spent: int) -> None:
        """Replace a reservation by what the call really used."""
        with self._lock:
            self._used += spent - reserved

    def _send(self, messages: tuple[Message, ...], *, schema: dict | None, max_tokens: int) -> Reply:
        """POST the request, retrying 429/5xx and dropped connections with exponential backoff."""
        try:
            body = self._wire.body(messages, model=self.config.model, schema=schema, max_tokens=max_tokens,
                                   base_url=self.config.base_url)
        except ValueError as exc:
            raise GeneratorError(f"cannot build a {self.config.backend} request: {exc}") from exc
        headers = self._wire.headers(self._key)
        attempts = self.config.max_retries + 1
        failure, status = "", 0
        for attempt in range(1, attempts + 1):
            self.requests += 1
            try:
                with self._client.stream("POST", self._url, json=body, headers=headers) as response:
                    data = self._read(response)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # Not retried: a server that is not running will not start within a backoff.
                raise GeneratorError(f"cannot reach {self.config.base_url}; is the server running? "
                                     "for Ollama: ollama serve") from exc
            except httpx.TimeoutException as exc:
                # Not retried: a timeout is usually a slow model, and a retry doubles the wait.
                raise GeneratorError(f"no reply from {self._url} within {self.config.timeout:g} s; local models "
                                     "can be slow: raise timeout (CLI flag or `timeout` in [llm])") from exc
            except httpx.TransportError as exc:
                failure, status, wait = f"connection dropped ({type(exc).__name__})", 0, self._backoff(attempt)
            else:
                if response.is_success:
                    return self._parse(data)
                status, detail = response.status_code, self._detail(response, data)
                if not _retryable(status):
                    raise GeneratorError(self._refusal_message(status, detail))
                failure, wait = f"HTTP {status}: {detail}", self._wait(response, attempt)
            if attempt < attempts:
                log.warning("%s from %s; retry %d of %d in %.1f s", failure, self._url, attempt,
                            attempts - 1, wait)
                self._sleep(wait)
        if status == 429:
            raise GeneratorError(f"rate limited {attempts} times by {self._url} ({failure}); wait a few "
                                 "minutes and re-run (replies already received are cached when cache_dir is set)")
        raise GeneratorError(f"server failed {attempts} times: {failure} (POST {self._url})")

    def _backoff(self, attempt: int) -> float:
        """backoff · 2^(attempt-1), capped: backoff 1 s → waits 1, 2, 4 s before retries 1-3.

        No jitter: one CLI user is not a thundering herd, and fixed waits keep runs reproducible.
        """
        return min(self.config.backoff * 2 ** (attempt - 1), self.config.max_wait)

    def _wait(self, response: httpx.Response, attempt: int) -> float:
        """The server's Retry-After (ms, seconds or HTTP date) when given, else backoff; capped."""
        seconds = _retry_after(response.headers)
        if seconds is None:
            return self._backoff(attempt)
        return min(max(seconds, 0.0), self.config.max_wait)

    def _read(self, response: httpx.Response) -> bytes:
        """The reply body within ``MAX_REPLY_BYTES`` (an error reply: its first 64 KiB)."""
        try:
            if response.is_success:
                return read_response(response, MAX_REPLY_BYTES)
            return read_response(response, _MAX_ERROR_BYTES, truncate=True)
        except BodyTooLarge as exc:
            raise GeneratorError(f"the reply from {self._url} is too large ({exc}); is base_url "
                                 f"a {self.config.backend}-compatible API?") from None
        except BodyRefused as exc:
            raise GeneratorError(f"unreadable reply from {self._url}: {exc}") from None

    def _parse(self, data: bytes) -> Reply:
        """Read a 2xx response body through the wire format."""
        try:
            return self._wire.parse(json.loads(data))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError too
            raise GeneratorError(
                f"unexpected reply from {self._url}: {self._redact(str(exc))[:_DETAIL_CHARS]}; is base_url "
                f"a {self.config.backend}-compatible API?") from None

    def _detail(self, response: httpx.Response, data: bytes) -> str:
        """The server's error message, one line, shortened, with the key redacted."""
        try:
            text = _error_text(json.loads(data))
        except ValueError:  # not JSON (or cut at 64 KiB): the start of the text
            text = data.decode(response.charset_encoding or "utf-8", errors="replace")
        text = " ".join(text.split())[:_DETAIL_CHARS] or response.reason_phrase
        return self._redact(text)

    def _redact(self, text: str) -> str:
        """``text`` with the API key masked (some servers echo what they were sent)."""
        return text.replace(self._key, "***") if self._key else text

    def _refusal_message(self, status: int, detail: str) -> str:
        """A how-to-fix message for a non-retryable error status."""
        if status in (401, 403):
            if not self._key:
                return (f"the server requires an API key; set {' or '.join(self._wire.key_env_vars)} "
                        f"(HTTP {status}: {detail})")
            return f"the server rejected the API key; check {self.config.key_hint()} (HTTP {status}: {detail})"
        lower = detail.lower()
        if "model" in lower and (status == 404 or any(p in lower for p in _MISSING_MODEL_PHRASES)):
            return (f"model {self.config.model} not found on the server; list models with "
                    f"{self._wire.list_models_hint(self.config.base_url)} (HTTP {status}: {detail})")
        if status == 404:
            return (f"{self._url} answered HTTP 404 ({detail}); check base_url: OpenAI-compatible "
                    "servers usually end in /v1 (Ollama: http://localhost:11434/v1)")
        return f"the server refused the request (HTTP {status}: {detail})"

    def _empty_reply_message(self, reply: Reply, limit: int) -> str:
        """Why an answer can be empty, and what to change."""
        if reply.finish_reason in ("length", "max_tokens"):
            return (f"the model used all {limit} reply tokens without an answer (probably while "
                    "reasoning); raise max_tokens")
        return f"the model returned no answer text (finish reason: {reply.finish_reason or 'unknown'})"


def make_generator(config: LLMConfig) -> HostedGenerator:
    """The ``Generator`` for ``config`` (one per brief: it carries the token budget; close it after)."""
    return HostedGenerator(config)


def _error_text(payload: Any) -> str:
    """The message in an error body: ``{"error": {"message"}}`` (OpenAI, Anthropic, vLLM),
    ``{"error": "..."}`` (Ollama, llama.cpp), ``{"message"}`` or ``{"detail"}`` (FastAPI servers)."""
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
        for field in ("message", "detail"):
            if isinstance(payload.get(field), str):
                return payload[field]
    return json.dumps(payload, ensure_ascii=False)


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait per ``retry-after-ms`` (OpenAI) or ``Retry-After`` (seconds or HTTP date)."""
    if "retry-after-ms" in headers:
        try:
            return float(headers["retry-after-ms"]) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()
