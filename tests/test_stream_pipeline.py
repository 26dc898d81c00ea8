"""Sections streamed as they are verified (``write_brief(on_section=…)``) are the final brief's sections.

The hook must change nothing: the same question over the same corpus gives byte-identical brief
JSON with and without it, the streamed sections put together are the final brief's sections, and
no citation number or source shown with a streamed section changes later.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from citebrief import Corpus
from citebrief.brief.model import Brief, Draft, Section
from citebrief.pipeline import ExtractiveWriter

QUESTION = "Why did Germany and France resist a membership action plan for Ukraine at Bucharest?"
NOT_COVERED = "What is the best recipe for sourdough bread?"


def fresh(template: Path, folder: Path) -> Corpus:
    """A private copy of the hashing-embedded sample corpus (caches written by one brief stay in its copy)."""
    folder.mkdir()
    shutil.copy(template, folder / "corpus.db")
    return Corpus(str(folder / "corpus.db"))


def brief_json(brief: Brief) -> str:
    data = brief.to_json()
    data.pop("generated_at")
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def ask_both_ways(template: Path, tmp_path: Path, question: str, **kw) -> tuple[Brief, Brief, list[Brief]]:
    """The brief without the hook, the brief with it, and what the hook was given."""
    plain = fresh(template, tmp_path / "plain")
    hooked = fresh(template, tmp_path / "hooked")
    streamed: list[Brief] = []
    try:
        return plain.ask(question, **kw), hooked.ask(question, on_section=streamed.append, **kw), streamed
    finally:
        plain.close()
        hooked.close()


def test_streamed_sections_are_the_final_brief(hashing_template, tmp_path):
    without, final, streamed = ask_both_ways(hashing_template, tmp_path, QUESTION)
    assert final.enough_evidence and len(final.sections) >= 3  # a brief worth streaming
    assert brief_json(final) == brief_json(without)

    # one call per kept section, in brief order, each adding exactly one section to the ones before
    assert [len(p.sections) for p in streamed] == list(range(1, len(final.sections) + 1))
    assert [p.sections[-1] for p in streamed] == list(final.sections)
    for partial in streamed:
        assert partial.sections == final.sections[:len(partial.sections)]
        assert (partial.actors, partial.disputes, partial.limits) == ((), (), ())

    # every source shown with a section keeps its number and document in the final brief
    final_sources = {s["n"]: s["doc_id"] for s in final.sources}
    for partial in streamed:
        cited = {n for _, sentences in partial.sections for s in sentences for n in s.citations}
        shown = {s["n"]: s["doc_id"] for s in partial.sources}
        assert set(shown) == cited
        assert all(final_sources[n] == doc for n, doc in shown.items())


def test_keep_unsupported_streams_the_same_sentences_it_keeps(hashing_template, tmp_path):
    without, final, streamed = ask_both_ways(hashing_template, tmp_path, QUESTION, keep_unsupported=True)
    assert brief_json(final) == brief_json(without)
    assert [p.sections[-1] for p in streamed] == list(final.sections)


class Reviewing(ExtractiveWriter):
    """The extractive writer plus one invented sentence, with the reviser hook (it rewrites nothing)."""

    INVENTED = "The summit agreed that the moon would join the alliance by next spring."

    def __init__(self) -> None:
        self.asked: list[int] = []

    def write(self, plan, evidence, actors, disputes, vectors):
        sections = super().write(plan, evidence, actors, disputes, vectors)
        first = sections[0]
        invented = Draft(self.INVENTED, first.sentences[0].evidence, kind="prose")
        return [Section(first.heading, (*first.sentences, invented)), *sections[1:]]

    def revise(self, removed, evidence):
        self.asked.append(len(removed))
        return [() for _ in removed]


def test_a_revising_writer_streams_its_sections_once_revised(hashing_template, tmp_path):
    writer, order = Reviewing(), []
    corpus = fresh(hashing_template, tmp_path / "revise")
    try:
        final = corpus.ask(QUESTION, writer=writer, on_section=lambda p: order.append(("section", p)),
                           progress=lambda stage, detail: order.append((stage, detail)))
    finally:
        corpus.close()
    assert writer.asked == [1]  # the invented sentence was removed and sent back
    assert Reviewing.INVENTED not in [s.text for _, sentences in final.sections for s in sentences]
    streamed = [p for kind, p in order if kind == "section"]
    assert [p.sections[-1] for p in streamed] == list(final.sections)
    # the reviser may change any section, so none is shown before the revise step has ended
    first_section = next(i for i, (kind, _) in enumerate(order) if kind == "section")
    last_revise = max(i for i, (kind, _) in enumerate(order) if kind == "revise")
    assert last_revise < first_section


def test_no_sections_no_calls(hashing_template, tmp_path):
    _, final, streamed = ask_both_ways(hashing_template, tmp_path, NOT_COVERED)
    assert not final.enough_evidence and streamed == []


def test_an_exception_from_the_hook_stops_the_brief(hashing_template, tmp_path):
    corpus = fresh(hashing_template, tmp_path / "stop")

    class Stop(Exception):
        pass

    def stop(partial):
        raise Stop

    try:
        with pytest.raises(Stop):
            corpus.ask(QUESTION, on_section=stop)
    finally:
        corpus.close()
