"""The typed Python API; the CLI and the web app are thin shells over it.

    from citebrief import Corpus
    corpus = Corpus("citebrief.db")
    corpus.add(["examples/corpus", "https://example.org/article"])
    corpus.add_feed(["https://example.org/feed.xml"])   # later: corpus.refresh()
    hits = corpus.search("Which NATO members oppose Ukraine joining?")
    brief = corpus.ask("Which NATO members oppose Ukraine joining?")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .embed import Embedder, LazyEmbedder, get_embedder
from .errors import EmptyCorpusError
from .models import DocMeta, Document, Filters, Hit, IngestOutcome, IngestReport, SearchMode
from .search import Retriever, SearchOptions
from .split import SplitSettings
from .store import Store, open_store

# Ingest code (readers, cleaning, near-duplicate hashing) is imported by the methods that write:
# `citebrief sources`, `show` and `search` start without it.
if TYPE_CHECKING:
    from .brief.model import Brief
    from .llm import LLMConfig
    from .web.fetch import FetchOptions, HttpFetcher
    from .web.ingest_web import FeedRun
    from .research.loop import ResearchOptions
    from .research.providers import Searcher
    from .research.record import RunRecord
    from .verify.setup import CheckerSetup

DEFAULT_DB = "citebrief.db"
DEFAULT_EMBEDDER = "minilm"


def default_location() -> str:
    """``$CITEBRIEF_DB`` or ./citebrief.db."""
    return os.environ.get("CITEBRIEF_DB") or DEFAULT_DB


@dataclass
class Corpus:
    """A body of sources in one store, with search and briefs over it."""

    location: str = ""
    embedder_name: str | None = None  # None: the store's own (or the default for a new store)

    def __post_init__(self) -> None:
        self.location = str(self.location or default_location())
        self.store: Store = open_store(self.location)

    # -- settings -------------------------------------------------------------------------------
    def _embedder_name(self) -> str:
        if self.embedder_name:
            return self.embedder_name
        fp = self.store.fingerprint()
        return fp.embedder if fp else DEFAULT_EMBEDDER

    def embedder(self) -> Embedder | None:
        """The embedder this corpus uses (loaded once per process), or None for a BM25-only corpus."""
        name = self._embedder_name()
        return None if name == "none" else get_embedder(name)

    # -- ingest ---------------------------------------------------------------------------------
    def add(self, paths: Sequence[str | Path], *, max_bytes: int | None = None,
            passage_words: int | None = None,
            on_outcome: Callable[[IngestOutcome], None] | None = None,
            fetch: "FetchOptions | None" = None, workers: int = 1) -> IngestReport:
        """Ingest files, folders and http(s) URLs; bad inputs are reported in the result, never raised.

        A string that looks like a URL ("https://…") is fetched with ``fetch`` options (default:
        guard on, robots.txt respected); a URL already in the corpus is not fetched again.
        ``workers`` > 1 reads and embeds files in that many processes while this one writes;
        the corpus ends the same as with one.
        """
        from .ingest import IngestOptions, Ingestor
        from .readers import ReadOptions

        # "://" first, so file-only adds never import the web reader.
        urls = [p for p in paths if isinstance(p, str) and "://" in p]
        if urls:
            from .web.ingest_web import ingest_urls, is_url

            urls = [p for p in urls if is_url(p)]
        files = [Path(p) for p in paths if not (isinstance(p, str) and p in urls)]
        report = on_outcome or (lambda o: None)
        options = IngestOptions(
            read=ReadOptions(max_bytes=max_bytes) if max_bytes else ReadOptions(),
            split=SplitSettings(passage_words=passage_words) if passage_words else self._split_settings())
        result = IngestReport()
        if (files or not urls) and workers > 1:
            from .ingest_pool import add_paths_parallel, check_workers

            name = self._embedder_name()
            lazy = None if name == "none" else LazyEmbedder(name)  # workers embed; this one writes
            result = add_paths_parallel(Ingestor(self.store, lazy, options, report), files,
                                        workers=check_workers(workers), location=self.location,
                                        embedder=lazy and lazy.name, options=options)
        elif files or not urls:
            result = Ingestor(self.store, self.embedder(), options, report).add_paths(files)
        if urls:
            outcomes = ingest_urls(Ingestor(self.store, self.embedder(), options), urls,
                                   self._fetcher(fetch), on_outcome=lambda o: report(o.ingest_outcome()))
            result = IngestReport(result.outcomes + tuple(o.ingest_outcome() for o in outcomes))
        return result

    def add_feed(self, urls: Sequence[str], *, fetch: "FetchOptions | None" = None,
                 passage_words: int | None = None,
                 on_outcome: Callable[[IngestOutcome], None] | None = None) -> "tuple[FeedRun, ...]":
        """Ingest the entries of RSS/Atom feeds and follow them (``refresh`` polls them again)."""
        return self._follow(urls, "feed", fetch, passage_words, on_outcome)

    def add_sitemap(self, urls: Sequence[str], *, fetch: "FetchOptions | None" = None,
                    passage_words: int | None = None,
                    on_outcome: Callable[[IngestOutcome], None] | None = None) -> "tuple[FeedRun, ...]":
        """Ingest the pages of sitemaps (indexes followed) and follow them for ``refresh``."""
        return self._follow(urls, "sitemap", fetch, passage_words, on_outcome)

    def refresh(self, *, fetch: "FetchOptions | None" = None,
                on_outcome: Callable[[IngestOutcome], None] | None = None) -> "tuple[FeedRun, ...]":
        """Poll every followed feed and sitemap again (conditional GET); ingest only new entries."""
        from .errors import UsageError
        from .ingest import IngestOptions, Ingestor
        from .web.ingest_web import refresh

        if not self.store.feeds():
            raise UsageError(f"{self.location} follows no feeds or sitemaps — add one with "
                             "`citebrief add --feed URL` or `citebrief add --sitemap URL`")
        report = on_outcome or (lambda o: None)
        ingestor = Ingestor(self.store, self.embedder(), IngestOptions(split=self._split_settings()))
        return refresh(ingestor, self._fetcher(fetch), on_outcome=lambda o: report(o.ingest_outcome()))

    def _follow(self, urls: Sequence[str], kind: str, fetch: "FetchOptions | None",
                passage_words: int | None,
                on_outcome: Callable[[IngestOutcome], None] | None) -> "tuple[FeedRun, ...]":
        from .ingest import IngestOptions, Ingestor
        from .web.ingest_web import FeedKind, follow

        report = on_outcome or (lambda o: None)
        split = SplitSettings(passage_words=passage_words) if passage_words else self._split_settings()
        ingestor = Ingestor(self.store, self.embedder(), IngestOptions(split=split))
        fetcher = self._fetcher(fetch)  # one fetcher: robots.txt and politeness shared across feeds
        return tuple(follow(ingestor, url, fetcher, kind=FeedKind(kind),
                            on_outcome=lambda o: report(o.ingest_outcome())) for url in urls)

    @staticmethod
    def _fetcher(fetch: "FetchOptions | None") -> "HttpFetcher":
        from .web.fetch import FetchOptions, HttpFetcher

        return HttpFetcher(fetch or FetchOptions())

    def _split_settings(self) -> SplitSettings:
        fp = self.store.fingerprint()
        return SplitSettings(fp.splitter, fp.passage_words) if fp else SplitSettings()

    def reindex(self, *, on_progress: Callable[[int], None] = lambda n: None) -> int:
        """Re-embed every passage with the chosen embedder; returns the number embedded."""
        from .ingest import embed_missing
        from .store.base import Fingerprint

        embedder = self.embedder()
        if embedder is None:
            self.store.reset_vectors()
            return 0
        fp = self.store.fingerprint()
        split = SplitSettings(fp.splitter, fp.passage_words) if fp else SplitSettings()
        if fp is None or fp.embedder != embedder.name:
            self.store.reset_vectors()
        self.store.set_fingerprint(Fingerprint(split.splitter, split.passage_words, embedder.name, embedder.dim))
        return embed_missing(self.store, embedder, on_progress=on_progress)

    # -- reading --------------------------------------------------------------------------------
    def sources(self) -> list[DocMeta]:
        """Every document's metadata, in ingest order."""
        return self.store.documents()

    def show(self, doc_id: str) -> Document | None:
        """One document with its cleaned text (a unique id prefix is accepted)."""
        doc = self.store.document(doc_id)
        if doc is None and len(doc_id) >= 4:
            matches = [d.doc_id for d in self.store.documents() if d.doc_id.startswith(doc_id)]
            if len(matches) == 1:
                doc = self.store.document(matches[0])
        return doc

    def retriever(self, mode: SearchMode = SearchMode.HYBRID) -> Retriever:
        """A retriever over this corpus (loads the embedder only when the mode needs it)."""
        if self.store.counts()["documents"] == 0:
            raise EmptyCorpusError(f"No documents indexed in {self.location} — run `citebrief add PATH` first")
        return Retriever(self.store, None if mode == SearchMode.BM25 else self.embedder())

    def search(self, query: str, *, mode: SearchMode = SearchMode.HYBRID, k: int = 10,
               filters: Filters = Filters()) -> list[Hit]:
        """The top ``k`` passages for ``query``."""
        return self.retriever(mode).search(query, SearchOptions(mode=mode, k=k, filters=filters))

    def ask(self, question: str, *, keep_unsupported: bool = False, writer=None,
            llm: "LLMConfig | None" = None, progress=None, checker: "CheckerSetup | str" = "rules",
            on_section=None) -> "Brief":
        """Write a verified, cited brief answering ``question`` from this corpus.

        ``on_section``: called with the brief so far after each section is verified (``pipeline.write_brief``).

        ``llm``: phrase the facet sections with that language model (``citebrief.llm.writer``);
        its calls are cached in ``<corpus>.llm-cache/`` unless ``llm.cache_dir`` says otherwise.
        ``checker``: the support checker by name, or a ``verify.CheckerSetup`` (``checker_setup``
        reads --checker / [verify] / [llm]). ``"llm"`` asks ``checker.llm``, else the ``llm`` model
        (then writer and judge share one client and one token budget); its calls are cached there too.
        """
        from .pipeline import BriefOptions, write_brief
        from .verify import CheckerSetup, open_checker

        if not question.strip():
            from .errors import UsageError
            raise UsageError("The question is empty")
        if self.store.counts()["documents"] == 0:
            raise EmptyCorpusError(f"No documents indexed in {self.location} — run `citebrief add PATH` first")
        embedder = self.embedder()
        if embedder is None:
            from .errors import UsageError
            raise UsageError("Briefs need an embedder; this corpus has none — run `citebrief reindex --embedder minilm`")
        progress = progress or (lambda stage, detail: None)
        from .vector_cache import CachedEmbedder

        embedder = CachedEmbedder(embedder, self.store)  # one model call per new sentence, across briefs

        setup = CheckerSetup(checker) if isinstance(checker, str) else checker
        if setup.needs_model and setup.llm is None and llm is not None:
            setup = CheckerSetup(setup.name, llm)

        def run(chosen, generator=None):
            shared = generator if setup.needs_model and setup.llm == llm else None  # the writer's client
            with open_checker(setup, embedder=embedder, generator=shared, cache_dir=self.llm_cache_dir()) as check:
                return write_brief(question, store=self.store, embedder=embedder, checker=check, writer=chosen,
                                   options=BriefOptions(keep_unsupported=keep_unsupported), progress=progress,
                                   on_section=on_section)

        if llm is None:
            return run(writer)
        if writer is not None:
            from .errors import UsageError
            raise UsageError("Pass either writer= or llm= to Corpus.ask, not both")
        from .llm import make_generator
        from .llm.writer import LLMWriter

        config = llm if llm.cache_dir else llm.model_copy(update={"cache_dir": self.llm_cache_dir()})
        with make_generator(config) as generator:
            brief = run(LLMWriter(generator, label=f"{config.backend}:{config.model}"), generator)
            progress("llm", f"{generator.requests} request(s) sent, {generator.cache_hits} call(s) from the cache "
                            f"{config.cache_dir or '(off)'}, {generator.tokens_used:,} tokens")
        return brief

    def llm_cache_dir(self) -> Path | None:
        """``<corpus file>.llm-cache``: LLM calls cached next to the corpus (None for a database URL)."""
        return None if "://" in self.location else Path(self.location + ".llm-cache")

    # -- web research ---------------------------------------------------------------------------
    def research(self, question: str, *, searchers: "Sequence[Searcher]",
                 options: "ResearchOptions | None" = None, llm: "LLMConfig | None" = None,
                 progress: Callable[[str, str], None] | None = None,
                 checker: "CheckerSetup | str" = "rules") -> "Brief":
        """Find sources for ``question`` on the web, ingest them, and write the brief as ``ask`` does.

        ``searchers`` come from ``citebrief.research.loop.choose_searchers`` (or ``make_searcher``).
        The run (queries, results, fetches, failures) is stored in table "runs"; its id is in the
        brief's JSON as "run_id", and the brief's limits say what the search could not find.
        """
        from .ingest import IngestOptions
        from .research.loop import ResearchOptions, Tools, finish_research, run_research

        options = options or ResearchOptions()
        if not question.strip():
            from .errors import UsageError
            raise UsageError("The question is empty")
        embedder = self.embedder()
        if embedder is None:
            from .errors import UsageError
            raise UsageError("Briefs need an embedder; this corpus has none — run `citebrief reindex --embedder minilm`")
        tools = Tools(tuple(searchers), self._fetcher(options.bounded_fetch()), self.store, embedder,
                      IngestOptions(split=self._split_settings()))
        record = run_research(question, tools, options, progress=progress or (lambda stage, detail: None))
        return finish_research(record, lambda: self.ask(question, keep_unsupported=options.keep_unsupported,
                                                        llm=llm, progress=progress, checker=checker),
                               store=self.store, options=options)

    def runs(self, limit: int = 100) -> "list[RunRecord]":
        """Research runs, latest first."""
        from .research.record import list_runs

        return list_runs(self.store, limit)

    def run(self, run_id: str) -> "RunRecord | None":
        """One research run by id (a unique prefix is accepted)."""
        from .research.record import load_run

        return load_run(self.store, run_id)

    def close(self) -> None:
        """Close the store."""
        self.store.close()
