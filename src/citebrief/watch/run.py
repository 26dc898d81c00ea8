"""Run a watched question: refresh what it follows, write a new brief, store it, say what changed.

    1. poll the watch's feeds (``Corpus.add_feed``: conditional GET, only new entries ingested)
    2. write the brief: ``Corpus.research`` for a --research watch, else ``Corpus.ask``
    3. store it as the next version (one INSERT, only once the brief is complete)
    4. diff it against the version before it (``diff.diff_briefs``)

A step that raises leaves the stored versions as they were: the brief is written before anything of
the run is stored, and a feed that cannot be read is reported in the version's notes, not fatal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .diff import Changes, diff_briefs
from .model import Version, Watch
from .store import WatchStore

if TYPE_CHECKING:
    from ..api import Corpus
    from ..llm import LLMConfig
    from ..models import IngestOutcome
    from ..verify.setup import CheckerSetup
    from ..web.fetch import FetchOptions


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How to fetch feeds and pages, and which writer and support checker to use."""

    fetch: "FetchOptions | None" = None
    llm: "LLMConfig | None" = None
    research_budget: float = 120.0  # seconds of searching and fetching for a --research watch
    checker: "CheckerSetup | str" = "rules"  # the support checker (``verify.setup``), as for ``Corpus.ask``


@dataclass(frozen=True, slots=True)
class RunResult:
    """A stored version, the one before it, and the changes between them (None for a first version)."""

    watch: Watch
    version: Version
    previous: Version | None
    changes: Changes | None

    def failures(self) -> list[str]:
        """What the run could not read (its brief was still written from the rest)."""
        return [f"feed {f['url']}: {f['error']}" for f in self.version.notes.get("feeds", ()) if f.get("error")]


Progress = Callable[[str, str], None]


def run_watch(corpus: "Corpus", name: str, options: RunOptions = RunOptions(), *,
              progress: Progress | None = None,
              on_outcome: "Callable[[IngestOutcome], None] | None" = None) -> RunResult:
    """Run watch ``name`` on ``corpus`` once (steps 1-4 above)."""
    watches = WatchStore(corpus.store)
    watch = watches.get(name)
    show = progress or (lambda stage, detail: None)
    notes: dict[str, Any] = {}
    if watch.feeds:
        show("feeds", f"polling {len(watch.feeds)} feed(s)")
        runs = corpus.add_feed(list(watch.feeds), fetch=options.fetch, on_outcome=on_outcome)
        notes["feeds"] = [{"url": r.url, "not_modified": r.not_modified, "listed": r.listed, "new": r.new,
                           "error": r.error} for r in runs]
    if watch.research:
        from ..research.loop import ResearchOptions, choose_searchers

        searchers = choose_searchers(list(watch.search), search_url=watch.search_url)
        research = ResearchOptions(budget=options.research_budget, **({"fetch": options.fetch} if options.fetch else {}))
        brief = corpus.research(watch.question, searchers=searchers, options=research, llm=options.llm,
                                progress=show, checker=options.checker)
        notes["research_run"] = brief.extra.get("run_id")
    else:
        brief = corpus.ask(watch.question, llm=options.llm, progress=show, checker=options.checker)
    version = watches.add_version(name, brief.to_json(), notes)
    previous = watches.version(name, version.number - 1) if version.number > 1 else None
    changes = diff_briefs(previous.brief, version.brief) if previous else None
    return RunResult(watch, version, previous, changes)
