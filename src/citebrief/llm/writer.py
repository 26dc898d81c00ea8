"""The LLM writer: a language model phrases the facet sections from numbered evidence; code does the rest.

What the model may do, and what stays computed:

- plan      reword the offline plan's facet headings and search queries (JSON, validated here;
            repaired once by showing the model the error; else the offline plan is kept). Keys,
            shape, topic terms and cue words stay, so retrieval and analysis run as offline.
- write     one call per facet section, from that section's evidence items only, listed as
            ``[E12] sentence (outlet, date)`` inside ``<evidence>``. The model cites ids; citations
            of ids it was not shown (``[E99]``), bare numbers (``[3]``) and URLs are removed, and a
            sentence left with no valid id is dropped. The executive summary, the bottom line and
            the actor-position template sentences are the extractive writer's, unchanged; actors,
            disputes and limits come from the pipeline's extraction, so the model cannot drop them.
- revise    sentences the verification gate removed go back once with their evidence.

Sections are handed over one by one (``write_each``): the pipeline verifies, revises and shows each
before the next is phrased, so the reader sees the first sections while the model writes the rest.

Failures: ``BudgetExceededError`` → the remaining sections stay extractive and the brief says so;
any other ``GeneratorError`` aborts the brief with a message naming the step that failed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from ..brief.evidence import EvidenceSet, topic_coverage
from ..brief.limits import _join
from ..brief.model import ActorFinding, Dispute, Draft, Evidence, Plan, Section
from ..brief.writer import BOTTOM_LINE, SUMMARY, write_sections
from ..errors import ConfigError, GeneratorError, UsageError
from ..pipeline import WriterReport
from .base import BudgetExceededError, Generator, MalformedOutputError, Message
from .config import LLMConfig, chosen_backend, resolve_config
from ..brief.lexicon import looks_like_instruction
from .jsonloose import parse_json_loose
from .prompts import (LLM_KIND, PLAN_SCHEMA, REPAIR_PLAN, SYSTEM_PLAN, SYSTEM_REVISE, SYSTEM_WRITE, ReadDrafts,
                      is_drop, plan_request, read_drafts, read_numbered, revise_request,
                      section_request)
from .registry import GENERATORS, backend_choices

if TYPE_CHECKING:
    import numpy as np

EXTRACTIVE = "extractive"  # the offline writer's name where a backend name is expected
_MARKUP_RE = re.compile(r"[\[\]<>`*#|{}\\]|https?:|www\.", re.IGNORECASE)


# -- the plan: a trust boundary -------------------------------------------------------------------

class FacetWording(BaseModel):
    """One facet as the model rewords it."""

    model_config = ConfigDict(extra="ignore")

    key: str
    heading: str
    query: str

    @field_validator("key", "heading", "query", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return " ".join(value.split()) if isinstance(value, str) else value

    @field_validator("heading")
    @classmethod
    def _plain_heading(cls, value: str) -> str:
        # Headings are rendered as Markdown/HTML headings: no links, markup or numbering tricks.
        if not 3 <= len(value) <= 80:
            raise ValueError("a heading has 3 to 80 characters")
        if _MARKUP_RE.search(value):
            raise ValueError("a heading is plain words: no links, brackets or markdown")
        return value

    @field_validator("query")
    @classmethod
    def _short_query(cls, value: str) -> str:
        if not 3 <= len(value) <= 200:
            raise ValueError("a query has 3 to 200 characters")
        return value


class PlanWording(BaseModel):
    """The model's reply to the plan request; validated against the offline plan (``context["plan"]``)."""

    model_config = ConfigDict(extra="ignore")

    facets: list[FacetWording]

    @model_validator(mode="after")
    def _same_facets(self, info: ValidationInfo) -> PlanWording:
        plan: Plan = (info.context or {})["plan"]
        keys = [f.key for f in plan.facets]
        given = [w.key for w in self.facets]
        if not given:
            raise ValueError("no facets in the reply")
        unknown = [k for k in given if k not in keys]
        if unknown or len(set(given)) != len(given):
            raise ValueError(f"facet keys must be {', '.join(keys)}, each once (got {', '.join(given)})")
        headings = {w.key: w.heading for w in self.facets}
        final = [headings.get(f.key, f.heading).lower() for f in plan.facets]
        if len(set(final)) != len(final) or {SUMMARY.lower(), BOTTOM_LINE.lower()} & set(final):
            raise ValueError(f"headings must differ from each other and from {SUMMARY!r} and {BOTTOM_LINE!r}")
        off_topic = [w.key for w in self.facets if plan.topic_terms and not topic_coverage(w.query, plan.topic_terms)]
        if off_topic:
            raise ValueError(f"the query of {', '.join(off_topic)} must name the topic "
                             f"(one of: {', '.join(plan.topic_terms)})")
        return self


def reword(plan: Plan, reply: str) -> Plan:
    """``plan`` with the headings and queries of the model's ``reply``; raises ``ValueError`` if unusable."""
    try:
        data = parse_json_loose(reply)
        if isinstance(data, list):  # weak models answer the array alone
            data = {"facets": data}
        wording = PlanWording.model_validate(data, context={"plan": plan})
    except MalformedOutputError as exc:
        raise ValueError(str(exc)) from None
    except ValidationError as exc:
        raise ValueError("; ".join(f"{'.'.join(map(str, e['loc'])) or 'reply'}: {e['msg']}"
                                   for e in exc.errors(include_url=False))) from None
    by_key = {w.key: w for w in wording.facets}
    return replace(plan, facets=tuple(replace(f, heading=by_key[f.key].heading, query=by_key[f.key].query)
                                      if f.key in by_key else f for f in plan.facets))


# -- the writer -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LLMWriterOptions:
    """Per-call reply limits (None: the backend's ``max_tokens``) and evidence per section."""

    # None everywhere by default: reasoning models think before answering, and a small limit would
    # cut them off mid-thought (an error), so the configured max_tokens decides.
    plan_tokens: int | None = None
    section_tokens: int | None = None
    revise_tokens: int | None = None
    max_items: int = 8  # evidence items shown for one section


@dataclass(slots=True)
class _Tally:
    """Counters of one brief (the writer is made per brief, like the generator it wraps)."""

    plan: str = "offline"
    plan_error: str = ""
    calls: int = 0
    sections: int = 0
    sentences: int = 0
    invalid_citations: int = 0
    uncited_dropped: int = 0
    urls_removed: int = 0
    instruction_citations: int = 0
    rewrite_requested: int = 0
    rewrites: int = 0
    extractive: list[str] = field(default_factory=list)  # facet sections the model did not phrase
    budget_cut: list[str] = field(default_factory=list)  # … of them because the budget ran out
    budget_hit: str = ""  # the step during which the budget ran out

    def add(self, read: ReadDrafts) -> None:
        self.sentences += len(read.drafts)
        self.invalid_citations += read.invalid_citations
        self.uncited_dropped += read.uncited_dropped
        self.urls_removed += read.urls_removed
        self.instruction_citations += read.instruction_citations


class LLMWriter:
    """A ``SectionWriter`` with the plan, revise and report hooks; make one per brief."""

    def __init__(self, generator: Generator, *, label: str, options: LLMWriterOptions = LLMWriterOptions()) -> None:
        self.generator = generator
        self.name = label  # "openai:llama3.1", shown in progress and metrics
        self.options = options
        self._tally = _Tally()

    # -- hooks the pipeline calls --------------------------------------------------------------
    def reword_plan(self, plan: Plan) -> Plan:
        """The offline plan with the model's headings and queries; repaired once, else unchanged."""
        messages = [Message("system", SYSTEM_PLAN), Message("user", plan_request(plan))]
        for attempt in ("model", "model after one repair"):
            reply = self._generate(messages, "planning the sections", self.options.plan_tokens, PLAN_SCHEMA)
            if reply is None:
                self._tally.plan = "offline (token budget)"
                return plan
            try:
                reworded = reword(plan, reply)
            except ValueError as exc:
                self._tally.plan_error = str(exc)
                messages += [Message("assistant", reply), Message("user", REPAIR_PLAN.format(error=exc))]
                continue
            self._tally.plan = attempt
            return reworded
        self._tally.plan = "offline (invalid plan)"
        return plan

    def write(self, plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
              vectors: dict[str, np.ndarray]) -> list[Section]:
        """The extractive sections, with each facet section's prose phrased by the model."""
        return list(self.write_each(plan, evidence, actors, disputes, vectors))

    def write_each(self, plan: Plan, evidence: EvidenceSet, actors: list[ActorFinding], disputes: list[Dispute],
                   vectors: dict[str, np.ndarray]) -> Iterator[Section]:
        """``write``'s sections one by one, each as soon as it is phrased (one model call per facet section).

        The summary comes first, before any call: it is the extractive writer's, built with the
        rest of the extractive base before the model phrases anything, and nothing later changes it.
        """
        base = write_sections(plan, evidence, actors, disputes, vectors)
        facets = {f.heading: f for f in plan.facets}
        # Items quoted by another facet section are that section's; those in the summary and bottom
        # line stay available, since a summary restates the sections (the extractive writer, quoting
        # verbatim, avoids the repetition instead; the model needs the key facts to phrase a section).
        taken = {d.evidence[0] for s in base if s.heading in facets for d in s.sentences if d.kind == "extract"}
        for section in base:
            facet = facets.get(section.heading)
            if facet is None:
                yield section  # summary and bottom line: source sentences and templates
                continue
            ids = [d.evidence[0] for d in section.sentences if d.kind == "extract"]
            room = max(0, self.options.max_items - len(ids))
            ids += [e for e in evidence.by_facet.get(facet.key, ()) if e not in taken][:room]
            taken.update(ids)
            yield self._phrase(plan.question, section, [evidence.items[e] for e in ids])

    def revise(self, removed: list[Draft], evidence: EvidenceSet) -> list[tuple[Draft, ...]]:
        """Rewrites of the model's removed sentences (one call for those given: the pipeline gives one
        section's at a time); source sentences are not rewritten."""
        out: list[tuple[Draft, ...]] = [() for _ in removed]
        targets = [i for i, d in enumerate(removed) if d.kind == LLM_KIND]
        if not targets or self._tally.budget_hit:
            return out
        self._tally.rewrite_requested += len(targets)
        ids = list(dict.fromkeys(e for i in targets for e in removed[i].evidence))
        items = [evidence.items[e] for e in ids]
        request = revise_request([(removed[i].text, removed[i].evidence) for i in targets], items)
        reply = self._generate([Message("system", SYSTEM_REVISE), Message("user", request)],
                               "rewriting removed sentences", self.options.revise_tokens)
        if reply is None:
            return out
        answers = read_numbered(reply) or ({1: reply} if len(targets) == 1 else {})  # an unnumbered lone answer
        for n, i in enumerate(targets, 1):
            text = answers.get(n, "")
            if text and not is_drop(text):
                read = read_drafts(text, set(ids), _blocked(items))
                self._tally.add(read)
                out[i] = read.drafts
                self._tally.rewrites += len(read.drafts)
        return out

    def report(self) -> WriterReport:
        """Metrics of the model's work, and a limit when the token budget cut it short."""
        t = self._tally
        metrics: dict[str, Any] = {
            "writer": self.name, "llm_plan": t.plan, "llm_calls": t.calls, "llm_sections": t.sections,
            "llm_sentences": t.sentences, "llm_invalid_citations": t.invalid_citations,
            "llm_uncited_dropped": t.uncited_dropped, "llm_urls_removed": t.urls_removed,
            "llm_instruction_citations": t.instruction_citations,
            "llm_rewrite_requested": t.rewrite_requested, "llm_rewrites": t.rewrites,
            "llm_extractive_sections": list(t.extractive), "llm_budget_exceeded": bool(t.budget_hit)}
        if t.plan_error:
            metrics["llm_plan_error"] = t.plan_error
        tokens = getattr(self.generator, "tokens_used", None)
        if isinstance(tokens, int):
            metrics["llm_tokens"] = tokens
        limits: tuple[str, ...] = ()
        if t.budget_hit:
            cut = t.budget_cut
            what = (f"the section{'s' if len(cut) != 1 else ''} {_join([repr(h) for h in cut])} "
                    f"{'use' if len(cut) != 1 else 'uses'} source sentences instead of the model's wording"
                    if cut else "removed sentences were not sent back for a rewrite")
            limits = (f"The language model's token budget ran out while {t.budget_hit}: {what}.",)
        return WriterReport(metrics, limits)

    # -- helpers -------------------------------------------------------------------------------
    def _phrase(self, question: str, section: Section, items: list[Evidence]) -> Section:
        """One facet section: the model's cited sentences after the extractive template sentences."""
        reply = None
        if items:
            request = section_request(question, section.heading, items)
            reply = self._generate([Message("system", SYSTEM_WRITE), Message("user", request)],
                                   f"writing the section {section.heading!r}", self.options.section_tokens)
        if reply is None:
            self._tally.extractive.append(section.heading)
            if self._tally.budget_hit:
                self._tally.budget_cut.append(section.heading)
            return section
        read = read_drafts(reply, {i.evidence_id for i in items}, _blocked(items))
        self._tally.add(read)
        if not read.drafts:  # nothing usable: keep the source sentences rather than an empty section
            self._tally.extractive.append(section.heading)
            return section
        self._tally.sections += 1
        templates = tuple(d for d in section.sentences if d.kind != "extract")
        return Section(section.heading, templates + read.drafts)

    def _generate(self, messages: Sequence[Message], doing: str, max_tokens: int | None,
                  schema: dict | None = None) -> str | None:
        """The reply, or None once the token budget is spent; other failures abort the brief."""
        if self._tally.budget_hit:
            return None
        try:
            reply = self.generator.generate(messages, schema=schema, max_tokens=max_tokens)
        except BudgetExceededError:
            self._tally.budget_hit = doing
            return None
        except GeneratorError as exc:
            raise GeneratorError(f"the LLM writer ({self.name}) failed while {doing}: {exc} "
                                 "— no brief was written") from exc
        self._tally.calls += 1
        return reply


def _blocked(items: Sequence[Evidence]) -> set[str]:
    return {i.evidence_id for i in items if looks_like_instruction(i.text)}


# -- configuration --------------------------------------------------------------------------------

def writer_choices() -> str:
    """``"extractive, anthropic, openai"`` — for help text and error messages."""
    return f"{EXTRACTIVE}, {backend_choices()}"


def writer_config(cli: Mapping[str, Any], env: Mapping[str, str], toml_path: Path | None) -> LLMConfig | None:
    """The LLM settings by CLI > environment > citebrief.toml > defaults; None for the extractive writer."""
    backend = chosen_backend(cli, env, toml_path)
    if backend in (None, EXTRACTIVE):
        if cli.get("model") is not None:
            raise UsageError(f"a model was given but the writer is {EXTRACTIVE}, which uses none; choose an "
                             f"LLM with --llm ({backend_choices()}) or $CITEBRIEF_LLM")
        return None
    if backend not in GENERATORS:
        raise ConfigError(f"unknown writer {backend!r}; choose one of: {writer_choices()}")
    return resolve_config(cli, env, toml_path)
