"""Commands that research the web: `research` (search, fetch, brief) and `runs` (what runs did)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from ..errors import UsageError
from ..export import OutputFormat
from ..llm.writer import writer_choices, writer_config
from ..research.providers import describe_providers, provider_choices
from . import web_cmds
from .app import app, emit_json, open_corpus
from .brief_cmds import FORMAT_HELP, err, write_brief
from .output import echo, finite, plain, say

runs_app = typer.Typer(help="Research runs: queries sent, results, pages fetched, failures.",
                       no_args_is_help=False, invoke_without_command=True)
app.add_typer(runs_app, name="runs")


def progress_printer(quiet: bool):
    """Print each (stage, detail) on stderr; details are shown literally (URLs, error messages and
    queries may hold brackets that rich would read as markup)."""
    def show(stage: str, detail: str) -> None:
        if not quiet:
            say(err, (f"{stage:>8}", "dim"), "  ", detail)
    return show


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--since must be a date as YYYY-MM-DD, got {value!r}") from None


@app.command(epilog=describe_providers().replace("\n", "\n\n"))
def research(
    question: str = typer.Argument(..., help="The research question."),
    search: list[str] = typer.Option([], "--search", help=f"Search provider ({provider_choices()}); "
                                     "repeatable. Default: every provider set up in the environment."),
    search_url: Optional[str] = typer.Option(None, "--search-url", help="URL of a SearXNG instance "
                                             "(also $CITEBRIEF_SEARXNG_URL)."),
    max_sources: int = typer.Option(40, "--max-sources", min=1, help="Most result pages to use."),
    rounds: int = typer.Option(2, "--rounds", min=1, help="Search rounds; later rounds reformulate "
                               "the queries of facets with thin evidence."),
    budget: float = typer.Option(120.0, "--budget", help="Wall-clock seconds for searching and fetching."),
    since: Optional[str] = typer.Option(None, "--since", help="Only results published on/after YYYY-MM-DD."),
    include_domain: list[str] = typer.Option([], "--include-domain", help="Only results from this "
                                             "domain or its subdomains (repeatable)."),
    exclude_domain: list[str] = typer.Option([], "--exclude-domain", help="Never results from this "
                                             "domain or its subdomains (repeatable)."),
    per_domain: int = typer.Option(3, "--per-domain", min=1, help="Most results from one domain."),
    allow_private: bool = web_cmds.ALLOW_PRIVATE,
    delay: float = web_cmds.DELAY,
    fmt: Optional[OutputFormat] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the brief to this file."),
    llm: Optional[str] = typer.Option(None, "--llm", help=f"Writer: {writer_choices()} (default "
                                      "extractive, offline). Also $CITEBRIEF_LLM."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name for --llm. Also $CITEBRIEF_MODEL."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="API base URL for --llm. "
                                           "Also $CITEBRIEF_BASE_URL."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
) -> int:
    """Search the web for QUESTION, fetch and ingest what it finds, and write the brief as `ask` does.

    Queries cover the question's terms, each facet, each side's argument and (for questions about
    now) recent news; results are de-duplicated, capped per domain, fetched politely (robots.txt,
    private addresses refused) and ingested with the query and provider that found them. Facets
    with thin evidence get reformulated queries in the next round. The brief's limits say what the
    search could not find; `citebrief runs show ID` shows every query and fetch of the run.
    """
    from ..research.loop import ResearchOptions, choose_searchers

    finite(budget, "--budget", unit="seconds")
    searchers = choose_searchers(search, search_url=search_url)
    fetch = web_cmds.fetch_options(allow_private=allow_private, ignore_robots=False,
                                   concurrency=web_cmds.DEFAULT_CONCURRENCY, timeout=None, delay=delay)
    options = ResearchOptions(max_sources=max_sources, rounds=rounds, budget=budget, since=_since(since),
                              include_domains=tuple(include_domain), exclude_domains=tuple(exclude_domain),
                              per_domain=per_domain, fetch=fetch)
    flags = {"backend": llm, "model": model, "base_url": base_url}
    toml = Path("citebrief.toml") if Path("citebrief.toml").is_file() else None
    llm_config = writer_config({k: v for k, v in flags.items() if v is not None}, os.environ, toml)
    brief = open_corpus().research(question, searchers=searchers, options=options, llm=llm_config,
                                   progress=progress_printer(quiet))
    write_brief(brief, fmt, out)
    if not quiet:
        err.print(f"run {brief.extra['run_id']} — `citebrief runs show {brief.extra['run_id']}`")
    return 0


@runs_app.callback()
def runs(ctx: typer.Context,
         as_json: bool = typer.Option(False, "--json", help="JSON list of run records.")) -> int:
    """List research runs, latest first; `citebrief runs show ID` for one run."""
    if ctx.invoked_subcommand is not None:
        return 0
    records = open_corpus().runs()
    if as_json:
        emit_json([r.to_json() for r in records])
        return 0
    if not records:
        err.print("No research runs yet — run `citebrief research QUESTION`")
    for r in records:
        fetched = sum(f.fetched and f.status != "failed" for f in r.fetches)
        failed = sum(f.status == "failed" for f in r.fetches)
        echo(f"{r.run_id[:12]}  {r.started[:19].replace('T', ' ')}  {r.status:<11}  "
             f"{len({q.text for q in r.queries}):>3} queries  {fetched:>3} fetched  {failed:>3} failed  "
             f"{plain(r.question, one_line=True)}")
    return 0


@runs_app.command("show")
def show_run(run_id: str = typer.Argument(..., help="Run id (a unique prefix is enough)."),
             as_json: bool = typer.Option(False, "--json", help="The run record as JSON.")) -> int:
    """Show one research run: queries, results, fetches, facets and failures."""
    from ..research.record import describe_run

    record = open_corpus().run(run_id)
    if record is None:
        raise UsageError(f"No research run {run_id!r} in the corpus — list runs with `citebrief runs`")
    if as_json:
        emit_json(record.to_json())
    else:
        echo(describe_run(record))
    return 0
