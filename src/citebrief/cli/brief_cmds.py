"""Commands that write and check briefs: ask, verify."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import UsageError
from ..export import OutputFormat
from ..llm.writer import writer_choices, writer_config
from .app import app, open_corpus
from .output import not_utf8, open_text, say

err = Console(stderr=True, highlight=False)
CHECKER_HELP = ("Support checker: rules (default, offline), rules-v1, lexical, cosine, or llm (the model in "
                "\\[llm] decides what the offline checker leaves uncertain). Also `checker` in \\[verify] of "
                "citebrief.toml.")


def write_output(text: str, out: Path | None) -> None:
    """Write to ``out`` (creating folders) or to stdout."""
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out} ({exc.strerror or exc}) — choose another --out path") from None
    say(err, "wrote ", str(out))


FORMAT_HELP = ("Output format: " + ", ".join(f.value for f in OutputFormat)
               + " (default: from the --out file's extension, else md). docx and pdf need --out or a pipe.")


def write_brief(brief, fmt: OutputFormat | None, out: Path | None) -> None:
    """Render ``brief`` in ``fmt`` (or the format ``out``'s extension names) to ``out`` or stdout."""
    from ..export import export

    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    fmt = fmt or next((f for f in OutputFormat if f.value == {"markdown": "md", "htm": "html"}.get(suffix, suffix)),
                      OutputFormat.MD)
    if not fmt.binary:
        write_output(export(brief, fmt).decode("utf-8"), out)
        return
    if out is None and sys.stdout.isatty():
        raise UsageError(f"A {fmt.value} brief is a binary file — pass --out brief.{fmt.value} (or pipe the output)")
    data = export(brief, fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {out} ({exc.strerror or exc}) — choose another --out path") from None
    say(err, "wrote ", str(out))


def stage_printer(quiet: bool):
    """A progress callback that prints each stage on stderr."""
    def show(stage: str, detail: str) -> None:
        if not quiet:
            say(err, (f"{stage:>8}", "dim"), "  ", detail)
    return show


@app.command()
def ask(
    question: str = typer.Argument(..., help="The research question."),
    fmt: Optional[OutputFormat] = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the brief to this file."),
    keep_unsupported: bool = typer.Option(False, "--keep-unsupported",
                                          help="Keep sentences the verifier rejects (marked in JSON)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress on stderr."),
    llm: Optional[str] = typer.Option(None, "--llm", help=f"Writer: {writer_choices()} (default extractive, "
                                      "offline). Also $CITEBRIEF_LLM or `backend` in \\[llm] of citebrief.toml."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name for --llm (e.g. gpt-4o-mini, llama3.1). "
                                                              "Also $CITEBRIEF_MODEL."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="API base URL (Ollama: "
                                           "http://localhost:11434/v1). Also $CITEBRIEF_BASE_URL."),
    token_budget: Optional[int] = typer.Option(None, "--token-budget", min=1,
                                               help="Most tokens the model may use for this brief."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001, help="Seconds to wait for one reply."),
    config: Optional[Path] = typer.Option(None, "--config", help="A citebrief.toml with \\[llm] and \\[verify] "
                                                                 "tables (default: ./citebrief.toml when present)."),
    timeline: bool = typer.Option(False, "--timeline", help="Add the stance timeline: each actor's dated "
                                  "statements in order, with the position each takes and its citation "
                                  "(md, html, json)."),
    checker: Optional[str] = typer.Option(None, "--checker", help=CHECKER_HELP),
) -> int:
    """Answer QUESTION from the corpus with a balanced brief; every sentence is cited and verified.

    The brief has an executive summary, numbered sections for each part of the question, an actor
    table (for who/which questions), competing narratives, computed limits, a bottom line and a
    numbered source list. Offline by default; with --llm a language model phrases the sections
    from numbered evidence, and the same verifier checks every sentence. Settings: flags >
    environment > citebrief.toml \\[llm] > defaults.
    """
    from ..verify.setup import checker_setup

    flags = {"backend": llm, "model": model, "base_url": base_url, "token_budget": token_budget, "timeout": timeout}
    toml = config or (Path("citebrief.toml") if Path("citebrief.toml").is_file() else None)
    llm_config = writer_config({k: v for k, v in flags.items() if v is not None}, os.environ, toml)
    setup = checker_setup(checker, toml, os.environ, llm=llm_config)  # the llm judge asks the writer's model
    text_format = timeline_format(fmt, out) if timeline else None  # checked before the brief is written
    corpus = open_corpus()
    brief = corpus.ask(question, keep_unsupported=keep_unsupported, llm=llm_config, checker=setup,
                       progress=stage_printer(quiet))
    if text_format is None:
        write_brief(brief, fmt, out)
    else:
        from ..brief.render import render
        from ..brief.timeline import with_timeline

        write_output(with_timeline(render(brief, text_format), brief.to_json(), text_format.value), out)
    return 0


def timeline_format(fmt: OutputFormat | None, out: Path | None):
    """The text format a ``--timeline`` brief is written in (md, html or json), or a UsageError."""
    from ..brief.render import Format

    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    name = fmt.value if fmt else {"markdown": "md", "htm": "html"}.get(suffix, suffix)
    if name in {f.value for f in Format}:
        return Format(name)
    if fmt is not None or name in {f.value for f in OutputFormat}:
        raise UsageError(f"--timeline adds a section to md, html or json output, not {name} — "
                         "choose one of those with --format")
    return Format.MD


@app.command()
def verify(
    pairs: Path = typer.Option(..., "--pairs", help="JSONL: one {\"sentence\", \"passages\": [...]} per line; "
                                                   "'-' for stdin."),
    checker: Optional[str] = typer.Option(None, "--checker", help=CHECKER_HELP),
    embedder: str = typer.Option("minilm", "--embedder", help="Embedding model for the checker."),
    config: Optional[Path] = typer.Option(None, "--config", help="A citebrief.toml with \\[verify] and \\[llm] "
                                                                 "tables (default: ./citebrief.toml when present)."),
) -> int:
    """Check sentence/passage pairs (no corpus needed); one JSON verdict line per input line.

    Output lines: {"verdict", "score", "best_span": [passage_index, start, end], …input fields}.
    With --checker llm, stderr says how many pairs the model decided and what it could not do; its
    calls are cached only where `cache_dir` in \\[llm] says (there is no corpus to keep them beside).
    """
    from ..embed import get_embedder
    from ..verify import describe, figures_line, verify_pairs
    from ..verify.setup import checker_setup, open_checker

    toml = config or (Path("citebrief.toml") if Path("citebrief.toml").is_file() else None)
    setup = checker_setup(checker, toml, os.environ)
    lines = sys.stdin if str(pairs) == "-" else open_text(pairs, "--pairs file")
    failed = 0
    with open_checker(setup, embedder=get_embedder(embedder)) as check:
        try:
            for row in verify_pairs(lines, check):
                failed += "error" in row
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        except UnicodeDecodeError:
            raise not_utf8("--pairs input", pairs) from None
        if setup.needs_model:
            err.print(escape(figures_line(describe(check))))
    return 1 if failed else 0
