"""The ``check`` command: audit an existing report's inline [n] citations against the corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..checkreport import CheckResult, SourceEntry, check_report, find_markers, parse_mapping, result_json
from ..checkreport.render import summary_json, unmatched_json
from ..errors import EmptyCorpusError, UsageError
from ..verify.describe import figures_line
from ..verify.setup import checker_setup, open_checker
from .app import app, emit_json, open_corpus
from .output import plain

err = Console(stderr=True, highlight=False)
COLOURS = {"supported": "green", "partial": "yellow", "unsupported": "red", "contradicted": "bold red",
           "uncertain": "cyan", "unresolved": "magenta"}
QUOTE_CHARS = 200  # longer quotes are cut in the table (--json has them whole)


def read_text(path: Path, what: str) -> str:
    """A UTF-8 text file, or a UsageError that names the file and the fix."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise UsageError(f"{what} {path} does not exist — check the path") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise UsageError(f"{what} {path} cannot be read ({exc.strerror}); give a readable text file") from None


def load_inputs(report: Path, sources: Path | None, min_recall: float) -> tuple[str, tuple[SourceEntry, ...]]:
    """Validate the arguments before any model loads: the report, the mapping, the threshold."""
    if not 0.0 <= min_recall <= 1.0:
        raise UsageError(f"--min-recall must be between 0 and 1, got {min_recall}")
    text = read_text(report, "Report")
    if not find_markers(text):
        raise UsageError(f"{report} has no [n] citation markers; `check` audits reports that cite "
                         "their sources inline as [1], [2] …")
    entries = parse_mapping(read_text(sources, "--sources file"), name=str(sources)) if sources else ()
    return text, entries


@app.command()
def check(
    report: Path = typer.Argument(..., help="A Markdown or plain-text report with inline \\[n] citations."),
    as_json: bool = typer.Option(False, "--json", help="Print the audit as JSON (sentences, summary, "
                                                       "unmatched_sources)."),
    min_recall: float = typer.Option(0.0, "--min-recall", help="Exit 1 when ALCE citation recall is "
                                                               "below this (0–1; default 0: never)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Map \\[n] to sources when the report "
                                           "has no source list: JSON {\"1\": \"url-or-title\"} or "
                                           "[{\"n\", \"url\"|\"title\"}], or lines 'n<TAB>url-or-title'. "
                                           "Entries replace source-list entries of the same number."),
    checker_name: Optional[str] = typer.Option(None, "--checker", help="Support checker: rules (default, "
                                               "offline), rules-v1, lexical, cosine, or llm (the model in "
                                               "\\[llm] decides what the offline checker leaves uncertain). "
                                               "Also `checker` in \\[verify] of citebrief.toml."),
    config: Optional[Path] = typer.Option(None, "--config", help="A citebrief.toml with \\[verify] and \\[llm] "
                                                                 "tables (default: ./citebrief.toml when present)."),
) -> int:
    r"""Audit REPORT: is each sentence supported by the corpus documents it cites?

    Each \[n] is matched to a corpus document by the URL in the report's source list (canonical
    form), else by title; unmatched sources are reported, never guessed. Each sentence (markers
    removed) is checked against its cited documents' passages. Prints a table (sentence, citations,
    verdict, best quote), ALCE citation recall and precision, counts per verdict and unresolved
    citations. Exit status 1 when recall is below --min-recall, 2 on usage errors.
    """
    text, entries = load_inputs(report, sources, min_recall)
    toml = config or (Path("citebrief.toml") if Path("citebrief.toml").is_file() else None)
    setup = checker_setup(checker_name, toml, os.environ)  # before the corpus opens: a bad name is exit 2
    corpus = open_corpus()
    if corpus.store.counts()["documents"] == 0:
        raise EmptyCorpusError(f"No documents indexed in {corpus.location} — run `citebrief add PATH` first")
    from ..embed import get_embedder

    embedder = corpus.embedder() or get_embedder("minilm")  # a BM25-only corpus still needs a judge
    with open_checker(setup, embedder=embedder, cache_dir=corpus.llm_cache_dir()) as checker:
        result = check_report(text, name=str(report), store=corpus.store, checker=checker,
                              extra_sources=entries)
    if as_json:
        emit_json(result_json(result))
    else:
        print_result(result)
    if not result.has_source_list and not entries:
        err.print("note: the report has no source list, so no citation could be resolved — "
                  "map them with --sources FILE")
    if result.recall < min_recall:
        err.print(f"citation recall {result.recall:.3f} is below --min-recall {min_recall:g}")
        return 1
    return 0


def print_result(result: CheckResult) -> None:
    """The per-sentence table, the summary figures and the unmatched sources, on stdout."""
    out = Console(highlight=False)
    table = Table("#", "sentence", "cites", "verdict", "best quote", show_lines=True)
    for i, row in enumerate(result.sentences, start=1):
        colour = COLOURS[row.verdict.value]
        verdict = f"[{colour}]{row.verdict.value}[/]" + ("" if row.score is None else f"\n{row.score:.2f}")
        cites = " ".join(f"[{n}]" + ("?" if n in row.unresolved else "") for n in row.citations) or "—"
        quote = " ".join((row.quote or "").split())
        quote = quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS - 1] + "…"
        source = f"\n— [{row.quote_source}]" if row.quote_source is not None else ""
        table.add_row(str(i), escape(plain(row.text)), escape(cites), verdict,
                      escape(plain(quote)) + escape(plain(source)))
    out.print(table)
    summary = summary_json(result)
    out.print(f"citation recall {summary['citation_recall']:.3f} · citation precision "
              f"{summary['citation_precision']:.3f} (ALCE) · {summary['sentences']} sentences")
    out.print(" · ".join(f"{k} {summary[k]}" for k in ("supported", "partial")) + " · flagged: "
              + " · ".join(f"{k} {summary[k]}" for k in ("unsupported", "contradicted"))
              + f" · not decided: uncertain {summary['uncertain']}, unresolved {summary['unresolved']}")
    line = figures_line(dict(result.checker))
    if line:
        out.print(escape(line))
    if result.unresolved_citations:
        out.print("unresolved citations: " + escape(" ".join(f"[{n}]" for n in result.unresolved_citations)))
    unmatched = unmatched_json(result)
    if unmatched:
        out.print(f"unmatched sources ({len(unmatched)}):")
        for item in unmatched:
            label = item["title"] or item["url"] or "(no entry)"
            number = escape(f"[{item['n']}]")
            out.print(f"  {number} {escape(plain(label))} — {escape(plain(item['reason']))}")
