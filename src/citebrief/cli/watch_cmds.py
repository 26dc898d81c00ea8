"""`citebrief watch`: watched questions, their brief versions, and what changed between them.

The brief, model and LLM code is imported by the commands that write or render a brief (`run`,
`show`), not here: `watch list`, `add`, `diff` and `rm` start without it.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from ..errors import CitebriefError, UsageError
from . import web_cmds
from .app import app, emit_json, open_corpus
from .output import echo, plain, say

err = Console(stderr=True, highlight=False)

watch_app = typer.Typer(help="Watched questions: brief a question again and again, keep every version, and "
                             "see what changed since the last brief.", no_args_is_help=True)
app.add_typer(watch_app, name="watch")


class ChangeFormat(str, Enum):
    """Output formats of a change list."""

    MD = "md"
    JSON = "json"


class BriefFormat(str, Enum):
    """Output formats of a stored brief (``export.OutputFormat``; tests/test_watch.py checks they match)."""

    MD = "md"
    HTML = "html"
    JSON = "json"
    DOCX = "docx"
    PDF = "pdf"


NAME_ARG = typer.Argument(..., help="The watch's name (`citebrief watch list` shows them).")
CHANGE_FORMAT = typer.Option(ChangeFormat.MD, "--format", "-f", help="Output format of the change list.")


def _watches(corpus) -> Any:
    from ..watch.store import WatchStore

    return WatchStore(corpus.store)


def _out(text: str) -> None:
    sys.stdout.write(plain(text))


@watch_app.command("add")
def add(
    question: str = typer.Argument(..., help="The question to brief again on each `watch run`."),
    name: Optional[str] = typer.Option(None, "--name", help="A short name (default: from the question's "
                                       "first words)."),
    feed: list[str] = typer.Option([], "--feed", help="An RSS/Atom feed to poll before each brief "
                                   "(repeatable)."),
    research: bool = typer.Option(False, "--research", help="Search the web again before each brief, "
                                  "as `citebrief research` does."),
    search: list[str] = typer.Option([], "--search", help="Search provider for --research (repeatable; "
                                     "default: every provider set up in the environment)."),
    search_url: Optional[str] = typer.Option(None, "--search-url", help="SearXNG instance for --research."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved watch as JSON."),
) -> int:
    """Save QUESTION as a watched question; `citebrief watch run NAME` writes its briefs."""
    from ..watch.model import Watch, check_name, name_from_question
    from ..web.ingest_web import is_url

    if not question.strip():
        raise UsageError("The question is empty — give the question to watch in quotes")
    bad = [f for f in feed if not is_url(f) or not f.strip().lower().startswith(("http://", "https://"))]
    if bad:
        raise UsageError(f"--feed takes an http(s) URL of an RSS/Atom feed; {plain(bad[0])!r} is not one")
    if (search or search_url) and not research:
        raise UsageError("--search and --search-url choose providers for --research; add --research")
    corpus = open_corpus()
    watches = _watches(corpus)
    chosen = check_name(name) if name is not None else name_from_question(question, watches.names())
    watch = watches.add(Watch(chosen, question.strip(), tuple(f.strip() for f in feed), research,
                              tuple(search), search_url))
    if as_json:
        emit_json(watch.to_json())
    else:
        echo(watch.name)
        say(err, "watching ", (watch.name, "bold"), ": ", watch.question, " — `citebrief watch run ",
            watch.name, "` writes its first brief")
    return 0


@watch_app.command("list")
def list_watches(as_json: bool = typer.Option(False, "--json", help="JSON list of watches.")) -> int:
    """List watched questions with how many briefs each has and when the latest was written."""
    corpus = open_corpus()
    watches = _watches(corpus)
    counts = watches.counts()
    rows = [{**w.to_json(), "versions": counts.get(w.name, (0, 0, None))[0],
             "latest_version": counts.get(w.name, (0, 0, None))[1] or None,
             "latest_at": counts.get(w.name, (0, 0, None))[2]} for w in watches.all()]
    if as_json:
        emit_json(rows)
        return 0
    if not rows:
        err.print("Nothing is watched yet — add a question with `citebrief watch add QUESTION`")
    for r in rows:
        when = (r["latest_at"] or "never run")[:16].replace("T", " ")
        echo(f"{r['name']:<28}  {r['versions']:>3} version(s)  {when:<16}  {plain(r['question'], one_line=True)}")
    return 0


@watch_app.command("show")
def show(
    name: str = NAME_ARG,
    version: Optional[int] = typer.Option(None, "--version", "-v", min=1, help="Which version (default: "
                                          "the latest)."),
    chosen_format: Optional[BriefFormat] = typer.Option(None, "--format", "-f", help="Output format (default: "
                                                        "from the --out file's extension, else md)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the brief alone to this file (md, html, "
                                       "json, docx or pdf)."),
    timeline: bool = typer.Option(False, "--timeline", help="Add each actor's dated statements in order."),
) -> int:
    """Show a watch's history and one of its briefs (the latest by default), or write the brief to a file."""
    from ..server.export import brief_from_json  # the one rebuild of a stored brief's JSON
    from ..watch.render import history_markdown

    corpus = open_corpus()
    watches = _watches(corpus)
    watch = watches.get(name)
    versions = watches.versions(name)
    chosen = watches.version(name, version) if version is not None else (versions[-1] if versions else None)
    if out is not None or chosen_format in (BriefFormat.DOCX, BriefFormat.PDF):
        if chosen is None:
            raise UsageError(f"{name!r} has no brief yet — run `citebrief watch run {name}` first")
        _write_brief(brief_from_json(chosen.brief), chosen.brief, chosen_format, out, timeline=timeline)
        return 0
    if chosen_format == BriefFormat.JSON:
        emit_json({"watch": watch.to_json(), "versions": [v.summary_json() for v in versions],
                   "version": chosen.number if chosen else None,
                   "brief": ({**chosen.brief, "timeline": _timeline_json(chosen.brief)} if timeline
                             else chosen.brief) if chosen else None})
        return 0
    if chosen_format in (None, BriefFormat.MD):
        _out(history_markdown(watch, versions) + "\n")
    if chosen is None:
        if chosen_format == BriefFormat.HTML:
            raise UsageError(f"{name!r} has no brief yet — run `citebrief watch run {name}` first")
        return 0
    _write_brief(brief_from_json(chosen.brief), chosen.brief, chosen_format or BriefFormat.MD, None,
                 timeline=timeline)
    return 0


def _write_brief(brief, data: dict[str, Any], fmt: BriefFormat | None, out: Path | None, *, timeline: bool) -> None:
    """A stored brief to ``out`` or stdout, as `ask` writes one (``--timeline``: md, html or json only)."""
    from ..export import OutputFormat
    from .brief_cmds import timeline_format, write_brief, write_output

    chosen = OutputFormat(fmt.value) if fmt else None
    if not timeline:
        write_brief(brief, chosen, out)
        return
    from ..brief.render import render
    from ..brief.timeline import with_timeline

    text_format = timeline_format(chosen, out)
    write_output(with_timeline(render(brief, text_format), data, text_format.value), out)


def _timeline_json(brief: dict[str, Any]) -> list[dict[str, Any]]:
    from ..brief.timeline import build_timeline, timeline_json

    return timeline_json(build_timeline(brief))


@watch_app.command("diff")
def diff(
    name: str = NAME_ARG,
    old: Optional[int] = typer.Argument(None, help="The earlier version (default: the one before NEW)."),
    new: Optional[int] = typer.Argument(None, help="The later version (default: the latest)."),
    fmt: ChangeFormat = CHANGE_FORMAT,
) -> int:
    """What changed between two versions of a watch's brief (default: the last two), every line cited."""
    from ..watch.diff import diff_briefs

    watches = _watches(open_corpus())
    watches.get(name)
    latest = watches.latest(name, 1)
    if new is None and not latest:
        raise UsageError(f"{name!r} has no brief yet — run `citebrief watch run {name}` (twice, to compare)")
    new_v = watches.version(name, new) if new is not None else latest[0]
    old_number = old if old is not None else new_v.number - 1
    if old_number < 1:
        raise UsageError(f"{name!r} has only version {new_v.number} — nothing earlier to compare; "
                         f"run `citebrief watch run {name}` again")
    old_v = watches.version(name, old_number)
    _print_changes(diff_briefs(old_v.brief, new_v.brief), old_v, new_v, fmt)
    return 0


def _print_changes(changes, old, new, fmt: ChangeFormat) -> None:
    from ..watch.render import changes_json, changes_markdown

    if fmt == ChangeFormat.JSON:
        emit_json(changes_json(changes, old, new))
    else:
        _out(changes_markdown(changes, old, new))


@watch_app.command("rm")
def rm(name: str = NAME_ARG) -> int:
    """Stop watching a question and delete its stored briefs (the corpus' documents stay)."""
    removed = _watches(open_corpus()).remove(name)
    say(err, "removed ", (name, "bold"), f" and {removed} version(s) of its brief")
    return 0


@watch_app.command("run")
def run(
    name: Optional[str] = typer.Argument(None, help="The watch to run (default: every watch)."),
    fmt: ChangeFormat = CHANGE_FORMAT,
    allow_private: bool = web_cmds.ALLOW_PRIVATE,
    ignore_robots: bool = web_cmds.IGNORE_ROBOTS,
    timeout: Optional[float] = web_cmds.TIMEOUT,
    delay: float = web_cmds.DELAY,
    llm: Optional[str] = typer.Option(None, "--llm", help="Writer, as for `ask --llm` (default extractive, "
                                      "offline). Also $CITEBRIEF_LLM."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name for --llm. Also $CITEBRIEF_MODEL."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="API base URL for --llm. "
                                           "Also $CITEBRIEF_BASE_URL."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the new brief to this file (its "
                                       "extension picks md, html, json, docx or pdf); needs NAME."),
) -> int:
    """Refresh a watch's feeds (or research again), write a new brief, keep it, and print what changed.

    The change list compares this brief with the previous version: stances that changed (both ends
    cited, with dates), new actors, new or resolved disputes, key facts added or no longer
    supported, new sources and sources no longer cited. "\\[old n]" cites the previous brief's source
    n, "\\[new n]" this brief's. A version is stored only once its brief is complete.

    Exit status 0; 1 when a feed could not be read (the brief is still written) or a watch failed.
    """
    from ..llm.writer import writer_config
    from ..watch.run import RunOptions, run_watch
    from .brief_cmds import stage_printer

    fetch = web_cmds.fetch_options(allow_private=allow_private, ignore_robots=ignore_robots,
                                   concurrency=web_cmds.DEFAULT_CONCURRENCY, timeout=timeout, delay=delay)
    flags = {"backend": llm, "model": model, "base_url": base_url}
    toml = Path("citebrief.toml") if Path("citebrief.toml").is_file() else None
    options = RunOptions(fetch=fetch, llm=writer_config({k: v for k, v in flags.items() if v is not None},
                                                        os.environ, toml))
    if out is not None and name is None:
        raise UsageError("--out writes one brief: name the watch to run (`citebrief watch run NAME --out FILE`)")
    corpus = open_corpus()
    watches = _watches(corpus)
    names = [watches.get(name).name] if name is not None else [w.name for w in watches.all()]
    if not names:
        raise UsageError("Nothing is watched yet — add a question with `citebrief watch add QUESTION`")
    status, outputs = 0, []
    for each in names:
        try:
            result = run_watch(corpus, each, options, progress=stage_printer(quiet))
        except CitebriefError as exc:
            if len(names) == 1:
                raise
            say(err, ("failed", "red"), f" {each}: ", str(exc))
            status = 1
            continue
        for failure in result.failures():
            say(err, ("failed", "red"), " ", failure)
            status = 1
        if out is not None:
            from ..server.export import brief_from_json

            _write_brief(brief_from_json(result.version.brief), result.version.brief, None, out, timeline=False)
        if fmt == ChangeFormat.JSON:
            outputs.append(_run_json(result))
        else:
            _report(result, several=len(names) > 1)
    if fmt == ChangeFormat.JSON:
        emit_json(outputs[0] if name is not None and outputs else outputs)
    return status


def _run_json(result) -> dict[str, Any]:
    """One run as JSON: the watch, the stored version, and the change list (null for a first version)."""
    from ..watch.render import changes_json

    version, previous = result.version, result.previous
    return {"watch": result.watch.name, "version": version.summary_json(),
            "changes": changes_json(result.changes, previous, version) if previous else None}


def _report(result, *, several: bool) -> None:
    """Print one run's outcome as Markdown: the change list, or for a first version what was stored."""
    from ..watch.render import changes_markdown

    version, previous = result.version, result.previous
    if previous is None:
        _out(f"# {result.watch.name}: first brief stored as {version.label()}\n\n"
             f"{version.summary_json()['actors']} actor(s), {version.summary_json()['sources']} source(s); "
             f"the next `citebrief watch run {result.watch.name}` says what changed. "
             f"`citebrief watch show {result.watch.name}` shows the brief.\n")
    else:
        _out(changes_markdown(result.changes, previous, version))
    if several:
        _out("\n")
