"""The ``citebrief verify --pairs FILE.jsonl`` contract: one verdict line per input line.

Input line:  {"sentence": "...", "passages": ["...", ...], ...extra}
Output line: {"verdict": "supported", "score": 0.91, "best_span": [0, 12, 140], "signals": {...}, ...extra}
Bad line:    {"error": "line 7: passages must be a list of strings ...", "line": 7}

Extra fields are copied through unchanged, except that the output keys above win over an input
field of the same name. A bad line is reported and skipped; it never stops the rest of the file.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from ..errors import InputError
from .batch import validate_pair
from .verdict import SupportChecker

OUTPUT_KEYS = ("verdict", "score", "best_span", "signals", "decided_by")
BATCH_SIZE = 64  # lines checked per check_many call: one embedding call per 64 lines


def _parse(line: dict | str) -> dict | None:
    """Decode one input line (a dict, or raw JSON text); None for a blank line."""
    if isinstance(line, str):
        if not line.strip():
            return None
        try:
            line = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(line, dict):
        raise InputError(f"expected a JSON object, got {type(line).__name__}")
    missing = [key for key in ("sentence", "passages") if key not in line]
    if missing:
        raise InputError(f"missing field(s) {', '.join(missing)}; each line needs "
                         '{"sentence": str, "passages": [str, ...]}')
    validate_pair((line["sentence"], line["passages"]))
    return line


def verify_pairs(lines: Iterable[dict | str], checker: SupportChecker, *,
                 batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """Yield one output dict per non-blank input line, in order (line numbers are 1-based).

    Lines may be dicts or raw JSONL text. Lines are checked ``batch_size`` at a time so the
    embedder runs once per batch, yet output stays lazy enough to stream a large file.
    """
    pending: list[tuple[int, dict | None, str | None]] = []  # (line number, record, error)
    for number, raw in enumerate(lines, start=1):
        try:
            record = _parse(raw)
        except InputError as exc:
            pending.append((number, None, str(exc)))
        else:
            if record is None:
                continue
            pending.append((number, record, None))
        if len(pending) >= batch_size:
            yield from _flush(pending, checker)
            pending = []
    yield from _flush(pending, checker)


def _flush(pending: list[tuple[int, dict | None, str | None]], checker: SupportChecker) -> Iterator[dict]:
    """Check the valid records of ``pending`` in one batch and yield results in line order."""
    good = [(r["sentence"], list(r["passages"])) for _, r, err in pending if r is not None and err is None]
    verdicts = iter(checker.check_many(good)) if good else iter(())
    for number, record, error in pending:
        if record is None:
            yield {"error": f"line {number}: {error}", "line": number}
            continue
        extra = {k: v for k, v in record.items() if k not in ("sentence", "passages", *OUTPUT_KEYS)}
        yield {**next(verdicts).as_dict(), **extra}
