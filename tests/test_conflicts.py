"""A "contradicted" verdict needs a conflict about the same thing (issue 20).

Each case is invented text from one of several domains (science, companies, sport, courts) and
goes through the real spaCy parse; the pure functions of ``verify.conflicts`` then say whether the
sentence and the cited sentence disagree about the same thing. Pairs that only look alike — another
doer, a hedge, a condition, a reported claim, another year, place, unit or set — are no conflict.
"""

from __future__ import annotations

import pytest

from citebrief.analysis.parse import parse_one
from citebrief.verify.conflicts import antonym_conflict, negation_conflict, number_conflict
from citebrief.verify.parsed import frames, quantities
from citebrief.verify.text import numbers_in, tokens


def negation(claim: str, cited: str) -> bool:
    return negation_conflict(frames(parse_one(claim)), frames(parse_one(cited)))


def antonym(claim: str, cited: str) -> bool:
    return antonym_conflict(frames(parse_one(claim)), frames(parse_one(cited)))


def number(claim: str, cited: str) -> bool:
    return number_conflict(quantities(parse_one(claim)), quantities(parse_one(cited)), numbers_in(tokens(cited)))


@pytest.mark.parametrize("claim, cited", [
    # companies: the board that did not approve is not the shareholders who did
    ("The board did not approve the merger.", "Shareholders approved the merger."),
    # sport: another player scored
    ("The captain did not score in the final.", "The goalkeeper scored in the final."),
])
def test_a_negated_predicate_of_another_doer_is_no_conflict(claim, cited):
    assert not negation(claim, cited)


@pytest.mark.parametrize("claim, cited", [
    # companies: what was not done to the merger, said with and without the doer
    ("The merger was not approved.", "Shareholders approved the merger."),
    # courts
    ("The court did not overturn the verdict.", "The court overturned the verdict."),
])
def test_the_same_predicate_of_the_same_doer_negated_on_one_side_is_a_conflict(claim, cited):
    assert negation(claim, cited)


@pytest.mark.parametrize("claim, cited", [
    # science: "may not" is a possibility, not a statement
    ("The drug may not reduce the symptoms.", "The drug reduces the symptoms."),
    ("The new vaccine might not prevent the infection.", "The new vaccine prevents the infection."),
])
def test_a_hedged_negation_is_no_conflict(claim, cited):
    assert not negation(claim, cited)


@pytest.mark.parametrize("claim, cited", [
    # sport: a condition ("when", "if") supposes, it does not state
    ("When a club fails to pay its players, the league deducts points.", "The club paid its players."),
    ("If the referee does not stop the match, the players will leave.", "The referee stopped the match."),
    # courts: the content of a claim is reported, not stated
    ("The claim that the defendant did not sign the contract is false.", "The defendant signed the contract."),
    # science: a restrictive relative clause describes ("places where grain is not grown")
    ("Farmers moved to places where grain is not grown.", "Grain is grown in the valley."),
])
def test_a_predicate_the_sentence_does_not_state_is_no_conflict(claim, cited):
    assert not negation(claim, cited)


@pytest.mark.parametrize("claim, cited, conflict", [
    # science: "no evidence that X" denies X; the cited sentence states X
    ("There is no evidence that the vaccine causes the rash.", "The vaccine causes the rash.", True),
    # courts
    ("It is not true that the court overturned the verdict.", "The court overturned the verdict.", True),
    # companies: both sides deny it — agreement, not a conflict
    ("The company did not sell the bank.", "Analysts do not believe that the company sold the bank.", False),
    # sport: "never mind that X" concedes X; "the claim that X" only reports it
    ("Never mind that the team lost the final.", "The team lost the final.", False),
])
def test_a_clause_denied_by_a_negated_word_that_vouches_for_it(claim, cited, conflict):
    assert negation(claim, cited) is conflict


@pytest.mark.parametrize("claim, cited, conflict", [
    # science: a participle says something of its noun ("rising sea levels": the levels rise)
    ("Sea levels are not rising.", "Officials worry about rising sea levels.", True),
    # companies: a noun of change with what changes ("the increase in tuition")
    ("Tuition did not increase.", "Students protested against the increase in tuition.", True),
    # another thing with the same head noun is not the same thing
    ("The water level is not rising.", "Doctors watch for rising blood sugar levels.", False),
])
def test_participles_and_nouns_of_change_are_predicates_of_their_noun(claim, cited, conflict):
    assert negation(claim, cited) is conflict


@pytest.mark.parametrize("claim, cited, conflict", [
    # companies: the same subject rose / fell
    ("Revenue rose in the third quarter.", "Revenue fell in the third quarter.", True),
    # science: "the extent of the ice" is the ice
    ("Antarctic sea ice is increasing.", "The mean extent of the Antarctic sea ice has been decreasing.", True),
    # courts: opposite predicates of different doers over the same thing are no contradiction
    ("The regulator opposed the merger.", "Shareholders supported the merger.", False),
    # sport: the sentence says both ways itself ("rising and falling"), so neither is contradicted
    ("The scoreboard shows both rising and falling rankings.", "The scoreboard shows falling rankings.", False),
])
def test_antonyms_count_for_the_same_doer_only(claim, cited, conflict):
    assert antonym(claim, cited) is conflict


@pytest.mark.parametrize("claim, cited, conflict", [
    # the same thing with another value
    ("Three of the nine justices dissented.", "Four of the nine justices dissented.", True),
    # sport: bounds can both hold
    ("At least five players were injured in the match.", "At least seven players were injured in the match.", False),
    # science: a rate is no rival of a total
    ("Temperatures rose by 0.45 degrees over the decade.", "Temperatures are rising by 0.2 degrees per decade.", False),
    # science: another unit of the same verb ("times" against "degrees")
    ("The model predicted seven times as much warming.", "The model predicted 0.2 degrees of warming.", False),
    # parts of other sets
    ("Four of the seven warmest years occurred after 2000.", "Seventeen of the 18 warmest years occurred after 2000.",
     False),
    # companies: values of other years and other places
    ("Sales rose by 9% in 2019.", "Sales rose by 5% in 2020.", False),
    ("Unemployment reached 5% in Ohio.", "Unemployment reached 7% in Texas.", False),
    # science: one volcano is not all volcanoes; "400,000 ± 100,000" is a range
    ("Volcanoes emit 300 million tonnes of carbon dioxide per year.",
     "The volcano emits 400,000 tonnes of carbon dioxide per year.", False),
    ("The mine produces 450,000 tonnes of coal per year.",
     "The mine produces 400,000 ± 100,000 tonnes of coal per year.", False),
    # courts: the cited value is the one the sentence gives to the other chamber
    ("Members of the Senate serve six-year terms, while members of the House serve two-year terms.",
     "Members serve two-year terms.", False),
    # a value in brackets after another is that value in another unit
    ("The sensitivity is 1.5 degrees.", "The sensitivity is 1 degree (1.8 degrees Fahrenheit).", False),
])
def test_a_number_conflicts_only_with_a_value_of_the_same_thing(claim, cited, conflict):
    assert number(claim, cited) is conflict
