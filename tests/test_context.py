"""A sentence that points back is quoted with the sentence before it (brief/context.py), and used once
(brief/writer.py). Pure: passages and their sentences are given; the texts are invented."""

from __future__ import annotations

import numpy as np

from citebrief.brief.context import with_context
from citebrief.brief.evidence import EvidenceSet
from citebrief.brief.model import Evidence
from citebrief.brief.usable import points_back, quote_tail, stands_alone
from citebrief.brief.writer import _Picker
from citebrief.models import DocMeta, Passage, Sentence
from citebrief.split import split_sentences

DOC = DocMeta("d1", "d1.txt", "Kelda ferry levy", "Kelda Post", None, "2026-05-01", None)


def _evidence(text: str, *chosen: int) -> EvidenceSet:
    """An evidence set over one passage of ``text``: its sentences numbered from 0, items for ``chosen``."""
    spans = split_sentences(text)
    passage = Passage("p1", "d1", 0, 0, len(text), text,
                      tuple(Sentence("d1", k, s, e, text[s:e]) for k, (s, e) in enumerate(spans)))
    items = {f"E{k}": Evidence(f"E{k}", text[spans[k][0]:spans[k][1]], DOC, "p1", *spans[k], 1.0) for k in chosen}
    return EvidenceSet(items, {}, {"p1": (passage, DOC)}, {e: 0.5 for e in items},
                       {e: np.ones(2, np.float32) for e in items})


def test_a_sentence_that_points_back_is_quoted_with_the_one_before():
    text = ("Ferries run every hour in summer. Kelda wires each pier to a ticket gate. But this can leave riders "
            "queueing for an hour in the rain.")
    widened = with_context(_evidence(text, 2)).items["E2"]
    assert widened.text == ("Kelda wires each pier to a ticket gate. But this can leave riders queueing for an hour "
                            "in the rain.")
    assert text[widened.start:widened.end] == widened.text  # the quote is the document's own span
    assert widened.context == len("Kelda wires each pier to a ticket gate. ")
    assert stands_alone(widened.text)


def test_a_chain_of_pointing_back_goes_to_the_sentence_that_stands_alone():
    text = ("Kelda wires each pier to a ticket gate. These gates alert staff when a ferry is full. "
            "But this can leave riders queueing for an hour.")
    assert with_context(_evidence(text, 2)).items["E2"].text == text


def test_a_sentence_is_not_widened_where_the_one_before_cannot_carry_it():
    # "he" after a sentence with no name in it: the person was named earlier still
    text = "Ana Ruiz chairs the council. The ferry levy rose last year. He said the levy was fair."
    assert with_context(_evidence(text, 2)).items["E2"].text == "He said the levy was fair."
    # "it" is what a sentence that stands alone is about, not what one that points back in turn hands on
    text = "The levy was set in May. Councillors debated it. It was kept."
    assert with_context(_evidence(text, 2)).items["E2"].context == 0
    text = "The council's decision to keep the levy is seen as a win for the ferry. It is also a loss for the port."
    assert with_context(_evidence(text, 1)).items["E1"].text == text
    # the end of a quotation opened before is no antecedent
    text = "The sign read “Ferries. We’re on it.” Still, this is not the first slogan to go awry."
    assert with_context(_evidence(text, 2)).items["E2"].context == 0
    # a new paragraph's "This …" may point further back
    text = "Kelda wires each pier to a ticket gate.\n\nThis can leave riders queueing for an hour."
    assert with_context(_evidence(text, 1)).items["E1"].context == 0


def test_they_is_given_a_sentence_with_a_plural_to_stand_for():
    text = "Analysts expect more ferries by 2028. They say longer routes will make them popular."
    assert with_context(_evidence(text, 1)).items["E1"].text == text


def test_a_widened_item_uses_both_its_sentences_once():
    text = "Kelda wires each pier to a ticket gate. But this can leave riders queueing for an hour in the rain."
    evidence = with_context(_evidence(text, 0, 1))
    pick = _Picker(evidence)
    assert pick("E1") is not None
    assert pick("E0") is None  # its sentence was quoted as the antecedent
    pick = _Picker(evidence)
    assert pick("E0") is not None and pick("E1") is None


def test_a_chain_quoted_once_keeps_each_of_its_sentences_from_being_quoted_again():
    text = ("Kelda wires each pier to a ticket gate. These gates alert staff when a ferry is full. "
            "But this can leave riders queueing for an hour.")
    evidence = with_context(_evidence(text, 0, 2))
    pick = _Picker(evidence)
    assert pick("E0") is not None and pick("E2") is None  # its first sentence is already in the brief
    pick = _Picker(evidence)
    assert pick("E2") is not None and pick("E0") is None


def test_a_sentence_that_opens_a_widened_quote_is_given_with_what_follows():
    text = "Analysts expect more ferries by 2028. They say longer routes will make them popular."
    evidence = with_context(_evidence(text, 0, 1))
    draft = _Picker(evidence)("E0")
    assert draft is not None and draft.text == text and draft.evidence == ("E1",)


def test_of_two_widened_quotes_that_open_alike_the_one_that_reaches_further_is_given():
    text = ("Kelda wires each pier to a ticket gate. These gates alert staff when a ferry is full. "
            "But this can leave riders queueing for an hour.")
    evidence = with_context(_evidence(text, 0, 1, 2))
    for first in ("E0", "E1", "E2"):
        draft = _Picker(evidence)(first)
        assert draft is not None and draft.text == text and draft.evidence == ("E2",)


def test_a_reference_marker_glued_to_a_word_is_no_part_of_a_quoted_sentence():
    from citebrief.brief.lexicon import trim_sentence

    assert trim_sentence("Staff hear up to 900 alerts per shift[1], though most need no action[2].") == \
        "Staff hear up to 900 alerts per shift, though most need no action."
    assert trim_sentence("The levy rose [3] times.") == "The levy rose [3] times."


def test_what_points_back_and_what_ends_a_quotation():
    assert points_back("So is the harbour tax.") and points_back("Neither did the union.")
    assert points_back("Together, these factors raise fares.") and not points_back("So far the levy holds.")
    assert quote_tail("We’re on it.” Still, it held.") and quote_tail('to support." This chart shows it.')
    assert not quote_tail("“We’re on it,” the mayor said.") and not quote_tail('He said "no" twice.')
    assert not stands_alone("We’re on it.”")  # a quotation's end with no speaker
    # an interview's lines: who asks and who answers is the page's layout
    assert not stands_alone("Q: Ana – we are so glad to have you as our new chief executive.")
    assert not stands_alone("A: Running the ferry company means looking at every route each day.")
    assert stands_alone("A ferry left Kelda at noon.")

