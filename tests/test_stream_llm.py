"""With a language model writing, sections reach ``on_section`` while the model is still writing the rest.

The LLM writer hands sections over one by one (``write_each``); the pipeline checks, verifies and
revises each and shows it before asking for the next. The scripted loopback model of
``test_llm_brief`` is slowed per request, and the order of events is recorded: each request as it
reaches the server, each section as ``on_section`` gets it. The brief itself is the one the
whole-brief path (all sections written, then verified, then revised) gives for the same answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fakes.llm_fixtures import fake  # noqa: F401  (resets this module's server)
from test_llm_brief import FLOOD_QUESTION, SEED_QUESTION, Lying, ScriptedModel, config, conversation, honest, \
    inventing, kind_of
from test_llm_brief import db, server  # noqa: F401  (fixtures: a private corpus copy, this module's scripted model)

from citebrief import Corpus
from citebrief.brief.model import Brief
from citebrief.llm.writer import LLMWriter
from citebrief.pipeline import SectionsOneByOne

model = pytest.mark.model




def record(fake: ScriptedModel) -> tuple[list[tuple[str, str]], Callable[[Brief], None]]:
    """An event log fed by the server (each request's kind, on arrival) and by the returned ``on_section``."""
    events: list[tuple[str, str]] = []
    lock = threading.Lock()

    def arrived(request):
        with lock:
            events.append(("request", kind_of(conversation(request))))

    def on_section(partial: Brief):
        with lock:
            events.append(("section", partial.sections[-1][0]))

    fake.arrived = arrived
    return events, on_section


@model
def test_the_first_facet_section_arrives_before_the_model_is_asked_for_the_last(db, fake):
    fake.delay = 0.2  # a slow model: every reply waits
    events, on_section = record(fake)
    brief = Corpus(str(db)).ask(FLOOD_QUESTION, llm=config(fake, "openai"), on_section=on_section)

    writes = [i for i, e in enumerate(events) if e == ("request", "write")]
    shown = [(i, heading) for i, (what, heading) in enumerate(events) if what == "section"]
    assert len(writes) >= 2 and brief.metrics["llm_sections"] == len(writes)
    assert [h for _, h in shown] == [h for h, _ in brief.sections]
    # the summary is the extractive writer's, shown before the model is asked to write anything
    assert shown[0][1] == "Executive summary" and shown[0][0] < writes[0]
    # each facet section is shown after its own request and before the next section is asked for
    facet_shown = [i for i, h in shown if h.endswith("(model)")]
    assert len(facet_shown) == len(writes)
    for k, at in enumerate(facet_shown):
        assert writes[k] < at
        if k + 1 < len(writes):
            assert at < writes[k + 1]
    assert facet_shown[0] < writes[-1]  # the point: the reader has a model section while the last is written


class WholeBrief:
    """An LLM writer without ``write_each``: all sections written, then verified, then revised (the old path)."""

    def __init__(self, writer: LLMWriter) -> None:
        self.inner, self.name = writer, writer.name

    def reword_plan(self, plan):
        return self.inner.reword_plan(plan)

    def write(self, plan, evidence, actors, disputes, vectors):
        return self.inner.write(plan, evidence, actors, disputes, vectors)

    def revise(self, removed, evidence):
        return self.inner.revise(removed, evidence)

    def report(self):
        return self.inner.report()


def brief_json(brief: Brief) -> dict:
    data = brief.to_json()
    data.pop("generated_at")
    data["metrics"] = {k: v for k, v in data["metrics"].items() if k not in ("llm_calls", "llm_tokens")}
    return data


@model
@pytest.mark.parametrize("model_named,question,keep", [
    ("honest", FLOOD_QUESTION, False), ("honest", SEED_QUESTION, False), ("inventing", SEED_QUESTION, False),
    ("lying", FLOOD_QUESTION, False), ("lying", FLOOD_QUESTION, True)])
def test_the_brief_is_the_whole_brief_paths_for_the_same_answers(db, fake, tmp_path, model_named, question, keep):
    """Same answer per sentence → same brief (sections, sources, removed sentences, metrics but call counts)."""
    from citebrief.llm import make_generator

    models = {"honest": lambda: honest, "inventing": lambda: inventing, "lying": Lying}
    corpus = Corpus(str(db))
    briefs, revises = {}, {}
    for name in ("one by one", "whole brief"):
        fake.reset()
        fake.respond = models[model_named]()
        with make_generator(config(fake, "openai", cache_dir=tmp_path / f"cache-{name}")) as llm:
            writer = LLMWriter(llm, label="openai:m")
            assert isinstance(writer, SectionsOneByOne)
            briefs[name] = corpus.ask(question, writer=writer if name == "one by one" else WholeBrief(writer),
                                      keep_unsupported=keep)
        revises[name] = sum(kind_of(conversation(r)) == "revise" for r in fake.received)
    corpus.close()
    one, whole = brief_json(briefs["one by one"]), brief_json(briefs["whole brief"])
    assert one["sections"] and one == whole
    if keep:  # unsupported sentences are kept and marked: nothing goes back
        assert revises == {"one by one": 0, "whole brief": 0}
        assert any(s["verdict"] in ("unsupported", "contradicted") for sec in one["sections"] for s in sec["sentences"])
    elif model_named != "honest":  # removed model sentences went back: per section instead of all at once
        assert one["metrics"]["revise_requested"] > 0 and one["removed_sentences"]
        assert revises["whole brief"] == 1 and revises["one by one"] > 1
