"""Find and read the JSON value in a model's reply, repairing the cheap, common mistakes.

Models wrap JSON in code fences or prose ("Here is the plan: ..."), think aloud first, leave
trailing commas, use single quotes or Python's True/False/None. ``parse_json_loose`` tries, in
order: the whole reply; each fenced block; each balanced ``{...}``/``[...]`` span in the text —
first as is, then repaired. The longest value that parses wins, so a stray "[1]" in the prose
cannot beat the object after it. Anything else is reported, not guessed at.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .base import MalformedOutputError
from .text import strip_reasoning

_FENCE_RE = re.compile(r"```[\w-]*[ \t]*\n?(.*?)```", re.DOTALL)
_MAX_STARTS = 64  # balanced-span attempts; each scans to the end at worst, so this bounds the work
_PY_WORDS = {"True": "true", "False": "false", "None": "null"}
_OPEN_RE = re.compile(r"[\[{]")


def parse_json_loose(text: str) -> Any:
    """Return the JSON object or array in ``text``; raise ``MalformedOutputError`` if there is none."""
    reply = strip_reasoning(text)
    candidates = [reply] + [m.group(1) for m in _FENCE_RE.finditer(reply)] + _balanced_spans(reply)
    best: tuple[int, Any] | None = None
    first_error: json.JSONDecodeError | None = None
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate.startswith(("{", "[")):
            continue
        for attempt in (candidate, repair_json(candidate)):
            try:
                value = json.loads(attempt)
            except json.JSONDecodeError as exc:
                first_error = first_error or exc
                continue
            if best is None or len(candidate) > best[0]:
                best = (len(candidate), value)
            break
    if best is not None:
        return best[1]
    preview = " ".join(reply.split())[:80]
    if first_error is None:
        raise MalformedOutputError(f"no JSON object or array in the model's reply (it starts: {preview!r})")
    raise MalformedOutputError(f"the JSON in the model's reply does not parse, even after repair: "
                               f"{first_error.msg} at line {first_error.lineno} column {first_error.colno} "
                               f"(reply starts: {preview!r})")


def repair_json(text: str) -> str:
    """Fix single-quoted strings, trailing commas and True/False/None outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            end = _string_end(text, i)
            body = text[i + 1:end]
            if ch == "'":  # re-quote: unescape \' and escape bare double quotes
                body = re.sub(r'(?<!\\)"', r'\\"', body.replace("\\'", "'"))
            out.append('"' + body + '"')
            i = end + 1
        elif ch == ",":
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if j >= n or text[j] not in "}]":
                out.append(ch)
            i += 1
        elif ch.isalpha():
            word = re.match(r"[A-Za-z_]\w*", text[i:]).group(0)
            out.append(_PY_WORDS.get(word, word))
            i += len(word)
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index of the quote closing the string opened at ``start`` (len(text) if unterminated)."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return len(text)


def _balanced_spans(text: str) -> list[str]:
    """Balanced ``{...}``/``[...]`` spans from the first ``_MAX_STARTS`` openers (nested ones too)."""
    spans: list[str] = []
    pos = 0
    for _ in range(_MAX_STARTS):
        match = _OPEN_RE.search(text, pos)
        if match is None:
            break
        end = _matching_close(text, match.start())
        if end is None:
            pos = match.start() + 1
            continue
        spans.append(text[match.start():end + 1])
        pos = match.start() + 1  # nested spans too: the outer one may be prose such as "[see {x}]"
    return spans


def _matching_close(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at ``start``, or None if it never closes."""
    i = start
    pairs = {"{": "}", "[": "]"}
    stack: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch in "\"'" and stack:
            if ch == "'" and i > 0 and text[i - 1].isalnum():
                i += 1  # an apostrophe ("it's") outside a string, not a quote
                continue
            i = _string_end(text, i) + 1
            continue
        if ch in pairs:
            stack.append(pairs[ch])
        elif ch in "}]":
            if not stack or stack.pop() != ch:
                return None
            if not stack:
                return i
        i += 1
    return None
