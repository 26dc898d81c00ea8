"""The values of a watched question: the watch itself and one stored version of its brief."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_WORD_RE = re.compile(r"[a-z0-9]+")
NAME_HELP = "1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit"


@dataclass(frozen=True, slots=True)
class Watch:
    """A question to brief again and again, with what to refresh before each brief."""

    name: str
    question: str
    feeds: tuple[str, ...] = ()  # RSS/Atom feeds polled (conditional GET) before each brief
    research: bool = False  # search the web again before each brief (``citebrief research``)
    search: tuple[str, ...] = ()  # search providers for research; () = every provider set up
    search_url: str | None = None  # a SearXNG instance for research
    created_at: str = ""

    def options_json(self) -> dict[str, Any]:
        """The options column: everything but name, question and creation time."""
        return {"feeds": list(self.feeds), "research": self.research, "search": list(self.search),
                "search_url": self.search_url}

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "question": self.question, "created_at": self.created_at,
                **self.options_json()}

    @staticmethod
    def from_row(name: str, question: str, options: dict[str, Any], created_at: str) -> "Watch":
        return Watch(name=name, question=question, feeds=tuple(options.get("feeds") or ()),
                     research=bool(options.get("research")), search=tuple(options.get("search") or ()),
                     search_url=options.get("search_url"), created_at=created_at)


@dataclass(frozen=True, slots=True)
class Version:
    """One complete brief of a watched question (its ``Brief.to_json``), numbered from 1."""

    watch: str
    number: int
    created_at: str
    brief: dict[str, Any]
    # What the run did before the brief: feeds polled, entries added, research run id, failures.
    notes: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        """"version 2 (2026-12-04 04:20)"."""
        return f"version {self.number} ({self.created_at[:16].replace('T', ' ')})"

    def summary_json(self) -> dict[str, Any]:
        """The version without its brief (for listings)."""
        return {"version": self.number, "created_at": self.created_at, "notes": dict(self.notes),
                "enough_evidence": self.brief.get("enough_evidence", True),
                "actors": len(self.brief.get("actors") or ()), "sources": len(self.brief.get("sources") or ())}


def check_name(name: str) -> str:
    """``name`` if it can name a watch, else a UsageError saying what a name may hold."""
    if not _NAME_RE.match(name):
        raise UsageError(f"{name!r} cannot name a watched question: use {NAME_HELP} (e.g. --name nato-holdouts)")
    return name


def name_from_question(question: str, taken: set[str]) -> str:
    """A short name from the question's first words, made unique with a number.

    "Which NATO countries oppose Ukraine joining?" → "which-nato-countries-oppose" (then "-2", "-3" …).
    """
    words = _WORD_RE.findall(question.lower())[:4] or ["watch"]
    base = "-".join(words)[:56].strip("-") or "watch"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name
