"""The default support checker: conflicts read from the parse, "uncertain", and how the brief and `check` use them.

Real spaCy parses and a real (hashing) embedder; the gate test builds real evidence values.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from citebrief.analysis.parse import parse_one
from citebrief.brief.gate import gate
from citebrief.brief.evidence import EvidenceSet
from citebrief.brief.model import Draft, Evidence, Section
from citebrief.brief.render import footer
from citebrief.embed import get_embedder
from citebrief.models import DocMeta, Passage
from citebrief.verify import Label, ParseChecker, Signals, Verdict, describe, get_checker
from citebrief.verify.conflicts import alignment, negation_conflict, number_conflict
from citebrief.verify.parsecheck import Reading
from citebrief.verify.parsed import frames, quantities
from citebrief.verify.text import numbers_in, tokens

PASSAGE = ("British companies will not form part of the European Single Market after the vote. "
           "Seven members of the committee opposed the plan in May. "
           "Prices rose by 5% in the first quarter.")


@pytest.fixture(scope="module")
def checker() -> ParseChecker:
    return get_checker("rules", embedder=get_embedder("hashing"))


def _conflicts(claim: str, cited: str) -> tuple[bool, bool]:
    a, b = parse_one(claim), parse_one(cited)
    pool = numbers_in(tokens(cited))
    return (number_conflict(quantities(a), quantities(b), pool),
            negation_conflict(frames(a), frames(b)))


@pytest.mark.parametrize("claim, cited, number, negation", [
    # the same counted noun with another value
    ("Five members of the committee opposed the plan.", "Seven members of the committee opposed the plan.",
     True, False),
    # another noun: not the same thing
    ("Five countries opposed the plan.", "Seven members of the committee opposed the plan.", False, False),
    # a bound is not a rival value; an estimate agrees within 5%
    ("The heart rate was 120 beats per minute.", "A rate of fewer than 100 beats per minute scores one.",
     False, False),
    ("The disease causes about 17.9 million deaths a year.", "The disease caused 17.5 million deaths in 2012.",
     False, False),
    # the same verb of the same subject
    ("Prices rose by 9% in the first quarter.", "Prices rose by 5% in the first quarter.", True, False),
    # ... but not another subject's figure
    ("Members of the Senate serve six-year terms.", "Members of the House serve two-year terms.", False, False),
    ("Five members opposed the plan.", "Seven members of the committee opposed the plan.", True, False),
    # a percent is the cited percent, and a note number ("[28]", "(2)") is no rival value
    ("Only around 14% of the microbes have the genes described.",
     "Only around 14% of the microbes have the genes described [28].", False, False),
    ("The disease accounts for 31% of all deaths.", "It accounted for 31% of all deaths (2).", False, False),
    # the same predicate negated on one side, down a complement chain
    ("The United Kingdom could benefit from the trade agreements.",
     "The United Kingdom will not be able to benefit from the trade agreements.", False, True),
    ("Manufacturers do not disclose the ingredients.", "Manufacturers fail to disclose the ingredients.",
     False, False),
    # a pronoun is no shared subject: its referent is not in the sentence
    ("Consequently, they are not required to undergo the same rigorous testing as pharmaceutical drugs.",
     "Before any pharmaceutical product hits the market, they undergo a rigorous testing and evaluation process.",
     False, False),
    # a negated verb does not negate the clause it reports
    ("Tell us what you are looking for.", "If you can't find what you are looking for, call us.", False, False),
    # "not only" adds
    ("The law protects workers.", "The law not only protects workers but also employers.", False, False),
])
def test_conflicts_count_only_about_the_same_thing(claim, cited, number, negation):
    assert _conflicts(claim, cited) == (number, negation)


def test_alignment_reads_who_does_what():
    claim = frames(parse_one("Seven members of the committee opposed the plan."))
    assert alignment(claim, frames(parse_one("The committee members opposed the new plan in May."))) == 1.0
    assert alignment(claim, frames(parse_one("The recipe calls for two cups of flour."))) == 0.0


def test_checker_labels_copy_conflicts_and_unrelated(checker):
    copy = "Seven members of the committee opposed the plan in May."
    assert checker.check(copy, [PASSAGE]).label is Label.SUPPORTED
    assert checker.check("British companies could be part of the European Single Market.",
                         [PASSAGE]).label is Label.CONTRADICTED
    assert checker.check("Prices rose by 9% in the first quarter.", [PASSAGE]).label is Label.CONTRADICTED
    unrelated = checker.check("The recipe calls for two cups of flour and a pinch of salt.", [PASSAGE])
    assert unrelated.label is Label.UNSUPPORTED and unrelated.score < checker.options.unsupported_below


def test_decision_bands_and_uncertain():
    checker = get_checker("rules", embedder=get_embedder("hashing"))
    span = (0, 0, 10)

    def first(label: Label, cosine: float) -> Verdict:
        return Verdict(label, 0.5, span, Signals(coverage=0.5, cosine=cosine))

    decide = checker.decide
    # between the bands: neither supported nor clearly off-topic
    mid = decide(first(Label.UNSUPPORTED, 0.55), Reading())
    assert mid.label is Label.UNCERTAIN and mid.score < checker.threshold
    assert decide(first(Label.UNSUPPORTED, 0.2), Reading(alignment=0.0)).label is Label.UNSUPPORTED
    # far in meaning, yet about the same who-does-what: not decided
    assert decide(first(Label.UNSUPPORTED, 0.2), Reading(alignment=0.5)).label is Label.UNCERTAIN
    # a bag-of-words cue the parse does not confirm is not a contradiction
    assert decide(first(Label.CONTRADICTED, 0.8), Reading()).label is Label.UNCERTAIN
    # a parse conflict counts only in a window on the sentence's point
    assert decide(first(Label.SUPPORTED, 0.8), Reading(negation=True)).label is Label.CONTRADICTED
    assert decide(first(Label.UNSUPPORTED, 0.3), Reading(number=True, alignment=0.0)).label is Label.UNSUPPORTED
    near = first(Label.UNSUPPORTED, checker.options.on_point - 0.05)
    assert decide(near, Reading(negation=True)).label is Label.UNCERTAIN  # close, but not on the point
    on = first(Label.UNSUPPORTED, max(checker.options.on_point, checker.options.denial_on_point))
    assert decide(on, Reading(negation=True)).label is Label.CONTRADICTED
    # a denial read from words, not from who-does-what, is a question for the reader, never a flag
    assert decide(on, Reading(denial=True)).label is Label.UNCERTAIN
    assert decide(replace(on, label=Label.PARTIAL), Reading(denial=True)).label is Label.UNCERTAIN
    assert decide(first(Label.SUPPORTED, 0.8), Reading(denial=True)).label is Label.SUPPORTED
    # a missing name with no aligned predicate is "about someone else" only in a far window
    far, close = (Verdict(Label.UNSUPPORTED, 0.5, span, Signals(coverage=0.5, cosine=c, entity_coverage=0.5))
                  for c in (0.42, 0.45))  # p 0.345 and 0.370: between the two bounds, and above both
    assert decide(far, Reading(alignment=0.0)).label is Label.UNSUPPORTED
    assert decide(replace(far, signals=replace(far.signals, entity_coverage=1.0)), Reading(alignment=0.0)).label \
        is Label.UNCERTAIN
    assert decide(close, Reading(alignment=0.0)).label is Label.UNCERTAIN
    assert decide(first(Label.SUPPORTED, 0.8), Reading()).label is Label.SUPPORTED
    no_text = Verdict(Label.UNSUPPORTED, 0.0, None)
    assert decide(no_text, Reading()) is no_text


class Undecided:
    """A checker that decides nothing: every pair is "uncertain" (to test what the gate does with it)."""

    name = "undecided"
    description = "test checker that is never sure"

    def check(self, sentence, passages):
        return self.check_many([(sentence, passages)])[0]

    def check_many(self, pairs):
        return [Verdict(Label.UNCERTAIN, 0.4, (0, 0, len(p[0])) if p else None, Signals(coverage=1.0))
                for _, p in pairs]


def test_gate_keeps_uncertain_quotes_removes_uncertain_prose_and_says_so():
    doc = DocMeta("a", "a.txt", "Report a", "Herald", None, None, None)
    text = "Seven members of the committee opposed the plan in May."
    evidence = EvidenceSet({"E1": Evidence("E1", text, doc, "pa", 0, len(text), 1.0)}, {},
                           {"pa": (Passage("pa", "a", 0, 0, len(text), text), doc)}, {"E1": 0.9}, {})
    drafts = (Draft(text, ("E1",)), Draft("The committee rejected the plan outright.", ("E1",), kind="model"))
    gated = gate([Section("Summary", drafts)], evidence, Undecided())
    kept = [g.draft.text for _, gs in gated.sections for g in gs]
    assert kept == [text]
    assert gated.removed == (("The committee rejected the plan outright.", "uncertain"),)
    m = gated.metrics
    assert (m["sentences_uncertain_kept"], m["sentences_uncertain_removed"]) == (1, 1)
    assert m["checker"] == "undecided"
    line = footer(m)
    assert "test checker that is never sure" in line and "1 model-written sentence(s) removed" in line


def test_describe_names_the_checker_and_its_figures(checker):
    info = describe(checker)
    assert info["checker"] == "rules" and "parse" in info["checker_description"]
    assert info["checker_figures_doc"] == "docs/verify.md"
    assert describe(get_checker("rules-v1", embedder=get_embedder("hashing")))["checker"] == "rules-v1"


def test_prose_keeps_uncertain_as_uncertain(checker):
    from citebrief.verify.prose import ProseChecker

    prose = ProseChecker(Undecided())
    verdict = prose.check("Seven members opposed the plan.", [PASSAGE])
    assert verdict.label is Label.UNCERTAIN
    assert replace(verdict, label=Label.SUPPORTED).supported and not verdict.supported


def test_a_denial_of_what_the_cited_sentence_states_is_read_from_the_negation_scope():
    from citebrief.verify.conflicts import denial_conflict
    from citebrief.verify.parsed import asserts, denials

    denied = denials(parse_one("There is no evidence that greenhouse gases cause global warming."))
    stated = parse_one("There is convincing evidence that greenhouse gases cause global warming.")
    assert denial_conflict(denied, [asserts(stated)])
    # a cited sentence that negates too, or that states something else, is not what was denied
    assert not denial_conflict(denied, [asserts(parse_one("Greenhouse gases do not cause global warming."))])
    assert not denial_conflict(denied, [asserts(parse_one("The recipe calls for two cups of flour."))])
    # fewer than three content words under the negation deny nothing checkable
    assert denials(parse_one("It is not true.")) == ()
    # a negation in a condition is not what the sentence states
    conditional = parse_one("The report said that if global warming were not checked by 2000, rising seas would "
                            "wash entire coastal counties away.")
    assert denials(conditional) == ()
    assert denials(parse_one("If prices rise, the shops will not sell imported cheese.")) != ()


def _two_passages(first_text: str, second_text: str, cited_first: bool):
    """A document of two passages and an evidence item citing one of them ("E1")."""
    doc = DocMeta("a", "a.txt", "Report", "Herald", None, None, None)
    first = Passage("pa", "a", 0, 0, len(first_text), first_text)
    second = Passage("pb", "a", 1, len(first_text) + 1, len(first_text) + 1 + len(second_text), second_text)
    cited = first if cited_first else second
    item = Evidence("E1", cited.text, doc, cited.passage_id, cited.start, cited.end, 1.0)
    return item, {"pa": (first, doc), "pb": (second, doc)}


def _kept(template_text: str, item, passages, checker) -> list[str]:
    template = Section("Summary", (Draft(template_text, ("E1",), kind="template"),))
    kept = gate([template], EvidenceSet({"E1": item}, {}, passages, {"E1": 0.9}, {}), checker)
    return [g.draft.text for _, gs in kept.sections for g in gs]


def test_a_template_is_checked_with_the_text_before_its_passage_where_the_actor_is_named(checker):
    item, passages = _two_passages(
        "Governor Dana Reyes met teachers' union leaders at the statehouse on Monday to discuss pay.",
        "The governor said she was waiting for a pay commission to report before raising teacher salaries.",
        cited_first=False)
    assert _kept("Dana Reyes is reported as hesitant.", item, passages, checker) == \
        ["Dana Reyes is reported as hesitant."]
    # without the earlier passage nothing the template is checked against names her: removed
    assert _kept("Dana Reyes is reported as hesitant.", item, {"pb": passages["pb"]}, checker) == []


def test_a_template_citing_a_quotations_first_sentence_is_checked_with_where_it_closes(checker):
    """'"… " said Dr Ines Kato.' closes in the next passage: the template naming her is checked with it."""
    item, passages = _two_passages(
        "\"The trial results justify a wider rollout of the vaccine this winter.",
        "We expect hospital admissions to fall,\" said Dr Ines Kato, who led the trial.", cited_first=True)
    assert _kept("Ines Kato is reported as supportive.", item, passages, checker) == \
        ["Ines Kato is reported as supportive."]
    # without the passage where the quotation closes nothing the template is checked against names her
    assert _kept("Ines Kato is reported as supportive.", item, {"pa": passages["pa"]}, checker) == []
