"""Render a ``Brief`` as Markdown, self-contained HTML (all source text escaped), or JSON. Pure."""

from __future__ import annotations

import html
import json
from enum import Enum

from ..clean import web_url
from .model import Brief
from .writer import BOTTOM_LINE, SUMMARY


class Format(str, Enum):
    """Output formats of a brief."""

    MD = "md"
    HTML = "html"
    JSON = "json"


def _cites(numbers) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def _md_text(text: str) -> str:
    """Source text in Markdown: neutralise characters that would become markup or links."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;").replace("|", "\\|")


NO_REASON = "no reason stated in the sources"


def _reasons(actor: dict) -> list[dict]:
    """Each reason with its own citations (older JSON without ``reason_details``: the row's citations)."""
    return actor.get("reason_details") or [{"text": r, "citations": actor.get("citations", [])}
                                           for r in actor.get("reasons", [])]


# how the table marks the position of a party to the act asked about (no stance word states it)
PARTY = "its own act"


def position_cell(actor: dict) -> str:
    """'opposes (2024-11-22)': the latest position and the date of its latest statement; 'supports (its own
    act)' for a party speaking for what it did."""
    notes = [n for n in (PARTY if actor.get("party") else "", actor.get("since") or "") if n]
    return f"{actor['position']} ({', '.join(notes)})" if notes else str(actor["position"])


def toward(actors) -> str:
    """"Positions on the explanation: …" when the table's positions are on something other than the
    question's own target (a why question's main cause), else ""."""
    what = next((a.get("position_toward") for a in actors if a.get("position_toward")), "")
    return f"Positions on {what}." if what else ""


def footer(m: dict) -> str:
    """What was checked, named as what it is (a quoted sentence is not a verified claim)."""
    text = (f"Verification: citation recall {m.get('citation_recall', 0):.2f}, citation precision "
            f"{m.get('citation_precision', 0):.2f}; {m.get('sentences_removed', 0)} unsupported sentence(s) removed, "
            f"{m.get('citations_dropped', 0)} irrelevant citation(s) dropped.")
    if "sentences_quoted" in m:
        text += (f" {m['sentences_quoted']} sentence(s) quoted from sources (checked against the passage they "
                 f"come from); {m.get('templates_verified_against_analysis', 0)} template sentence(s) verified "
                 "against the analysis (each named actor's stance stated in a cited sentence)")
        dropped = len(m.get("templates_dropped") or [])
        text += f"; {dropped} template sentence(s) dropped for want of one." if dropped else "."
    if "extracts_checked_against_question" in m:
        off = len(m.get("extracts_dropped_off_question") or [])
        text += (f" {m['extracts_checked_against_question']} quoted sentence(s) checked against the question "
                 f"(close to it, or placed by the analysis as an actor's stance or reason); {off} dropped as off it.")
    text += _checker_lines(m)
    return text


def _checker_lines(m: dict) -> str:
    """Which checker ran, with its measured figures, and what it left undecided ("uncertain")."""
    from ..verify.describe import figures_line

    text = f" {figures_line(m)}" if m.get("checker") else ""
    kept, removed = m.get("sentences_uncertain_kept", 0), m.get("sentences_uncertain_removed", 0)
    if kept or removed:
        text += (f" Uncertain (the checker could not decide): {kept} quoted or template sentence(s) kept as the "
                 f"sources' own words, {removed} model-written sentence(s) removed.")
    return text


def _body_sections(brief: Brief):
    """(heading, sentences) for the numbered sections, in order, without summary and bottom line."""
    return [(h, s) for h, s in brief.sections if h not in (SUMMARY, BOTTOM_LINE)]


def _section(brief: Brief, heading: str):
    return next((s for h, s in brief.sections if h == heading), ())


def to_markdown(brief: Brief) -> str:
    """The brief as Markdown with inline [n] citations and a numbered source list."""
    out = [f"# {_md_text(brief.question)}", ""]
    if not brief.enough_evidence:
        out += ["**Not enough evidence in the corpus to answer this question.**", ""]
        out += [f"- {_md_text(x)}" for x in brief.limits]
        for heading, sentences in brief.sections:  # what the sources do say about it, cited
            out += ["", f"## {_md_text(heading)}", "",
                    " ".join(f"{_md_text(s.text)} {_cites(s.citations)}" for s in sentences)]
        out += ["", "## Sources", "", *_md_sources(brief)] if brief.sources else []
        return "\n".join(out) + "\n"
    out += ["## Executive summary", ""]
    out.append(" ".join(f"{_md_text(s.text)} {_cites(s.citations)}" for s in _section(brief, SUMMARY)))
    n = 0
    for heading, sentences in _body_sections(brief):
        n += 1
        out += ["", f"## {n}. {heading}"]
        out += ["", " ".join(f"{_md_text(s.text)} {_cites(s.citations)}" for s in sentences)] if sentences else []
        if n == 1 and brief.actors:
            out += ["", _md_text(toward(brief.actors))] if toward(brief.actors) else []
            out += ["", "| Actor | Position | Stated reasons | Sources |", "|---|---|---|---|"]
            for a in brief.actors:
                reasons = "; ".join(f"{_md_text(r['text'])} {_cites(r['citations'])}" for r in _reasons(a)) \
                    or NO_REASON
                out.append(f"| {_md_text(a['name'])} | {_md_text(position_cell(a))} | {reasons} | "
                           f"{_cites(a.get('position_citations') or a['citations'])} |")
    if brief.disputes:
        n += 1
        out += ["", f"## {n}. Competing narratives", ""]
        for d in brief.disputes:
            out.append(f"- {_md_text(d['summary'])}")
            out += [f"  - {_md_text(side['text'])} {_cites(side['citations'])}" for side in d["sides"]]
    n += 1
    out += ["", f"## {n}. Limits of the available reporting and open questions", ""]
    out += [f"- {_md_text(x)}" for x in brief.limits]
    bottom = _section(brief, BOTTOM_LINE)
    if bottom:
        n += 1
        out += ["", f"## {n}. Bottom line", "", " ".join(f"{_md_text(s.text)} {_cites(s.citations)}" for s in bottom)]
    m = brief.metrics
    out += ["", "---", "", _md_text(footer(m)), "", "## Sources", "", *_md_sources(brief)]
    return "\n".join(out) + "\n"


def _md_sources(brief: Brief) -> list[str]:
    out = []
    for s in brief.sources:
        where = s["url"] or s["path"] or ""
        meta = ", ".join(x for x in (s["outlet"], s["published"]) if x)
        out.append(f"{s['n']}. {_md_text(s['title'] or where)}" + (f" — {_md_text(meta)}" if meta else "")
                   + (f". {_md_text(where)}" if where else ""))
    return out


_CSS = """body{font:16px/1.55 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}a.cite{text-decoration:none}
.src{font-size:.92rem}.quote{color:#444;margin:.2rem 0 .6rem 1rem;border-left:3px solid #ccc;padding-left:.5rem}
.quote:target{background:#fff3b0;color:#1a1a1a;border-left-color:#b58900}"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _quote_id(n: int, start: int) -> str:
    """The anchor of one quoted span in the source list: source number and start offset (unique per source)."""
    return f"src-{int(n)}-q{int(start)}"


class _CiteLinks:
    """[n] links to the exact span each citation was verified against (the brief's ``evidence``), not a guess.

    A citation whose span is listed under its source links to that quote (highlighted as the target) and
    carries the quote as its title; one without a span (a brief stored before spans) links to the source.
    """

    def __init__(self, brief: Brief) -> None:
        self.anchors = {_quote_id(s["n"], q["start"]) for s in brief.sources for q in s.get("passages", ())}

    def __call__(self, numbers, evidence=()) -> str:
        spans: dict[int, list[dict]] = {}
        for e in evidence:
            e = e if isinstance(e, dict) else e.to_json()
            spans.setdefault(int(e["n"]), []).append(e)
        return " ".join(self._link(int(n), spans.get(int(n), [])) for n in numbers)

    def _link(self, n: int, spans: list[dict]) -> str:
        target = next((_quote_id(n, e["start"]) for e in spans if _quote_id(n, e["start"]) in self.anchors), None)
        if target is None:
            return f'<a class="cite" href="#src-{n}">[{n}]</a>'
        title = " … ".join(e["quote"] for e in spans)
        return f'<a class="cite" href="#{target}" title="{_h(title)}">[{n}]</a>'

    def sentences(self, sentences) -> str:
        return " ".join(f"{_h(s.text)} {self(s.citations, s.evidence)}" for s in sentences)


def to_html(brief: Brief) -> str:
    """A self-contained HTML page; every piece of source or question text is escaped."""
    parts = ['<!doctype html><html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_h(brief.question)}</title><style>{_CSS}</style></head><body><main>",
             f"<h1>{_h(brief.question)}</h1>"]
    if not brief.enough_evidence:
        parts.append("<p><strong>Not enough evidence in the corpus to answer this question.</strong></p><ul>")
        parts += [f"<li>{_h(x)}</li>" for x in brief.limits]
        parts.append("</ul>")
        cites = _CiteLinks(brief)
        parts += [f"<h2>{_h(heading)}</h2><p>{cites.sentences(sentences)}</p>" for heading, sentences in brief.sections]
        if brief.sources:
            parts += ["<h2>Sources</h2>", _html_sources(brief)]
        return "".join(parts) + "</main></body></html>\n"
    cites = _CiteLinks(brief)
    parts.append(f"<h2>Executive summary</h2><p>{cites.sentences(_section(brief, SUMMARY))}</p>")
    n = 0
    for heading, sentences in _body_sections(brief):
        n += 1
        parts.append(f"<h2>{n}. {_h(heading)}</h2>" + (f"<p>{cites.sentences(sentences)}</p>" if sentences else ""))
        if n == 1 and brief.actors:
            if toward(brief.actors):
                parts.append(f"<p>{_h(toward(brief.actors))}</p>")
            parts.append("<table><thead><tr><th>Actor</th><th>Position</th><th>Stated reasons</th><th>Sources</th>"
                         "</tr></thead><tbody>")
            for a in brief.actors:
                reasons = "; ".join(f"{_h(r['text'])} {cites(r['citations'], r.get('evidence', ()))}"
                                    for r in _reasons(a)) or _h(NO_REASON)
                position = cites(a.get("position_citations") or a["citations"],
                                 a.get("position_evidence") or a.get("evidence", ()))
                parts.append(f"<tr><td>{_h(a['name'])}</td><td>{_h(position_cell(a))}</td>"
                             f"<td>{reasons}</td><td>{position}</td></tr>")
            parts.append("</tbody></table>")
    if brief.disputes:
        n += 1
        parts.append(f"<h2>{n}. Competing narratives</h2><ul>")
        for d in brief.disputes:
            sides = "".join(f"<li>{_h(s['text'])} {cites(s['citations'], s.get('evidence', ()))}</li>"
                            for s in d["sides"])
            parts.append(f"<li>{_h(d['summary'])}<ul>{sides}</ul></li>")
        parts.append("</ul>")
    n += 1
    parts.append(f"<h2>{n}. Limits of the available reporting and open questions</h2><ul>"
                 + "".join(f"<li>{_h(x)}</li>" for x in brief.limits) + "</ul>")
    bottom = _section(brief, BOTTOM_LINE)
    if bottom:
        n += 1
        parts.append(f"<h2>{n}. Bottom line</h2><p>{cites.sentences(bottom)}</p>")
    parts.append(f"<p class=\"small\">{_h(footer(brief.metrics))}</p>")
    parts += ["<h2>Sources</h2>", _html_sources(brief), "</main></body></html>\n"]
    return "".join(parts)


def _html_sources(brief: Brief) -> str:
    parts = ["<ol class=\"src\">"]
    for s in brief.sources:
        url = web_url(s["url"])  # a javascript: or data: URL stored by an older version is not shown at all
        where = url or s["path"] or ""
        link = f' <a href="{_h(url)}" rel="noopener noreferrer">{_h(url)}</a>' if url else f" {_h(where)}"
        quotes = "".join(f'<div class="quote" id="{_quote_id(s["n"], q["start"])}">{_h(q["quote"])}</div>'
                         for q in s["passages"])
        parts.append(f'<li id="src-{int(s["n"])}" value="{int(s["n"])}"><strong>{_h(s["title"] or where)}</strong> — '
                     f"{_h(s['outlet'] or '')} {_h(s['published'] or '')}{link}{quotes}</li>")
    parts.append("</ol>")
    return "".join(parts)


def to_json(brief: Brief) -> str:
    """The JSON contract of the brief."""
    return json.dumps(brief.to_json(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {Format.MD: to_markdown, Format.HTML: to_html, Format.JSON: to_json}


def render(brief: Brief, fmt: Format) -> str:
    """Render ``brief`` in ``fmt``."""
    return RENDERERS[fmt](brief)
